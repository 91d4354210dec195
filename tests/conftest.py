import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

os.environ.setdefault("CONCEPTDYN_PROGRESS", "0")


def shared_mnist_dir() -> Path | None:
    """MNIST folder for offline runs: $CONCEPTDYN_MNIST_DIR, else ../shared/data/mnist if present."""
    env = os.environ.get("CONCEPTDYN_MNIST_DIR")
    if env:
        return Path(env)
    candidate = ROOT.parent / "shared" / "data" / "mnist"
    return candidate if candidate.is_dir() else None


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.fixture(scope="session")
def cpu():
    import torch

    return torch.device("cpu")


WORKFLOW_PARTS = ("Snakefile", "rules", "scripts", "config", "report", "envs", "profiles", "src")
SNAKEMAKE = [sys.executable, "-m", "snakemake"]


def copy_workflow(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for part in WORKFLOW_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(src, dest / part)
    return dest


def snakemake(wf: Path, *args: str, check: bool = True, timeout: int = 900) -> subprocess.CompletedProcess:
    env = dict(os.environ, CONCEPTDYN_PROGRESS="0")
    proc = subprocess.run(
        [*SNAKEMAKE, *args], cwd=wf, capture_output=True, text=True, env=env, timeout=timeout
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"snakemake {' '.join(args)} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
        )
    return proc


SMOKE = ("--configfile", "config/smoke.yaml", "local.yaml")


def smoke_copy(dest: Path) -> Path:
    """A copy of the workflow with a config overlay that points MNIST at the local folder."""
    mnist_dir = shared_mnist_dir()
    if mnist_dir is None:
        pytest.skip("no local MNIST folder; set CONCEPTDYN_MNIST_DIR to run the pipeline offline")
    wf = copy_workflow(dest)
    (wf / "local.yaml").write_text(yaml.safe_dump({"mnist": {"local_dir": str(mnist_dir)}}))
    return wf


@pytest.fixture(scope="session")
def smoke_run(tmp_path_factory):
    """The whole DAG on config/smoke.yaml, run locally once per session (pipeline and SLURM tests)."""
    wf = smoke_copy(tmp_path_factory.mktemp("wf"))
    proc = snakemake(wf, "--cores", "2", *SMOKE)
    (wf / "run_output.txt").write_text(proc.stdout + proc.stderr)
    return wf
