"""Shared run-time helpers: device choice, seeding, threads and progress bars.

Every simulation and training loop in the package goes through these, so that the device is chosen
once, randomness always comes from explicit seeds, and long loops report progress the same way.
"""

from __future__ import annotations

import hashlib
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
    """Size every thread pool of the job to ``threads`` (Snakemake passes the rule's ``threads``):
    torch's intra-op pool and the BLAS/OpenMP pools of NumPy and SciPy.

    Without importing torch (3-4 s, a large share of a small job): if torch is loaded already its
    thread count is set; otherwise ``OMP_NUM_THREADS`` is, which torch reads when it is imported.
    Pools already loaded (NumPy's BLAS) are limited through threadpoolctl.
    """
    if threads:
        n = int(threads)
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[name] = str(n)
        if "torch" in sys.modules:
            sys.modules["torch"].set_num_threads(n)
        if "numpy" in sys.modules:
            from threadpoolctl import threadpool_limits

            threadpool_limits(limits=n)


# The random streams of the pipeline: every stochastic step draws from the master seed's sub-stream
# named here (``child_rng(seed, "<name>", *indices)``), never from a bare number.  Two things drawn
# from one stream are correlated, and a number gives no warning when a second call site reuses it;
# a name registered here is used by exactly one call site in the package (tests/test_streams.py).
STREAMS: dict[str, str] = {
    # hopfield
    "hopfield.patterns": "random patterns of one network (experiment, N, load, network)",
    "hopfield.starts": "noisy starting states and Glauber noise of one batch of networks",
    # concepts
    "concepts.mixed_overlaps": "hierarchical patterns for the mixed-state overlaps (s, b)",
    "concepts.map": "networks of the concept map (N, s, b, temperature, load)",
    "concepts.retrieval": "networks of the retrieval dynamics (N, s, b, temperature)",
    "concepts.sparse": "sparse hierarchical networks (N, s, b, temperature, coding level)",
    # scaling
    "scaling.capacity_bootstrap": "network bootstrap of the capacity curves (N, load)",
    "scaling.basin_bootstrap": "network bootstrap of the critical overlaps (N, load)",
    # facecells: synthetic data
    "facecells.synthetic.neurons": "the synthetic neurons' rates, latencies, onsets and tuning",
    "facecells.synthetic.order": "the order of the synthetic trials",
    "facecells.synthetic.spikes": "the synthetic spike trains",
    # facecells: model
    "facecells.model.patterns": "the model's category, prototype and stimulus patterns",
    "facecells.model.trials": "the model's trial order, noisy stimuli and coarse starts",
    "facecells.model.dynamics": "the model's Glauber noise",
    "facecells.model.recorded": "which model neurons are recorded",
    "facecells.model.spontaneous": "the model's spontaneous states before the cue",
    "facecells.model.spikes": "the model's spike trains",
    "facecells.regimes.confirm": "the extra seeds of the regime map's confirmation",
    # facecells: the model at scale
    "facecells.scale.bootstrap": "trial resamples of one window setting at one size (setting, N)",
    # facecells: analysis
    "facecells.analysis.folds": "cross-validation folds of the decoders",
    "facecells.analysis.permutations": "label permutations of the decoders' p-values (problem)",
    "facecells.analysis.mixture": "the Dirichlet-process mixture's initialisation",
    # vae
    "vae.training.init": "initial weights of a VAE",
    "vae.training.shuffle": "batch order of VAE training",
    "vae.training.noise": "reparameterisation noise and dynamic binarisation in training",
    "vae.training.test_binarize": "the fixed binarisation of the test images",
    "vae.training.validation_binarize": "the fixed binarisation of the validation images",
    "vae.training.test_elbo": "latent samples of the test loss",
    "vae.training.validation_elbo": "latent samples of the validation loss",
    "vae.inference.chains": "corruption and latent samples of the inference chains (model, chain, noise)",
    "vae.inference.other_digit": "each chain's random other digit (model, chain, noise)",
    "vae.inference.median_bootstrap": "bootstrap of the median distance curve (model, chain, noise)",
    "vae.inference.mean_bootstrap": "bootstrap of the mean distance curve (model, chain, noise)",
    "vae.inference.shuffle_null": "the time-shuffled null of the fall-then-rise share",
    "vae.images.prior": "samples from the prior in the image strips",
    # neocognitron
    "neocognitron.runs": "the paired run seeds (run)",
    "neocognitron.init": "initial weights of one run",
    "neocognitron.batches": "batch order of one run",
    "neocognitron.distortion": "the seed of the distorted test sets",
    "neocognitron.shifted": "the shifted test set",
    "neocognitron.elastic": "the elastically deformed test set",
}

# the largest master seed: every library this project seeds accepts it (scikit-learn and NumPy's
# legacy generator take seeds below 2**32)
MAX_SEED = 2**32 - 1


def stream_key(name: str) -> int:
    """The integer that stands for the stream ``name`` in a ``SeedSequence`` spawn key: the first
    four bytes of its SHA-256 (stable across runs, platforms and Python versions)."""
    if name not in STREAMS:
        raise KeyError(
            f"random stream {name!r} is not registered; add it with its purpose to "
            "conceptdyn.core.runtime.STREAMS (one call site per stream)"
        )
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big")


def child_rng(seed: int, stream: str, *keys: int) -> np.random.Generator:
    """An independent generator for the sub-task named by ``stream`` (a name of :data:`STREAMS`) and
    the integer ``keys`` (e.g. size index, trial).

    Results do not depend on the order or the batching in which sub-tasks run.
    """
    if not isinstance(stream, str):
        raise TypeError(f"the stream must be a name of conceptdyn.core.runtime.STREAMS, got {stream!r}")
    if isinstance(seed, bool) or int(seed) != seed or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be an integer in [0, {MAX_SEED}], got {seed!r}")
    if any(int(k) != k or k < 0 for k in keys):
        raise ValueError(f"stream keys must be non-negative integers, got {keys}")
    return np.random.default_rng(
        np.random.SeedSequence(entropy=int(seed), spawn_key=(stream_key(stream), *(int(k) for k in keys)))
    )


def child_seed(seed: int, stream: str, *keys: int) -> int:
    """An integer seed for the sub-task named by ``stream`` and ``keys`` (for libraries that take one,
    e.g. a ``torch.Generator``), drawn from :func:`child_rng` so that sub-tasks get independent streams."""
    return int(child_rng(seed, stream, *keys).integers(2**31))  # < 2**31: fits every library's seed type


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
