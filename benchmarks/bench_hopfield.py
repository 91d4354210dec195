"""Benchmarks of the associative-memory engine (prints figures; not a test).

    python benchmarks/bench_hopfield.py                 # both parts
    python benchmarks/bench_hopfield.py --skip-neurodynex

1. Capacity sweep at N = 10,000, alpha = 0.02 .. 0.20 (step 0.01), 20 samples per point, timed two
   ways in the same run: 20 networks with one start each (straightforward) and one network with 20 of
   its stored patterns as starting states (``--starts``); the ratio of the times is printed.
2. Side by side with the Hopfield network of neurodynex3 (``pip install --no-deps neurodynex3``;
   its brian2 dependency is not needed for ``hopfield_network``): store p = 200 random patterns in
   N = 2,000 neurons and run 10 synchronous steps from a noisy pattern. Both runs start from the same
   patterns and state, and the final states are compared.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np

from conceptdyn.core.runtime import pick_device, set_threads
from conceptdyn.hopfield import engine as hf
from conceptdyn.hopfield import sweeps as sw


def _sweep(n, alphas, networks, starts, max_steps, device):
    t0 = time.perf_counter()
    rows = sw.capacity_sweep(
        [n], alphas, networks, seed=1, max_steps=max_steps, device=device, starts=starts, show_progress=False
    )
    return time.perf_counter() - t0, rows


def capacity_benchmark(n: int, samples: int, starts: int, max_steps: int, device) -> None:
    """The same number of samples per load two ways: one start in each of ``samples`` networks (the
    straightforward path: a matrix-vector product per step and network) and ``starts`` stored patterns
    run at once in each of ``samples / starts`` networks (a matrix-matrix product per step)."""
    alphas = np.round(np.arange(0.02, 0.2001, 0.01), 3)
    networks = -(-samples // starts)
    t_plain, plain = _sweep(n, alphas, samples, 1, max_steps, device)
    t_fast, fast = _sweep(n, alphas, networks, starts, max_steps, device)
    print(
        f"capacity sweep N={n}, {len(alphas)} loads x {samples} samples, max {max_steps} steps:\n"
        f"  straightforward ({samples} networks x 1 start):   {t_plain:5.1f} s\n"
        f"  several starts  ({networks} networks x {starts} starts): {t_fast:5.1f} s"
        f"   ratio {t_plain / t_fast:.1f}x"
    )
    for label, rows in (("straightforward", plain), ("several starts", fast)):
        m = {a: np.mean([r["m_final"] for r in rows if r["alpha"] == a]) for a in alphas}
        print(f"  mean final overlap, {label}: " + ", ".join(f"{a:.2f}:{v:.3f}" for a, v in m.items()))


def neurodynex_comparison(n: int, p: int, steps: int, device) -> None:
    rng = np.random.default_rng(0)
    xi = hf.random_patterns(rng, (1, p, n))
    x0 = hf.perturb(rng, xi[:, :1], 0.6)

    t0 = time.perf_counter()
    res = hf.run_dynamics(xi, x0, steps, device=device, record_states=True)
    ours = time.perf_counter() - t0
    print(f"conceptdyn: store {p} patterns in N={n} and run {steps} synchronous steps: {ours:.3f} s")

    try:
        from neurodynex3.hopfield_network import network
    except ImportError:
        print("neurodynex3 not installed: pip install --no-deps neurodynex3")
        return
    t0 = time.perf_counter()
    net = network.HopfieldNetwork(nr_neurons=n)
    net.store_patterns([pat.astype(int) for pat in xi[0]])
    t_store = time.perf_counter() - t0
    net.set_state_from_pattern(x0[0, 0].astype(int))
    net.set_dynamics_sign_sync()
    net.run(nr_steps=steps)
    theirs = time.perf_counter() - t0
    same = np.array_equal(net.state.astype(np.int8), res.states[-1, 0, 0])
    print(
        f"neurodynex3: {theirs:.1f} s (storing {t_store:.1f} s); ratio {theirs / ours:.0f}x; "
        f"final states identical: {same}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--skip-neurodynex", action="store_true")
    ap.add_argument("--skip-capacity", action="store_true")
    ap.add_argument("--samples", type=int, default=20, help="samples per load in the capacity sweep")
    ap.add_argument("--starts", type=int, default=20, help="starting patterns per network, fast path")
    args = ap.parse_args()
    set_threads(args.threads)
    device = pick_device(args.device)
    print(f"device: {device}, threads: {args.threads}")
    if not args.skip_capacity:
        capacity_benchmark(10_000, args.samples, args.starts, 30, device)
    if not args.skip_neurodynex:
        neurodynex_comparison(2000, 200, 10, device)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
