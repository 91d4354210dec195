"""Finite-size scaling figures of the associative memory, each drawn only from the tables beside it."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from conceptdyn.core.figures import STYLE

THEORY = {"amari_maginu": ("Amari–Maginu", "C0", "--"), "okada": ("Okada-type hierarchy", "C3", ":")}


def capacity_figure(tables: dict[str, pd.DataFrame]):
    frac, cap, ext = tables["capacity_fractions"], tables["capacity_scaling"], tables["extrapolation"]
    with plt.rc_context(STYLE):
        fig, (ax, ax2) = plt.subplots(1, 2, figsize=(9.0, 3.5))
        ns = sorted(frac["N"].unique())
        cmap = plt.get_cmap("plasma")
        for i, n in enumerate(ns):
            g = frac[frac["N"] == n].sort_values("alpha")
            color = cmap(i / max(1, len(ns)))
            ax.fill_between(g["alpha"], g["ci_low"], g["ci_high"], color=color, alpha=0.2, lw=0)
            ax.plot(g["alpha"], g["frac_retrieved"], "o-", ms=3, lw=0.8, color=color, label=f"N = {n:,}")
        ax.axhline(0.5, color="k", lw=0.6)
        ax.set_xlabel("load α = p/N")
        ax.set_ylabel("fraction retrieved (95 % band over networks)")
        ax.set_title("retrieval from stored patterns")
        ax.legend(fontsize=7)

        x = cap["N"].to_numpy(float) ** -0.5
        yerr = np.vstack([cap["alpha_c"] - cap["ci_low"], cap["ci_high"] - cap["alpha_c"]])
        ax2.errorbar(x, cap["alpha_c"], yerr=yerr, fmt="ko", ms=4, capsize=2, label="simulation (95 % CI)")
        grid = np.linspace(0, x.max() * 1.05, 50)
        fits = ext[ext["form"].fillna("") != ""]
        for k, row in enumerate(fits.itertuples(index=False)):
            nu = 0.5 if row.form == "N^-1/2" else 1.0
            ls = "-" if row.default else "-."
            ax2.plot(
                grid,
                row.alpha_c + row.slope * grid ** (nu / 0.5),
                ls,
                color=f"C{k + 1}",
                lw=1,
                label=f"fit α∞ + c·{row.form}: α∞ = {row.alpha_c:.4f} [{row.ci_low:.4f}, {row.ci_high:.4f}]",
            )
        refs = ext[ext["form"].fillna("") == ""]
        for k, row in enumerate(refs.itertuples(index=False)):
            ax2.axhline(
                row.alpha_c,
                color=f"{0.2 + 0.15 * k:.2f}",
                lw=0.8,
                ls=(0, (1 + 2 * k, 2)),
                label=f"{row.source}: {row.alpha_c:g}",
            )
        ax2.set_xlim(0, grid[-1])
        ax2.set_xlabel("$N^{-1/2}$")
        ax2.set_ylabel("capacity $α_c(N)$")
        ax2.set_title("finite-size scaling and extrapolation")
        ax2.legend(fontsize=5.5, loc="upper left")
    return fig


def basin_figure(tables: dict[str, pd.DataFrame]):
    b = tables["basin_scaling"]
    sim = b[b["source"] == "simulation"]
    alphas = sorted(sim["alpha"].unique())
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, len(alphas), figsize=(3.6 * len(alphas), 3.2), squeeze=False)
        for ax, alpha in zip(axes[0], alphas, strict=True):
            g = sim[sim["alpha"] == alpha].sort_values("N")
            yerr = np.vstack([g["m0_critical"] - g["ci_low"], g["ci_high"] - g["m0_critical"]])
            ax.errorbar(
                g["N"],
                g["m0_critical"],
                yerr=yerr,
                fmt="ko-",
                ms=4,
                lw=0.8,
                capsize=2,
                label="simulation (95 % CI)",
            )
            for src, (label, color, ls) in THEORY.items():
                v = b[(b["source"] == src) & (b["alpha"] == alpha)]["m0_critical"]
                if len(v):
                    ax.axhline(float(v.iloc[0]), color=color, ls=ls, lw=1.3, label=label)
            ax.set_xscale("log")
            ax.set_xlabel("network size N")
            ax.set_title(f"α = {alpha:g}")
        axes[0, 0].set_ylabel("critical initial overlap $m_0^c$")
        axes[0, 0].legend(fontsize=7)
    return fig


def dynamics_figure(tables: dict[str, pd.DataFrame]):
    d = tables["dynamics_theory"]
    alphas = sorted(d["alpha"].unique())
    m0s = sorted(d["m0"].unique())
    cmap = plt.get_cmap("viridis")
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(2, len(alphas), figsize=(3.3 * len(alphas), 5.6), sharex=True, squeeze=False)
        for j, alpha in enumerate(alphas):
            for i, m0 in enumerate(m0s):
                g = d[(d["alpha"] == alpha) & (d["m0"] == m0)].sort_values("t")
                color = cmap(i / max(1, len(m0s) - 1))
                for row, (src, (_, _, ls)) in enumerate(THEORY.items()):
                    ax = axes[row, j]
                    ax.errorbar(
                        g["t"],
                        g[f"diff_{src}"],
                        yerr=2 * g["se"],
                        fmt="o" + ls,
                        color=color,
                        ms=3,
                        lw=0.9,
                        capsize=2,
                        label=f"$m_0$ = {m0:g}",
                    )
            for row, (label, _, _) in enumerate(THEORY.values()):
                axes[row, j].axhline(0, color="k", lw=0.6)
                axes[row, j].set_title(f"{label}, α = {alpha:g}", fontsize=8)
            axes[1, j].set_xlabel("step t")
        n = int(d["N"].iloc[0])
        for row in range(2):
            axes[row, 0].set_ylabel("theory − simulation")
        fig.suptitle(
            f"m(t): theory − simulation at N = {n:,} (bars: ± 2 standard errors over networks)", fontsize=9
        )
        axes[0, -1].legend(fontsize=7)
    return fig


# figure name (results/figures/<name>.png) -> drawing function; the tables come from the rules
FIGURES = {
    "scaling_capacity": capacity_figure,
    "scaling_basin": basin_figure,
    "scaling_dynamics": dynamics_figure,
}
