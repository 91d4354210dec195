"""Tidy tables for concept formation with hierarchically correlated patterns (lecture, part 3).

Simulations run the shared engine (:func:`conceptdyn.hopfield.engine.run_dynamics`) on networks built by
:mod:`conceptdyn.concepts.patterns`; theory comes from the exact few-pattern maps there (±1) and in
:mod:`conceptdyn.concepts.sparse` (0/1 neurons, coding level a).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from conceptdyn.concepts import patterns as hi
from conceptdyn.concepts import sparse
from conceptdyn.core.runtime import child_rng, progress
from conceptdyn.hopfield.engine import SparseCoding, run_dynamics


def _bkey(b: float) -> int:
    return round(b * 1_000_000)


def _tkey(t: float) -> int:
    return round(t * 1_000_000)


# ---------------------------------------------------------------------------------------------
# Mixed-state overlaps: closed form vs sampled patterns
# ---------------------------------------------------------------------------------------------
def mixed_state_overlaps(s_values, b_values, n: int, trials: int, seed: int) -> pd.DataFrame:
    rows = []
    for s in s_values:
        for b in b_values:
            rng = child_rng(seed, "concepts.mixed_overlaps", s, _bkey(b))
            parents, children = hi.hierarchical_patterns(rng, trials, 1, s, b, n)
            mixed = hi.mixed_state(children)
            m_child = np.einsum("bkn,bn->bk", children, mixed) / n
            m_parent = np.einsum("bn,bn->b", parents[:, 0], mixed) / n
            exact_child, exact_parent = hi.mixed_overlaps_exact(s, b)
            rows.append(
                {
                    "s": s,
                    "b": b,
                    "m_child_exact": exact_child,
                    "m_parent_exact": exact_parent,
                    "m_child_sim": float(m_child.mean()),
                    "m_parent_sim": float(m_parent.mean()),
                    "m_child_sim_sd": float(m_child.std()),
                    "m_parent_sim_sd": float(m_parent.std()),
                    "N": n,
                    "trials": trials,
                }
            )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Fixed points of the few-pattern map and the stability boundary of the mixed state
# ---------------------------------------------------------------------------------------------
def fixed_points_table(s_values, b_values, temperatures) -> pd.DataFrame:
    s_max = max(s_values)
    rows = []
    grid = [(s, b, t) for s in s_values for b in b_values for t in temperatures]
    for s, b, temp in progress(grid, "fixed points"):
        for fp in hi.find_fixed_points(s, b, temp):
            row = {"s": s, "b": b, "temperature": temp, "kind": fp.kind}
            row.update({f"m{i + 1}": (fp.m[i] if i < s else np.nan) for i in range(s_max)})
            row.update(
                {
                    "m_parent": fp.m_parent,
                    "max_eigenvalue": fp.max_eigenvalue,
                    "stability": "stable" if fp.stable else "unstable",
                }
            )
            rows.append(row)
    return pd.DataFrame(rows)


def bifurcation_table(s_values, temperatures) -> pd.DataFrame:
    """``s, temperature, b_c``: below ``b_c`` the mixed state is unstable (a saddle)."""
    rows = [
        {"s": s, "temperature": t, "b_c": hi.mixed_state_bifurcation(s, t)}
        for s in s_values
        for t in progress(list(temperatures), f"bifurcation s={s}")
    ]
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Concept formation map: where does the network end?
# ---------------------------------------------------------------------------------------------
def concept_map(
    n: int,
    s_values,
    b_values,
    temperatures,
    extra_loads,
    starts,
    noise_overlap: float,
    trials: int,
    steps: int,
    seed: int,
    thresholds: dict,
    device=None,
) -> pd.DataFrame:
    """Fractions of runs ending near one child, in the mixed state or elsewhere, per condition."""
    rows = []
    grid = [(s, b, t, a) for s in s_values for b in b_values for t in temperatures for a in extra_loads]
    for s, b, temp, load in progress(grid, "concept map"):
        rng = child_rng(seed, "concepts.map", n, s, _bkey(b), _tkey(temp), _bkey(load))
        nets = hi.family_networks(rng, trials, s, b, n, load)
        x0 = hi.initial_states(rng, nets, starts, noise_overlap)
        res = run_dynamics(
            nets.stored, x0, steps, temperature=temp, rng=rng, readout=nets.readout, device=device
        )
        final = res.overlaps[-1][..., :s]  # (B, K, s)
        outcome = hi.classify_final(final, **thresholds)
        for k, start in enumerate(starts):
            counts = {c: float(np.mean(outcome[:, k] == c)) for c in ("child", "mixed", "other")}
            rows.append(
                {
                    "s": s,
                    "b": b,
                    "temperature": temp,
                    "extra_load": load,
                    "start": start,
                    "N": n,
                    "runs": trials,
                    "frac_child": counts["child"],
                    "frac_mixed": counts["mixed"],
                    "frac_other": counts["other"],
                    "m_max_mean": float(final[:, k].max(-1).mean()),
                    "m_min_mean": float(final[:, k].min(-1).mean()),
                }
            )
    return pd.DataFrame(rows)


def _trajectory_frame(m: np.ndarray, **columns) -> pd.DataFrame:
    """``t, m1 .. ms`` from the child overlaps ``m`` ``(steps + 1, s)``, then ``columns`` in order."""
    df = pd.DataFrame(m, columns=[f"m{i + 1}" for i in range(m.shape[1])])
    df.insert(0, "t", np.arange(len(m)))
    for name, value in columns.items():
        df[name] = value
    return df


# ---------------------------------------------------------------------------------------------
# Retrieval dynamics: approach the mixed state, then leave it for one child
# ---------------------------------------------------------------------------------------------
def retrieval_dynamics(
    s: int,
    b_values,
    temperature: float,
    n_values,
    trials: int,
    steps: int,
    start: str,
    noise_overlap: float,
    seed: int,
    device=None,
) -> pd.DataFrame:
    """Trajectories ``t, m1..ms, m_parent, m_mixed`` from finite-N simulation and from the N = inf map.

    The theory rows start from the parent's overlaps ``b`` with every child plus an asymmetry
    ``eps = sqrt((1 - b^2) / N)`` on child 1, the size of the sampling fluctuations of those overlaps.
    """
    frames = []
    for b in b_values:
        for n in progress(list(n_values), f"retrieval b={b}"):
            rng = child_rng(seed, "concepts.retrieval", n, s, _bkey(b), _tkey(temperature))
            nets = hi.family_networks(rng, trials, s, b, n)
            x0 = hi.initial_states(rng, nets, [start], noise_overlap)
            res = run_dynamics(
                nets.stored, x0, steps, temperature=temperature, rng=rng, readout=nets.readout, device=device
            )
            ov = res.overlaps[:, :, 0, :]  # (T+1, B, s + 2)
            frames += [
                _trajectory_frame(
                    ov[:, trial, :s],
                    m_parent=ov[:, trial, s],
                    m_mixed=ov[:, trial, s + 1],
                    trial=trial,
                    N=n,
                    source="simulation",
                    b=b,
                )
                for trial in range(trials)
            ]
            eps = np.sqrt((1 - b**2) / n)
            m0 = np.full(s, b)
            m0[0] += eps
            m, mp = hi.macro_trajectory(m0, s, b, temperature, steps)
            frames.append(
                _trajectory_frame(m, m_parent=mp, m_mixed=np.nan, trial=-1, N=n, source="theory", b=b)
            )
    out = pd.concat(frames, ignore_index=True)
    out["s"], out["temperature"], out["start"] = s, temperature, start
    first = ["t", "m1", "m2", "m_parent"]
    return out[first + [c for c in out.columns if c not in first]]


def sparse_fixed_points_table(s_values, b_values, temperatures, a: float) -> pd.DataFrame:
    """The sparse network's mixed state (symmetric fixed point of :mod:`conceptdyn.concepts.sparse`) per
    ``(s, b, T)``: overlaps with a child and the parent, largest |eigenvalue| of the Jacobian, stability."""
    rows = []
    for s in s_values:
        for b in b_values:
            for temp in temperatures:
                u, mp = sparse.mixed_fixed_point(s, b, a, temp)
                lam = sparse.mixed_state_instability(s, b, a, temp)
                rows.append(
                    {
                        "a": a,
                        "s": s,
                        "b": b,
                        "temperature": temp,
                        "m_child": u,
                        "m_parent": mp,
                        "max_eigenvalue": lam,
                        "stability": "stable" if lam < 1 else "unstable",
                    }
                )
    return pd.DataFrame(rows)


def sparse_retrieval_dynamics(
    s: int, b_values, temperature: float, a: float, n: int, trials: int, steps: int, seed: int, device=None
) -> pd.DataFrame:
    """m1(t) .. ms(t), m_parent(t) of the sparse network started at the parent (overlap b with every
    child), with activity control keeping the expected activity at a; simulation (one family of s
    children, ``trials`` networks) and the N = inf map from the parent's overlaps with an asymmetry
    ``sqrt((1 - b^2) / (N a (1 - a)))`` on child 1 (the size of their sampling fluctuations)."""
    coding = SparseCoding(a, control="mean")
    frames = []
    for b in b_values:
        rng = child_rng(seed, "concepts.sparse", n, s, _bkey(b), _tkey(temperature), round(a * 1000))
        parent = (rng.random((trials, 1, n)) < a).astype(np.float32)
        children = np.stack(
            [hi.sparse_descendants(rng, parent[t], np.zeros(s, int), b, a) for t in range(trials)]
        )
        readout = np.concatenate([coding.overlap_vectors(children), coding.overlap_vectors(parent)], 1)
        res = run_dynamics(
            children,
            parent.copy(),
            steps,
            coding=coding,
            temperature=temperature,
            rng=rng,
            readout=readout,
            device=device,
        )
        ov = res.overlaps[:, :, 0, :]
        frames += [
            _trajectory_frame(
                ov[:, trial, :s], m_parent=ov[:, trial, s], trial=trial, source="simulation", b=b
            )
            for trial in range(trials)
        ]
        m0 = np.full(s, b)
        m0[0] += np.sqrt((1 - b**2) / (n * a * (1 - a)))
        m, mp, _ = sparse.macro_trajectory(m0, s, b, a, temperature, steps)
        frames.append(_trajectory_frame(m, m_parent=mp, trial=-1, source="theory", b=b))
    out = pd.concat(frames, ignore_index=True)
    out["s"], out["temperature"], out["a"], out["N"], out["coding"] = s, temperature, a, n, "sparse"
    return out


def plateau_table(traj: pd.DataFrame, arrive_tol: float, escape_gap: float) -> pd.DataFrame:
    """Per run: arrival at and escape from the mixed state, the plateau length, and the theory's.

    Also the mixed state's overlap ``m_mixed_fp`` and largest Jacobian eigenvalue ``lambda`` (> 1: a
    saddle; the plateau of the N = inf map grows like ``ln(1/eps) / ln(lambda)``), and ``b_c``.
    """
    s = int(traj["s"].iloc[0])
    temp = float(traj["temperature"].iloc[0])
    cols = [f"m{i + 1}" for i in range(s)]
    fixed = {}
    for b in traj["b"].unique():
        mixed = [fp for fp in hi.find_fixed_points(s, b, temp) if fp.kind == "mixed"]
        fixed[b] = (mixed[0].m[0], mixed[0].max_eigenvalue) if mixed else (np.nan, np.nan)
    b_c = hi.mixed_state_bifurcation(s, temp)
    rows = []
    for (b, n, source, trial), g in traj.groupby(["b", "N", "source", "trial"]):
        m_fp, lam = fixed[b]
        arr, esc, escaped = hi.plateau(g.sort_values("t")[cols].to_numpy(), m_fp, arrive_tol, escape_gap)
        rows.append(
            {
                "s": s,
                "temperature": temp,
                "b": b,
                "N": n,
                "source": source,
                "trial": trial,
                "m_mixed_fp": m_fp,
                "lambda": lam,
                "b_c": b_c,
                "arrival": arr,
                "escape": esc,
                "escaped": escaped,
                "plateau": esc - arr,
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Phase portrait in the invariant plane m2 = ... = ms
# ---------------------------------------------------------------------------------------------
def portrait_tables(s: int, b_values, temperature: float, grid: int = 21):
    """Vector field ``(u, v) -> F(u, v) - (u, v)`` in the plane ``m1 = u, m2 = .. = ms = v``, and the
    fixed points lying in it (every permutation of a fixed point with ``s - 1`` equal overlaps)."""
    field, points = [], []
    axis = np.linspace(0.0, 1.0, grid)
    for b in b_values:
        uu, vv = np.meshgrid(axis, axis, indexing="ij")
        m = np.stack([uu.ravel()] + [vv.ravel()] * (s - 1), axis=1)
        new = hi.macro_map(m, s, b, temperature)[0]
        field.append(
            pd.DataFrame(
                {"b": b, "u": m[:, 0], "v": m[:, 1], "du": new[:, 0] - m[:, 0], "dv": new[:, 1] - m[:, 1]}
            )
        )
        for fp in hi.find_fixed_points(s, b, temperature):
            a = np.array(fp.m)
            for i in range(s):  # put each overlap first; keep it if the rest are equal
                rest = np.delete(a, i)
                if np.ptp(rest) < 1e-6:
                    points.append(
                        {
                            "b": b,
                            "u": a[i],
                            "v": rest[0],
                            "kind": fp.kind,
                            "stability": "stable" if fp.stable else "unstable",
                            "max_eigenvalue": fp.max_eigenvalue,
                        }
                    )
    pts = pd.DataFrame(points).drop_duplicates(subset=["b", "u", "v"]) if points else pd.DataFrame(points)
    return pd.concat(field, ignore_index=True), pts.assign(s=s, temperature=temperature)
