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


def missing_prerequisite(reason: str) -> None:
    """Skip a test whose prerequisite is missing, saying how to enable it; in CI (``CI`` set) fail
    instead, so that a CI run without MNIST or without its SLURM cluster cannot pass silently."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: every prerequisite must be there)")
    pytest.skip(reason)


def shared_mnist_dir() -> Path | None:
    """MNIST folder for offline runs: $CONCEPTDYN_MNIST_DIR, else ../shared/data/mnist if present."""
    env = os.environ.get("CONCEPTDYN_MNIST_DIR")
    if env:
        return Path(env)
    candidate = ROOT.parent / "shared" / "data" / "mnist"
    return candidate if candidate.is_dir() else None


@pytest.fixture
def mnist_dir() -> Path:
    """The local MNIST folder (skipped locally, failed in CI, when there is none)."""
    found = shared_mnist_dir()
    if found is None:
        missing_prerequisite(
            "no local MNIST folder: set CONCEPTDYN_MNIST_DIR to a folder with the four MNIST .gz files"
        )
    return found


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


def _requirement_closure(name: str) -> set[str]:
    """The distributions that installing ``name`` (without extras) brings, transitively, among those
    installed here (a dependency's extras followed where a requirement names them)."""
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    seen, todo = set(), [(name, "")]
    while todo:
        dist_name, extra = todo.pop()
        key = (canonicalize_name(dist_name), extra)
        if key in seen:
            continue
        try:
            dist = metadata.distribution(key[0])
        except metadata.PackageNotFoundError:
            continue
        seen.add(key)
        for line in dist.requires or []:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({"extra": extra}):
                todo += [(req.name, ""), *((req.name, e) for e in req.extras)]
    return {n for n, _ in seen}


def _top_level_modules(dist) -> set[str]:
    names = set()
    for f in dist.files or []:
        parts = Path(str(f)).parts
        if not parts or parts[0] in ("..", "__pycache__") or parts[0].endswith((".dist-info", ".pth")):
            continue
        top = parts[0]
        if len(parts) == 1:
            if top.endswith(".py"):
                names.add(top[:-3])
            elif ".cpython-" in top or top.endswith(".so"):
                names.add(top.split(".")[0])
        else:
            names.add(top)
    return names


BLOCKER = """\
import pkgutil
import sys

BLOCKED = {blocked!r}
_iter_modules = pkgutil.iter_modules


def _visible_modules(path=None, prefix=""):
    # plugin discovery (Snakemake's executor plugins) lists modules this way: hide them there too
    for info in _iter_modules(path, prefix):
        if info.name.removeprefix(prefix).partition(".")[0] not in BLOCKED:
            yield info


class _PlainInstall:
    \"\"\"Refuses the modules that only the test extras install: what runs here needs only the
    project's own dependencies (pip install -e .).\"\"\"

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(
                f"No module named {{name!r}} on the plain install (only the test extras bring it)",
                name=name,
            )


sys.meta_path.insert(0, _PlainInstall())
pkgutil.iter_modules = _visible_modules
"""


def plain_install_dir(dest: Path) -> Path:
    """A folder with a ``sitecustomize`` that hides every installed module the project's plain
    install (``pip install -e .``) would not bring: put it on PYTHONPATH and a command fails as it
    would for a user who followed the quick start."""
    from importlib import metadata

    from packaging.utils import canonicalize_name

    keep = _requirement_closure("conceptdyn")
    allowed, others = set(), set()
    for dist in metadata.distributions():
        modules = _top_level_modules(dist)
        (allowed if canonicalize_name(dist.metadata["Name"]) in keep else others).update(modules)
    blocked = sorted(others - allowed - {"pip", "setuptools", "_distutils_hack", "pkg_resources"})
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "sitecustomize.py").write_text(BLOCKER.format(blocked=blocked))
    return dest


def snakemake(
    wf: Path, *args: str, check: bool = True, timeout: int = 900, plain: bool = False
) -> subprocess.CompletedProcess:
    """Run Snakemake in ``wf``; ``plain``: with only the modules of the plain install importable."""
    env = dict(os.environ, CONCEPTDYN_PROGRESS="0")
    if plain:
        hide = plain_install_dir(wf / ".plain_install")
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(hide), env.get("PYTHONPATH", "")) if p)
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
        missing_prerequisite(
            "no local MNIST folder: set CONCEPTDYN_MNIST_DIR to a folder with the four MNIST .gz files"
        )
    wf = copy_workflow(dest)
    (wf / "local.yaml").write_text(yaml.safe_dump({"mnist": {"local_dir": str(mnist_dir)}}))
    return wf


SLURM_SELECTED = pytest.StashKey[bool]()


def pytest_collection_finish(session):
    """Remember whether the SLURM test is among the tests that run (after ``-m``, ``-k`` selection)."""
    session.config.stash[SLURM_SELECTED] = any(i.get_closest_marker("slurm") for i in session.items)


def slurm_reruns_the_pipeline(config) -> bool:
    """Whether the SLURM test runs in this session and can start its cluster here: it runs the whole
    smoke pipeline once more from a fresh copy and compares every table with the local run's."""
    from .slurm_cluster import unavailable

    return config.stash.get(SLURM_SELECTED, False) and unavailable() is None


@pytest.fixture(scope="session")
def smoke_run(tmp_path_factory):
    """The whole DAG on config/smoke.yaml, run locally once per session (pipeline and SLURM tests)."""
    wf = smoke_copy(tmp_path_factory.mktemp("wf"))
    # as a user runs it after the quick start's plain install: no package of the test extras
    proc = snakemake(wf, "--cores", "2", *SMOKE, plain=True)
    (wf / "run_output.txt").write_text(proc.stdout + proc.stderr)
    return wf
