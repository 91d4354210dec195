"""Comparison tables of associative memory: the simulated sweeps (:mod:`conceptdyn.hopfield.sweeps`)
summarised, with the theory of :mod:`conceptdyn.hopfield.theory` beside them (Amari & Maginu 1988,
Okada 1995, Amit, Gutfreund & Sompolinsky 1985).  Column names of the key tables are part of the
interface (later stages and users read them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from conceptdyn.hopfield import theory

THEORY_COLUMNS = {"amari_maginu": "m_theory", "okada": "m_okada"}


def add_theory_columns(table: pd.DataFrame, columns: dict[str, str]) -> None:
    """Add, in place, each theory's m(t) on the rows ``alpha, m0, t`` of ``table``; ``columns`` maps a
    theory name of :data:`conceptdyn.hopfield.theory.THEORIES` to its column."""
    steps = int(table["t"].max())
    pairs = list(table[["alpha", "m0"]].drop_duplicates().itertuples(index=False))
    keys = list(table[["alpha", "m0", "t"]].itertuples(index=False))
    for name, column in columns.items():
        fn = theory.THEORIES[name]
        curves = {(a, m0): fn(a, m0, steps) for a, m0 in pairs}
        table[column] = [curves[(a, m0)][t] for a, m0, t in keys]


def compare_overlap_dynamics(sim: pd.DataFrame, deviation_tolerance: float = 0.05):
    """Mean/std of the simulation per ``(alpha, m0, t)`` with both theories on the same rows.

    Returns ``(table, deviation)``: ``table`` has ``alpha, m0, t, m_sim_mean, m_sim_std, m_theory``
    (Amari-Maginu) and ``m_okada``; ``deviation`` has, per ``(alpha, m0, theory)``, the largest
    absolute difference from the simulated mean and the first step at which the difference exceeds
    ``max(deviation_tolerance, 2 * standard error)`` ("where the theory leaves the simulation").
    """
    g = sim.groupby(["alpha", "m0", "t"])["m"]
    table = g.agg(m_sim_mean="mean", m_sim_std="std", n_trials="count").reset_index()
    table["m_sim_std"] = table["m_sim_std"].fillna(0.0)
    add_theory_columns(table, THEORY_COLUMNS)
    rows = []
    for (alpha, m0), grp in table.groupby(["alpha", "m0"]):
        sem = grp["m_sim_std"] / np.sqrt(grp["n_trials"])
        band = np.maximum(deviation_tolerance, 2 * sem)
        for name, column in THEORY_COLUMNS.items():
            diff = (grp[column] - grp["m_sim_mean"]).abs()
            off = grp["t"][diff > band]
            rows.append(
                {
                    "alpha": alpha,
                    "m0": m0,
                    "theory": name,
                    "max_abs_diff": float(diff.max()),
                    "first_step_off": int(off.min()) if len(off) else -1,
                }
            )
    return table, pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Figure 2: capacity
# ---------------------------------------------------------------------------------------------
def crossing(x, y, level: float = 0.5) -> float:
    """First ``x`` at which ``y`` (sampled at increasing ``x``) crosses ``level``, linearly interpolated.

    ``nan`` if ``y`` never crosses.  Works for both falling and rising ``y``.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float) - level
    for i in range(len(x) - 1):
        if y[i] == 0:
            return float(x[i])
        if y[i] * y[i + 1] < 0:
            return float(x[i] + (x[i + 1] - x[i]) * y[i] / (y[i] - y[i + 1]))
    return float(x[-1]) if len(y) and y[-1] == 0 else float("nan")


def compare_capacity(cap: pd.DataFrame, retrieval_threshold: float):
    """Per ``(N, alpha)`` summary with the AGS overlap, and per ``N`` the estimated capacity.

    The capacity estimate is the load at which the fraction of trials with
    ``m_final >= retrieval_threshold`` falls through 1/2.
    """
    cap = cap.assign(
        retrieved=cap["m_final"] >= retrieval_threshold,
        unresolved=cap["status"] == "unresolved" if "status" in cap else cap["period"] == 0,
    )
    summary = (
        cap.groupby(["N", "alpha"])
        .agg(
            m_mean=("m_final", "mean"),
            m_std=("m_final", "std"),
            frac_retrieved=("retrieved", "mean"),
            frac_unresolved=("unresolved", "mean"),
            n_trials=("m_final", "count"),
        )
        .reset_index()
    )
    summary["m_std"] = summary["m_std"].fillna(0.0)
    summary["m_ags"] = theory.ags_overlap(summary["alpha"].to_numpy())
    ags = theory.ags_capacity()
    estimates = pd.DataFrame(
        [
            {
                "N": n,
                "alpha_c_sim": crossing(g["alpha"], g["frac_retrieved"], 0.5),
                "alpha_c_ags": ags.alpha_c,
                "m_c_ags": ags.m_c,
            }
            for n, g in summary.groupby("N")
        ]
    )
    return summary, estimates


def ags_curve(alpha_max: float, points: int = 400) -> pd.DataFrame:
    """The stable AGS retrieval branch on a fine grid up to capacity (for plotting)."""
    ags = theory.ags_capacity()
    alpha = np.unique(np.concatenate([np.linspace(1e-3, min(alpha_max, ags.alpha_c), points), [ags.alpha_c]]))
    return pd.DataFrame({"alpha": alpha, "m_ags": theory.ags_overlap(alpha)})


# ---------------------------------------------------------------------------------------------
# Figure 3: basin of attraction
# ---------------------------------------------------------------------------------------------
def compare_basin(basin: pd.DataFrame, retrieval_threshold: float, theory_steps: int):
    """Retrieval fraction per ``(alpha, m0)`` and the critical overlap per ``alpha`` and source.

    Returns ``(fractions, boundary)``; ``boundary`` has ``alpha, source, m0_critical`` with source
    ``simulation`` (where the retrieval fraction rises through 1/2), ``amari_maginu`` and ``okada``
    (bisection on the theory's ``m_T > retrieval_threshold`` after ``theory_steps`` steps).
    """
    basin = basin.assign(retrieved=basin["m_final"] >= retrieval_threshold)
    fractions = (
        basin.groupby(["N", "alpha", "m0"])
        .agg(
            frac_retrieved=("retrieved", "mean"),
            m_final_mean=("m_final", "mean"),
            n_trials=("m_final", "count"),
        )
        .reset_index()
    )
    rows = []
    for (n, alpha), g in fractions.groupby(["N", "alpha"]):
        rows.append(
            {
                "alpha": alpha,
                "source": "simulation",
                "N": n,
                "m0_critical": crossing(g["m0"], g["frac_retrieved"], 0.5),
            }
        )
    for alpha in sorted(fractions["alpha"].unique()):
        for name in theory.THEORIES:
            rows.append(
                {
                    "alpha": alpha,
                    "source": name,
                    "N": np.nan,
                    "m0_critical": theory.critical_overlap(
                        alpha, name, steps=theory_steps, threshold=retrieval_threshold
                    ),
                }
            )
    return fractions, pd.DataFrame(rows)
