"""The smoke pipeline through a real single-node SLURM cluster, compared with a local run.

Needs root and apt-get (Debian); skipped with the reason otherwise.  Starts munged (if none runs),
slurmctld and slurmd, and stops what it started.
"""

import re
from pathlib import Path

import pytest

from .conftest import SMOKE, missing_prerequisite, smoke_copy, snakemake
from .slurm_cluster import Cluster, SlurmUnavailable

pytestmark = [pytest.mark.pipeline, pytest.mark.slurm]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = Cluster(tmp_path_factory.mktemp("slurm"))
    try:
        c.start()
    except SlurmUnavailable as why:
        c.stop()
        missing_prerequisite(f"no SLURM cluster: {why} (needs root and apt-get on Debian)")
    yield c
    c.stop()


def tables(wf: Path) -> dict[str, bytes]:
    return {str(p.relative_to(wf)): p.read_bytes() for p in sorted((wf / "results").rglob("*.csv"))}


def test_smoke_pipeline_runs_through_slurm_and_matches_a_local_run(cluster, smoke_run, tmp_path):
    """``smoke_run`` is the local run of the same config (shared with the pipeline tests)."""
    wf = smoke_copy(tmp_path / "slurm")
    # the test's jobs take seconds: ask squeue every second, from a second after submission (profile: 5 s)
    poll = ("--slurm-init-seconds-before-status-checks", "1", "--seconds-between-status-checks", "1")
    proc = snakemake(wf, "--profile", "profiles/slurm", *poll, *SMOKE, timeout=1800)
    log = proc.stdout + proc.stderr
    submitted = re.findall(r"submitted with SLURM jobid (\d+)", log)
    planned = int(re.search(r"^total\s+(\d+)", log, re.MULTILINE).group(1))
    # the jobs of seconds run where Snakemake runs (the Snakefile's localrules), every other job is
    # submitted
    local = re.findall(r"^localrule (\w+):", log, re.MULTILINE)
    assert len(submitted) + len(local) == planned and len(submitted) > 20
    light = {"all", "scorecard", "reproduction"}
    assert {n for n in local if not n.startswith("plot_")} == light, local
    states = cluster.job_states()
    assert {states.get(j) for j in submitted} == {"COMPLETED"}, states

    got, want = tables(wf), tables(smoke_run)
    assert got.keys() == want.keys() and len(got) > 20
    differ = [name for name in want if got[name] != want[name]]
    assert not differ, f"tables differ between the SLURM and the local run: {differ}"
