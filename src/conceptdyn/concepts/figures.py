"""Concept-formation figures (lecture part 3), each drawn only from the tables saved beside it."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from conceptdyn.core.figures import STYLE


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


def concepts_sparse_figure(tables):
    """Sparse coding beside ±1: stability of the mixed state (exact map) and m1(t), m2(t) from the parent."""
    fp, sp, pm = tables["sparse_fixed_points"], tables["sparse_retrieval"], tables["retrieval_dynamics"]
    b_list = sorted(sp["b"].unique())
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, 2 + len(b_list), figsize=(3.6 * (2 + len(b_list)), 3.3))
        ax = axes[0]
        finite = fp[np.isfinite(fp["max_eigenvalue"])]
        temps = sorted(finite["temperature"].unique())
        cmap = plt.get_cmap("coolwarm")
        for s_i, (s, g_s) in enumerate(finite.groupby("s")):
            for i, temp in enumerate(temps):
                g = g_s[g_s["temperature"] == temp].sort_values("b")
                ax.plot(
                    g["b"],
                    g["max_eigenvalue"],
                    ["o-", "s--"][s_i % 2],
                    ms=3,
                    lw=1,
                    color=cmap(i / max(1, len(temps) - 1)),
                    label=f"s = {s}, T = {temp:g}",
                )
        ax.axhline(1, color="k", lw=0.8)
        ax.set_xlabel("child–parent correlation b")
        ax.set_ylabel("largest |eigenvalue| at the mixed state")
        a = float(fp["a"].iloc[0])
        ax.set_title(f"sparse (a = {a:g}): saddle above 1 (T = 0: unstable)", fontsize=8)
        ax.legend(fontsize=5, ncol=2)
        panels = [("sparse", sp[sp["b"] == b], b) for b in b_list]
        s3 = int(sp["s"].iloc[0])
        pm = pm[(pm["s"] == s3)] if "s" in pm else pm
        b_pm = min(pm["b"].unique(), key=lambda v: abs(v - b_list[0]))
        n_pm = int(pm["N"].max())
        panels.append(("±1", pm[(pm["b"] == b_pm) & ((pm["N"] == n_pm) | (pm["source"] == "theory"))], b_pm))
        for ax, (coding, g, b) in zip(axes[1:], panels, strict=True):
            sim, th = g[g["source"] == "simulation"], g[g["source"] == "theory"]
            if coding == "±1":
                th = th[th["N"] == n_pm]
            for _, tr in sim.groupby("trial"):
                ax.plot(tr["t"], tr["m1"], color="C0", lw=0.5, alpha=0.5)
                ax.plot(tr["t"], tr["m2"], color="C1", lw=0.5, alpha=0.5)
            ax.plot(th["t"], th["m1"], color="C0", lw=2, label="m1 (exact map)")
            ax.plot(th["t"], th["m2"], color="C1", lw=2, label="m2 (exact map)")
            ax.plot(th["t"], th["m_parent"], "k:", lw=1.2, label="parent (map)")
            temp = float(g["temperature"].iloc[0])
            ax.set_title(f"{coding}, b = {b:g}, T = {temp:g}: thin = simulation trials", fontsize=8)
            ax.set_xlabel("step t")
        axes[1].set_ylabel("overlap")
        axes[1].legend(fontsize=6)
        fig.tight_layout()
    return fig


# figure name (results/figures/<name>.png) -> drawing function; the tables come from the rules
FIGURES = {
    "concepts_mixed_overlaps": concepts_mixed_overlaps_figure,
    "concepts_phase_diagram": concepts_phase_diagram_figure,
    "concepts_phase_portrait": concepts_phase_portrait_figure,
    "concepts_retrieval_dynamics": concepts_retrieval_dynamics_figure,
    "concepts_sparse": concepts_sparse_figure,
}
