"""The shared figure style and saving; each stage draws its own figures in ``<stage>/figures.py``."""

from __future__ import annotations

import importlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from conceptdyn.core.tables import atomic_output

STYLE = {
    "figure.dpi": 110,
    "savefig.dpi": 150,
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
}


def save_figure(fig, png: str | Path, pdf: str | Path | None = None) -> None:
    """Save as PNG (and PDF), writing to temporary names first so no partial file is left."""
    for path in (png, pdf):
        if path is None:
            continue
        with atomic_output(path) as tmp:
            fig.savefig(tmp, bbox_inches="tight")
    plt.close(fig)


def draw(stage: str, name: str, tables: dict):
    """Draw figure ``name`` of ``stage`` from its tables (``conceptdyn.<stage>.figures.FIGURES``).

    Only the named stage's figure module is imported, so a plot job depends on its own stage's code.
    """
    figures = importlib.import_module(f"conceptdyn.{stage}.figures").FIGURES
    if name not in figures:
        raise ValueError(f"unknown figure {name!r} of stage {stage!r}; known: {sorted(figures)}")
    try:
        return figures[name](tables)
    except KeyError as exc:
        raise ValueError(
            f"figure {name!r} needs table or column {exc.args[0]!r}; its tables: {sorted(tables)}"
        ) from None
