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
    """The search: the approach depth (median distance to the own concept in cluster radii, 1 -
    d(t_min)/d(0), 95 % interval over chains) against the input noise, per chain kind and training
    data; colour the KL weight, line style the latent size; a filled marker where the scorecard's
    approach rule says yes, an open one where it says no; the default setting drawn thick."""
    df = tables["search"]
    chains = [c for c in ("sample", "mean") if c in set(df["chain"])]
    datas = sorted(df["data"].unique())
    betas = sorted(df["beta"].unique())
    latents = sorted(df["latent"].unique())
    styles = ["-", "--", ":", "-."]
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(
            len(datas), len(chains), figsize=(3.3 * len(chains), 2.6 * len(datas)), squeeze=False, sharey=True
        )
        for r, data in enumerate(datas):
            for c, chain in enumerate(chains):
                ax = axes[r, c]
                for bi, beta in enumerate(betas):
                    for li, latent in enumerate(latents):
                        g = _rows(df, data=data, chain=chain, beta=beta, latent=latent).sort_values("noise")
                        if g.empty:
                            continue
                        color = f"C{bi}"
                        lw = 2.2 if bool(g["default"].iloc[0]) else 1.0
                        err = [
                            g["norm_depth"] - g["norm_depth_ci_low"],
                            g["norm_depth_ci_high"] - g["norm_depth"],
                        ]
                        ax.errorbar(
                            g["noise"],
                            g["norm_depth"],
                            yerr=err,
                            color=color,
                            ls=styles[li % 4],
                            lw=lw,
                            capsize=2,
                            label=f"beta {beta:g}, latent {latent}",
                        )
                        yes = g["approach"].astype(bool)
                        ax.plot(g["noise"][yes], g["norm_depth"][yes], "o", color=color, ms=5)
                        ax.plot(g["noise"][~yes], g["norm_depth"][~yes], "o", mfc="white", color=color, ms=5)
                ax.axhline(0, color="0.6", lw=0.6)
                ax.set_title(f"{chain} chain, {data} training data", fontsize=8)
                ax.set_xlabel("flip-noise level of x0")
                if c == 0:
                    ax.set_ylabel("approach depth (cluster radii)")
        axes[0, -1].legend(fontsize=5, title="filled: approach rule yes", title_fontsize=5)
        fig.tight_layout()
    return fig


def vae_search_curves_figure(tables):
    """Per setting of the search, on the lecture's chain: the median distance to the own concept in
    cluster radii over the steps (solid) beside the median distance to a random other digit's concept
    (dashed), one colour per noise level.  Where the two meet, the chain is no nearer its own concept
    than to any other: a fall from a far start down to that level is relaxation, not an approach."""
    curves, search = tables["curves"], tables["search"]
    chain = "sample" if "sample" in set(curves["chain"]) else curves["chain"].iloc[0]
    settings = search[search["chain"] == chain][["beta", "data", "latent"]].drop_duplicates()
    settings = settings.sort_values(["data", "latent", "beta"]).to_numpy().tolist()
    cols = min(4, len(settings))
    rows = int(np.ceil(len(settings) / cols))
    noises = sorted(curves["noise"].unique())
    cmap = plt.get_cmap("viridis")
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(rows, cols, figsize=(2.6 * cols, 2.2 * rows), squeeze=False, sharey=True)
        for ax, (beta, data, latent) in zip(axes.flat, settings, strict=False):
            for i, noise in enumerate(noises):
                g = _rows(curves, chain=chain, beta=beta, data=data, latent=latent, noise=noise)
                color = cmap(i / max(1, len(noises) - 1))
                ax.plot(g["t"] + 1, g["mu_norm_own_median"], "-", color=color, lw=1, label=f"noise {noise:g}")
                ax.plot(g["t"] + 1, g["mu_norm_other_median"], "--", color=color, lw=0.7)
            ax.set_xscale("log")
            ax.set_title(f"beta {beta:g}, {data}, latent {latent}", fontsize=7)
            ax.set_xlabel("step t + 1")
        for ax in axes.flat[len(settings) :]:
            ax.axis("off")
        axes[0, 0].set_ylabel("median distance (cluster radii)")
        axes[0, 0].legend(fontsize=5, title="solid: own, dashed: other", title_fontsize=5)
        fig.suptitle(f"{chain} chain: distance to the own concept and to a random other", fontsize=8)
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
}
