"""Associative-memory figures (lecture part 2), each drawn only from the tables saved beside it."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from conceptdyn.core.figures import STYLE

THEORY_STYLE = {"m_theory": ("Amari–Maginu", "--"), "m_okada": ("Okada-type hierarchy", ":")}


def overlap_dynamics_figure(tables: dict[str, pd.DataFrame]):
    df = tables["overlap_dynamics"]
    alphas = sorted(df["alpha"].unique())
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, len(alphas), figsize=(3.0 * len(alphas), 3.2), sharey=True, squeeze=False)
        cmap = plt.get_cmap("viridis")
        m0s = sorted(df["m0"].unique())
        for ax, alpha in zip(axes[0], alphas, strict=True):
            sub = df[df["alpha"] == alpha]
            for i, m0 in enumerate(m0s):
                g = sub[sub["m0"] == m0].sort_values("t")
                color = cmap(i / max(1, len(m0s) - 1))
                lo, hi = g["m_sim_mean"] - g["m_sim_std"], g["m_sim_mean"] + g["m_sim_std"]
                ax.fill_between(g["t"], lo, hi, color=color, alpha=0.15, lw=0)
                ax.plot(g["t"], g["m_sim_mean"], "o", ms=2.5, color=color, label=f"{m0:g}")
                for col, (_, ls) in THEORY_STYLE.items():
                    ax.plot(g["t"], g[col], ls, color=color, lw=1)
            ax.set_title(f"α = {alpha:g}")
            ax.set_xlabel("step t")
        axes[0, 0].set_ylabel("overlap m(t)")
        handles = [
            plt.Line2D([], [], color="k", marker="o", ls="none", ms=3, label="simulation (mean, band: ± sd)")
        ]
        handles += [plt.Line2D([], [], color="k", ls=ls, label=lab) for lab, ls in THEORY_STYLE.values()]
        fig.legend(handles=handles, loc="upper center", ncol=3, bbox_to_anchor=(0.5, 1.06))
        axes[0, -1].legend(title="$m_0$", fontsize=7, loc="center left", bbox_to_anchor=(1.02, 0.5))
    return fig


def capacity_figure(tables: dict[str, pd.DataFrame]):
    summary, curve, est = tables["capacity_summary"], tables["capacity_theory"], tables["capacity_estimates"]
    with plt.rc_context(STYLE):
        fig, (ax, ax2) = plt.subplots(1, 2, figsize=(8.5, 3.3))
        ns = sorted(summary["N"].unique())
        cmap = plt.get_cmap("plasma")
        for i, n in enumerate(ns):
            g = summary[summary["N"] == n]
            color = cmap(i / max(1, len(ns)))
            ax.errorbar(
                g["alpha"],
                g["m_mean"],
                yerr=g["m_std"],
                fmt="o-",
                ms=3,
                lw=0.8,
                color=color,
                label=f"N = {n}",
            )
            ax2.plot(g["alpha"], g["frac_retrieved"], "o-", ms=3, lw=0.8, color=color, label=f"N = {n}")
        alpha_c = float(est["alpha_c_ags"].iloc[0])
        ax.plot(curve["alpha"], curve["m_ags"], "k-", lw=1.5, label="AGS (replica symmetric)")
        for a in (ax, ax2):
            a.axvline(alpha_c, color="k", ls="--", lw=0.8)
            a.set_xlabel("load α = p/N")
        ax.set_ylabel("final overlap")
        ax.set_title(f"retrieval from a stored pattern; α_c = {alpha_c:.4f}")
        ax2.set_ylabel("fraction of trials retrieved")
        ax2.set_title("capacity estimate: fraction crosses 1/2")
        ax.legend(fontsize=7)
    return fig


def basin_figure(tables: dict[str, pd.DataFrame]):
    frac, boundary = tables["basin_fractions"], tables["basin"]
    labels = {"simulation": "simulation", "amari_maginu": "Amari–Maginu", "okada": "Okada-type hierarchy"}
    styles = {"simulation": "ko", "amari_maginu": "C0--", "okada": "C3:"}
    with plt.rc_context(STYLE):
        fig, (ax, ax2) = plt.subplots(1, 2, figsize=(8.5, 3.3))
        for src, g in boundary.groupby("source", sort=False):
            g = g.sort_values("alpha")
            ax.plot(
                g["alpha"], g["m0_critical"], styles.get(src, "-"), ms=4, lw=1.4, label=labels.get(src, src)
            )
        ax.set_xlabel("load α")
        ax.set_ylabel("critical initial overlap $m_0^c$")
        ax.set_title("basin of attraction")
        ax.legend()
        pivot = frac.pivot_table(index="m0", columns="alpha", values="frac_retrieved")
        mesh = ax2.pcolormesh(
            pivot.columns, pivot.index, pivot.values, shading="nearest", cmap="Greys", vmin=0, vmax=1
        )
        fig.colorbar(mesh, ax=ax2, label="fraction retrieved")
        for src in ("amari_maginu", "okada"):
            g = boundary[boundary["source"] == src].sort_values("alpha")
            ax2.plot(g["alpha"], g["m0_critical"], styles[src], lw=1.4)
        n = int(frac["N"].iloc[0])
        ax2.set_title(f"simulation, N = {n}, with theory")
        ax2.set_xlabel("load α")
        ax2.set_ylabel("initial overlap $m_0$")
    return fig


# figure name (results/figures/<name>.png) -> drawing function; the tables come from the rules
FIGURES = {
    "hopfield_overlap_dynamics": overlap_dynamics_figure,
    "hopfield_capacity": capacity_figure,
    "hopfield_basin": basin_figure,
}
