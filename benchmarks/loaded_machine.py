"""A heavy job's slowdown when another process competes for the CPU (prints one row per case).

    python benchmarks/loaded_machine.py [--threads 2] [--batches 400] [--settings ...]

The job is the VAE's training step (784-400-20, batch 128, Adam; random images, so no data needed),
run in a fresh process with ``--threads`` torch threads under each OpenMP wait setting
(``--settings``), first on an idle machine and then beside one process that spins on one core.  A
job that gets half of one of its two cores should slow down by about 4/3 (it gets 1.5 cores of 2);
a pool that spins while waiting for a descheduled thread slows down many times more.  Columns:
setting, load (spinning processes), seconds, CPU seconds of the job, slowdown against the same
setting idle.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import subprocess
import sys
import time

JOB = r"""
import json, os, resource, sys, time
import torch
from conceptdyn.core.runtime import set_threads
set_threads(int(sys.argv[1]))
from conceptdyn.vae.model import build_vae, negative_elbo
g = torch.Generator().manual_seed(0)
x = torch.rand(128 * 50, 784, generator=g)
model = build_vae(784, 400, 20, 0)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
def step(i):
    xb = x[(i % 50) * 128 : (i % 50 + 1) * 128]
    logits, mu, logvar = model(xb, generator=g)
    loss = negative_elbo(logits, xb, mu, logvar)
    opt.zero_grad(); loss.backward(); opt.step()
for i in range(20):
    step(i)
t0, c0 = time.perf_counter(), time.process_time()
for i in range(int(sys.argv[2])):
    step(i)
print(json.dumps({"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0,
                  "torch_threads": torch.get_num_threads()}))
"""


def spin(stop):
    while not stop.is_set():
        pass


def run_job(setting: str, threads: int, batches: int) -> dict:
    """The job in a fresh process with the environment ``setting`` (``NAME=value`` or ``default``)."""
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")}
    if setting != "default":
        name, value = setting.split("=")
        env[name] = value
    out = subprocess.run(
        [sys.executable, "-c", JOB, str(threads), str(batches)], env=env, capture_output=True, text=True
    )
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batches", type=int, default=400)
    ap.add_argument(
        "--settings",
        default="default,OMP_WAIT_POLICY=PASSIVE,GOMP_SPINCOUNT=10000,GOMP_SPINCOUNT=100000",
        help="comma-separated environments of the job: NAME=value, or default",
    )
    args = ap.parse_args()
    print(
        f"{'setting':>24} {'load':>4} {'seconds':>8} {'cpu_s':>7} {'slowdown':>8}  (threads {args.threads})"
    )
    for setting in args.settings.split(","):
        idle = None
        for load in (0, 1):
            stop = mp.Event()
            spinners = [mp.Process(target=spin, args=(stop,)) for _ in range(load)]
            for p in spinners:
                p.start()
            time.sleep(0.2)
            try:
                r = run_job(setting, args.threads, args.batches)
            finally:
                stop.set()
                for p in spinners:
                    p.join()
            idle = idle or r["seconds"]
            print(
                f"{setting:>24} {load:>4} {r['seconds']:8.2f} {r['cpu']:7.2f} {r['seconds'] / idle:8.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
