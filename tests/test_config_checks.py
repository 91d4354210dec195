"""Bad values never reach the science: the whole config check of the Snakefile (override reading,
schema, stage checks, finite numbers, braces, scorecard criteria) as a unit, one case per hole, and
the defences behind it (engine, provenance, archive, config files)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import yaml

from conceptdyn.core.checks import ConfigError, check_config
from conceptdyn.core.scorecard import coerce_criteria
from conceptdyn.core.settings import canonical, coerce_overrides, duplicate_keys

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "config" / "schema.yaml"


def effective(override: dict) -> dict:
    """config.yaml, then smoke.yaml, then ``override``, merged and read as the Snakefile does."""
    from snakemake.utils import update_config

    cfg = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    update_config(cfg, yaml.safe_load((ROOT / "config/smoke.yaml").read_text()))
    update_config(cfg, override)
    cfg = coerce_overrides(cfg, yaml.safe_load(SCHEMA.read_text()))
    cfg["scorecard"] = coerce_criteria(cfg["scorecard"])
    return cfg


def refusal(override: dict) -> str:
    """The message that stops the run before any rule, or '' if the config passes."""
    from snakemake.exceptions import WorkflowError
    from snakemake.utils import validate

    cfg = effective(override)
    try:
        validate(cfg, str(SCHEMA))
        check_config(cfg)
    except (WorkflowError, ConfigError) as err:
        return str(err)
    return ""


def test_the_smoke_config_passes():
    assert refusal({}) == ""


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"hopfield": {"capacity": {"trails": 3}}}, "trails"),
        ({"hopfield": {"capacity": {"networks": 0}}}, "networks"),
        ({"seed": "abc"}, "seed"),
        ({"hopfield": {"basin": {"alphas": [0.1, 0.05]}}}, "strictly increasing"),
        ({"device": "tpu"}, "device"),
        ({"facecells": {"recording": "rec.nwb"}}, "facecells.stimuli"),
        ({"facecells": {"analysis": {"snapshots": [93]}}}, "not on the"),
        ({"facecells": {"regimes": {"split_windows": [90, 145]}}}, "split_windows [145]"),
        # NaN and infinity: from --config (a string read as YAML), from a YAML file (.nan), anywhere
        ({"hopfield": {"temperature": "nan"}}, "hopfield.temperature is nan"),
        ({"hopfield": {"temperature": math.nan}}, "hopfield.temperature is nan"),
        ({"hopfield": {"capacity": {"fail_below": ".nan"}}}, "hopfield.capacity.fail_below is nan"),
        ({"vae": {"beta": math.inf}}, "vae.beta is inf"),
        ({"hopfield": {"basin": {"alphas": [0.05, math.nan]}}}, "hopfield.basin.alphas[1] is nan"),
        # criteria: unknown and mistyped keys, by name
        ({"scorecard": {"hopfield_retrieval": {"min_overlapp": 0.5}}}, "min_overlapp"),
        ({"scorecard": {"hopfield_retrieval": {"min_overlap": "high"}}}, "min_overlap"),
        # paths Snakemake cannot take
        ({"facecells": {"recording": "/data/we{ird}.nwb", "stimuli": "s.csv"}}, "contains a brace"),
        # integers: a seed every library takes; a fractional value where an integer is meant
        ({"seed": 2**64}, "seed"),
        ({"seed": 2**32}, "4294967295"),
        ({"facecells": {"synthetic": {"trials": 4.5}}}, "4.5 is not of type 'integer'"),
        # the analysed span lies inside the trial of the synthetic data and the model
        ({"facecells": {"session": {"duration_ms": 100}}}, "facecells.session.duration_ms (100)"),
        ({"facecells": {"analysis": {"width_ms": 150}}}, "last_start_ms + width_ms = 450"),
        # a size whose memory no machine of today has: refused before any job, with the estimate
        ({"hopfield": {"dynamics": {"N": 1000000}}}, "hopfield.dynamics.N = 1000000 needs about"),
    ],
)
def test_bad_values_are_refused_by_name(override, message):
    assert message in refusal(override)


def test_duplicate_keys_in_a_config_file_are_named(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("seed: 1\nvae:\n  epochs: 2\n  lr: 0.1\n  epochs: 3\nseed: 2\n")
    found = duplicate_keys(path)
    assert len(found) == 2 and all(str(path) in f for f in found)
    assert any("'epochs' is given twice (lines 3 and 5)" in f for f in found)
    assert any("'seed' is given twice (lines 1 and 6)" in f for f in found)
    assert duplicate_keys(ROOT / "config/config.yaml") == []
    assert duplicate_keys(ROOT / "config/smoke.yaml") == []


def test_canonical_config_does_not_depend_on_key_order():
    a = {"b": 1, "a": {"y": [1, {"q": 1, "p": 2}], "x": 2}}
    b = {"a": {"x": 2, "y": [1, {"p": 2, "q": 1}]}, "b": 1}
    assert json.dumps(canonical(a)) == json.dumps(canonical(b))
    assert canonical(a) == a  # same content, list order kept
    assert list(canonical(a)["a"]["y"][1]) == ["p", "q"]


def test_engine_refuses_a_non_finite_temperature():
    import numpy as np

    from conceptdyn.hopfield import engine

    patterns = engine.random_patterns(np.random.default_rng(0), (1, 2, 50))
    for bad in (math.nan, math.inf):
        with pytest.raises(ValueError, match="finite"):
            engine.run_dynamics(patterns, patterns[:, :1], 1, temperature=bad, rng=np.random.default_rng(0))


def test_provenance_is_strict_json(tmp_path):
    from conceptdyn.core import provenance

    with pytest.raises(ValueError, match="JSON"):
        provenance.write_json(tmp_path / "p.json", {"value": math.nan})
    assert not (tmp_path / "p.json").exists()


def test_archive_refuses_links_by_name(tmp_path):
    from conceptdyn.core import provenance

    (tmp_path / "results").mkdir()
    (tmp_path / "outside.csv").write_text("x\n1\n")
    (tmp_path / "results/a.csv").write_text("x\n1\n")
    (tmp_path / "results/b.csv").symlink_to(tmp_path / "outside.csv")
    with pytest.raises(ValueError, match=r"results/b\.csv"):
        provenance.build_archive(tmp_path / "r.tar.gz", ["results/a.csv", "results/b.csv"], base=tmp_path)
    assert not (tmp_path / "r.tar.gz").exists()


@pytest.mark.parametrize("override", [{"seed": 7.0}, {"facecells": {"synthetic": {"trials": "4.0"}}}])
def test_whole_number_floats_are_read_as_the_integers_they_are(override):
    """``seed: 7.0`` passed the schema (JSON Schema counts it an integer) and crashed ``train_vae``."""
    assert refusal(override) == ""
    cfg = effective(override)
    value = cfg["seed"] if "seed" in override else cfg["facecells"]["synthetic"]["trials"]
    assert type(value) is int
    # the same params as the integer itself: an override to the value already there reruns nothing
    assert canonical(effective({"seed": 7.0})) == canonical(effective({"seed": 7}))


def test_memory_estimates_name_the_key_against_the_machine():
    from conceptdyn.core.checks import memory_problems, network_bytes

    assert network_bytes(1000, 0.1, 5) == 4 * 1000 * (100 + 10)
    cfg = effective({})
    assert memory_problems(cfg, available=2**40) == []
    small = memory_problems(cfg, available=1000)
    assert any(m.startswith("hopfield.capacity.N = 600 needs about") for m in small), small
    assert any(m.startswith("facecells.model.N = 300") for m in small), small


def test_a_tilde_in_path_keys_is_the_home_folder(monkeypatch, tmp_path):
    from conceptdyn.core.settings import expand_user_paths

    monkeypatch.setenv("HOME", str(tmp_path))
    cfg = {"mnist": {"local_dir": "~/mnist"}, "facecells": {"recording": "~/r.nwb", "stimuli": None}}
    out = expand_user_paths(cfg)
    assert out["mnist"]["local_dir"] == str(tmp_path / "mnist")
    assert out["facecells"] == {"recording": str(tmp_path / "r.nwb"), "stimuli": None}
