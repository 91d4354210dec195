"""Neocognitron figures (lecture part 5), each drawn only from the tables saved beside it."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np

from conceptdyn.core.figures import STYLE

NEO_COLORS = {"narrow": "C0", "final": "C3", "widening": "C2", "lenet": "0.4"}


def neocognitron_curves_figure(tables):
    curves, acc = tables["curves"], tables["accuracy"]
    order = [s for s in NEO_COLORS if s in set(curves["schedule"])]
    with plt.rc_context(STYLE):
        fig, (ax, ax2) = plt.subplots(1, 2, figsize=(9, 3.3), gridspec_kw={"width_ratios": [2, 1]})
        for s in order:
            g = curves[curves["schedule"] == s].groupby("iteration")["mse"].agg(["mean", "std"]).reset_index()
            c = NEO_COLORS[s]
            ax.plot(g["iteration"], g["mean"], "-", color=c, label=s)
            ax.fill_between(
                g["iteration"],
                g["mean"] - g["std"].fillna(0),
                g["mean"] + g["std"].fillna(0),
                color=c,
                alpha=0.15,
                lw=0,
            )
        ax.set_xlabel("iteration")
        ax.set_ylabel("training MSE (one-hot targets)")
        ax.set_title("C-cell width schedules (band: ± sd over seeds)")
        ax.legend()
        for i, s in enumerate(order):
            a = acc[acc["schedule"] == s]["test_accuracy"]
            ax2.bar(i, a.mean(), color=NEO_COLORS[s], alpha=0.5)
            ax2.plot(np.full(len(a), i), a, "ko", ms=3)
        ax2.set_xticks(range(len(order)), order, rotation=20)
        ax2.set_ylabel("test accuracy")
        lo = max(0.0, float(acc["test_accuracy"].min()) - 0.05)
        ax2.set_ylim(lo, 1.0)
        ax2.set_title("test accuracy (dots: seeds)")
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
        d = delta[delta["phase"] == "end"].groupby("schedule")[["delta_neighbour_corr", "kernel_abs_cosine"]]
        m, sd = d.mean(), d.std().fillna(0)
        names = [s for s in order if s in m.index]
        xs = np.arange(len(names))
        ax.bar(
            xs - 0.2,
            m.loc[names, "delta_neighbour_corr"],
            0.4,
            yerr=sd.loc[names, "delta_neighbour_corr"],
            label="δ correlation of neighbouring S1-cells",
        )
        ax.bar(
            xs + 0.2,
            m.loc[names, "kernel_abs_cosine"],
            0.4,
            yerr=sd.loc[names, "kernel_abs_cosine"],
            label="mean |cosine| between S1 kernels",
        )
        ax.set_xticks(xs, names)
        ax.set_ylim(0, 1.05)
        ax.legend(fontsize=6, loc="upper left")
        ax.set_title("the δ problem, after training", fontsize=8)
    return fig


# figure name (results/figures/<name>.png) -> drawing function; the tables come from the rules
FIGURES = {
    "neocognitron_curves": neocognitron_curves_figure,
    "neocognitron_kernels": neocognitron_kernels_figure,
}
