"""VAE figures (lecture part 4), each drawn only from the tables saved beside it."""

from __future__ import annotations

import matplotlib.pyplot as plt

from conceptdyn.core.figures import STYLE


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


# figure name (results/figures/<name>.png) -> drawing function; the tables come from the rules
FIGURES = {
    "vae_training": vae_training_figure,
    "vae_images": vae_images_figure,
    "vae_concept_distance": vae_concept_distance_figure,
    "vae_strips": vae_strips_figure,
}
