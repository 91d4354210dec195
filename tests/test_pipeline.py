"""End-to-end: the whole DAG on config/smoke.yaml in a copy of the workflow.

One module-scoped run (about a minute on 2 cores) feeds several checks: key tables and figures,
determinism, rerun-on-edit, report, archive, lint, and refusal of bad configs.
"""

import importlib
import tarfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from conceptdyn.core.settings import defaults

from .conftest import ROOT, SMOKE, copy_workflow, slurm_reruns_the_pipeline, snakemake

GEN = ("facecells.synthetic", "facecells.session")

pytestmark = pytest.mark.pipeline

KEY_TABLES = {
    "results/hopfield/capacity.csv": ["N", "alpha", "network", "m_final"],
    "results/hopfield/overlap_dynamics.csv": ["alpha", "m0", "t", "m_sim_mean", "m_sim_std", "m_theory"],
    "results/hopfield/basin.csv": ["alpha", "source", "m0_critical"],
    "results/data/mnist_counts.csv": ["split", "digit", "count"],
    "results/concepts/mixed_state_overlaps.csv": [
        "s",
        "b",
        "m_child_exact",
        "m_parent_exact",
        "m_child_sim",
        "m_parent_sim",
    ],
    "results/concepts/fixed_points.csv": [
        "s",
        "b",
        "temperature",
        "kind",
        "m1",
        "m_parent",
        "max_eigenvalue",
        "stability",
    ],
    "results/concepts/retrieval_dynamics.csv": ["t", "m1", "m2", "m_parent", "b", "N", "s", "temperature"],
    "results/vae/training.csv": ["epoch", "train_loss", "test_loss"],
    "results/vae/concept_distance.csv": ["t", "distance_own_mean", "distance_own_std", "distance_other_mean"],
    "results/neocognitron/curves.csv": ["schedule", "seed", "iteration", "mse"],
    "results/neocognitron/accuracy.csv": ["schedule", "seed", "test_accuracy"],
    "results/facecells/onsets.csv": ["source", "information", "onset_ms", "true_onset_ms"],
    "results/facecells/synthetic/information.csv": ["information", "window_end", "accuracy", "p_value"],
    "results/facecells/model/mixture.csv": ["window_end", "n_clusters", "ari_global", "ari_fine"],
    "results/facecells/synthetic/pca.csv": ["kind", "window_start", "stimulus_id", "pc1", "pc2"],
}
STAGES = ("data", "hopfield", "concepts", "facecells", "vae", "neocognitron")
# every figure the stages can draw (each stage's figures module); the rules must make all of them
# (but those of a target outside the default run: vae_search's, checked by its own test below)
TARGET_FIGURES = {
    "vae_search",
    "vae_search_curves",
    "vae_search_claims",
    "facecells_scale",
    "facecells_scale_trajectories",
    "facecells_scale_sparse",
}
FIGURES = [
    name
    for s in STAGES
    for name in importlib.import_module(f"conceptdyn.{s}.figures").FIGURES
    if name not in TARGET_FIGURES
]


def test_key_tables_and_figures(smoke_run):
    for path, columns in KEY_TABLES.items():
        df = pd.read_csv(smoke_run / path)
        assert set(columns) <= set(df.columns), path
        assert len(df) > 0
    for name in FIGURES:
        for ext in ("png", "pdf"):
            assert (smoke_run / f"results/figures/{name}.{ext}").stat().st_size > 1000
    smoke = yaml.safe_load((ROOT / "config/smoke.yaml").read_text())["hopfield"]["capacity"]
    cap = pd.read_csv(smoke_run / "results/hopfield/capacity.csv")
    starts = yaml.safe_load((ROOT / "config/config.yaml").read_text())["hopfield"]["capacity"]["starts"]
    per_point = smoke["networks"] * smoke.get("starts", starts)
    assert len(cap) == len(smoke["N"]) * len(smoke["alphas"]) * per_point
    rec = yaml.safe_load((smoke_run / "results/provenance/simulate_capacity.json").read_text())
    code = {"/".join(Path(p).parts[-2:]) for p in rec["code"]}
    assert {"scripts/simulate_capacity.py", "rules/hopfield.smk"} <= code
    assert (smoke_run / "results/benchmarks/simulate_capacity.tsv").is_file()
    onsets = pd.read_csv(smoke_run / "results/facecells/onsets.csv")
    assert set(zip(onsets["source"], onsets["information"], strict=True)) == {
        (s, i) for s in ("synthetic", "model") for i in ("global", "fine")
    }
    assert (smoke_run / "results/data/facecells_synthetic.nwb").stat().st_size > 10000


def test_scorecard_has_one_computed_row_per_claim_and_is_printed(smoke_run):
    from conceptdyn.core.scorecard import COLUMNS, collect

    CLAIMS = collect()

    card = pd.read_csv(smoke_run / "results/scorecard.csv")
    assert list(card.columns) == COLUMNS
    assert card["claim_id"].tolist() == [c.claim_id for c in CLAIMS]
    assert set(card["verdict"]) <= {"yes", "no"}
    for tables in card["table"]:
        assert all((smoke_run / t).is_file() for t in tables.split())
    out = (smoke_run / "run_output.txt").read_text()
    assert "Reproduction scorecard:" in out and "results/scorecard.csv" in out


def test_same_config_gives_same_tables(smoke_run, request):
    """Rerunning every stochastic rule in place gives the same bytes.  Where the SLURM test runs in the
    same session it is this check and more (the whole pipeline again from a fresh copy, every table
    compared byte for byte with the local run), so this one steps aside (about 45 s)."""
    if slurm_reruns_the_pipeline(request.config):
        pytest.skip("the SLURM test reruns the whole pipeline and compares every table (test_slurm.py)")
    tables = [
        "results/hopfield/capacity.csv",
        "results/hopfield/overlap_dynamics_sim.csv",
        "results/hopfield/basin_sim.csv",
        "results/concepts/concept_map.csv",
        "results/concepts/retrieval_dynamics.csv",
        "results/vae/training.csv",
        "results/vae/concept_distance.csv",
        "results/facecells/synthetic/information.csv",
        "results/facecells/synthetic/mixture.csv",
        "results/facecells/model/pca.csv",
        "results/facecells/model_overlaps.csv",
        "results/facecells/onsets.csv",
        "results/facecells/regimes.csv",
        "results/vae/sweep/training_z2.csv",
        "results/neocognitron/curves.csv",
        "results/neocognitron/accuracy.csv",
        "results/concepts/mixed_state_overlaps.csv",
        "results/concepts/sparse_retrieval.csv",
        "results/vae/data/training_z4_binarized.csv",
    ]
    before = {t: (smoke_run / t).read_bytes() for t in tables}
    # rerun every stochastic rule of the default DAG and what lies between them and these tables (not
    # the figures)
    snakemake(
        smoke_run,
        "--cores",
        "2",
        *tables,
        *SMOKE,
        "--forcerun",
        "simulate_capacity",
        "simulate_overlap_dynamics",
        "simulate_basin",
        "simulate_concept_map",
        "simulate_retrieval_dynamics",
        "train_vae",
        "facecell_synthetic",
        "facecell_model",
        "facecell_analysis",
        "facecell_regimes",
        "train_vae_sweep",
        "train_neocognitron",
        "mixed_state_overlaps",
        "concept_sparse",
        "train_vae_data",
    )
    for t in tables:
        assert (smoke_run / t).read_bytes() == before[t], t
    # the tables are byte-identical, so the figures drawn from them are current: mark them so
    snakemake(smoke_run, "--touch", "--cores", "1", *SMOKE)


def planned_jobs(wf: Path) -> set[str]:
    proc = snakemake(wf, "-n", "--quiet", "rules", *SMOKE)
    out = proc.stdout + proc.stderr
    jobs = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit() and parts[0] not in {"total", "job"}:
            jobs.add(parts[0])
    return jobs


def edit(path: Path) -> str:
    """A real edit (Snakemake ignores a bare touch when the content is unchanged); returns the original."""
    original = path.read_text()
    path.write_text(original + "\n# edited by test_pipeline\n")
    return original


def test_editing_a_module_reruns_exactly_its_stages(smoke_run):
    assert planned_jobs(smoke_run) == set()
    src = smoke_run / "src/conceptdyn"
    originals = {"hopfield/theory": edit(src / "hopfield/theory.py")}
    assert planned_jobs(smoke_run) == {
        "compare_overlap_dynamics",
        "compare_capacity",
        "compare_basin",
        "plot_hopfield",
        "scorecard",  # reads the compared tables
        "reproduction",  # renders the scorecard
        "all",
    }
    originals["data/mnist"] = edit(src / "data/mnist.py")
    assert {"prepare_mnist", "plot_data"} <= planned_jobs(smoke_run)
    assert "simulate_capacity" not in planned_jobs(smoke_run)
    before = planned_jobs(smoke_run)
    originals["concepts/patterns"] = edit(src / "concepts/patterns.py")
    added = planned_jobs(smoke_run) - before
    assert {"concept_fixed_points", "simulate_retrieval_dynamics", "phase_portrait", "plot_concepts"} <= added
    assert not any(
        j.startswith(("simulate_", "compare_", "plot_hopfield"))
        for j in added - {"simulate_retrieval_dynamics", "simulate_concept_map"}
    )
    assert {"facecell_model", "facecell_analysis"} <= added and "facecell_synthetic" not in added
    # undoing the edits restores the recorded code checksums: nothing left to do
    for module, text in originals.items():
        (src / f"{module}.py").write_text(text)
    assert planned_jobs(smoke_run) == set()


def test_editing_vae_inference_retrains_no_model(smoke_run):
    """The module inputs come from the imports: training never imports vae/inference.py."""
    assert planned_jobs(smoke_run) == set()
    path = smoke_run / "src/conceptdyn/vae/inference.py"
    original = edit(path)
    try:
        jobs = planned_jobs(smoke_run)
        assert {"vae_inference", "plot_vae", "scorecard"} <= jobs
        assert not any(j.startswith("train_") for j in jobs)
    finally:
        path.write_text(original)
    assert planned_jobs(smoke_run) == set()


@pytest.mark.parametrize("stage", ["vae", "facecells"])
def test_editing_a_stage_figures_reruns_only_its_figure_jobs(smoke_run, stage):
    assert planned_jobs(smoke_run) == set()
    path = smoke_run / f"src/conceptdyn/{stage}/figures.py"
    original = edit(path)
    try:
        assert planned_jobs(smoke_run) == {f"plot_{stage}", "all"}
        proc = snakemake(smoke_run, "-n", *SMOKE)
        figures = {n for n in FIGURES if n.startswith(f"{stage}_")}
        # every figure of the stage is redrawn, no other
        planned = {line.split("figure=")[1].strip() for line in proc.stdout.splitlines() if "figure=" in line}
        assert planned == figures
    finally:
        path.write_text(original)
    assert planned_jobs(smoke_run) == set()


def test_report_and_archive(smoke_run):
    # the README's report and archive commands need only the plain install (no test extras)
    snakemake(smoke_run, *SMOKE, "--report", "report.html", plain=True)
    html = (smoke_run / "report.html").read_text(errors="replace")
    assert "hopfield_capacity.png" in html and "scorecard.csv" in html
    # the front page shows the scorecard, each claim linked to its figure
    assert "Scorecard: " in html and "showResultInfo('results/figures/hopfield_capacity.png')" in html
    snakemake(smoke_run, "archive", "--cores", "1", *SMOKE, plain=True)
    with tarfile.open(smoke_run / "results/conceptdyn_results.tar.gz") as tar:
        names = set(tar.getnames())
    # the archive holds every output of the default DAG under results/ (sweep tables and models too)
    summary = snakemake(smoke_run, "--summary", *SMOKE).stdout.splitlines()[1:]
    outputs = {line.split("\t")[0] for line in summary if line.startswith("results/")}
    assert "results/vae/sweep/training_z2.csv" in outputs
    assert names == outputs | {"results/config.yaml", "results/environment.json"}
    # the environment record follows the code: an edit remakes it (and the archive)
    plan = snakemake(smoke_run, "-n", "archive", *SMOKE).stdout
    assert "effective_config" not in plan
    module = smoke_run / "src/conceptdyn/core/stats.py"
    original = edit(module)
    try:
        plan = snakemake(smoke_run, "-n", "archive", *SMOKE).stdout
        assert "effective_config" in plan and "rule archive" in plan
    finally:
        module.write_text(original)


def test_mnist_location_is_not_data(smoke_run, tmp_path):
    """Another folder with the same verified files reruns nothing; a bad folder is refused before any
    output is touched."""
    import shutil

    here = Path(yaml.safe_load((smoke_run / "local.yaml").read_text())["mnist"]["local_dir"])
    copy = tmp_path / "mnist_copy"
    shutil.copytree(here, copy)
    (smoke_run / "moved.yaml").write_text(yaml.safe_dump({"mnist": {"local_dir": str(copy)}}))
    plan = snakemake(smoke_run, "-n", "--configfile", "config/smoke.yaml", "moved.yaml").stdout
    assert "prepare_mnist" not in plan
    outputs = sorted((smoke_run / "results/data").glob("mnist_*.csv"))
    stamps = [p.stat().st_mtime_ns for p in outputs]
    (copy / "t10k-labels-idx1-ubyte.gz").unlink()
    proc = snakemake(
        smoke_run, "--cores", "1", "--configfile", "config/smoke.yaml", "moved.yaml", check=False
    )
    assert proc.returncode != 0 and "lacks t10k-labels-idx1-ubyte.gz" in proc.stdout + proc.stderr
    assert [p.stat().st_mtime_ns for p in outputs] == stamps


def test_scaling_stage_is_its_own_target(smoke_run):
    """Not part of the default run; `snakemake scaling` makes its tables and figures."""
    import shutil

    assert not (smoke_run / "results/scaling").exists()
    snakemake(smoke_run, "scaling", "--cores", "2", *SMOKE)
    made = [
        smoke_run / "results/scaling",
        *(smoke_run / "results/figures").glob("scaling_*"),
        *(smoke_run / "results/provenance").glob("*scaling_*"),
        *(smoke_run / "results/benchmarks").glob("scaling_*"),
    ]
    try:
        sc = yaml.safe_load((ROOT / "config/smoke.yaml").read_text())["scaling"]
        cap = pd.read_csv(smoke_run / "results/scaling/capacity_scaling.csv")
        assert cap["N"].tolist() == sc["capacity"]["N"]
        assert (cap["ci_low"] <= cap["alpha_c"]).all() and (cap["alpha_c"] <= cap["ci_high"]).all()
        ext = pd.read_csv(smoke_run / "results/scaling/extrapolation.csv")
        assert ext["default"].sum() == 1 and {"N^-1/2", "N^-1"} <= set(ext["form"].dropna())
        dyn = pd.read_csv(smoke_run / "results/scaling/dynamics_theory.csv")
        assert {"m_sim", "se", "diff_amari_maginu", "diff_okada", "z_okada"} <= set(dyn.columns)
        for name in ("capacity", "basin", "dynamics"):
            assert (smoke_run / f"results/figures/scaling_{name}.png").stat().st_size > 1000
        assert planned_jobs(smoke_run) == set()  # the default target is still complete
    finally:  # leave the shared smoke run as the default target made it (the SLURM test compares it)
        for path in made:
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def test_facecells_scale_is_its_own_target_and_the_scorecard_reads_it(smoke_run):
    """Not part of the default run; `snakemake facecells_scale` simulates the theory's window at the
    smoke sizes, analyses the chosen setting at the largest N on its seeds and judges the model's
    claims there; once its verdicts exist the scorecard's category-from-stimulus claim is judged on
    them (the scorecard is planned again), and without them nothing changes."""
    import shutil

    assert not (smoke_run / "results/facecells/scale").exists()
    snakemake(smoke_run, "facecells_scale", "--cores", "2", *SMOKE)
    made = [
        smoke_run / "results/facecells/scale",
        *(smoke_run / "results/figures").glob("facecells_scale*"),
        *(smoke_run / "results/provenance").glob("*scale*"),
        *(smoke_run / "results/benchmarks").glob("*scale*"),
        *(smoke_run / "results/data").glob("facecells_scale*"),
    ]
    try:
        sc = yaml.safe_load((ROOT / "config/smoke.yaml").read_text())["facecells"]["scale"]
        routes = pd.read_csv(smoke_run / "results/facecells/scale/routes.csv")
        assert sorted(routes["N"].unique()) == sc["sizes"] and len(routes) == sc["settings"] * len(
            sc["sizes"]
        )
        assert {"route", "theory_route", "agree", "m_stimulus_end_low", "theory_m_stimulus_end"} <= set(
            routes
        )
        ext = pd.read_csv(smoke_run / "results/facecells/scale/extrapolation.csv")
        assert (
            set(ext["quantity"]) == {"m_stimulus_end", "sibling_peak"}
            and (ext["ci_low"] <= ext["ci_high"]).all()
        )
        verdicts = pd.read_csv(smoke_run / "results/facecells/scale/verdicts.csv")
        assert set(verdicts["model"]) == {"default", "noisy_stimulus"}
        assert (verdicts["model"] == "noisy_stimulus").sum() == 4 * sc["seeds"]
        assert (verdicts.loc[verdicts["model"] == "noisy_stimulus", "N"] == max(sc["sizes"])).all()
        for name in ("facecells_scale", "facecells_scale_trajectories"):
            assert (smoke_run / f"results/figures/{name}.png").stat().st_size > 1000
        assert "scorecard" in planned_jobs(smoke_run)  # the scorecard now reads the verdicts
    finally:  # leave the shared smoke run as the default target made it (the SLURM test compares it)
        for path in made:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    assert planned_jobs(smoke_run) == set()


# per stage, tables that depend on the master seed (a second seed must change them) and tables of
# pure theory (it must not)
SEED_DEPENDENT = {
    "hopfield": ["overlap_dynamics_sim.csv", "capacity.csv"],
    "concepts": ["retrieval_dynamics.csv", "plateaus.csv"],
    "facecells": ["model_overlaps.csv", "synthetic/information.csv", "regimes.csv"],
    "vae": ["training.csv", "concept_distance.csv"],
    "neocognitron": ["curves.csv", "accuracy.csv", "delta_diagnostic.csv"],
}
SEED_FREE = ["concepts/fixed_points.csv", "concepts/bifurcation.csv"]


def test_seeds_target_recomputes_every_stage_per_seed(smoke_run):
    """`snakemake seeds` on the smoke config's two seeds: one scorecard per seed, every stage's
    stochastic tables changed by the second seed, theory unchanged; the default run's scorecard then
    reports the seeds each verdict holds on."""
    import shutil

    from conceptdyn.core.scorecard import collect

    seeds = yaml.safe_load((ROOT / "config/smoke.yaml").read_text())["seeds"]["master_seeds"]
    other = next(s for s in seeds if s != yaml.safe_load((ROOT / "config/config.yaml").read_text())["seed"])
    proc = snakemake(smoke_run, "seeds", "--cores", "2", *SMOKE)
    made = [
        smoke_run / "results/seeds",
        smoke_run / "logs/seeds",
        *(smoke_run / "results/figures").glob("seeds_*"),
        *(smoke_run / "results/provenance").glob("*seed*"),
    ]
    try:
        assert "Verdicts across 2 master seeds" in proc.stdout + proc.stderr
        claims = [c.claim_id for c in collect()]
        long = pd.read_csv(smoke_run / "results/seeds/scorecard_seeds.csv")
        assert len(long) == len(claims) * len(seeds) and set(long["seed"]) == set(seeds)
        robust = pd.read_csv(smoke_run / "results/seeds/robustness.csv")
        assert robust["claim_id"].tolist() == claims and (robust["n_seeds"] == len(seeds)).all()
        assert (smoke_run / "results/figures/seeds_verdicts.png").stat().st_size > 1000
        seed_dir = smoke_run / f"results/seeds/{other}"
        for stage, names in SEED_DEPENDENT.items():
            for name in names:
                a, b = smoke_run / "results" / stage / name, seed_dir / stage / name
                assert a.read_bytes() != b.read_bytes(), f"{stage}/{name} ignores the master seed"
        for name in SEED_FREE:
            assert (smoke_run / "results" / name).read_bytes() == (seed_dir / name).read_bytes(), name
        # provenance of a seed run records its seed
        assert f'"seed": {other}' in (seed_dir / "provenance/train_neocognitron.json").read_text()
        # the default run's scorecard now says how many seeds each verdict holds on
        assert planned_jobs(smoke_run) == {"reproduction", "all"}
        snakemake(smoke_run, "--cores", "1", *SMOKE)
        assert "seeds]" in (smoke_run / "results/scorecard.txt").read_text()
        assert "| seeds |" in (smoke_run / "results/reproduction.md").read_text()
    finally:  # leave the shared smoke run as the default target made it
        for path in made:
            if path.exists():
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        snakemake(smoke_run, "--cores", "1", *SMOKE)
    assert planned_jobs(smoke_run) == set()


def test_lint_is_clean(smoke_run):
    proc = snakemake(smoke_run, "--lint", *SMOKE)
    assert "Congratulations" in proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def fresh_copy(tmp_path_factory):
    """A copy of the workflow that never ran: a refused config must leave it without results."""
    return copy_workflow(tmp_path_factory.mktemp("fresh"))


# end to end, one case per way a bad value arrives (the values themselves: tests/test_config_checks.py)
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hopfield: {capacity: {trails: 3}}\n", "trails"),  # a typo: unknown key
        ("hopfield: {temperature: .nan}\n", "hopfield.temperature is nan"),  # NaN from a YAML file
        ("seed: 1\nthreads: 1\nseed: 2\n", "'seed' is given twice"),  # duplicate key, last-wins
        ('facecells: {recording: "/data/we{ird}.nwb", stimuli: s.csv}\n', "contains a brace"),
    ],
)
def test_bad_config_is_refused_before_any_rule(fresh_copy, text, message):
    wf = fresh_copy
    (wf / "bad.yaml").write_text(text)
    proc = snakemake(wf, "--cores", "1", "--configfile", "config/smoke.yaml", "bad.yaml", check=False)
    assert proc.returncode != 0
    assert message in proc.stdout + proc.stderr
    assert not (wf / "results").exists()


def test_nan_from_the_command_line_is_refused(fresh_copy):
    proc = snakemake(
        fresh_copy,
        "-n",
        "--configfile",
        "config/smoke.yaml",
        "--config",
        "hopfield={temperature: nan}",
        check=False,
    )
    assert proc.returncode != 0 and "hopfield.temperature is nan" in proc.stdout + proc.stderr


@pytest.mark.parametrize(
    "override",
    [
        "neocognitron={lenet: false}",
        "hopfield={capacity: {check_every: 10}}",
        "seed=20261130",
        "seed=20261130.0",  # a whole-number float is the integer: no params change, nothing reruns
    ],
)
def test_an_override_to_the_value_already_there_reruns_nothing(smoke_run, override):
    """Params compare equal whatever the key order the override leaves (the config is canonical)."""
    proc = snakemake(smoke_run, "-n", *SMOKE, "--config", override)
    assert "Nothing to be done" in proc.stdout + proc.stderr, proc.stdout[-2000:]


def test_the_workflow_runs_from_another_folder_and_names_unknown_figures(fresh_copy, tmp_path):
    """``-s path/Snakefile`` from elsewhere used to end in KeyError 'device' (the default config was
    looked up in the current folder); a mistyped figure target in a KeyError traceback."""
    import subprocess
    import sys

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    smoke = str(fresh_copy / "config/smoke.yaml")
    snakefile = str(fresh_copy / "Snakefile")
    run = [sys.executable, "-m", "snakemake", "-n", "-s", snakefile, "--configfile", smoke]
    proc = subprocess.run(run, cwd=elsewhere, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    typo = subprocess.run(
        [*run[:-2], "results/figures/hopfield_basinn.png", "--configfile", smoke],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert typo.returncode != 0
    assert "its figures are: hopfield_basin, hopfield_capacity" in typo.stdout + typo.stderr


def test_nested_overrides_with_numbers_and_null_are_read_as_yaml(tmp_path):
    """``--config "vae={epochs: 2}"`` used to be refused with "'2' is not of type 'integer'"."""
    wf = copy_workflow(tmp_path / "wf")
    overrides = ("vae={epochs: 2, lr: 1e-3}", "facecells={recording: null}", "neocognitron={lenet: true}")
    proc = snakemake(wf, "-n", "--configfile", "config/smoke.yaml", "--config", *overrides, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    bad = snakemake(wf, "-n", "--config", "vae={epochs: two}", check=False)
    assert bad.returncode != 0 and "'two' is not of type 'integer'" in bad.stdout + bad.stderr


def _recording(wf: Path, *, unsorted: bool) -> Path:
    """A small recording in the documented format (the generator's output, optionally broken)."""
    from conceptdyn.facecells import generator, nwb

    from .test_spikes import CATS

    d = generator.generate(defaults(generator.GeneratorConfig, *GEN, neurons=8, trials=6), CATS, 1)
    times = [s.copy() for s in d.spike_times]
    if unsorted:
        times[2][[5, 6]] = times[2][[6, 5]]
    nwb.write_nwb(wf / "rec.nwb", d.trials, times, description="t", identifier="t")
    d.catalogue.to_csv(wf / "stimuli.csv", index=False)
    (wf / "rec.yaml").write_text(
        yaml.safe_dump({"facecells": {"recording": "rec.nwb", "stimuli": "stimuli.csv"}})
    )
    return wf


def test_a_foreign_recording_is_analysed_as_itself_and_the_model_as_the_model(smoke_run, tmp_path):
    """A recording from a generator that is not the project's: its onsets recovered, and the model
    simulated and analysed itself (the model's tables used to be the recording's)."""
    import shutil

    from . import foreign_recording

    wf = Path(shutil.copytree(smoke_run, tmp_path / "wf", symlinks=True))
    foreign_recording.write(wf / "rec.nwb").to_csv(wf / "stimuli.csv", index=False)
    (wf / "rec.yaml").write_text(
        yaml.safe_dump(
            {
                "facecells": {
                    "recording": "rec.nwb",
                    "stimuli": "stimuli.csv",
                    # a finer p-value and a longer run than the smoke config's: one onset, not chance
                    "analysis": {"permutations": 19, "alpha": 0.05, "run_ms": 15},
                }
            }
        )
    )
    targets = ("results/facecells/onsets.csv", "results/scorecard.csv")
    snakemake(wf, *targets, "--cores", "2", *SMOKE, "rec.yaml")
    on = pd.read_csv(wf / "results/facecells/onsets.csv").set_index(["source", "information"])
    truth = {"global": foreign_recording.GLOBAL_ONSET_MS, "fine": foreign_recording.FINE_ONSET_MS}
    for info, true in truth.items():
        assert abs(on.loc[("recording", info), "onset_ms"] - true) <= 30, on
    # the model ran on the recording's stimulus set, and its tables are its own
    log = (wf / "logs/facecell_model.log").read_text()
    assert "rule facecell_model started" in log
    model = pd.read_csv(wf / "results/facecells/model/onsets.csv")
    assert set(model["source"]) == {"model"}
    pd.testing.assert_frame_equal(
        on.loc["model"].reset_index()[["information", "onset_ms"]],
        model[["information", "onset_ms"]],
    )
    for name in ("pca", "information", "mixture"):
        rec = pd.read_csv(wf / f"results/facecells/recording/{name}.csv").drop(columns="source")
        mod = pd.read_csv(wf / f"results/facecells/model/{name}.csv").drop(columns="source")
        assert not rec.equals(mod), name
    pca = pd.read_csv(wf / "results/facecells/model/pca.csv")
    assert set(pca["stimulus_id"]) == set(pd.read_csv(wf / "stimuli.csv")["stimulus_id"])
    # the scorecard's model rows read the model's onsets
    card = pd.read_csv(wf / "results/scorecard.csv").set_index("claim_id")
    lag = model.set_index("information")["onset_ms"]
    value = card.loc["facecells_model_order", "value"]
    assert (np.isnan(value) and lag.isna().any()) or value == lag["fine"] - lag["global"]


def test_a_bad_recording_is_refused_and_leaves_no_output(tmp_path):
    wf = _recording(copy_workflow(tmp_path / "wf"), unsorted=True)
    target = "results/facecells/recording/onsets.csv"
    proc = snakemake(wf, target, "--cores", "1", "--configfile", "config/smoke.yaml", "rec.yaml", check=False)
    assert proc.returncode != 0
    log = (wf / "logs/facecell_analysis_recording.log").read_text()
    assert "spike times of unit 2 are not sorted" in log
    assert not list((wf / "results/facecells").rglob("*.csv"))


def test_vae_search_judges_every_setting_and_reuses_the_default_models(smoke_run, tmp_path):
    import shutil

    from conceptdyn.vae.search import SETTING_CLAIMS

    # in a copy: the search's outputs are no part of the default run the other tests compare
    smoke_run = Path(shutil.copytree(smoke_run, tmp_path / "wf", symlinks=True))
    snakemake(smoke_run, "--cores", "2", "vae_search", *SMOKE)
    out = smoke_run / "results/vae/search"
    search = pd.read_csv(out / "search.csv")
    cfg = yaml.safe_load((ROOT / "config/smoke.yaml").read_text())
    s = cfg["vae"]["search"]
    settings = len(s["architectures"]) * len(s["betas"]) * len(s["data"]) * len(s["latents"])
    assert len(search) == settings * 2 * len(s["noises"])
    assert search["approach"].isin([True, False]).all() and search["default"].sum() == 2 * len(s["noises"])
    # the settings of the default run's models are those models, trained once; the others are the search's
    master = f"s{yaml.safe_load((ROOT / 'config/config.yaml').read_text())['seed']}"
    assert not list((out / "small" / master).glob("vae_b1_z[24]_*.pt"))
    assert (out / "small" / master / "vae_b1_z6_grey.pt").is_file()
    assert len(list((out / "small_tanh" / master).glob("vae_*.pt"))) == len(s["latents"])
    # same model, same seeds: the search's default rows are the default inference's rows, and its
    # verdicts on the default setting are the scorecard's
    summary = pd.read_csv(smoke_run / "results/vae/inference_summary.csv")
    main = summary[summary["main_model"] & (summary["noise_kind"] == "flip")].sort_values(["chain", "noise"])
    default = search[search["default"]].sort_values(["chain", "noise"])
    np.testing.assert_allclose(default["norm_depth"], main["norm_depth"])
    claims = pd.read_csv(out / "claims.csv")
    card = pd.read_csv(smoke_run / "results/scorecard.csv").set_index("claim_id")
    d = claims[(claims["arch"] == "small") & (claims["latent"] == 4) & (claims["chain"] == "sample")]
    d = d[d["seed"] == d["seed"].value_counts().idxmax()].set_index("claim")
    for cid in SETTING_CLAIMS:
        assert d.loc[cid, "verdict"] == card.loc[cid, "verdict"], cid
    # every setting x claim x chain kind, a latent-size row per group, the chosen group on both seeds
    per_seed = settings * len(SETTING_CLAIMS) * 2 + settings // len(s["latents"]) * 2
    regime = pd.read_csv(out / "regime.csv")
    assert len(regime) == len(s["latents"]) and (regime["seeds"] == s["seeds"]).all()
    assert len(claims) == per_seed + len(regime) * (len(SETTING_CLAIMS) * 2) + 2
    assert claims["verdict"].isin(["yes", "no"]).all()
    for name in ("vae_search", "vae_search_curves", "vae_search_claims"):
        assert (smoke_run / f"results/figures/{name}.png").stat().st_size > 1000


def test_vae_converged_reruns_the_vae_stage_with_the_raised_cap_beside_the_default(smoke_run, tmp_path):
    import shutil

    smoke_run = Path(shutil.copytree(smoke_run, tmp_path / "wf", symlinks=True))
    before = {p: p.stat().st_mtime for p in (smoke_run / "results").rglob("*") if p.is_file()}
    snakemake(smoke_run, "--cores", "2", "vae_converged", *SMOKE)
    vae = yaml.safe_load((ROOT / "config/smoke.yaml").read_text())["vae"]
    # the default run's outputs are untouched: the long version writes only under results/vae/converged/
    assert all(p.stat().st_mtime == t for p, t in before.items())
    out = smoke_run / "results/vae/converged"
    models = pd.read_csv(out / "training_compared.csv")
    assert (models["epochs_default"] <= vae["epochs"]).all()
    assert (models["epochs_converged"] <= vae["converged_epochs"]).all()
    assert (models["epochs_converged"] > models["epochs_default"]).any()
    # the default column is the default scorecard's VAE rows; each measure names its models' epochs
    verdicts = pd.read_csv(out / "verdicts.csv")
    card = pd.read_csv(smoke_run / "results/scorecard.csv").set_index("claim_id")
    assert set(verdicts["claim_id"]) == set(card.index[card["part"] == "VAE"])
    for r in verdicts.to_dict("records"):
        assert r["verdict_default"] == card.loc[r["claim_id"], "verdict"]
        assert r["same"] == (r["verdict_default"] == r["verdict_converged"])
    assert verdicts["measure_converged"].str.contains(f"trained {vae['converged_epochs']} epochs").any()
    assert (out / "figures/vae_concept_distance.png").stat().st_size > 1000


def rule_graph(dot: str) -> tuple[set[str], set[tuple[str, str]]]:
    """The rules and their edges of a ``snakemake --rulegraph`` picture (node numbers vary from run
    to run; the names do not)."""
    import re

    names = dict(re.findall(r'^\s*(\d+)\[label = "([^"]+)"', dot, re.MULTILINE))
    edges = {(names[a], names[b]) for a, b in re.findall(r"^\s*(\d+) -> (\d+)", dot, re.MULTILINE)}
    return set(names.values()), edges


def test_the_rule_graph_picture_is_current(tmp_path):
    """docs/rulegraph.dot (rendered to docs/rulegraph.svg) is the default run's rule graph. After a change
    to the rules: snakemake --rulegraph > docs/rulegraph.dot && dot -Tsvg docs/rulegraph.dot >
    docs/rulegraph.svg"""
    wf = copy_workflow(tmp_path / "wf")
    now = rule_graph(snakemake(wf, "--rulegraph", "--configfile", "config/config.yaml").stdout)
    kept = rule_graph((ROOT / "docs/rulegraph.dot").read_text())
    assert len(now[0]) > 30 and now == kept, (
        "docs/rulegraph.dot is stale: regenerate it (see this test's docstring)"
    )
    assert "<svg" in (ROOT / "docs/rulegraph.svg").read_text()
