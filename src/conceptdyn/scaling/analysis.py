"""Finite-size scaling of the associative memory: capacity, basin boundary and m(t) as N grows.

Simulations run the ±1 engine of :mod:`conceptdyn.hopfield.engine` with several stored patterns of
each network as starting states (one matrix-matrix product per step).  The starts of one network share
its couplings, so every uncertainty here treats the **network** as the independent unit: intervals
come from a bootstrap that resamples networks (with all their starts) independently at every
``(N, alpha)``, and the standard errors of m(t) from the spread of network means.  The intraclass
correlation of the retrieval outcome within a network is reported beside each point, so a reader can
see how much the starts of one network tell apart.

Extrapolation: ``alpha_c(N) = alpha_inf + c N^(-nu)`` by weighted least squares for fixed exponents
(``nu = 1/2``, this project's default form, and ``nu = 1`` as a check); each bootstrap replicate
refits, so the interval of ``alpha_inf`` carries the simulation noise of every N.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from conceptdyn.core.runtime import child_rng, progress
from conceptdyn.hopfield import compare, sweeps, theory
from conceptdyn.hopfield.compare import crossing

# Published values beside which the extrapolation is shown (source in the column; docs/references.md).
REFERENCES = [
    {"source": "AGS replica symmetric (Amit, Gutfreund & Sompolinsky 1987)", "alpha_c": 0.137905},
    {"source": "one-step RSB (Steffan & Kühn 1994)", "alpha_c": 0.138186},
    {"source": "one-step RSB (Crisanti, Amit & Gutfreund 1986)", "alpha_c": 0.144},
    {"source": "simulations, as quoted by Steffan & Kühn 1994", "alpha_c": 0.145},
]
EXPONENTS = {"N^-1/2": 0.5, "N^-1": 1.0}
# the scaling study's capacity table: the capacity simulator's columns without the network's period
SCALING_CAPACITY_COLUMNS = ["N", "alpha", "network", "start", "m_final", "status", "steps"]
DEFAULT_FORM = "N^-1/2"


# ---------------------------------------------------------------------------------------------
# Simulations
# ---------------------------------------------------------------------------------------------
def simulate_trajectories(
    n_values, networks, alphas, m0_values, starts: int, steps: int, seed: int, tag: int, device=None
):
    """``N, alpha, m0, network, start, t, m`` from noisy copies of stored patterns."""
    frames = []
    m0_values = np.asarray(m0_values, dtype=float)
    grid = [(n, nets, a) for n, nets in zip(n_values, networks, strict=True) for a in alphas]
    for n, nets, alpha in progress(grid, "trajectories"):
        s = min(starts, sweeps.n_patterns(alpha, n))
        m = sweeps.pattern_trajectories(n, alpha, m0_values, nets, s, steps, seed, tag=tag, device=device)
        net, st, k, t = np.meshgrid(
            np.arange(nets), np.arange(s), np.arange(len(m0_values)), np.arange(steps + 1), indexing="ij"
        )
        frames.append(
            pd.DataFrame(
                {
                    "N": n,
                    "alpha": alpha,
                    "m0": m0_values[k.ravel()],
                    "network": net.ravel(),
                    "start": st.ravel(),
                    "t": t.ravel(),
                    "m": m.ravel(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------------------------------
# Statistics with the network as the unit
# ---------------------------------------------------------------------------------------------
def intraclass_correlation(values: np.ndarray) -> float:
    """One-way ANOVA estimate of the correlation of outcomes within a network; ``values`` is
    ``(networks, starts)``.  ``nan`` when undefined (one network, one start, or no variance)."""
    values = np.asarray(values, dtype=float)
    g, k = values.shape
    if g < 2 or k < 2:
        return float("nan")
    means = values.mean(1)
    msb = k * ((means - values.mean()) ** 2).sum() / (g - 1)
    msw = ((values - means[:, None]) ** 2).sum() / (g * (k - 1))
    if msb + (k - 1) * msw == 0:
        return float("nan")
    return float((msb - msw) / (msb + (k - 1) * msw))


def _boot_indices(rng, n_networks: int, reps: int):
    return rng.integers(0, n_networks, size=(reps, n_networks))


def _interval(samples, confidence: float) -> tuple[float, float]:
    """Percentile interval of the finite bootstrap ``samples`` (nan, nan when there are none)."""
    samples = np.asarray(samples, dtype=float)
    samples = samples[~np.isnan(samples)]
    if not len(samples):
        return np.nan, np.nan
    lo, hi = np.percentile(samples, [50 * (1 - confidence), 50 * (1 + confidence)])
    return float(lo), float(hi)


def capacity_tables(sim: pd.DataFrame, threshold: float, reps: int, seed: int, confidence: float = 0.95):
    """Retrieval fractions per ``(N, alpha)`` with bootstrap intervals and the ICC; capacity per N
    (load where the fraction falls through 1/2) with intervals; the replicate capacities for the fit.

    Returns ``(fractions, capacity, replicates)``; ``replicates`` is ``(reps, len(N))``.
    """
    sim = sim.assign(retrieved=(sim["m_final"] >= threshold).astype(float))
    rows, cap_rows = [], []
    ns = sorted(sim["N"].unique())
    replicates = np.full((reps, len(ns)), np.nan)
    for j, (n, sub) in enumerate(sim.groupby("N", sort=True)):
        cells = list(sub.groupby("alpha", sort=True))
        alphas = [alpha for alpha, _ in cells]
        boot = np.empty((reps, len(cells)))
        for i, (alpha, cell) in enumerate(cells):
            vals = cell.pivot(index="network", columns="start", values="retrieved").to_numpy()
            means = np.nanmean(vals, axis=1)
            rng = child_rng(seed, "scaling.capacity_bootstrap", int(n), round(alpha * 1_000_000))
            boot[:, i] = means[_boot_indices(rng, len(means), reps)].mean(1)
            ci_low, ci_high = _interval(boot[:, i], confidence)
            rows.append(
                {
                    "N": n,
                    "alpha": alpha,
                    "networks": vals.shape[0],
                    "starts": vals.shape[1],
                    "frac_retrieved": float(means.mean()),
                    "ci_low": ci_low,
                    "ci_high": ci_high,
                    "icc": intraclass_correlation(vals),
                    "m_final_mean": float(cell["m_final"].mean()),
                    "frac_unresolved": float((cell["status"] == "unresolved").mean()),
                    "steps_max": int(cell["steps"].max()),
                }
            )
        point = crossing(alphas, [r["frac_retrieved"] for r in rows[-len(alphas) :]], 0.5)
        replicates[:, j] = [crossing(alphas, b, 0.5) for b in boot]
        ok = replicates[:, j][~np.isnan(replicates[:, j])]
        ci_low, ci_high = _interval(ok, confidence)
        cap_rows.append(
            {
                "N": n,
                "alpha_c": point,
                "ci_low": ci_low,
                "ci_high": ci_high,
                "se": float(ok.std(ddof=1)) if len(ok) > 1 else np.nan,
                "replicates_without_crossing": int(reps - len(ok)),
            }
        )
    return pd.DataFrame(rows), pd.DataFrame(cap_rows), replicates


def fit_scaling(n, alpha_c, se, nu: float):
    """Weighted least squares of ``alpha_c = alpha_inf + c N^-nu``; returns ``(alpha_inf, c, chi2)``."""
    n, y, se = (np.asarray(v, dtype=float) for v in (n, alpha_c, se))
    keep = ~(np.isnan(y) | np.isnan(se))
    x, y = n[keep] ** -nu, y[keep]
    w = 1.0 / np.maximum(se[keep], 1e-6) ** 2
    X = np.column_stack([np.ones_like(x), x])
    coef = np.linalg.solve(X.T @ (w[:, None] * X), X.T @ (w * y))
    chi2 = float((w * (y - X @ coef) ** 2).sum())
    return float(coef[0]), float(coef[1]), chi2


def extrapolate(capacity: pd.DataFrame, replicates: np.ndarray, confidence: float = 0.95) -> pd.DataFrame:
    """``alpha_inf`` for each form in :data:`EXPONENTS` with a bootstrap interval (the fit redone on
    every replicate), the fit's chi^2 and degrees of freedom; then the published values."""
    rows = []
    n, y, se = capacity["N"], capacity["alpha_c"], capacity["se"]
    for form, nu in EXPONENTS.items():
        a_inf, c, chi2 = fit_scaling(n, y, se, nu)
        boot = [fit_scaling(n, rep, se, nu)[0] for rep in replicates if not np.isnan(rep).any()]
        ci_low, ci_high = _interval(boot, confidence)
        rows.append(
            {
                "source": f"this simulation, fit alpha_inf + c {form}",
                "form": form,
                "default": form == DEFAULT_FORM,
                "alpha_c": a_inf,
                "ci_low": ci_low,
                "ci_high": ci_high,
                "slope": c,
                "chi2": chi2,
                "dof": int((~(np.isnan(y) | np.isnan(se))).sum() - 2),
            }
        )
    for ref in REFERENCES:
        rows.append({**ref, "form": "", "default": False})
    return pd.DataFrame(rows)


def basin_tables(
    sim: pd.DataFrame, threshold: float, theory_steps: int, reps: int, seed: int, confidence: float = 0.95
):
    """Critical initial overlap per ``(N, alpha)`` (retrieval fraction rising through 1/2, with a
    network bootstrap) and the theories' values at the same loads (``N`` empty)."""
    final = sim[sim["t"] == sim["t"].max()].assign(retrieved=lambda d: (d["m"] >= threshold).astype(float))
    rows = []
    for (n, alpha), g in final.groupby(["N", "alpha"]):
        m0s = sorted(g["m0"].unique())
        per = g.groupby(["m0", "network"])["retrieved"].mean().unstack("network").loc[m0s].to_numpy()
        rng = child_rng(seed, "scaling.basin_bootstrap", int(n), round(alpha * 1_000_000))
        idx = _boot_indices(rng, per.shape[1], reps)
        ci_low, ci_high = _interval([crossing(m0s, per[:, b].mean(1), 0.5) for b in idx], confidence)
        rows.append(
            {
                "N": n,
                "alpha": alpha,
                "source": "simulation",
                "m0_critical": crossing(m0s, per.mean(1), 0.5),
                "ci_low": ci_low,
                "ci_high": ci_high,
                "networks": per.shape[1],
            }
        )
    for alpha in sorted(final["alpha"].unique()):
        for name in theory.THEORIES:
            rows.append(
                {
                    "N": np.nan,
                    "alpha": alpha,
                    "source": name,
                    "m0_critical": theory.critical_overlap(
                        alpha, name, steps=theory_steps, threshold=threshold
                    ),
                    "ci_low": np.nan,
                    "ci_high": np.nan,
                    "networks": 0,
                }
            )
    return pd.DataFrame(rows)


def dynamics_table(sim: pd.DataFrame) -> pd.DataFrame:
    """Per ``(N, alpha, m0, t)``: simulated mean m(t), its standard error over network means, and for
    each theory the value and ``theory - simulation`` in units of that error (``z``)."""
    keys = ["N", "alpha", "m0", "t"]
    per_network = sim.groupby([*keys, "network"])["m"].mean()
    table = (
        per_network.groupby(level=keys)
        .agg(m_sim="mean", sd="std", networks="count")
        .reset_index()
        .astype({"t": int})
    )
    table["se"] = table.pop("sd") / np.sqrt(table["networks"])
    compare.add_theory_columns(table, {name: f"m_{name}" for name in theory.THEORIES})
    for name in theory.THEORIES:
        table[f"diff_{name}"] = table[f"m_{name}"] - table["m_sim"]
        table[f"z_{name}"] = table[f"diff_{name}"] / table["se"].where(table["se"] > 0)
    per_theory = [f"{kind}_{name}" for name in theory.THEORIES for kind in ("m", "diff", "z")]
    return table[[*keys, "m_sim", "se", "networks", *per_theory]]
