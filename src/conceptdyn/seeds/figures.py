"""Figure of the seeds target: claims × seeds, coloured by verdict, each cell annotated with its value."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.colors import ListedColormap

from conceptdyn.core.figures import STYLE

VERDICT_CODE = {"no": 0, "yes": 1}


def _cell(value: float) -> str:
    return "nan" if math.isnan(value) else f"{value:.3g}"


def seeds_verdicts_figure(tables: dict[str, pd.DataFrame]):
    long, robust = tables["scorecard_seeds"], tables["robustness"]
    claims = list(robust["claim_id"])
    seeds = list(dict.fromkeys(long["seed"]))
    grid = long.pivot(index="claim_id", columns="seed", values="verdict").loc[claims, seeds]
    values = long.pivot(index="claim_id", columns="seed", values="value").loc[claims, seeds]
    codes = grid.replace(VERDICT_CODE).to_numpy(float)
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(1.2 * len(seeds) + 5.5, 0.32 * len(claims) + 1.4))
        ax.imshow(codes, cmap=ListedColormap(["#f4c7c3", "#b7e1cd"]), vmin=0, vmax=1, aspect="auto")
        for i in range(len(claims)):
            for j in range(len(seeds)):
                ax.text(j, i, _cell(values.iat[i, j]), ha="center", va="center", fontsize=6.5)
        labels = [
            f"{c}  ({h})" + ("" if u else "  ~")
            for c, h, u in zip(robust["claim_id"], robust["holds"], robust["unanimous"], strict=True)
        ]
        ax.set_yticks(range(len(claims)), labels, fontsize=7)
        ax.set_xticks(range(len(seeds)), [str(s) for s in seeds], fontsize=7)
        ax.set_xlabel("master seed")
        ax.set_title("verdict per seed (green: yes, red: no; cell: the measured value; ~: seeds disagree)")
        ax.tick_params(length=0)
    return fig


FIGURES = {"seeds_verdicts": seeds_verdicts_figure}
