"""One prepared script for a GPU machine (prints figures; runs on the CPU too, slowly).

    python benchmarks/gpu_check.py --mnist-dir ../shared/data/mnist [--device cuda]

1. Engine throughput at N = 100,000, alpha = 0.1 (p = 10,000; 4 GB of float32 patterns): synchronous
   steps per second with 1 and with 64 stored patterns as starting states.
2. The N = 10,000 capacity sweep of ``bench_hopfield.py`` (straightforward and several-starts paths).
3. One training epoch of the main VAE (784-400-20-400-784, batch 128) and its test loss.
"""

from __future__ import annotations

import argparse
import tempfile
import time

import numpy as np

from conceptdyn.core.runtime import pick_device, set_threads
from conceptdyn.core.settings import defaults
from conceptdyn.hopfield import engine as hf
from conceptdyn.hopfield import sweeps as sw


def engine_throughput(n: int, alpha: float, starts: int, steps: int, device) -> None:
    import torch

    p = sw.n_patterns(alpha, n)
    P = hf.random_patterns(np.random.default_rng(0), (1, p, n))
    x0 = P[:, :starts].copy()
    Pt = torch.as_tensor(P, device=device)
    hf.run_dynamics(Pt, x0, 1, device=device)  # warm-up (allocation, kernels)
    if device.type == "cuda":
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    # a fixed number of steps: the convergence shortcut is switched off by starting far from a fixed point
    x = hf.perturb(np.random.default_rng(1), x0, 0.3)
    res = hf.run_dynamics(Pt, x, steps, device=device)
    if device.type == "cuda":
        torch.cuda.synchronize()
    dt = time.perf_counter() - t0
    print(
        f"engine N={n:,} p={p:,}, {starts} start(s): {res.steps_run} steps in {dt:.2f} s "
        f"= {res.steps_run / dt:.1f} steps/s ({res.steps_run * starts / dt:.1f} state-steps/s)"
    )


def vae_epoch(mnist_dir: str, device) -> None:
    from conceptdyn.data import mnist
    from conceptdyn.vae import training as vae_training
    from conceptdyn.vae.keys import VAEConfig

    root = tempfile.mkdtemp(prefix="mnist-")
    mnist.prepare_mnist(root, local_dir=mnist_dir, download=False)
    x, _ = vae_training.load_split(root, True, device)
    xt, _ = vae_training.load_split(root, False, device)
    _, hist = vae_training.train_vae(x, xt, defaults(VAEConfig, "vae", epochs=1), seed=1)
    print(f"VAE epoch on {device}: {hist[0]['seconds']:.2f} s, test loss {hist[0]['test_loss']:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mnist-dir", required=True)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--n", type=int, default=100_000)
    args = ap.parse_args()
    set_threads(args.threads)
    device = pick_device(args.device)
    print(f"device: {device}")
    if device.type == "cuda":
        import torch

        print(f"  {torch.cuda.get_device_name(0)}")
    for starts in (1, 64):
        engine_throughput(args.n, 0.1, starts, 10, device)
    from bench_hopfield import capacity_benchmark

    capacity_benchmark(10_000, 20, 20, 30, device)
    vae_epoch(args.mnist_dir, device)


if __name__ == "__main__":
    main()
