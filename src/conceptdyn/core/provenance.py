"""Provenance records, the per-rule run context used by the Snakemake adapters, and the archive.

The package never imports Snakemake: :func:`stage` accepts any object with the attributes of the
``snakemake`` object that the ``script:`` directive provides (``input``, ``output``, ``params``,
``log``, ``threads``, ``rule``).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import importlib.metadata
import json
import logging
import os
import platform
import subprocess
import sys
import tarfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from conceptdyn.core.runtime import set_threads, setup_logging
from conceptdyn.core.tables import atomic_output

log = logging.getLogger(__name__)

# third-party packages; this project's own code is identified by its git commit and file hashes
PACKAGES = (
    "numpy",
    "scipy",
    "pandas",
    "matplotlib",
    "scikit-learn",
    "torch",
    "torchvision",
    "snakemake",
)


def sha256sum(path: str | Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def package_versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = None
    return out


def workflow_dir() -> Path:
    """The folder of this workflow (the one holding ``src/conceptdyn``), wherever the job runs from."""
    return Path(__file__).resolve().parents[3]


def git_revision(where: str | Path | None = None) -> dict[str, str | bool | None]:
    """Commit hash and whether the work tree has uncommitted changes, of the work tree whose top is
    ``where`` (default: this workflow's folder).  ``None`` for both when ``where`` is not the top of a
    work tree -- e.g. a ``git archive`` export unpacked inside another repository, whose commit says
    nothing about this code."""
    where = Path(where) if where is not None else workflow_dir()

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=where, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()

    try:
        top = Path(git("rev-parse", "--show-toplevel")).resolve()
        if top != where.resolve():
            return {"commit": None, "dirty": None}
        return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain"))}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}


def thread_counts(job_threads: int | None = None) -> dict[str, int | None]:
    """The threads a job ran with: those Snakemake gave it, and torch's intra-op pool where torch is
    loaded (the last bits of float sums depend on it)."""
    torch = sys.modules.get("torch")
    return {
        "job": None if job_threads is None else int(job_threads),
        "torch": int(torch.get_num_threads()) if torch is not None else None,
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
    }


def job_code(rule: str, scriptdir: str | Path | None, argv0: str | None) -> list[Path]:
    """The adapter script and the rule file of a Snakemake job, where they can be found.

    Snakemake runs a copy of the script named ``.snakemake/scripts/tmp<random>.<script name>``
    (``argv0``); the original lives in ``scriptdir``.  The rule file is the one under
    ``<workflow>/rules`` (or the Snakefile) that defines ``rule <name>:``; the per-stage figure rules,
    made in a loop, come from ``rules/figures.smk``.
    """
    if scriptdir is None:
        return []
    scriptdir = Path(scriptdir)
    files = []
    name = Path(argv0 or "").name
    if name.startswith("tmp") and "." in name:
        script = scriptdir / name.split(".", 1)[1]
        if script.is_file():
            files.append(script)
    root = scriptdir.parent
    candidates = [root / "Snakefile", *sorted((root / "rules").glob("*.smk"))]
    for path in candidates:
        if path.is_file() and f"rule {rule}:" in path.read_text():
            files.append(path)
            break
    else:
        if rule.startswith("plot_") and (root / "rules" / "figures.smk").is_file():
            files.append(root / "rules" / "figures.smk")
    return files


def provenance_record(
    rule: str,
    params: Mapping,
    inputs: Iterable[str | Path],
    outputs: Iterable[str | Path],
    code: Iterable[str | Path] = (),
    threads: int | None = None,
    root: str | Path | None = None,
) -> dict:
    """What a job read (with checksums), wrote, and ran: ``code`` are the script and rule file of the
    job (checksums), ``git`` the commit of the work tree and whether it had uncommitted changes."""
    inputs = [str(p) for p in inputs]
    return {
        "rule": rule,
        "params": _jsonable(params),
        "inputs": {p: sha256sum(p) for p in inputs if Path(p).is_file()},
        "outputs": [str(p) for p in outputs],
        "code": {str(p): sha256sum(p) for p in code},
        "versions": package_versions(),
        "git": git_revision(root),
        "threads": thread_counts(threads),
        "host": platform.node(),
        "finished_utc": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    }


def _jsonable(obj):
    if isinstance(obj, Mapping):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if hasattr(obj, "item"):
        return obj.item()
    return obj if isinstance(obj, str | int | float | bool | type(None)) else str(obj)


def write_json(path: str | Path, data) -> None:
    """Write JSON atomically (a reader never sees a half-written file)."""
    with atomic_output(path) as tmp:
        # strict JSON: a NaN or infinity is an error, never a record other tools cannot read
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True, allow_nan=False) + "\n")


def _params_dict(params) -> dict:
    if isinstance(params, Mapping):
        return dict(params)
    items = getattr(params, "items", None)
    return dict(items()) if callable(items) else {}


@contextlib.contextmanager
def stage(smk, provenance: str | Path | None = None):
    """Run-time context for one rule: logging and stderr to the rule's log, threads, provenance.

    On success writes a provenance record to ``provenance`` (default: the output ``provenance`` if the
    rule names one, else ``<first output>.provenance.json``).  Yields the params as a dict.
    """
    logfile = smk.log[0] if len(smk.log) else None
    setup_logging(logfile)
    set_threads(getattr(smk, "threads", None))
    params = _params_dict(smk.params)
    with contextlib.ExitStack() as stack:
        if logfile:
            stream = stack.enter_context(open(logfile, "a", buffering=1))
            stack.enter_context(contextlib.redirect_stderr(stream))
        log.info("rule %s started with params %s", smk.rule, json.dumps(_jsonable(params)))
        try:
            yield params
        except BaseException:
            log.exception("rule %s failed", smk.rule)
            raise
        outputs = list(smk.output)
        target = provenance
        if target is None:
            named = dict(smk.output.items()) if hasattr(smk.output, "items") else {}
            target = named.get("provenance") or f"{outputs[0]}.provenance.json"
        code = job_code(smk.rule, getattr(smk, "scriptdir", None), sys.argv[0] if sys.argv else None)
        scriptdir = getattr(smk, "scriptdir", None)
        record = provenance_record(
            smk.rule,
            params,
            list(smk.input),
            outputs,
            code,
            getattr(smk, "threads", None),
            root=Path(scriptdir).parent if scriptdir else None,
        )
        write_json(target, record)
        log.info("rule %s finished", smk.rule)


def build_archive(out: str | Path, members: Iterable[str | Path], base: str | Path = ".") -> list[str]:
    """A ``.tar.gz`` of ``members`` (paths relative to ``base``), written atomically.

    Returns the archived names.  Member order and metadata are normalised so that equal files give
    an archive with equal content listing.
    """
    out = Path(out)
    base = Path(base)
    names = sorted({str(Path(m)) for m in members})
    missing = [n for n in names if not (base / n).exists() and not (base / n).is_symlink()]
    if missing:
        raise FileNotFoundError(f"cannot archive missing files: {', '.join(missing)}")
    # only regular files: a link (to a file outside the tree, say) would be packed as the link
    odd = [n for n in names if (base / n).is_symlink() or not (base / n).is_file()]
    if odd:
        raise ValueError(
            f"the archive holds only regular files; these are links or not files: {', '.join(odd)} "
            "(replace each by the file itself, e.g. by rerunning the rule that makes it)"
        )

    def clean(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    with atomic_output(out) as tmp, tarfile.open(tmp, "w:gz") as tar:
        for name in names:
            tar.add(base / name, arcname=name, filter=clean)
    return names


def environment_summary() -> dict:
    return {
        "versions": package_versions(),
        "git": git_revision(),
        "platform": platform.platform(),
        "executable": sys.executable,
        "cpu_count": os.cpu_count(),
    }
