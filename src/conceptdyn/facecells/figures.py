"""Face-cell figures: data and model side by side, each drawn only from the tables saved beside it."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from conceptdyn.core.figures import STYLE

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
            ("m_siblings", "the other stimuli of its category (mean)"),
        ):
            if col in ov:
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


ROUTE_COLORS = {
    "category_first": "tab:green",
    "stimulus_direct": "tab:blue",
    "category_only": "tab:orange",
    "none": "0.8",
}


def facecells_regimes_figure(tables):
    """The regime map's coarse grid: one panel per coding x learning x input; cells b x (T, h) coloured
    by route,
    annotated with the fine - global onset difference (ms) from the decoding analysis."""
    df = tables["regimes"]
    df = df[df["grid"] == "coarse"]  # the theory-guided rows: figure facecells_theory
    choice = tables["regime_choice"].iloc[0]
    panels = list(df.groupby(["coding", "learning", "input"], sort=False))
    cols = min(4, len(panels))
    rows = -(-len(panels) // cols)
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(rows, cols, figsize=(3.3 * cols, 2.9 * rows), squeeze=False)
        for ax, ((coding, learning, inp), g) in zip(axes.flat, panels, strict=False):
            bs = sorted({(f, s) for f, s in zip(g["b_fine"], g["b_stimulus"], strict=True)})
            ys = sorted(
                {
                    (t, h, e)
                    for t, h, e in zip(g["temperature"], g["input_strength"], g["coarse_bias"], strict=True)
                }
            )
            for _, r in g.iterrows():
                x = bs.index((r["b_fine"], r["b_stimulus"]))
                y = ys.index((r["temperature"], r["input_strength"], r["coarse_bias"]))
                ax.add_patch(plt.Rectangle((x - 0.5, y - 0.5), 1, 1, color=ROUTE_COLORS[r["route"]]))
                gap = r["onset_gap_ms"]
                label = ("n.s." if gap != gap else f"{gap:+.0f}") + ("\nsplit" if bool(r["split"]) else "")
                ax.text(x, y, label, ha="center", va="center", fontsize=6 if bool(r["split"]) else 7)
            ax.set_xlim(-0.5, len(bs) - 0.5)
            ax.set_ylim(-0.5, len(ys) - 0.5)
            ax.set_xticks(range(len(bs)), [f"{f:g}/{s:g}" for f, s in bs], fontsize=6, rotation=45)
            ylab = [
                f"T={t:g}"
                + (f", h={h:g}" if "field" in inp else "")
                + (f", bias={e:g}" if "coarse" in inp else "")
                for t, h, e in ys
            ]
            ax.set_yticks(range(len(ys)), ylab, fontsize=7)
            ax.set_xlabel("b_fine / b_stimulus")
            ax.set_title(f"{coding}, {learning}, {inp}", fontsize=8)
        for ax in axes.flat[len(panels) :]:
            ax.axis("off")
        handles = [
            plt.Rectangle((0, 0), 1, 1, color=c, label=r.replace("_", " ")) for r, c in ROUTE_COLORS.items()
        ]
        fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=7, bbox_to_anchor=(0.5, -0.02))
        verdict = "chosen: " + (
            f"{choice['coding']}, {choice['learning']}, {choice['input']}, "
            f"b={choice['b_fine']:g}/{choice['b_stimulus']:g}, T={choice['temperature']:g}"
            if bool(choice["chosen"])
            else "no setting shows category first, then stimulus, with a fine onset >= 20 ms later"
        )
        fig.suptitle(
            "Face-cell model: route per setting (numbers: fine - global onset, ms; split: the mixture's "
            f"global clusters split by fine labels later). {verdict}",
            fontsize=8,
        )
        fig.tight_layout(rect=(0, 0.04, 1, 0.96))
    return fig


def facecells_tradeoff_figure(tables):
    """Every setting of the map: the overlap with the stimulus at the end of the trial (retrieval needs
    >= ``retrieved``) against the gain of the mixture's agreement with the fine labels from the early to
    the late window (a split needs > 0), coloured by b_stimulus; filled: route category first."""
    df = tables["regimes"]
    gain = df["ari_fine_late"] - df["ari_fine_early"]
    levels = sorted(df["b_stimulus"].unique())
    cmap = plt.get_cmap("viridis", max(len(levels), 2))
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, 2, figsize=(9, 3.8), sharey=True)
        for ax, coding in zip(axes, ("pm1", "sparse"), strict=True):
            sub = df["coding"] == coding
            for k, b in enumerate(levels):
                for first in (True, False):
                    m = sub & (df["b_stimulus"] == b) & ((df["route"] == "category_first") == first)
                    ax.scatter(
                        df.loc[m, "m_stimulus_end"],
                        gain[m],
                        s=22,
                        color=cmap(k) if first else "none",
                        edgecolors=cmap(k),
                        label=f"b_stimulus {b:g}" if first else None,
                    )
            ax.axvline(0.8, color="0.4", lw=0.8, ls="--")
            ax.axhline(0.0, color="0.4", lw=0.8, ls="--")
            ax.set_xlabel("overlap with the stimulus at the end of the trial")
            ax.set_title("+-1 neurons" if coding == "pm1" else "sparse 0/1 neurons", fontsize=9)
        axes[0].set_ylabel("fine ARI, late - early window")
        axes[1].legend(fontsize=7, loc="upper left")
        fig.suptitle(
            "Face-cell regime map: retrieval of the stimulus (right of the dashed line) vs. the later split "
            "by fine labels (above it); filled = category first",
            fontsize=8,
        )
        fig.tight_layout(rect=(0, 0, 1, 0.94))
    return fig


def facecells_theory_figure(tables):
    """Where the theory puts the window, and what the simulation finds there: one panel per
    stimulus-aligned input and b_stimulus, cells b_fine x T coloured by the route the N -> infinity
    tree map predicts most often over the cue overlaps (and field strengths); outlined cells hold
    settings of the window (category first, plateau in range; the number of them); dots: the
    simulated settings of the map (theory-guided and coarse rows) at their b_fine and T, coloured by
    their simulated route; dashed: where the category's mixed state turns from saddle to attractor
    (largest eigenvalue 1, catalogue's largest category)."""
    scan, sims = tables["regime_theory"], tables["regimes"]
    sims = sims[sims["coding"].eq("pm1") & sims["learning"].eq("hebb") & sims["input"].isin(scan["input"])]
    panels = list(scan.groupby(["input", "b_stimulus"], sort=True))
    cols = max(1, scan["b_stimulus"].nunique())
    rows = -(-len(panels) // cols)
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 3.0 * rows), squeeze=False)
        for ax, ((inp, bs), g) in zip(axes.flat, panels, strict=False):
            xs, ys = sorted(g["b_fine"].unique()), sorted(g["temperature"].unique())
            dx = min(np.diff(xs)) if len(xs) > 1 else 0.1
            dy = min(np.diff(ys)) if len(ys) > 1 else 0.1
            for (bf, t), cell in g.groupby(["b_fine", "temperature"]):
                route = cell["theory_route"].mode().iloc[0]
                ax.add_patch(
                    plt.Rectangle(
                        (bf - dx / 2, t - dy / 2), dx, dy, color=ROUTE_COLORS.get(route, "white"), alpha=0.45
                    )
                )
                n = int(cell["in_window"].sum())
                if n:
                    ax.add_patch(plt.Rectangle((bf - dx / 2, t - dy / 2), dx, dy, fill=False, ec="k", lw=1.0))
                    ax.text(bf, t, str(n), ha="center", va="center", fontsize=5)
            if "category_lambda" in g and len(xs) > 1 and len(ys) > 1:
                lam = g.groupby(["temperature", "b_fine"])["category_lambda"].first().unstack()
                if np.nanmin(lam.to_numpy()) < 1 < np.nanmax(lam.to_numpy()):
                    ax.contour(
                        lam.columns, lam.index, lam.to_numpy(), levels=[1.0], colors="k", linestyles="--"
                    )
            here = sims[(sims["input"] == inp) & np.isclose(sims["b_stimulus"], bs)]
            for _, r in here.iterrows():
                ax.scatter(
                    r["b_fine"] + dx * 0.25,
                    r["temperature"] + dy * 0.25,
                    s=18,
                    color=ROUTE_COLORS[r["route"]],
                    edgecolors="k",
                    linewidths=0.6,
                    marker="o" if r["grid"] == "theory" else "s",
                    zorder=3,
                )
            ax.set_xlim(xs[0] - dx / 2, xs[-1] + dx / 2)
            ax.set_ylim(ys[0] - dy / 2, ys[-1] + dy / 2)
            ax.set_xlabel("b_fine")
            ax.set_ylabel("temperature T")
            ax.set_title(f"{inp}, b_stimulus {bs:g}", fontsize=8)
        for ax in axes.flat[len(panels) :]:
            ax.axis("off")
        handles = [
            plt.Rectangle((0, 0), 1, 1, color=c, alpha=0.45, label=f"theory: {r.replace('_', ' ')}")
            for r, c in ROUTE_COLORS.items()
        ] + [
            plt.Line2D([], [], ls="", marker="o", mfc="w", mec="k", label="simulated, theory-guided"),
            plt.Line2D([], [], ls="", marker="s", mfc="w", mec="k", label="simulated, coarse grid"),
            plt.Line2D([], [], ls="--", color="k", label="category mixed state: lambda = 1 (saddle below)"),
        ]
        fig.legend(handles=handles, loc="lower center", ncol=7, fontsize=7, bbox_to_anchor=(0.5, -0.01))
        n_win, n_sim = int(scan["in_window"].sum()), int(scan["simulated"].sum())
        found = sims[sims["grid"] == "theory"]["route"].value_counts().to_dict()
        fig.suptitle(
            "Face-cell model, stimulus-aligned inputs: N -> infinity tree map (cells: most frequent "
            "predicted "
            f"route over cue overlaps and field strengths; outlined: {n_win} settings in the window) and "
            f"{n_sim} simulated window settings (dots, simulated route: {found})",
            fontsize=8,
        )
        fig.tight_layout(rect=(0, 0.05, 1, 0.95))
    return fig


def facecells_scale_figure(tables):
    """Face cells at scale: (a) per N the window settings whose simulated route is the theory's, and
    those category first in the simulation (the theory's count dashed); (b, c) the final stimulus
    overlap and the sibling peak of each setting against 1/sqrt(N) with their intervals, the fit
    y_inf + c/sqrt(N) and its extrapolated value with interval at 1/sqrt(N) = 0, beside the theory's
    value there (stars: N -> infinity)."""
    routes, ext, agree = tables["routes"], tables["extrapolation"], tables["agreement"]
    settings = sorted(routes["setting"].unique())
    colors = plt.get_cmap("tab20")(np.linspace(0, 1, max(len(settings), 2)))
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, 3, figsize=(13, 4))
        ax = axes[0]
        ax.plot(agree["N"], agree["agree"], "o-", color="k", ms=9, mfc="none", label="route = theory's")
        ax.plot(
            agree["N"],
            agree["category_first"],
            "s-",
            color=ROUTE_COLORS["category_first"],
            label="category first",
        )
        ax.plot(
            agree["N"],
            agree["theory_category_first"],
            "--",
            color=ROUTE_COLORS["category_first"],
            label="category first, theory (N -> inf)",
        )
        ax.set_xscale("log")
        ax.set_ylim(-0.3, agree["settings"].max() + 0.3)
        ax.set_xlabel("N")
        ax.set_ylabel(f"settings (of {int(agree['settings'].max())})")
        ax.set_title("(a) routes against N", fontsize=9)
        ax.legend(fontsize=7)
        for ax, q, label in (
            (axes[1], "m_stimulus_end", "final overlap with the stimulus"),
            (axes[2], "sibling_peak", "peak overlap with the siblings"),
        ):
            for color, k in zip(colors, settings, strict=False):
                g = routes[routes["setting"] == k].sort_values("N")
                x = g["inv_sqrt_N"].to_numpy()
                err = np.abs(np.stack([g[q] - g[f"{q}_low"], g[f"{q}_high"] - g[q]]))
                ax.errorbar(x, g[q], yerr=err, fmt="o", ms=3, color=color, lw=0.8)
                e = ext[(ext["setting"] == k) & (ext["quantity"] == q)]
                if len(e):
                    e = e.iloc[0]
                    xs = np.linspace(0, x.max(), 20)
                    ax.plot(xs, e["extrapolated"] + e["slope"] * xs, "-", color=color, lw=0.7, alpha=0.7)
                    ax.errorbar(
                        [0.0],
                        [e["extrapolated"]],
                        yerr=[[e["extrapolated"] - e["ci_low"]], [e["ci_high"] - e["extrapolated"]]],
                        fmt="D",
                        ms=4,
                        color=color,
                        mfc="white",
                    )
                    ax.plot([0.0], [e["theory"]], "*", ms=9, color=color, mec="k", mew=0.4)
            ax.set_xlabel("1/sqrt(N)")
            ax.set_ylabel(label)
            ax.set_xlim(left=-0.0004)
        axes[1].set_title(
            "(b) final stimulus overlap: fit and extrapolation (open), theory (star)", fontsize=9
        )
        axes[2].set_title("(c) sibling peak: the category passage", fontsize=9)
        fig.suptitle(
            f"Face-cell model at scale: {len(settings)} settings of the tree theory's window, "
            f"N = {', '.join(f'{n:,}' for n in sorted(routes['N'].unique()))}",
            fontsize=9,
        )
        fig.tight_layout(rect=(0, 0, 1, 0.94))
    return fig


def facecells_scale_trajectories_figure(tables):
    """The trial-averaged overlaps with the stimulus (solid) and the siblings (dashed) of every window
    setting, one panel per setting, one colour per N (darker: larger); the panel title gives the
    theory's route and the simulated one at the largest N."""
    routes, traj = tables["routes"], tables["trajectories"]
    settings = sorted(traj["setting"].unique())
    sizes = sorted(traj["N"].unique())
    shades = plt.get_cmap("viridis")(np.linspace(0.85, 0.05, len(sizes)))
    cols = min(4, len(settings))
    rows = -(-len(settings) // cols)
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.6 * rows), squeeze=False, sharey=True)
        for ax, k in zip(axes.flat, settings, strict=False):
            for color, n in zip(shades, sizes, strict=True):
                g = traj[(traj["setting"] == k) & (traj["N"] == n)]
                ax.plot(g["time_ms"], g["m_stimulus"], "-", color=color, lw=1, label=f"N = {n:,}")
                ax.plot(g["time_ms"], g["m_siblings"], "--", color=color, lw=1)
            r = routes[(routes["setting"] == k)].sort_values("N").iloc[-1]
            ax.set_title(
                f"{r['input']} b_f {r['b_fine']:g} b_s {r['b_stimulus']:g} T {r['temperature']:g} c "
                f"{r['cue_overlap']:g}\ntheory {r['theory_route']}; N = {int(r['N']):,}: {r['route']}",
                fontsize=6,
            )
            ax.set_xlabel("time after stimulus onset (ms)")
        for ax in axes.flat[len(settings) :]:
            ax.axis("off")
        axes[0, 0].set_ylabel("overlap")
        axes[0, 0].legend(fontsize=6)
        fig.suptitle("Window settings at growing N: stimulus (solid) and siblings (dashed)", fontsize=9)
        fig.tight_layout(rect=(0, 0, 1, 0.95))
    return fig


def facecells_scale_sparse_figure(tables):
    """The tree theory's window (N -> infinity) for ±1 and sparse (0/1) coding: per coding and input the
    settings in the window, (a) their sibling peak (how strongly the state approaches the category) and
    (b) their predicted plateau (how long it stays there), each setting a dot, the median a bar."""
    scans = {"pm1": tables["regime_theory"], "sparse": tables["sparse_theory"]}
    comparison = tables["comparison"]
    groups = [(c, i) for c, scan in scans.items() for i in sorted(scan["input"].unique())]
    rng = np.random.default_rng(0)  # horizontal jitter of the dots only
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
        for ax, col, label in (
            (axes[0], "theory_sibling_peak", "sibling peak (N -> infinity)"),
            (axes[1], "theory_plateau_steps", "predicted plateau (steps of 10 ms)"),
        ):
            for k, (coding, inp) in enumerate(groups):
                scan = scans[coding]
                w = scan[(scan["input"] == inp) & scan["in_window"].astype(bool)]
                color = "tab:blue" if coding == "pm1" else "tab:orange"
                if len(w):
                    x = k + 0.15 * rng.uniform(-1, 1, len(w))
                    ax.scatter(x, w[col], s=8, color=color, alpha=0.5, edgecolors="none")
                    ax.hlines(w[col].median(), k - 0.3, k + 0.3, color="k", lw=1.5)
                row = comparison[(comparison["coding"] == coding) & (comparison["input"] == inp)]
                n_in = int(row["in_window"].iloc[0]) if len(row) else len(w)
                n_all = int(row["settings"].iloc[0]) if len(row) else len(scan)
                ax.text(
                    k,
                    1.0,
                    f"{n_in}/{n_all}",
                    transform=ax.get_xaxis_transform(),
                    ha="center",
                    va="bottom",
                    fontsize=7,
                )
            ax.set_xticks(range(len(groups)))
            ax.set_xticklabels([f"{c}\n{i}" for c, i in groups])
            ax.set_ylabel(label)
        axes[0].set_title("(a) strength of the category passage", fontsize=9, pad=14)
        axes[1].set_title("(b) its length", fontsize=9, pad=14)
        fig.suptitle(
            "Tree theory's window: settings in the window / scanned, +-1 against sparse coding", fontsize=9
        )
        fig.tight_layout(rect=(0, 0, 1, 0.93))
    return fig


# figure name (results/figures/<name>.png) -> drawing function; the tables come from the rules
FIGURES = {
    "facecells_scale_sparse": facecells_scale_sparse_figure,
    "facecells_scale": facecells_scale_figure,
    "facecells_scale_trajectories": facecells_scale_trajectories_figure,
    "facecells_pca": facecells_pca_figure,
    "facecells_multiples": facecells_multiples_figure,
    "facecells_information": facecells_information_figure,
    "facecells_mixture": facecells_mixture_figure,
    "facecells_regimes": facecells_regimes_figure,
    "facecells_tradeoff": facecells_tradeoff_figure,
    "facecells_theory": facecells_theory_figure,
}
