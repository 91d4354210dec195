"""One step of the face-cell model at large N, against its floor (issue: face cells at scale).

A step of the model with a sustained field at T > 0 is: the overlaps of K states with the p stored
stimulus patterns (``q = X P^T``, 2 K p N FLOPs), the fields from them (``q P``, 2 K p N FLOPs, minus
the self-coupling), the external field added, K N uniform random numbers for the heat bath, and the
new states.  This script times each part at the default config's catalogue and trial count and prints
the achieved GFLOP/s of the fields against the machine's sgemm peak, the random numbers' rate, the whole
step (the engine's ``run_dynamics``, a few steps) and the memory the arrays take.

    python benchmarks/facecells_step.py [--sizes 192000 768000] [--trials 2] [--steps 3] [--threads 1]
"""

from __future__ import annotations

import argparse
import resource
import time
from dataclasses import replace

import numpy as np
import torch

from conceptdyn.core.runtime import child_rng
from conceptdyn.core.settings import default_config, defaults
from conceptdyn.facecells import catalogue as fc_catalogue
from conceptdyn.facecells import model as fm
from conceptdyn.hopfield import engine


def best_of(fn, repeats: int = 3) -> float:
    """The shortest of ``repeats`` timings of ``fn()`` in seconds."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def sgemm_peak(n: int = 2048) -> float:
    """GFLOP/s of a square fp32 matrix product on this machine's current torch threads."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    return 2 * n**3 / best_of(lambda: a @ b) / 1e9


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[192000, 768000])
    ap.add_argument("--trials", type=int, default=2, help="trials per stimulus (K = stimuli x trials)")
    ap.add_argument("--steps", type=int, default=3, help="steps of run_dynamics timed per size")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    cat = fc_catalogue.stimulus_catalogue(default_config()["facecells"]["categories"])
    base = defaults(fm.ModelConfig, "facecells.model", "facecells.session")
    peak = sgemm_peak()
    print(f"sgemm peak {peak:.0f} GFLOP/s on {args.threads} thread(s); catalogue of {len(cat)} stimuli")
    print(
        f"{'N':>8} {'K':>4} {'p':>3} {'fields s':>9} {'GFLOP/s':>8} {'of peak':>8} {'floor s':>8} "
        f"{'rng s':>7} {'Mnum/s':>7} {'step s':>7} {'arrays MB':>9} {'peak RSS MB':>11}"
    )
    for n in args.sizes:
        cfg = replace(base, N=n, trials=args.trials, neurons=min(base.neurons, n), input="field")
        _, _, stims = fm.tree_patterns(child_rng(0, "facecells.model.patterns"), cat, cfg)
        rng = np.random.default_rng(0)
        k, p = len(cat) * args.trials, len(stims)
        P = torch.as_tensor(stims)[None]
        X = torch.as_tensor(np.where(rng.random((k, n)) < 0.5, 1.0, -1.0).astype(np.float32))[None]
        fields = best_of(lambda P=P, X=X: engine.local_fields(P, X))
        flops = 4 * k * p * n
        draws = best_of(lambda k=k, n=n, rng=rng: rng.random((1, k, n), dtype=np.float32))
        external = (cfg.input_strength * X.numpy()).astype(np.float32)
        t0 = time.perf_counter()
        engine.run_dynamics(
            stims[None],
            X.numpy(),
            args.steps,
            temperature=cfg.temperature,
            rng=np.random.default_rng(1),
            readout=stims[None],
            device="cpu",
            external=external,
        )
        step = (time.perf_counter() - t0) / args.steps
        arrays = (P.numel() + 3 * X.numel()) * 4 / 2**20  # patterns, state, new state, external field
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{n:>8} {k:>4} {p:>3} {fields:>9.3f} {flops / fields / 1e9:>8.1f} "
            f"{flops / fields / 1e9 / peak:>8.0%} {flops / peak / 1e9:>8.3f} {draws:>7.3f} "
            f"{k * n / draws / 1e6:>7.0f} {step:>7.3f} {arrays:>9.0f} {rss:>11.0f}"
        )


if __name__ == "__main__":
    main()
