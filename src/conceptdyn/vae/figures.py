"""VAE figures (lecture part 4), each drawn only from the tables saved beside it."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from conceptdyn.core.figures import STYLE


def _image_grid(ax_row, df):
    pix = df[[f"p{i}" for i in range(784)]].to_numpy(dtype=float)
    for ax, img in zip(ax_row, pix, strict=False):
        ax.imshow(img.reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
    for ax in ax_row:
        ax.axis("off")


def _rows(df, **equal):
    """The rows of ``df`` whose columns equal the given values, in time order when there is a ``t``."""
    mask = np.logical_and.reduce([df[col] == value for col, value in equal.items()])
    out = df[mask]
    return out.sort_values("t") if "t" in out else out


def _depth_label(s) -> str:
    """``depth d [low, high]`` of a row of the inference summary."""
    return f"depth {s['mu_depth']:.2f} [{s['mu_depth_ci_low']:.2f}, {s['mu_depth_ci_high']:.2f}]"


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
        if "validation_loss" in main and main["validation_loss"].notna().any():
            ax.plot(main["epoch"], main["validation_loss"], ":", color="C0", label="validation")
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
        stop = main["stop"].iloc[-1] if "stop" in main else "cap"
        last = main.iloc[-1]
        ax.set_title(f"final test loss {last['test_loss']:.1f} (stopped: {stop}, epoch {last['epoch']})")
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


def _split_beta(df):
    """``(rows of the main model's KL weight, rows of the other KL weights)`` (the labelled variants)."""
    if "beta" not in df:
        return df, df.iloc[:0]
    main_beta = df.loc[df["main_model"].astype(bool), "beta"].iloc[0]
    return df[df["beta"] == main_beta], df[df["beta"] != main_beta]


STYLES = ["-", "--", ":", "-."]


def _noise_colour(i: int, noises) -> tuple:
    return plt.get_cmap("viridis")(i / max(1, len(noises) - 1))


def _own_distance_panel(ax, dist, summ, chain, kinds, noises, latent):
    """One chain kind: the mean distance of μ(t) to the own concept per noise kind and level."""
    for k, kind in enumerate(kinds):
        for i, noise in enumerate(noises):
            sel = dict(chain=chain, noise_kind=kind, noise=noise, latent=latent)
            g = _rows(dist, **sel)
            s = _rows(summ, **sel).iloc[0]
            label = f"{kind} {noise:g}: t_min {int(s['mu_t_min'])}, {_depth_label(s)}"
            ax.plot(
                g["t"] + 1,
                g["mu_distance_own_mean"],
                STYLES[k % 4],
                color=_noise_colour(i, noises),
                label=label,
            )
    ax.set_xscale("log")
    ax.set_title(f"{chain} chain, latent {latent}: ‖μ(t) − own concept‖", fontsize=8)
    ax.set_xlabel("inference step t + 1")
    ax.legend(fontsize=5)


def _global_panel(ax, dist, chain, kinds, noises, latent):
    """The distance to the global centre per noise kind and level."""
    for k, kind in enumerate(kinds):
        for i, noise in enumerate(noises):
            g = _rows(dist, chain=chain, noise_kind=kind, noise=noise, latent=latent)
            ax.plot(
                g["t"] + 1,
                g["mu_distance_global_mean"],
                STYLES[k % 4],
                color=_noise_colour(i, noises),
                label=f"{kind} {noise:g}",
            )
    ax.set_xscale("log")
    ax.set_title(f"{chain} chain: distance to the global centre", fontsize=8)
    ax.set_xlabel("inference step t + 1")
    ax.legend(fontsize=6)


def _latent_panel(ax, dist, chain, kind, noise):
    """The own-concept distance relative to t = 0, per latent size."""
    for i, latent in enumerate(sorted(dist["latent"].unique())):
        g = _rows(dist, chain=chain, noise_kind=kind, noise=noise, latent=latent)
        ax.plot(
            g["t"] + 1,
            g["mu_distance_own_mean"] / g["mu_distance_own_mean"].iloc[0],
            "-",
            color=f"C{i}",
            label=f"latent {latent}",
        )
    ax.set_xscale("log")
    ax.set_title(f"latent size ({chain} chain, {kind} {noise:g}), relative to t = 0", fontsize=8)
    ax.set_xlabel("inference step t + 1")
    ax.legend(fontsize=6)


def _depth_interval(s) -> str:
    return f"depth {s['norm_depth']:.3f} [{s['norm_depth_ci_low']:.3f}, {s['norm_depth_ci_high']:.3f}]"


def _normalised_panel(ax, dist, summ, dist_beta, summ_beta, chain, kind, noise, main_latent):
    """The lecture's chain, clean digits, on a scale that compares across latent sizes (median distance
    / cluster radius), with the main model's variants of another KL weight in black."""
    for i, latent in enumerate(sorted(dist["latent"].unique())):
        g = _rows(dist, chain=chain, noise_kind=kind, noise=noise, latent=latent)
        s = _rows(summ, chain=chain, noise_kind=kind, noise=noise, latent=latent).iloc[0]
        ax.plot(
            g["t"] + 1,
            g["mu_norm_own_median"],
            "-",
            color=f"C{i}",
            label=f"latent {latent}: {_depth_interval(s)}",
        )
    for j, beta in enumerate(sorted(dist_beta["beta"].unique()) if len(dist_beta) else []):
        sel = dict(chain=chain, noise_kind=kind, noise=noise, latent=main_latent, beta=beta)
        g, s = _rows(dist_beta, **sel), _rows(summ_beta, **sel).iloc[0]
        ax.plot(
            g["t"] + 1,
            g["mu_norm_own_median"],
            ["-", "--", ":"][j % 3],
            color="k",
            label=f"variant KL weight {beta:g}, latent {main_latent}: {_depth_interval(s)}",
        )
    ax.set_xscale("log")
    ax.set_title(f"{chain} chain, clean: median distance / cluster radius", fontsize=8)
    ax.set_xlabel("inference step t + 1")
    ax.legend(fontsize=5)


def vae_concept_distance_figure(tables):
    """Distance of the encoder mean to the chain's own concept vs inference step (log axis: the approach is
    fast, the departure slow), per chain kind, noise kind and level, main model; distance to the global
    centre; and the latent-size effect, with the main model's variants of another KL weight (black)."""
    (dist, dist_beta), (summ, summ_beta) = (
        _split_beta(tables["concept_distance"]),
        _split_beta(tables["inference_summary"]),
    )
    main_latent = int(dist.loc[dist["main_model"].astype(bool), "latent"].iloc[0])
    main_data = dist.loc[dist["main_model"].astype(bool), "data"].iloc[0]
    dist, summ = (d[d["data"] == main_data] for d in (dist, summ))  # other training data: vae_variants
    chains = list(dict.fromkeys(dist["chain"]))
    kinds = list(dict.fromkeys(dist["noise_kind"]))
    noises = sorted(dist["noise"].unique())
    with plt.rc_context(STYLE):
        norm = "mu_norm_own_median" in dist
        panels = len(chains) + 2 + int(norm)
        fig, axes = plt.subplots(1, panels, figsize=(3.6 * panels, 3.4), squeeze=False)
        axes = axes[0]
        for a, chain in enumerate(chains):
            _own_distance_panel(axes[a], dist, summ, chain, kinds, noises, main_latent)
        axes[0].set_ylabel("mean over chains")
        _global_panel(axes[len(chains)], dist, chains[0], kinds, noises, main_latent)
        _latent_panel(axes[len(chains) + 1], dist, chains[0], kinds[0], noises[-1])
        if norm:
            ref = "sample" if "sample" in chains else chains[0]
            _normalised_panel(
                axes[-1], dist, summ, dist_beta, summ_beta, ref, kinds[0], noises[0], main_latent
            )
        fig.tight_layout()
    return fig


def vae_hierarchy_figure(tables):
    """The concepts' hierarchy of the main model (dendrogram of the average-linkage merges) and, per
    chain kind and noise level, the mean hierarchy level whose cluster centre is nearest (in cluster
    radii) at the start, at the approach (median minimum) and at the end: a rise with the noise level
    is "noisier inputs come nearer a more global cluster"."""
    from scipy.cluster.hierarchy import dendrogram

    tree, summ = tables["concept_hierarchy"], tables["inference_summary"]
    main = summ[summ["main_model"].astype(bool)]
    latent, data = int(main["latent"].iloc[0]), main["data"].iloc[0]
    t = tree[(tree["latent"] == latent) & (tree["data"] == data)]
    if "beta" in t and "beta" in main:
        t = t[t["beta"] == main["beta"].iloc[0]]
    t = t.sort_values("level")
    z = t[["left", "right", "distance", "size"]].to_numpy(float)
    kinds = list(dict.fromkeys(main["noise_kind"]))
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, 1 + len(kinds), figsize=(4.2 * (1 + len(kinds)), 3.4), squeeze=False)
        axes = axes[0]
        dendrogram(z, ax=axes[0], labels=[str(d) for d in range(len(z) + 1)], color_threshold=0)
        axes[0].set_title(
            f"concepts of the main model (latent {latent}, {data}): average linkage", fontsize=8
        )
        axes[0].set_ylabel("distance between cluster centres (latent space)")
        axes[0].set_xlabel("digit")
        for ax, kind in zip(axes[1:], kinds, strict=True):
            rows = main[main["noise_kind"] == kind]
            for i, chain in enumerate(dict.fromkeys(rows["chain"])):
                g = rows[rows["chain"] == chain].sort_values("noise")
                for j, (col, mark) in enumerate(
                    (("level_start", "o"), ("level_at_norm_min", "s"), ("level_end", "^"))
                ):
                    ax.plot(
                        g["noise"] + 0.004 * (i - 0.5),
                        g[col],
                        marker=mark,
                        ls="-" if chain == "sample" else "--",
                        color=f"C{j}",
                        label=f"{chain}: {col.replace('level_', '').replace('_', ' ')}",
                    )
            ax.set_ylim(-0.3, len(z) + 0.3)
            ax.set_xlabel(f"{kind} noise level")
            ax.set_ylabel("nearest hierarchy level (0 own digit, 9 all)")
            ax.set_title(f"{kind} noise: mean nearest level over chains", fontsize=8)
            ax.legend(fontsize=5)
        fig.tight_layout()
    return fig


def vae_strips_figure(tables):
    """The lecture's chain from clean and from the noisiest inputs: the input x0, the decoder mean of
    x(t) (the approach t_min marked), and the chain's decoded own concept at the end of each row."""
    df = tables["strips"]
    groups = [g for _, g in df.groupby(["noise", "chain"], sort=True)]
    width = max(len(g) for g in groups)
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(
            len(groups), width, figsize=(0.62 * width, 0.78 * len(groups)), squeeze=False
        )
        for r, g in enumerate(groups):
            order = g.assign(_o=g["role"].map({"input": 0, "x(t)": 1, "concept": 2})).sort_values(["_o", "t"])
            _image_grid(axes[r], order)
            for j, (_, row) in enumerate(order.iterrows()):
                label = {"input": "x0", "concept": "concept"}.get(row["role"], f"t={row['t']}")
                if bool(row["at_t_min"]):
                    label += " (min)"
                axes[r, j].set_title(label, fontsize=5, color="C3" if bool(row["at_t_min"]) else "k")
            axes[r, 0].text(
                -0.15,
                0.5,
                f"noise {row['noise']:g}",
                transform=axes[r, 0].transAxes,
                rotation=90,
                fontsize=5,
                va="center",
                ha="right",
            )
        fig.suptitle(
            f"repeated inference, {df['chain_kind'].iloc[0]} chain: decoder mean of x(t), decoded concept",
            fontsize=8,
        )
    return fig


def vae_variants_figure(tables):
    """Grey-level vs dynamically binarised training data (same latent size), where the chain goes after
    its minimum (nearest memory, own start), and the latent units of every model."""
    dist, summ = _split_beta(tables["concept_distance"])[0], _split_beta(tables["inference_summary"])[0]
    units = tables["latent_units"]
    if "beta" in units and "beta" in summ and len(summ):
        units = units[units["beta"] == summ["beta"].iloc[0]]
    chain = dist["chain"].iloc[0]
    kind = dist["noise_kind"].iloc[0]
    noises = sorted(dist["noise"].unique())
    cmap = plt.get_cmap("viridis")
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, 4, figsize=(15, 3.4))
        ax = axes[0]
        main_latent = int(dist.loc[dist["main_model"].astype(bool), "latent"].iloc[0])
        for data, ls in zip(sorted(dist["data"].unique()), ["-", "--"], strict=False):
            for i, noise in enumerate(noises):
                sel = dict(data=data, latent=main_latent, chain=chain, noise_kind=kind, noise=noise)
                g = _rows(dist, **sel)
                if g.empty:
                    continue
                ax.plot(
                    g["t"] + 1,
                    g["mu_distance_own_mean"] / g["mu_distance_own_mean"].iloc[0],
                    ls,
                    color=cmap(i / max(1, len(noises) - 1)),
                    label=f"{data}, {kind} {noise:g}: {_depth_label(_rows(summ, **sel).iloc[0])}",
                )
        ax.set_xscale("log")
        ax.set_title(f"training data, latent {main_latent}, {chain} chain", fontsize=8)
        ax.set_xlabel("inference step t + 1")
        ax.set_ylabel("‖μ(t) − own concept‖ / value at t = 0")
        ax.legend(fontsize=5)
        main = _rows(dist[dist["main_model"].astype(bool)], chain=chain, noise_kind=kind)
        for ax, col, title in (
            (axes[1], "mu_distance_memory_mean", "distance to the nearest memory"),
            (axes[2], "mu_distance_start_mean", "distance to its own start μ(0)"),
        ):
            for i, noise in enumerate(noises):
                g = main[(main["noise"] == noise) & main[col].notna()].sort_values("t")
                ax.plot(
                    g["t"] + 1,
                    g[col],
                    "o-",
                    ms=3,
                    color=cmap(i / max(1, len(noises) - 1)),
                    label=f"{kind} {noise:g}",
                )
            ax.set_xscale("log")
            ax.set_title(f"main model, {chain} chain: {title}", fontsize=8)
            ax.set_xlabel("inference step t + 1")
            ax.legend(fontsize=6)
        ax = axes[3]
        for i, ((latent, data), g) in enumerate(units.groupby(["latent", "data"])):
            kl = g["kl"].sort_values(ascending=False).clip(lower=1e-5).to_numpy()
            ax.plot(
                range(1, len(kl) + 1),
                kl,
                "o-",
                ms=2,
                color=f"C{i % 10}",
                label=f"latent {latent} {data}: {int(g['active'].sum())} active",
            )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("latent unit (sorted)")
        ax.set_ylabel("mean KL per unit (nats)")
        ax.set_title("latent units (test images)", fontsize=8)
        ax.legend(fontsize=5)
        fig.tight_layout()
    return fig


def vae_search_figure(tables):
    """The search at the master seed: the approach depth (median distance to the own concept in cluster
    radii, 1 - d(t_min)/d(0), 95 % interval over chains) against the latent size, from clean and from the
    noisiest digits, per architecture (rows) and chain kind; colour the KL weight; a filled marker where
    the scorecard's approach rule says yes, an open one where it says no; the default setting ringed."""
    df = tables["search"]
    df = df[df["seed"] == df["seed"].iloc[0]] if "seed" in df else df
    chains = [c for c in ("sample", "mean") if c in set(df["chain"])]
    archs = list(dict.fromkeys(df["arch"]))
    betas = sorted(df["beta"].unique())
    ends = (df["noise"].min(), df["noise"].max())
    cmap = plt.get_cmap("plasma")
    panels = [(chain, noise) for chain in chains for noise in ends]
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(
            len(archs), len(panels), figsize=(2.7 * len(panels), 2.4 * len(archs)), squeeze=False, sharey=True
        )
        for r, arch in enumerate(archs):
            for c, (chain, noise) in enumerate(panels):
                ax = axes[r, c]
                for bi, beta in enumerate(betas):
                    g = _rows(df, arch=arch, chain=chain, beta=beta, noise=noise).sort_values("latent")
                    if g.empty:
                        continue
                    color = cmap(bi / max(1, len(betas) - 1) * 0.9)
                    err = [
                        g["norm_depth"] - g["norm_depth_ci_low"],
                        g["norm_depth_ci_high"] - g["norm_depth"],
                    ]
                    ax.errorbar(
                        g["latent"],
                        g["norm_depth"],
                        yerr=err,
                        color=color,
                        lw=1,
                        capsize=2,
                        label=f"beta {beta:g}",
                    )
                    yes = g["approach"].astype(bool)
                    ax.plot(g["latent"][yes], g["norm_depth"][yes], "o", color=color, ms=4)
                    ax.plot(g["latent"][~yes], g["norm_depth"][~yes], "o", mfc="white", color=color, ms=4)
                    d = g[g["default"].astype(bool)]
                    ax.plot(d["latent"], d["norm_depth"], "o", mfc="none", mec="k", ms=8, mew=1)
                ax.axhline(0, color="0.6", lw=0.6)
                ax.set_xscale("log")
                ax.set_title(f"{arch}, {chain} chain, noise {noise:g}", fontsize=7)
                ax.set_xlabel("latent size")
                if c == 0:
                    ax.set_ylabel("approach depth (cluster radii)")
        axes[0, -1].legend(fontsize=5, title="filled: approach rule yes", title_fontsize=5)
        fig.tight_layout()
    return fig


def vae_search_curves_figure(tables):
    """Per architecture (rows) and KL weight (columns), on the lecture's chain from clean digits: the
    median distance to the own concept in cluster radii over the steps (solid) beside the median distance
    to a random other digit's concept (dashed), one colour per latent size.  Where the two meet, the chain
    is no nearer its own concept than to any other: a fall from a far start down to that level is
    relaxation, not an approach."""
    curves = tables["curves"]
    curves = curves[curves["seed"] == curves["seed"].iloc[0]] if "seed" in curves else curves
    chain = "sample" if "sample" in set(curves["chain"]) else curves["chain"].iloc[0]
    curves = curves[(curves["chain"] == chain) & (curves["noise"] == curves["noise"].min())]
    archs = list(dict.fromkeys(curves["arch"]))
    betas = sorted(curves["beta"].unique())
    latents = sorted(curves["latent"].unique())
    cmap = plt.get_cmap("viridis")
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(
            len(archs), len(betas), figsize=(2.1 * len(betas), 2.0 * len(archs)), squeeze=False, sharey=True
        )
        for r, arch in enumerate(archs):
            for c, beta in enumerate(betas):
                ax = axes[r, c]
                for i, latent in enumerate(latents):
                    g = _rows(curves, arch=arch, beta=beta, latent=latent)
                    color = cmap(i / max(1, len(latents) - 1))
                    ax.plot(
                        g["t"] + 1, g["mu_norm_own_median"], "-", color=color, lw=1, label=f"latent {latent}"
                    )
                    ax.plot(g["t"] + 1, g["mu_norm_other_median"], "--", color=color, lw=0.6)
                ax.set_xscale("log")
                ax.set_title(f"{arch}, beta {beta:g}", fontsize=7)
                if r == len(archs) - 1:
                    ax.set_xlabel("step t + 1")
            axes[r, 0].set_ylabel("median distance (radii)")
        axes[0, 0].legend(fontsize=5, title="solid: own, dashed: other", title_fontsize=5)
        fig.suptitle(
            f"{chain} chain, clean digits: distance to the own concept and to a random other", fontsize=8
        )
        fig.tight_layout()
    return fig


def vae_search_claims_figure(tables):
    """Every setting of the search judged by every VAE claim at the master seed: per chain kind a grid of
    settings (rows: architecture, KL weight, latent size) x claims, green where the scorecard's judge says
    yes, with the number of claims each setting holds; beside it the lecture chain's count as a KL weight x
    latent size map per architecture, and the reseeded settings' counts on every seed."""
    from conceptdyn.vae.search import CLAIM_ORDER, SHORT

    holds, regime = tables["holds"], tables["regime"]
    master = holds["seed"].value_counts().idxmax()  # the master seed: every setting ran on it
    h = holds[holds["seed"] == master]
    chains = [c for c in ("sample", "mean") if c in set(h["chain"])]
    archs = list(dict.fromkeys(h["arch"]))
    claims = list(CLAIM_ORDER)
    with plt.rc_context(STYLE):
        rows = h[h["chain"] == chains[0]]
        height = max(4.0, 0.11 * len(rows) + 1.2)
        fig = plt.figure(figsize=(3.1 * len(chains) + 3.6, height))
        grid = fig.add_gridspec(len(archs) + 1, len(chains) + 1, width_ratios=[1.0] * len(chains) + [1.1])
        for c, chain in enumerate(chains):
            ax = fig.add_subplot(grid[:, c])
            g = h[h["chain"] == chain].sort_values(
                ["arch", "beta", "latent"],
                key=lambda s: s.map({a: i for i, a in enumerate(archs)}) if s.name == "arch" else s,
            )
            yes = (g[claims] == "yes").to_numpy(dtype=float)
            ax.imshow(yes, aspect="auto", cmap="Greens", vmin=-0.3, vmax=1.2, interpolation="nearest")
            for y, n in enumerate(g["held"]):
                ax.text(len(claims) - 0.3, y, str(int(n)), fontsize=4, va="center")
            ax.set_yticks(range(len(g)))
            ax.set_yticklabels(
                [f"{a} b{b:g} z{z}" for a, b, z in g[["arch", "beta", "latent"]].to_numpy()], fontsize=4
            )
            ax.set_xticks(range(len(claims)))
            ax.set_xticklabels([SHORT[k] for k in claims], rotation=60, ha="right", fontsize=5)
            ax.set_xlim(-0.5, len(claims) + 0.2)
            label = " (the lecture's)" if chain == "sample" else " (variant)"
            ax.set_title(f"{chain} chain{label}\ndark: yes; right: claims held", fontsize=7)
        lecture = h[h["chain"] == "sample"] if "sample" in chains else h[h["chain"] == chains[0]]
        for r, arch in enumerate(archs):
            ax = fig.add_subplot(grid[r, -1])
            m = lecture[lecture["arch"] == arch].pivot_table(index="beta", columns="latent", values="held")
            im = ax.imshow(
                m.to_numpy(), cmap="viridis", vmin=0, vmax=len(claims), aspect="auto", origin="lower"
            )
            for (y, x), v in np.ndenumerate(m.to_numpy()):
                ax.text(x, y, f"{v:.0f}", ha="center", va="center", fontsize=5, color="w" if v < 4 else "k")
            ax.set_xticks(range(m.shape[1]))
            ax.set_xticklabels(m.columns, fontsize=5)
            ax.set_yticks(range(m.shape[0]))
            ax.set_yticklabels([f"{b:g}" for b in m.index], fontsize=5)
            ax.set_xlabel("latent size", fontsize=6)
            ax.set_ylabel("KL weight", fontsize=6)
            ax.set_title(f"{arch}: claims held of {len(claims)}", fontsize=7)
            fig.colorbar(im, ax=ax, fraction=0.05)
        ax = fig.add_subplot(grid[-1, -1])
        ax.axis("off")
        lines = ["reseeded (lecture's chain), claims held per seed:"]
        for _, row in regime.iterrows():
            held = [f"{int(row[c])}" for c in regime.columns if c.startswith("held_")]
            mark = "  REGIME" if bool(row["regime"]) else ""
            lines.append(f"{row['arch']} b{row['beta']:g} z{row['latent']}: {', '.join(held)}{mark}")
        if regime.empty:
            lines.append("(none)")
        ax.text(0, 1, "\n".join(lines[:16]), fontsize=5, va="top", family="monospace")
        fig.tight_layout()
    return fig


# figure name (results/figures/<name>.png) -> drawing function; the tables come from the rules
FIGURES = {
    "vae_hierarchy": vae_hierarchy_figure,
    "vae_training": vae_training_figure,
    "vae_images": vae_images_figure,
    "vae_concept_distance": vae_concept_distance_figure,
    "vae_strips": vae_strips_figure,
    "vae_variants": vae_variants_figure,
    "vae_search": vae_search_figure,
    "vae_search_curves": vae_search_curves_figure,
    "vae_search_claims": vae_search_claims_figure,
}
