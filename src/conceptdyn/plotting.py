"""Figures, each drawn only from the tables that the pipeline saves beside it.

Every figure function takes a dict ``{table name: DataFrame}`` and returns a matplotlib figure;
:data:`FIGURES` maps the figure name (as used in ``results/figures/<name>.png``) to the function
and the table names it needs, so one Snakemake adapter draws them all.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .tables import atomic_output

STYLE = {
    "figure.dpi": 110,
    "savefig.dpi": 150,
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
}
THEORY_STYLE = {"m_theory": ("Amari–Maginu", "--"), "m_okada": ("Okada-type hierarchy", ":")}


def save_figure(fig, png: str | Path, pdf: str | Path | None = None) -> None:
    """Save as PNG (and PDF), writing to temporary names first so no partial file is left."""
    for path in (png, pdf):
        if path is None:
            continue
        with atomic_output(path) as tmp:
            fig.savefig(tmp, bbox_inches="tight")
    plt.close(fig)


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


def mnist_samples_figure(tables: dict[str, pd.DataFrame]):
    """Grid of the images listed in ``mnist_samples`` (columns digit, index, pixels as p0..p783)."""
    df = tables["mnist_samples"]
    digits = sorted(df["digit"].unique())
    per = df.groupby("digit").size().max()
    pix = df[[f"p{i}" for i in range(784)]].to_numpy(dtype=float)
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(len(digits), per, figsize=(per * 0.6, len(digits) * 0.6), squeeze=False)
        for ax in axes.ravel():
            ax.axis("off")
        for r, d in enumerate(digits):
            rows = np.flatnonzero(df["digit"].to_numpy() == d)
            for c, i in enumerate(rows):
                axes[r, c].imshow(pix[i].reshape(28, 28), cmap="gray_r", vmin=0, vmax=255)
        fig.suptitle("MNIST training images, first of each digit")
    return fig


def _rgb_outcome(frac_child, frac_mixed, frac_other):
    """Blue = child, red = mixed state, grey = elsewhere, mixed by fraction."""
    blue, red, grey = np.array([0.2, 0.4, 0.9]), np.array([0.85, 0.2, 0.2]), np.array([0.75, 0.75, 0.75])
    return (
        np.multiply.outer(frac_child, blue)
        + np.multiply.outer(frac_mixed, red)
        + np.multiply.outer(frac_other, grey)
    )


def concepts_mixed_overlaps_figure(tables):
    df = tables["mixed_state_overlaps"]
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(4.5, 3.3))
        for i, (s, g) in enumerate(df.groupby("s")):
            g = g.sort_values("b")
            c = f"C{i}"
            ax.plot(g["b"], g["m_child_exact"], "-", color=c, label=f"s = {s}: child (exact)")
            ax.plot(g["b"], g["m_parent_exact"], "--", color=c, label=f"s = {s}: parent (exact)")
            ax.plot(g["b"], g["m_child_sim"], "o", color=c, ms=4, mfc="none")
            ax.plot(g["b"], g["m_parent_sim"], "s", color=c, ms=4, mfc="none")
        ax.set_xlabel("child–parent correlation b")
        ax.set_ylabel("overlap of the mixed state")
        ax.set_title("mixed state sgn(Σ children): exact (lines), sampled (markers)")
        ax.legend(fontsize=6)
    return fig


def concepts_phase_diagram_figure(tables):
    cmap_df, bif = tables["concept_map"], tables["bifurcation"]
    starts = list(dict.fromkeys(cmap_df["start"]))
    conds = list(dict.fromkeys(zip(cmap_df["temperature"], cmap_df["extra_load"], strict=True)))
    with plt.rc_context(STYLE):
        fig = plt.figure(figsize=(3.2 + 1.9 * len(conds), 1.3 * len(starts) + 0.8))
        gs = fig.add_gridspec(len(starts), len(conds) + 1, width_ratios=[2.2] + [1.4] * len(conds))
        ax0 = fig.add_subplot(gs[:, 0])
        for i, (s, g) in enumerate(bif.groupby("s")):
            g = g.sort_values("temperature")
            ax0.plot(g["b_c"], g["temperature"], "o-", color=f"C{i}", ms=3, label=f"s = {s}")
            ax0.fill_betweenx(g["temperature"], 0, g["b_c"], color=f"C{i}", alpha=0.12)
        ax0.set_xlim(0, 1)
        ax0.set_xlabel("b")
        ax0.set_ylabel("temperature T")
        ax0.set_title("theory (N = ∞, p = s):\nmixed state a saddle\nleft of the line", fontsize=8)
        ax0.legend(fontsize=7, loc="lower right")
        for r, start in enumerate(starts):
            for c, (temp, load) in enumerate(conds):
                ax = fig.add_subplot(gs[r, c + 1])
                g = cmap_df[
                    (cmap_df["start"] == start)
                    & (cmap_df["temperature"] == temp)
                    & (cmap_df["extra_load"] == load)
                ]
                piv = {
                    k: g.pivot_table(index="s", columns="b", values=k)
                    for k in ("frac_child", "frac_mixed", "frac_other")
                }
                img = _rgb_outcome(
                    piv["frac_child"].to_numpy(), piv["frac_mixed"].to_numpy(), piv["frac_other"].to_numpy()
                )
                bs, ss = piv["frac_child"].columns.to_numpy(), piv["frac_child"].index.to_numpy()
                ax.imshow(
                    img,
                    origin="lower",
                    aspect="auto",
                    extent=(bs[0] - 0.05, bs[-1] + 0.05, -0.5, len(ss) - 0.5),
                )
                ax.set_yticks(range(len(ss)), [str(v) for v in ss], fontsize=6)
                ax.tick_params(labelsize=6)
                if r == 0:
                    ax.set_title(f"T = {temp:g}, extra α = {load:g}", fontsize=7)
                if c == 0:
                    ax.set_ylabel(f"{start}\ns", fontsize=7)
                if r == len(starts) - 1:
                    ax.set_xlabel("b", fontsize=7)
        handles = [
            plt.Rectangle((0, 0), 1, 1, color=col, label=lab)
            for col, lab in (
                ((0.2, 0.4, 0.9), "ends near one child"),
                ((0.85, 0.2, 0.2), "ends in the mixed state"),
                ((0.75, 0.75, 0.75), "elsewhere"),
            )
        ]
        fig.legend(handles=handles, loc="lower center", ncol=3, bbox_to_anchor=(0.6, -0.03), fontsize=7)
        n = int(cmap_df["N"].iloc[0])
        fig.suptitle(
            f"where the network ends (simulation, N = {n}; rows: start, columns: condition)",
            x=0.6,
            fontsize=9,
        )
        fig.tight_layout()
    return fig


def _winner_coordinates(g, s):
    cols = [f"m{i + 1}" for i in range(s)]
    m = g.sort_values("t")[cols].to_numpy()
    w = int(np.argmax(m[-1]))
    rest = np.delete(m, w, axis=1)
    return m[:, w], rest.mean(1)


def concepts_phase_portrait_figure(tables):
    field, pts, traj = tables["portrait_field"], tables["portrait_fixed_points"], tables["retrieval_dynamics"]
    bs = sorted(field["b"].unique())
    s = int(traj["s"].iloc[0]) if len(traj) else 3
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, len(bs), figsize=(4.0 * len(bs), 3.8), squeeze=False)
        for ax, b in zip(axes[0], bs, strict=True):
            f = field[np.isclose(field["b"], b)]
            norm = np.hypot(f["du"], f["dv"]) + 1e-12
            ax.quiver(
                f["u"], f["v"], f["du"] / norm, f["dv"] / norm, norm, cmap="Greys", scale=35, width=0.004
            )
            sim = traj[np.isclose(traj["b"], b) & (traj["source"] == "simulation")]
            for i, (_, g) in enumerate(sim.groupby(["N", "trial"])):
                u, v = _winner_coordinates(g, s)
                ax.plot(u, v, "-", color="C0", lw=0.7, alpha=0.6, label="simulation" if i == 0 else None)
            p = pts[np.isclose(pts["b"], b)]
            st, un = p[p["stability"] == "stable"], p[p["stability"] == "unstable"]
            ax.plot(st["u"], st["v"], "o", ms=8, mfc="white", mec="k", mew=1.5, label="stable")
            ax.plot(un["u"], un["v"], "x", ms=8, color="C3", mew=2, label="unstable")
            ax.plot([0, 1], [0, 1], ":", color="0.6", lw=0.8)
            ax.set_xlim(-0.02, 1.02)
            ax.set_ylim(-0.02, 1.02)
            ax.set_xlabel("$m_1$ (the child finally retrieved)")
            ax.set_ylabel("$m_2 = m_3$ (siblings)" if s == 3 else "mean of the siblings")
            temp = float(p["temperature"].iloc[0]) if len(p) else float("nan")
            ax.set_title(f"b = {b:g}, T = {temp:g}")
        axes[0, 0].legend(fontsize=7, loc="upper right")
    return fig


def concepts_retrieval_dynamics_figure(tables):
    traj, pl = tables["retrieval_dynamics"], tables["plateaus"]
    bs = sorted(traj["b"].unique())
    s = int(traj["s"].iloc[0])
    n_max = traj["N"].max()
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, len(bs) + 1, figsize=(3.0 * (len(bs) + 1), 3.2), squeeze=False)
        for ax, b in zip(axes[0][: len(bs)], bs, strict=True):
            g = traj[np.isclose(traj["b"], b) & (traj["N"] == n_max)]
            sim = g[(g["source"] == "simulation") & (g["trial"] == 0)].sort_values("t")
            th = g[g["source"] == "theory"].sort_values("t")
            for i in range(s):
                ax.plot(sim["t"], sim[f"m{i + 1}"], "-", color=f"C{i}", lw=1.2, label=f"$m_{i + 1}$")
                ax.plot(th["t"], th[f"m{i + 1}"], "--", color=f"C{i}", lw=0.8)
            ax.plot(sim["t"], sim["m_parent"], "-", color="k", lw=1, label="parent")
            lam = pl[np.isclose(pl["b"], b)]["lambda"].iloc[0]
            ax.set_title(f"b = {b:g}: λ = {lam:.3f} ({'saddle' if lam > 1 else 'stable'})", fontsize=8)
            ax.set_xlabel("step t")
            ax.set_ylim(-0.05, 1.0)
        axes[0, 0].set_ylabel(f"overlap (N = {n_max}; dashed: N = ∞ map)")
        axes[0, 0].legend(fontsize=6)
        ax = axes[0, -1]
        for i, b in enumerate(bs):
            g = pl[np.isclose(pl["b"], b)]
            sim = g[g["source"] == "simulation"].groupby("N")["plateau"].agg(["mean", "std"]).reset_index()
            th = g[g["source"] == "theory"].sort_values("N")
            lam = float(g["lambda"].iloc[0])
            label = f"b = {b:g}" + ("" if lam > 1 else " (stable: censored)")
            ax.errorbar(
                sim["N"],
                sim["mean"],
                yerr=sim["std"],
                fmt="o-" if lam > 1 else "o:",
                ms=3,
                color=f"C{i}",
                label=label,
            )
            ax.plot(th["N"], th["plateau"], "--", color=f"C{i}")
        ax.set_xscale("log")
        ns = sorted(pl["N"].unique())
        ax.set_xticks(ns, [str(n) for n in ns])
        ax.minorticks_off()
        ax.set_xlabel("N")
        ax.set_ylabel("steps near the mixed state")
        ax.set_title("plateau (dashed: N = ∞ map, ε = √((1−b²)/N))", fontsize=8)
        ax.legend(fontsize=6)
    return fig


def _image_grid(ax_row, df):
    pix = df[[f"p{i}" for i in range(784)]].to_numpy(dtype=float)
    for ax, img in zip(ax_row, pix, strict=False):
        ax.imshow(img.reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
    for ax in ax_row:
        ax.axis("off")


def vae_training_figure(tables):
    main = tables["training"]
    sweeps = [v for k, v in tables.items() if k.startswith("sweep_training")]
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(4.8, 3.3))
        ax.plot(
            main["epoch"],
            main["train_loss"],
            "o-",
            color="C0",
            label=f"train (latent {main['latent'].iloc[0]})",
        )
        ax.plot(main["epoch"], main["test_loss"], "s--", color="C0", label="test")
        for i, df in enumerate(sweeps, start=1):
            ax.plot(
                df["epoch"],
                df["test_loss"],
                "s--",
                color=f"C{i}",
                ms=3,
                label=f"test (latent {df['latent'].iloc[0]})",
            )
        ax.set_xlabel("epoch")
        ax.set_ylabel("negative ELBO (nats per image)")
        ax.set_title(f"final test loss {main['test_loss'].iloc[-1]:.1f}")
        ax.legend(fontsize=7)
    return fig


def vae_images_figure(tables):
    df = tables["images"]
    kinds = ["original", "reconstruction", "sample", "concept"]
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(len(kinds), 10, figsize=(7, 3.2))
        for r, kind in enumerate(kinds):
            _image_grid(axes[r], df[df["kind"] == kind].sort_values("index"))
            axes[r, 0].set_title(kind, fontsize=7, loc="left")
    return fig


def vae_concept_distance_figure(tables):
    dist, summ = tables["concept_distance"], tables["inference_summary"]
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, 3, figsize=(11, 3.3))
        noises = sorted(dist["noise"].unique())
        latents = sorted(dist["latent"].unique())
        main_latent = int(dist.loc[dist["main_model"].astype(bool), "latent"].iloc[0])
        cmap = plt.get_cmap("viridis")
        for i, noise in enumerate(noises):
            g = dist[(dist["noise"] == noise) & (dist["latent"] == main_latent)].sort_values("t")
            s = summ[(summ["noise"] == noise) & (summ["latent"] == main_latent)].iloc[0]
            c = cmap(i / max(1, len(noises) - 1))
            label = f"noise {noise:g}: min at t={int(s['t_min'])}, {s['min_over_start']:.2f}× start"
            axes[0].plot(g["t"], g["distance_own_mean"], "-", color=c, label=label)
            sd_lo, sd_hi = (
                g["distance_own_mean"] - g["distance_own_std"],
                g["distance_own_mean"] + g["distance_own_std"],
            )
            axes[0].fill_between(g["t"], sd_lo, sd_hi, color=c, alpha=0.08, lw=0)
            axes[0].plot(g["t"], g["distance_other_mean"], ":", color=c)
            axes[1].plot(g["t"], g["distance_global_mean"], "-", color=c, label=f"noise {noise:g}")
        axes[0].set_title(
            f"latent {main_latent}: own concept (solid, band ± sd), others (dotted)", fontsize=8
        )
        axes[1].set_title("distance to the global centre", fontsize=8)
        for i, latent in enumerate(latents):
            g = dist[(dist["noise"] == noises[0]) & (dist["latent"] == latent)].sort_values("t")
            axes[2].plot(
                g["t"],
                g["distance_own_mean"] / g["distance_own_mean"].iloc[0],
                "-",
                color=f"C{i}",
                label=f"latent {latent}",
            )
        axes[2].set_title(f"own concept, relative to t = 0 (noise {noises[0]:g})", fontsize=8)
        for ax in axes:
            ax.set_xlabel("inference step t")
            ax.legend(fontsize=6)
        axes[0].set_ylabel("‖z(t) − concept‖ (mean over chains)")
    return fig


def vae_strips_figure(tables):
    df = tables["strips"]
    chains = sorted(df["chain"].unique())
    ts = sorted(df["t"].unique())
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(
            len(chains), len(ts), figsize=(0.7 * len(ts), 0.75 * len(chains)), squeeze=False
        )
        for r, c in enumerate(chains):
            _image_grid(axes[r], df[df["chain"] == c].sort_values("t"))
        for j, t in enumerate(ts):
            axes[0, j].set_title(f"t={t}", fontsize=6)
        fig.suptitle("repeated inference: decoder mean of x(t)", fontsize=8)
    return fig


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


# ---------------------------------------------------------------------------------------------
# Face cells
# ---------------------------------------------------------------------------------------------
FC_MARKERS = "osD^v<>ph*XP8"
FC_COLORS = ("tab:red", "tab:blue", "tab:green", "tab:purple", "tab:orange", "tab:brown")
FC_SOURCE_TITLE = {
    "synthetic": "synthetic data",
    "recording": "recording",
    "model": "associative-memory model",
}


def _fc_pairs(tables, name):
    """(source, table) for the data and the model."""
    return [(t["source"].iloc[0], t) for t in (tables[f"{name}_data"], tables[f"{name}_model"])]


def _fc_scatter(ax, g, legend=False):
    globals_ = list(dict.fromkeys(g["global_label"]))
    for gi, glab in enumerate(globals_):
        sub = g[g["global_label"] == glab]
        fines = list(dict.fromkeys(sub["fine_label"]))
        for fi, flab in enumerate(fines):
            pts = sub[sub["fine_label"] == flab]
            ax.scatter(
                pts["pc1"],
                pts["pc2"],
                s=16,
                color=FC_COLORS[gi % len(FC_COLORS)],
                marker=FC_MARKERS[fi % len(FC_MARKERS)],
                edgecolors="none",
                alpha=0.85,
                label=f"{glab}: {flab}" if legend else None,
            )
    ax.set_xticks([])
    ax.set_yticks([])


def _fc_pca_grid(tables, kind: str, panel: tuple[float, float]):
    """Figure with one row per source and one column per window of ``kind``; yields the panels."""
    pairs = _fc_pairs(tables, "pca")
    starts = sorted(pairs[0][1].query("kind == @kind")["window_start"].unique())
    fig, axes = plt.subplots(2, len(starts), figsize=(panel[0] * len(starts), panel[1] * 2), squeeze=False)
    cells = []
    for r, (source, df) in enumerate(pairs):
        sub = df[df["kind"] == kind]
        for c, start in enumerate(starts):
            g = sub[sub["window_start"] == start]
            _fc_scatter(axes[r, c], g, legend=(r == 0 and c == 0))
            cells.append((axes[r, c], r, c, source, g))
    return fig, cells


def facecells_pca_figure(tables):
    with plt.rc_context(STYLE):
        fig, cells = _fc_pca_grid(tables, "snapshot", (2.9, 2.8))
        for ax, _r, _c, source, g in cells:
            ev = g["explained1"].iloc[0] + g["explained2"].iloc[0]
            window = f"[{g['window_start'].iloc[0]}, {g['window_end'].iloc[0]}] ms"
            ax.set_title(f"{FC_SOURCE_TITLE.get(source, source)}\n{window}", fontsize=8)
            ax.set_xlabel(f"PC1 (PC1+2: {100 * ev:.0f}% var.)", fontsize=7)
            ax.set_ylabel("PC2", fontsize=7)
        fig.legend(
            loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=6, title="colour: global; marker: fine"
        )
        fig.tight_layout()
    return fig


def facecells_multiples_figure(tables):
    with plt.rc_context(STYLE):
        fig, cells = _fc_pca_grid(tables, "multiple", (1.25, 1.5))
        for ax, r, c, source, g in cells:
            if r == 0:
                ax.set_title(f"{g['window_start'].iloc[0]}–{g['window_end'].iloc[0]}", fontsize=6)
            if c == 0:
                ax.set_ylabel(FC_SOURCE_TITLE.get(source, source), fontsize=7)
        fig.suptitle(
            "PC1 vs PC2 of the population vectors, window [start, end] ms (colour: global category)",
            fontsize=8,
        )
    return fig


def facecells_information_figure(tables):
    pairs = _fc_pairs(tables, "information")
    onsets, ov = tables["onsets"], tables["model_overlaps"]
    colors = {"global": "tab:red", "fine": "tab:blue"}
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, 3, figsize=(11.5, 3.3))
        for ax, (source, df) in zip(axes, pairs, strict=False):
            for name, color in colors.items():
                g = df[df["information"] == name].sort_values("window_end")
                ax.fill_between(g["window_end"], g["chance"], g["null_q95"], color=color, alpha=0.12, lw=0)
                ax.plot(g["window_end"], g["accuracy"], color=color, lw=1.2, label=f"{name} (accuracy)")
                ax.axhline(g["chance"].iloc[0], color=color, lw=0.6, ls=":")
                row = onsets[(onsets["source"] == source) & (onsets["information"] == name)]
                if len(row):
                    true, found = row["true_onset_ms"].iloc[0], row["onset_ms"].iloc[0]
                    if np.isfinite(true):
                        ax.axvline(true, color=color, ls="--", lw=0.9)
                    if np.isfinite(found):
                        ax.plot([found], [g["chance"].iloc[0]], marker="^", color=color, ms=7)
            ax.set_title(FC_SOURCE_TITLE.get(source, source))
            on = onsets[onsets["source"] == source].set_index("information")
            if {"global", "fine"} <= set(on.index):
                gap = on.loc["fine", "onset_ms"] - on.loc["global", "onset_ms"]
                true_gap = on.loc["fine", "true_onset_ms"] - on.loc["global", "true_onset_ms"]
                text = f"fine − global onset: {gap:.0f} ms" + (
                    f" (truth {true_gap:.0f} ms)" if np.isfinite(true_gap) else ""
                )
                ax.set_title(f"{FC_SOURCE_TITLE.get(source, source)}\n{text}", fontsize=9)
            ax.set_xlabel("window end (ms after stimulus onset)")
            ax.set_ylabel("cross-validated decoding accuracy")
        axes[0].legend(fontsize=7, loc="upper left")
        axes[1].text(
            0.98,
            0.02,
            "band: chance to 95% of the permutation null\n--- true onset, ▲ detected onset",
            transform=axes[1].transAxes,
            ha="right",
            va="bottom",
            fontsize=6,
        )
        ax = axes[2]
        for col, lab in (
            ("m_stimulus", "own stimulus"),
            ("m_prototype", "its fine-label prototype"),
            ("m_category", "its category"),
        ):
            ax.plot(ov["time_ms"], ov[col], marker=".", ms=3, label=lab)
        ax.set_xlabel("time after stimulus onset (ms)")
        ax.set_ylabel("overlap of the model state")
        ax.set_title("model: macroscopic overlaps")
        ax.legend(fontsize=7)
        fig.tight_layout()
    return fig


def facecells_mixture_figure(tables):
    pairs = _fc_pairs(tables, "mixture")
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(2, 2, figsize=(8.5, 5.0), sharex=True, squeeze=False)
        for c, (source, df) in enumerate(pairs):
            ax = axes[0, c]
            ax.step(df["window_end"], df["n_clusters"], where="mid", color="k")
            ax.set_ylabel("effective clusters")
            ax.set_title(FC_SOURCE_TITLE.get(source, source))
            ax = axes[1, c]
            ax.plot(df["window_end"], df["ari_global"], color="tab:red", label="ARI vs global labels")
            ax.plot(df["window_end"], df["ari_fine"], color="tab:blue", label="ARI vs fine labels")
            ax.plot(df["window_end"], df["ami_global"], color="tab:red", ls=":", label="AMI vs global")
            ax.plot(df["window_end"], df["ami_fine"], color="tab:blue", ls=":", label="AMI vs fine")
            ax.set_xlabel("window end (ms)")
            ax.set_ylabel("agreement")
        axes[1, 0].legend(fontsize=6)
        fig.tight_layout()
    return fig


@dataclass(frozen=True)
class FigureSpec:
    draw: Callable
    tables: tuple[str, ...]


FIGURES: dict[str, FigureSpec] = {
    "hopfield_overlap_dynamics": FigureSpec(overlap_dynamics_figure, ("overlap_dynamics",)),
    "hopfield_capacity": FigureSpec(
        capacity_figure, ("capacity_summary", "capacity_theory", "capacity_estimates")
    ),
    "hopfield_basin": FigureSpec(basin_figure, ("basin_fractions", "basin")),
    "data_mnist_samples": FigureSpec(mnist_samples_figure, ("mnist_samples",)),
    "concepts_mixed_overlaps": FigureSpec(concepts_mixed_overlaps_figure, ("mixed_state_overlaps",)),
    "concepts_phase_diagram": FigureSpec(concepts_phase_diagram_figure, ("concept_map", "bifurcation")),
    "concepts_phase_portrait": FigureSpec(
        concepts_phase_portrait_figure, ("portrait_field", "portrait_fixed_points", "retrieval_dynamics")
    ),
    "neocognitron_curves": FigureSpec(neocognitron_curves_figure, ("curves", "accuracy")),
    "neocognitron_kernels": FigureSpec(neocognitron_kernels_figure, ("kernels", "delta")),
    "vae_training": FigureSpec(vae_training_figure, ("training",)),
    "vae_images": FigureSpec(vae_images_figure, ("images",)),
    "vae_concept_distance": FigureSpec(
        vae_concept_distance_figure, ("concept_distance", "inference_summary")
    ),
    "vae_strips": FigureSpec(vae_strips_figure, ("strips",)),
    "facecells_pca": FigureSpec(facecells_pca_figure, ("pca_data", "pca_model")),
    "facecells_multiples": FigureSpec(facecells_multiples_figure, ("pca_data", "pca_model")),
    "facecells_information": FigureSpec(
        facecells_information_figure, ("information_data", "information_model", "onsets", "model_overlaps")
    ),
    "facecells_mixture": FigureSpec(facecells_mixture_figure, ("mixture_data", "mixture_model")),
    "concepts_retrieval_dynamics": FigureSpec(
        concepts_retrieval_dynamics_figure, ("retrieval_dynamics", "plateaus")
    ),
}


def draw(name: str, tables: dict[str, pd.DataFrame]):
    try:
        spec = FIGURES[name]
    except KeyError:
        raise ValueError(f"unknown figure {name!r}; known: {sorted(FIGURES)}") from None
    missing = [t for t in spec.tables if t not in tables]
    if missing:
        raise ValueError(f"figure {name!r} needs tables {missing}")
    return spec.draw(tables)
