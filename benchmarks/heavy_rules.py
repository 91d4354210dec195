"""The heavy rules of a run against their compute floor (prints one row per rule).

    python benchmarks/heavy_rules.py [--results results] [--top 12]

For every job of the run (``<results>/benchmarks/*.tsv``, the longest first): wall seconds, CPU seconds
and the cores it kept busy (CPU / wall).  Where the arithmetic is known from the config -- the
neocognitron's training and the VAE trainings, counted with ``torch.utils.flop_counter`` on one batch
-- also its GFLOP, the GFLOP/s it achieved, and its floor: the seconds the same FLOPs take at this
machine's matrix-multiply peak on the threads the rule declares (measured here with a 1024 x 1024
sgemm).  A job far above its floor spends its time outside arithmetic (small batches, Python,
imports).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd
import torch

from conceptdyn.core.settings import default_config


def sgemm_peak(threads: int, n: int = 1024, reps: int = 20) -> float:
    """GFLOP/s of an n x n float32 matrix product on ``threads`` threads."""
    torch.set_num_threads(threads)
    a, b = torch.rand(n, n), torch.rand(n, n)
    a @ b
    t = time.perf_counter()
    for _ in range(reps):
        a @ b
    return 2 * n**3 * reps / (time.perf_counter() - t) / 1e9


def step_flops(model, x, target) -> int:
    """FLOPs of one forward and backward pass (the optimiser's elementwise update is left out)."""
    from torch.utils.flop_counter import FlopCounterMode

    with FlopCounterMode(display=False) as counter:
        loss = torch.mean((model(x) - target) ** 2)
        loss.backward()
    return counter.get_total_flops()


def neocognitron_flops(cfg: dict) -> float:
    from conceptdyn.neocognitron.network import NeocognitronConfig, build_neocognitron

    c = cfg["neocognitron"]
    net = build_neocognitron(NeocognitronConfig(tuple(c["planes"]), c["kernel"], 2.0, c["activation"]), 0)
    x, t = torch.rand(c["batch_size"], 1, 28, 28), torch.rand(c["batch_size"], 10)
    runs = len(c["schedules"]) * c["paired_seeds"]
    evaluation = (10000 + 2 * c["test_images"]) / c["batch_size"] / 3  # forward only: ~1/3 of a step
    return step_flops(net, x, t) * runs * (c["iterations"] + evaluation)


def vae_epoch_flops(cfg: dict, latent: int, arch: str | None = None) -> float:
    """FLOPs of one training epoch of a VAE of the default run (``arch`` None) or of the search's
    architecture ``arch`` (vae.search.architectures)."""
    from conceptdyn.vae.model import build_vae
    from conceptdyn.vae.search import architectures

    v = {**cfg["vae"], **(architectures(cfg["vae"]["search"])[arch] if arch else {})}
    model = build_vae(784, v["hidden"], latent, 0, v["activation"])
    x = torch.rand(v["batch_size"], 784)
    images = 60000 - v["validation"]

    def forward(xb):
        return torch.sigmoid(model(xb)[0])

    per_batch = step_flops(forward, x, x)
    return per_batch * images / v["batch_size"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--results", default="results")
    ap.add_argument("--top", type=int, default=12)
    args = ap.parse_args()
    cfg = default_config()
    peak = {n: sgemm_peak(n) for n in (1, 2)}
    rows = []
    for path in sorted(Path(args.results, "benchmarks").glob("*.tsv")):
        b = pd.read_csv(path, sep="\t").iloc[-1]
        rows.append({"rule": path.stem, "wall_s": b["s"], "cpu_s": b["cpu_time"]})
    jobs = pd.DataFrame(rows).sort_values("wall_s", ascending=False).head(args.top)
    flops, threads = {}, {}
    flops["train_neocognitron"], threads["train_neocognitron"] = neocognitron_flops(cfg), 1
    vae_dir = Path(args.results, "vae")
    for training in vae_dir.rglob("training*.csv"):
        h = pd.read_csv(training)
        if {"latent", "epoch"} <= set(h.columns) and len(h):
            stem = training.relative_to(vae_dir).with_suffix("").as_posix()
            rule, arch = ("train_vae" if stem == "training" else None), None
            parts = stem.split("/")
            if len(parts) == 2 and parts[0] in ("sweep", "data"):
                rule = f"train_vae_{parts[0]}_{parts[1].removeprefix('training_')}"
            if len(parts) == 4 and parts[0] == "search":  # search/<arch>/s<seed>/training_b.._z.._<data>
                arch = parts[1]
                rule = f"train_vae_search_{arch}_{parts[2]}_{parts[3].removeprefix('training_')}"
            if rule:
                flops[rule] = vae_epoch_flops(cfg, int(h["latent"].iloc[0]), arch) * len(h)
                threads[rule] = 1
    print(f"machine: sgemm peak {peak[1]:.0f} GFLOP/s on 1 thread, {peak[2]:.0f} on 2")
    print(f"{'rule':<34}{'wall s':>8}{'CPU s':>8}{'cores':>7}{'GFLOP':>9}{'GFLOP/s':>9}{'floor s':>9}")
    for r in jobs.itertuples():
        f = flops.get(r.rule)
        cores = r.cpu_s / r.wall_s if r.wall_s else float("nan")
        if f:
            floor = f / 1e9 / peak[threads.get(r.rule, 2)]
            extra = f"{f / 1e9:>9.0f}{f / 1e9 / r.wall_s:>9.1f}{floor:>9.1f}"
        else:
            extra = f"{'-':>9}{'-':>9}{'-':>9}"
        print(f"{r.rule:<34}{r.wall_s:>8.1f}{r.cpu_s:>8.1f}{cores:>7.2f}{extra}")


if __name__ == "__main__":
    main()
