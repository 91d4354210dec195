"""Shared run-time helpers: device choice, seeding, threads and progress bars.

Every simulation and training loop in the package goes through these, so that the device is chosen
once, randomness always comes from explicit seeds, and long loops report progress the same way.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Sequence

import numpy as np

log = logging.getLogger("conceptdyn")


def pick_device(preference: str = "auto"):
    """Return a ``torch.device``: CUDA when present and ``preference`` is ``auto`` or ``cuda``.

    ``preference="cuda"`` without a GPU raises with a message saying how to fall back.
    """
    import torch

    if preference not in {"auto", "cpu", "cuda"}:
        raise ValueError(f"device must be 'auto', 'cpu' or 'cuda', got {preference!r}")
    if preference == "cpu":
        return torch.device("cpu")
    if torch.cuda.is_available():
        return torch.device("cuda")
    if preference == "cuda":
        raise RuntimeError("device 'cuda' was requested but no CUDA GPU is visible; set device: auto")
    return torch.device("cpu")


def set_threads(threads: int | None) -> None:
    """Limit torch's intra-op threads (Snakemake passes the rule's ``threads``).

    Without importing torch (3-4 s, a large share of a small job): if torch is loaded already its
    thread count is set; otherwise ``OMP_NUM_THREADS`` is, which torch reads when it is imported.
    """
    if threads:
        os.environ["OMP_NUM_THREADS"] = str(int(threads))
        if "torch" in sys.modules:
            sys.modules["torch"].set_num_threads(int(threads))


def child_rng(seed: int, *keys: int) -> np.random.Generator:
    """An independent generator for the sub-task named by ``keys`` (e.g. size index, trial).

    Results do not depend on the order or the batching in which sub-tasks run.
    """
    if seed < 0 or any(k < 0 for k in keys):
        raise ValueError("seed and keys must be non-negative integers")
    return np.random.default_rng(
        np.random.SeedSequence(entropy=int(seed), spawn_key=tuple(int(k) for k in keys))
    )


def child_seed(seed: int, *keys: int) -> int:
    """An integer seed for the sub-task named by ``keys`` (for libraries that take one, e.g. a
    ``torch.Generator``), drawn from :func:`child_rng` so that sub-tasks get independent streams."""
    return int(child_rng(seed, *keys).integers(2**31))  # < 2**31: fits every library's seed type


def progress(iterable: Iterable, desc: str, total: int | None = None, disable: bool | None = None):
    """A tqdm progress bar on stderr (which Snakemake rules send to their log)."""
    from tqdm.auto import tqdm

    if disable is None:
        disable = os.environ.get("CONCEPTDYN_PROGRESS", "1") == "0"
    return tqdm(iterable, desc=desc, total=total, disable=disable, file=sys.stderr, mininterval=1.0)


def setup_logging(logfile: str | os.PathLike | None = None) -> None:
    """Log to ``logfile`` (the rule's log) or stderr, with timestamps."""
    handlers: Sequence[logging.Handler]
    handlers = [logging.FileHandler(logfile)] if logfile else [logging.StreamHandler(sys.stderr)]
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers,
        force=True,
    )
