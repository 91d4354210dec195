"""Simulation sweeps of associative memory: the experiments that run the engine
(:mod:`conceptdyn.hopfield.engine`) over sizes, loads and initial overlaps, and their tidy tables (one
row per observation).  Their comparison with theory lives in :mod:`conceptdyn.hopfield.compare`, so the
simulations do not depend on the theory code.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from conceptdyn.core.runtime import child_rng, pick_device, progress
from conceptdyn.hopfield.engine import integer_patterns, perturb, random_patterns, run_dynamics

log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# Experiments
# ---------------------------------------------------------------------------------------------
def n_patterns(alpha: float, n: int) -> int:
    """``p = round(alpha N)``, at least 1."""
    if not alpha > 0:
        raise ValueError(f"alpha must be > 0, got {alpha}")
    return max(1, round(alpha * n))


def _alpha_key(alpha: float) -> int:
    return round(alpha * 1_000_000)


def _chunks(trials: int, p: int, n: int, k: int, max_bytes: int):
    per_trial = 4 * n * (p + 2 * k)
    size = max(1, min(trials, max_bytes // per_trial))
    for start in range(0, trials, size):
        yield range(start, min(trials, start + size))


def _patterns_for(
    seed: int, tag: int, n: int, alpha: float, trials: range, p: int, buffer: np.ndarray | None = None
) -> np.ndarray:
    """Pattern sets ``(len(trials), p, n)``; trial ``t`` always gets the same patterns.

    ``buffer`` (flat float32) is reused when large enough, which saves the page faults of a fresh
    allocation of several hundred MB per chunk.
    """
    size = len(trials) * p * n
    if buffer is not None and buffer.size >= size:
        out = buffer[:size].reshape(len(trials), p, n)
    else:
        out = np.empty((len(trials), p, n), dtype=np.float32)
    for row, t in enumerate(trials):
        random_patterns(
            child_rng(seed, "hopfield.patterns", tag, n, _alpha_key(alpha), t), (p, n), out=out[row]
        )
    return out


def capacity_sweep(
    n_values,
    alphas,
    trials: int,
    seed: int,
    max_steps: int = 50,
    device=None,
    max_batch_bytes: int = 512 * 2**20,
    show_progress: bool = True,
    starts: int = 1,
    fail_below: float | None = None,
    check_every: int = 10,
):
    """Final overlap after synchronous dynamics started at a stored pattern, for each (N, alpha, trial).

    ``trials`` independent networks per point; in each, the first ``starts`` stored patterns (at most
    p) are run at once as starting states, so the fields of a step are one matrix-matrix product
    instead of ``starts`` matrix-vector products over the same patterns (about as fast per step as a
    single start while the product is memory-bound).  The starts of one network share its couplings:
    treat the network, not the start, as the independent unit when computing uncertainties.

    ``fail_below``: every ``check_every`` steps, states whose overlap has fallen below this value are
    taken as failed and dropped, and states at a fixed point or two-cycle as settled (their future is
    known); the rest run on, up to ``max_steps``.  Near capacity the decay from a stored pattern can take
    far more than a few tens of steps at large N, so a short fixed horizon counts slow failures as
    retrievals; this lets the horizon be long at the cost of the failing states only until they are
    clearly lost.  ``None`` (default): every state runs ``max_steps`` steps.

    Returns a list of dicts with keys ``N, alpha, network, start, m_final, period`` (``network`` numbers
    the network; ``period`` is the network's, see :class:`DynamicsResult`; 0 means some state of the
    network was still moving after ``max_steps``), and with ``fail_below`` also ``status`` (``settled``,
    ``failed`` or ``unresolved``) and ``steps`` (when it was decided).  Network ``t`` gets the same
    patterns whatever ``starts`` is, and its start 0 the same trajectory.
    """
    if starts < 1:
        raise ValueError(f"starts must be >= 1, got {starts}")
    device = device or pick_device()
    rows = []
    grid = [(int(n), float(a)) for n in n_values for a in alphas]
    buffer = np.empty(0, dtype=np.float32)
    for n, alpha in progress(grid, "capacity sweep", disable=not show_progress or None):
        p = n_patterns(alpha, n)
        k = min(starts, p)
        for chunk in _chunks(trials, p, n, k, max_batch_bytes):
            if buffer.size < len(chunk) * p * n:
                buffer = np.empty(len(chunk) * p * n, dtype=np.float32)
            P = _patterns_for(seed, 0, n, alpha, chunk, p, buffer)
            if fail_below is not None:
                for b, t in enumerate(chunk):
                    out = _run_until_decided(P[b : b + 1], k, max_steps, fail_below, check_every, device)
                    rows += [
                        {"N": n, "alpha": alpha, "network": t, "start": s, **r} for s, r in enumerate(out)
                    ]
                continue
            res = run_dynamics(P, P[:, :k], max_steps, device=device, readout=P[:, :k])
            m_final = np.diagonal(res.overlaps[-1], axis1=1, axis2=2)  # (B, k): start s vs pattern s
            rows += [
                {"N": n, "alpha": alpha, "network": t, "start": s, "m_final": float(m[s]), "period": int(per)}
                for t, m, per in zip(chunk, m_final, res.period, strict=True)
                for s in range(k)
            ]
    return rows


def _run_until_decided(P, k: int, max_steps: int, fail_below: float, check_every: int, device):
    """Run stored patterns ``0..k-1`` of one network ``P`` ``(1, p, N)`` in rounds of ``check_every`` steps,
    dropping states that settled (fixed point or two-cycle) or fell below ``fail_below``.

    The dynamics are deterministic and each state's trajectory does not depend on the others in the
    batch, so dropping decided states changes nothing for the rest.  Returns one dict per start with
    ``m_final`` (the overlap at ``max_steps``, exact for settled states and for those still running at
    the end; the last overlap seen for failed ones), ``period`` (1 fixed point, 2 two-cycle, 0 other),
    ``status`` and ``steps``.
    """
    import torch

    out = [None] * k
    alive = np.arange(k)
    x = P[:, :k].copy()
    t = 0
    # the int8 patterns once for all rounds (a large network's check and conversion cost a round's steps)
    P8 = integer_patterns(torch.as_tensor(P)) if torch.device(device).type == "cpu" else None
    while len(alive) and t < max_steps:
        run = min(check_every, max_steps - t)
        res = run_dynamics(
            P, x, run, device=device, readout=P[:, alive], record_states=True, int8_patterns=P8
        )
        m = np.diagonal(res.overlaps, axis1=2, axis2=3)[:, 0]  # (run+1, len(alive))
        st = res.states[:, 0]  # (run+1, len(alive), N) int8
        t += run
        fixed = (st[-1] == st[-2]).all(-1) if run >= 1 else np.zeros(len(alive), bool)
        cycle = (st[-1] == st[-3]).all(-1) if run >= 2 else np.zeros(len(alive), bool)
        # a settled state repeats with period 1 or 2 up to max_steps: its overlap there is known
        settled_m = np.where(fixed | ((max_steps - t) % 2 == 0), m[-1], m[-2])
        keep = []
        for j, s in enumerate(alive):
            if fixed[j] or cycle[j]:
                out[s] = {
                    "m_final": float(settled_m[j]),
                    "period": 1 if fixed[j] else 2,
                    "status": "settled",
                    "steps": t,
                }
            elif m[-1, j] < fail_below:
                out[s] = {"m_final": float(m[-1, j]), "period": 0, "status": "failed", "steps": t}
            elif t >= max_steps:
                out[s] = {"m_final": float(m[-1, j]), "period": 0, "status": "unresolved", "steps": t}
            else:
                keep.append(j)
        alive = alive[keep]
        x = st[-1][keep][None].astype(np.float32)
    return out


def overlap_trajectories(
    n: int,
    alpha: float,
    m0_values,
    trials: int,
    steps: int,
    seed: int,
    tag: int = 1,
    rule: str = "synchronous",
    temperature: float = 0.0,
    device=None,
    max_batch_bytes: int = 512 * 2**20,
) -> np.ndarray:
    """Overlap ``m(t)`` with pattern 1 from each initial overlap; shape ``(trials, len(m0), steps+1)``.

    Every trial is an independent network; all initial overlaps run in the same network.
    """
    return pattern_trajectories(
        n, alpha, m0_values, trials, 1, steps, seed, tag, rule, temperature, device, max_batch_bytes
    )[:, 0]


def pattern_trajectories(
    n: int,
    alpha: float,
    m0_values,
    trials: int,
    starts: int,
    steps: int,
    seed: int,
    tag: int = 1,
    rule: str = "synchronous",
    temperature: float = 0.0,
    device=None,
    max_batch_bytes: int = 512 * 2**20,
) -> np.ndarray:
    """Overlap ``m(t)`` of each of the first ``starts`` stored patterns with the state started at a noisy
    copy of it, from each initial overlap; shape ``(trials, starts, len(m0), steps+1)``.

    Every trial is an independent network; all starts and initial overlaps run in it at once (one
    matrix-matrix product per step).  With ``starts = 1`` this is :func:`overlap_trajectories`.
    """
    device = device or pick_device()
    m0_values = np.asarray(m0_values, dtype=float)
    p = n_patterns(alpha, n)
    if not 1 <= starts <= p:
        raise ValueError(f"starts must lie in [1, p = {p}], got {starts}")
    k = len(m0_values)
    out = np.empty((trials, starts, k, steps + 1))
    for chunk in _chunks(trials, p, n, starts * k, max_batch_bytes):
        P = _patterns_for(seed, tag, n, alpha, chunk, p)
        rng = child_rng(seed, "hopfield.starts", tag, n, _alpha_key(alpha), chunk.start)
        target = np.repeat(P[:, :starts], k, axis=1)  # (B, starts * k, N): pattern s, every m0
        x0 = perturb(rng, target, np.tile(m0_values, starts)[None, :])
        res = run_dynamics(
            P, x0, steps, rule=rule, temperature=temperature, rng=rng, device=device, readout=P[:, :starts]
        )
        own = np.repeat(np.arange(starts), k)  # state j is a copy of pattern own[j]
        m = res.overlaps[:, :, np.arange(starts * k), own]  # (T+1, B, starts * k)
        out[chunk.start : chunk.stop] = m.reshape(steps + 1, len(chunk), starts, k).transpose(1, 2, 3, 0)
    return out


def simulate_overlap_dynamics(
    n: int,
    alphas,
    m0_values,
    trials: int,
    steps: int,
    seed: int,
    rule: str = "synchronous",
    temperature: float = 0.0,
    device=None,
) -> pd.DataFrame:
    """Long table ``alpha, m0, trial, t, m`` of simulated overlaps with the retrieved pattern."""
    frames = []
    for alpha in progress(list(alphas), "overlap dynamics"):
        m = overlap_trajectories(
            n, alpha, m0_values, trials, steps, seed, tag=1, rule=rule, temperature=temperature, device=device
        )
        tr, k, t = np.meshgrid(
            np.arange(trials), np.arange(len(m0_values)), np.arange(steps + 1), indexing="ij"
        )
        frames.append(
            pd.DataFrame(
                {
                    "N": n,
                    "alpha": alpha,
                    "m0": np.asarray(m0_values)[k.ravel()],
                    "trial": tr.ravel(),
                    "t": t.ravel(),
                    "m": m.ravel(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def simulate_capacity(
    n_values,
    alphas,
    networks,
    seed: int,
    max_steps: int,
    *,
    starts: int = 1,
    fail_below: float | None = None,
    check_every: int = 10,
    device=None,
) -> pd.DataFrame:
    """``N, alpha, network, start, m_final, period, status, steps`` for synchronous dynamics started at
    stored patterns: ``networks`` independent networks per point (one count for every N, or one per N),
    ``starts`` stored patterns of each as starting states; see :func:`capacity_sweep`.  Without
    ``fail_below`` every state runs ``max_steps`` steps and its status is ``settled`` (fixed point or
    two-cycle) or ``unresolved``.  The one capacity simulator of the Hopfield stage and the scaling study."""
    per_n = [networks] * len(n_values) if np.ndim(networks) == 0 else list(networks)
    if len(per_n) != len(n_values):
        raise ValueError(f"networks: one count per N expected ({len(n_values)}), got {len(per_n)}")
    rows = []
    for n, nets in zip(n_values, per_n, strict=True):
        rows += capacity_sweep(
            [n],
            alphas,
            int(nets),
            seed,
            max_steps=max_steps,
            device=device,
            starts=starts,
            fail_below=fail_below,
            check_every=check_every,
        )
    columns = ["N", "alpha", "network", "start", "m_final", "period"]
    df = pd.DataFrame(rows, columns=columns + (["status", "steps"] if fail_below is not None else []))
    if fail_below is None:
        df = df.assign(status=np.where(df["period"] > 0, "settled", "unresolved"), steps=max_steps)
    return df


def simulate_basin(
    n: int, alphas, m0_values, trials: int, steps: int, seed: int, device=None
) -> pd.DataFrame:
    """``N, alpha, m0, trial, m_final`` after ``steps`` synchronous updates from overlap ``m0``."""
    frames = []
    m0_values = np.asarray(m0_values, dtype=float)
    for alpha in progress(list(alphas), "basin sweep"):
        m = overlap_trajectories(n, alpha, m0_values, trials, steps, seed, tag=2, device=device)
        tr, k = np.meshgrid(np.arange(trials), np.arange(len(m0_values)), indexing="ij")
        frames.append(
            pd.DataFrame(
                {
                    "N": n,
                    "alpha": alpha,
                    "m0": m0_values[k.ravel()],
                    "trial": tr.ravel(),
                    "m_final": m[:, :, -1].ravel(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
