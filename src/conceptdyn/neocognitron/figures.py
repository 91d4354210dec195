"""Neocognitron figures (lecture part 5), each drawn only from the tables saved beside it."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np

from conceptdyn.core.figures import STYLE

NEO_COLORS = {"narrow": "C0", "final": "C3", "widening": "C2", "stepwise": "C1", "lenet": "0.4"}
SETS = ("test", "shifted", "elastic")


def _t_band(g):
    """Mean and 95 % t half-width over seeds of a grouped series."""
    from scipy import stats

    n = g.count()
    half = stats.t.ppf(0.975, (n - 1).clip(lower=1)) * g.std().fillna(0) / np.sqrt(n)
    return g.mean(), half.where(n > 1, 0.0)


def neocognitron_curves_figure(tables):
    """The lecture's Fig. 5: training MSE vs iteration per schedule (band: 95 % t interval over seeds),
    the paired difference of each schedule from the fixed final width, and test accuracy on clean,
    shifted and elastically deformed digits."""
    curves, acc = tables["curves"], tables["accuracy"]
    order = [s for s in NEO_COLORS if s in set(curves["schedule"])]
    with plt.rc_context(STYLE):
        fig, (ax, axd, ax2) = plt.subplots(1, 3, figsize=(13, 3.4), gridspec_kw={"width_ratios": [2, 2, 1.6]})
        for s in order:
            g = curves[curves["schedule"] == s].groupby("iteration")["mse"]
            m, half = _t_band(g)
            c = NEO_COLORS[s]
            ax.plot(m.index, m, "-", color=c, label=s)
            ax.fill_between(m.index, m - half, m + half, color=c, alpha=0.15, lw=0)
        ax.set_xlabel("iteration")
        ax.set_ylabel("training MSE (one-hot targets)")
        ax.set_title("C-cell width schedules (band: 95 % CI over seeds)")
        ax.legend()
        ref = curves[curves["schedule"] == "final"].set_index(["seed", "iteration"])["mse"]
        for s in order:
            if s in ("final", "lenet") or ref.empty:
                continue
            d = (curves[curves["schedule"] == s].set_index(["seed", "iteration"])["mse"] - ref).dropna()
            m, half = _t_band(d.groupby(level="iteration"))
            axd.plot(m.index, m, "-", color=NEO_COLORS[s], label=f"{s} − final")
            axd.fill_between(m.index, m - half, m + half, color=NEO_COLORS[s], alpha=0.15, lw=0)
        axd.axhline(0, color="k", lw=0.6)
        axd.set_xlabel("iteration")
        axd.set_ylabel("paired MSE difference")
        axd.set_title("vs the fixed final width (same seeds; 95 % CI)")
        axd.legend(fontsize=7)
        sets = [k for k in SETS if f"{k}_accuracy" in acc]
        width = 0.8 / max(1, len(order))
        for i, s in enumerate(order):
            a = acc[acc["schedule"] == s]
            for j, k in enumerate(sets):
                x = j + (i - (len(order) - 1) / 2) * width
                ax2.bar(
                    x,
                    a[f"{k}_accuracy"].mean(),
                    width,
                    color=NEO_COLORS[s],
                    alpha=0.5,
                    label=s if j == 0 else None,
                )
                ax2.plot(np.full(len(a), x), a[f"{k}_accuracy"], "k.", ms=2)
        ax2.set_xticks(range(len(sets)), sets)
        ax2.set_ylabel("accuracy")
        ax2.set_ylim(0, 1.0)
        ax2.set_title("test digits: clean, shifted, deformed", fontsize=8)
        ax2.legend(fontsize=6)
        fig.tight_layout()
    return fig


def neocognitron_comparison_figure(tables):
    """Every schedule minus the fixed final width, paired by seed: mean and 95 % t interval per score,
    with the signed-rank p-value."""
    cmp = tables["comparison"]
    paired = cmp.groupby("metric", sort=False)["n"].max()
    metrics = [m for m, n in paired.items() if n > 0]  # a score no pair reached has no panel
    unpaired = [m for m, n in paired.items() if n == 0]
    schedules = list(dict.fromkeys(cmp["schedule"]))
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(
            1, len(metrics), figsize=(2.3 * len(metrics), 0.5 * len(schedules) + 1.6), squeeze=False
        )
        for ax, m in zip(axes[0], metrics, strict=True):
            g = cmp[cmp["metric"] == m].set_index("schedule").loc[schedules]
            ys = np.arange(len(schedules))
            ax.errorbar(
                g["diff"],
                ys,
                xerr=[g["diff"] - g["ci_low"], g["ci_high"] - g["diff"]],
                fmt="o",
                color="k",
                ms=3,
            )
            for y, (_, r) in zip(ys, g.iterrows(), strict=True):
                ax.annotate(
                    f"p={r['p_signed_rank']:.2g}",
                    (r["diff"], y),
                    textcoords="offset points",
                    xytext=(0, 5),
                    fontsize=6,
                    ha="center",
                )
            ax.axvline(0, color="0.5", lw=0.6)
            ax.set_yticks(ys, schedules if ax is axes[0, 0] else [""] * len(ys))
            ax.set_ylim(-0.7, len(schedules) - 0.3)
            ax.set_title(m.replace("_", " "), fontsize=7)
        note = f"; no pairs for {', '.join(unpaired)}" if unpaired else ""
        fig.suptitle(
            f"schedule − fixed final width, paired by seed (95 % CI, signed-rank p){note}", fontsize=8
        )
        fig.tight_layout()
    return fig


def neocognitron_kernels_figure(tables):
    kernels, delta = tables["kernels"], tables["delta"]
    order = [s for s in NEO_COLORS if s in set(kernels["schedule"])]
    kcols = [c for c in kernels.columns if c.startswith("k") and c[1:].isdigit()]
    side = math.isqrt(len(kcols))
    planes = int(kernels.groupby("schedule").size().max())
    with plt.rc_context(STYLE):
        fig = plt.figure(figsize=(0.55 * planes + 3.6, 0.65 * len(order) + 0.6))
        gs = fig.add_gridspec(len(order), planes + 1, width_ratios=[1] * planes + [6])
        for r, s in enumerate(order):
            g = kernels[kernels["schedule"] == s].sort_values("plane")
            w = g[kcols].to_numpy()
            for c in range(planes):
                ax = fig.add_subplot(gs[r, c])
                ax.axis("off")
                if c < len(w):
                    lim = np.abs(w[c]).max() or 1.0
                    ax.imshow(w[c].reshape(side, side), cmap="RdBu_r", vmin=-lim, vmax=lim)
                if c == 0:
                    ax.set_title(s, fontsize=7, loc="left")
        ax = fig.add_subplot(gs[:, -1])
        for s in order:
            g = delta[delta["schedule"] == s].groupby("iteration")
            if not len(g):
                continue
            for col, ls in (("delta_neighbour_corr", "-"), ("kernel_abs_cosine", ":")):
                m, sd = g[col].mean(), g[col].std().fillna(0)
                ax.plot(
                    m.index, m, ls, color=NEO_COLORS[s], label=s if col == "delta_neighbour_corr" else None
                )
                ax.fill_between(m.index, m - sd, m + sd, color=NEO_COLORS[s], alpha=0.1, lw=0)
        ax.set_xlabel("iteration")
        ax.set_ylim(0, 1.05)
        ax.legend(
            fontsize=6,
            loc="center right",
            title="— δ corr. of neighbouring S1-cells; ··· |cos| of S1 kernels",
            title_fontsize=5,
        )
        ax.set_title("the δ problem over training (± sd over seeds)", fontsize=8)
    return fig


# figure name (results/figures/<name>.png) -> drawing function; the tables come from the rules
FIGURES = {
    "neocognitron_curves": neocognitron_curves_figure,
    "neocognitron_kernels": neocognitron_kernels_figure,
    "neocognitron_comparison": neocognitron_comparison_figure,
}
