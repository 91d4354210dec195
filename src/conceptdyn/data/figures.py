"""Data-stage figures."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from conceptdyn.core.figures import STYLE


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


# figure name (results/figures/<name>.png) -> drawing function; the tables come from the rules
FIGURES = {
    "data_mnist_samples": mnist_samples_figure,
}
