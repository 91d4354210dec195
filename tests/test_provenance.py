"""Provenance records, the rule context and the archive."""

import json
import os
import tarfile
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from conceptdyn.core import provenance, tables


class FakeNamed(list):
    """Mimics Snakemake's named lists: a list with attributes and items()."""

    def __init__(self, **named):
        super().__init__(named.values())
        self._named = named
        self.__dict__.update(named)

    def items(self):
        return self._named.items()


def test_stage_writes_provenance_and_log(tmp_path):
    inp = tmp_path / "in.csv"
    inp.write_text("a\n1\n")
    smk = SimpleNamespace(
        input=FakeNamed(sim=str(inp)),
        output=FakeNamed(table=str(tmp_path / "out.csv"), provenance=str(tmp_path / "p.json")),
        params=FakeNamed(seed=3, cfg={"N": 10}),
        log=[str(tmp_path / "rule.log")],
        threads=1,
        rule="demo",
    )
    with provenance.stage(smk) as p:
        assert p == {"seed": 3, "cfg": {"N": 10}}
        tables.write_table(pd.DataFrame({"x": [0.1]}), smk.output.table)
    rec = json.loads((tmp_path / "p.json").read_text())
    assert rec["rule"] == "demo" and rec["params"]["cfg"] == {"N": 10}
    assert rec["inputs"][str(inp)] == provenance.sha256sum(inp)
    assert rec["versions"]["numpy"] and "commit" in rec["git"]
    assert rec["threads"]["job"] == 1
    assert "rule demo finished" in (tmp_path / "rule.log").read_text()


def test_failed_stage_writes_no_provenance(tmp_path):
    smk = SimpleNamespace(
        input=FakeNamed(),
        output=FakeNamed(provenance=str(tmp_path / "p.json")),
        params=FakeNamed(),
        log=[str(tmp_path / "rule.log")],
        threads=1,
        rule="demo",
    )
    with pytest.raises(RuntimeError), provenance.stage(smk):
        raise RuntimeError("boom")
    assert not (tmp_path / "p.json").exists()


def test_archive_contains_members_and_refuses_missing(tmp_path):
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "a.csv").write_text("x\n1\n")
    out = tmp_path / "arch.tar.gz"
    provenance.build_archive(out, ["results/a.csv"], base=tmp_path)
    with tarfile.open(out) as tar:
        assert tar.getnames() == ["results/a.csv"]
    with pytest.raises(FileNotFoundError, match="missing"):
        provenance.build_archive(tmp_path / "b.tar.gz", ["results/nope.csv"], base=tmp_path)
    assert not (tmp_path / "b.tar.gz").exists()


def test_read_table_names_missing_columns(tmp_path):
    path = tmp_path / "t.csv"
    tables.write_table(pd.DataFrame({"a": [1]}), path)
    with pytest.raises(ValueError, match=r"lacks columns \['b'\]"):
        tables.read_table(path, required=("a", "b"))


def test_set_threads_reaches_torch_without_importing_it():
    """Small jobs must not pay for importing torch; a later import still gets the thread count."""
    import subprocess
    import sys

    code = (
        "import sys; from conceptdyn.core.runtime import set_threads; set_threads(1); "
        "assert 'torch' not in sys.modules; import torch; print(torch.get_num_threads())"
    )
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "1"


def test_set_threads_limits_numpys_blas_pool():
    """A one-thread job beside another must not run a two-thread BLAS pool (oversubscription)."""
    import subprocess
    import sys

    code = (
        "import numpy as np; from threadpoolctl import threadpool_info; "
        "from conceptdyn.core.runtime import set_threads; set_threads(1); "
        "print(sorted({p['num_threads'] for p in threadpool_info()}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() in ("[1]", "[]")


def test_settings_come_from_the_config_only():
    """A settings dataclass has no defaults of its own: a missing key is named, lists become tuples."""
    from dataclasses import dataclass

    from conceptdyn.core.settings import from_section

    @dataclass(frozen=True)
    class S:
        n: int
        sizes: tuple[int, ...]

    assert from_section(S, {"n": 2, "sizes": [1, 2], "other": 0}) == S(2, (1, 2))
    assert from_section(S, {"sizes": [1]}, n=3) == S(3, (1,))
    with pytest.raises(ValueError, match=r"section\.x lacks \['n'\]"):
        from_section(S, {"sizes": [1]}, "section.x")


def test_nested_overrides_are_read_as_yaml_where_the_schema_wants_non_strings():
    """``--config "vae={epochs: 2}"`` reaches the workflow as the string '2'; the schema decides."""
    import yaml

    from conceptdyn.core.settings import coerce_overrides

    schema = yaml.safe_load((Path(__file__).parents[1] / "config" / "schema.yaml").read_text())
    cfg = {
        "seed": "7",
        "vae": {"epochs": "2", "lr": "1e-3", "sweep_latents": ["2", "5"], "inference": {"noises": ["0.2"]}},
        "neocognitron": {"lenet": "true", "train_subset": "null", "shape": "linear"},
        "facecells": {"recording": "null", "stimuli": "my_stimuli.csv", "categories": [{"name": "42"}]},
        "hopfield": {"capacity": {"N": ["1000"]}, "basin": {"N": "abc"}},
        "unknown": "3",
    }
    out = coerce_overrides(cfg, schema)
    assert out["seed"] == 7 and out["vae"]["epochs"] == 2 and out["vae"]["lr"] == 0.001
    assert out["vae"]["sweep_latents"] == [2, 5] and out["vae"]["inference"]["noises"] == [0.2]
    assert out["neocognitron"]["lenet"] is True and out["neocognitron"]["train_subset"] is None
    assert out["neocognitron"]["shape"] == "linear"  # strings stay strings where strings are allowed
    assert out["facecells"]["recording"] is None and out["facecells"]["stimuli"] == "my_stimuli.csv"
    assert out["facecells"]["categories"][0]["name"] == "42"
    assert out["hopfield"]["capacity"]["N"] == [1000]  # through the "$ref" size definition
    assert out["hopfield"]["basin"]["N"] == "abc"  # left for the validator to refuse by name
    assert out["unknown"] == "3"  # unknown keys too


def test_job_code_finds_the_adapter_and_the_rule_file(tmp_path):
    (tmp_path / "scripts").mkdir()
    (tmp_path / "rules").mkdir()
    (tmp_path / "scripts/fit.py").write_text("print(1)\n")
    (tmp_path / "rules/stage.smk").write_text("rule fit:\n    script: '../scripts/fit.py'\n")
    (tmp_path / "rules/figures.smk").write_text(
        "for stage in FIGURES:\n    rule:\n        name: f'plot_{stage}'\n"
    )
    found = provenance.job_code("fit", tmp_path / "scripts", ".snakemake/scripts/tmpab12cd.fit.py")
    assert found == [tmp_path / "scripts/fit.py", tmp_path / "rules/stage.smk"]
    plot = provenance.job_code("plot_vae", tmp_path / "scripts", "/x/tmpzz.plot_figure.py")
    assert plot == [tmp_path / "rules/figures.smk"]  # no such script here; the loop's rule file
    assert provenance.job_code("fit", None, None) == []
    rec = provenance.provenance_record("fit", {}, [], [], found)
    assert rec["code"] == {str(p): provenance.sha256sum(p) for p in found}


def test_git_revision_is_the_workflow_folders_own(tmp_path):
    """An export unpacked inside another work tree used to record the outer repository's commit."""
    import subprocess

    outer = tmp_path / "outer"
    (outer / "export").mkdir(parents=True)
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t")
    env["GIT_COMMITTER_EMAIL"] = "t@t"
    for args in (["init", "-q"], ["commit", "-q", "--allow-empty", "-m", "x"]):
        subprocess.run(["git", *args], cwd=outer, check=True, env=env)
    top = provenance.git_revision(outer)
    assert len(top["commit"]) == 40 and top["dirty"] is False
    assert provenance.git_revision(outer / "export") == {"commit": None, "dirty": None}
    assert provenance.git_revision(tmp_path) == {"commit": None, "dirty": None}  # no work tree at all


def test_thread_counts_name_the_jobs_and_torchs():
    import torch

    counts = provenance.thread_counts(2)
    assert counts["job"] == 2 and counts["torch"] == torch.get_num_threads()
