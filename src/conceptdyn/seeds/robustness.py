"""Verdicts across master seeds: the scorecard of every seed side by side, and per claim how many
seeds say `yes`, the spread of the measured value and whether the seeds agree.

A seed changes every stochastic choice of every stage (patterns, networks, spike trains, initial
weights, batch order, chains, distortions), so a verdict that holds on every seed is a property of the
model and its criterion, and one that flips is a property of one draw.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

SEED_COLUMNS = ["claim_id", "part", "claim", "seed", "value", "verdict"]
ROBUSTNESS_COLUMNS = [
    "claim_id",
    "part",
    "claim",
    "n_seeds",
    "yes",
    "holds",
    "unanimous",
    "verdict_default_seed",
    "value_default_seed",
    "value_median",
    "value_min",
    "value_max",
    "n_nan",
]


def scorecard_seeds(cards: Mapping[int, pd.DataFrame]) -> pd.DataFrame:
    """One row per (claim, seed) from the scorecards of the seeds, claims in scorecard order, seeds in
    the order given.  The seeds' scorecards must list the same claims."""
    if not cards:
        raise ValueError("no seeds: the seeds target needs at least one seed (config seeds.master_seeds)")
    order = None
    rows = []
    for seed, card in cards.items():
        ids = list(card["claim_id"])
        if order is None:
            order = ids
        elif ids != order:
            raise ValueError(f"the scorecard of seed {seed} lists other claims than that of the first seed")
        rows.append(card.assign(seed=int(seed))[SEED_COLUMNS])
    return pd.concat(rows, ignore_index=True)


def robustness(long: pd.DataFrame, default_seed: int) -> pd.DataFrame:
    """Per claim: seeds, how many say yes (``holds``: "k of n"), whether all agree, the default seed's
    verdict and value, and the median and range of the value over the seeds where it is a number."""
    rows = []
    for claim_id, g in long.groupby("claim_id", sort=False):
        values = g["value"].to_numpy(float)
        finite = values[np.isfinite(values)]
        yes = int((g["verdict"] == "yes").sum())
        default = g[g["seed"] == default_seed]
        rows.append(
            {
                "claim_id": claim_id,
                "part": g["part"].iloc[0],
                "claim": g["claim"].iloc[0],
                "n_seeds": len(g),
                "yes": yes,
                "holds": f"{yes} of {len(g)}",
                "unanimous": yes in (0, len(g)),
                "verdict_default_seed": default["verdict"].iloc[0] if len(default) else "",
                "value_default_seed": float(default["value"].iloc[0]) if len(default) else math.nan,
                "value_median": float(np.median(finite)) if finite.size else math.nan,
                "value_min": float(finite.min()) if finite.size else math.nan,
                "value_max": float(finite.max()) if finite.size else math.nan,
                "n_nan": int(values.size - finite.size),
            }
        )
    return pd.DataFrame(rows, columns=ROBUSTNESS_COLUMNS)


def with_holds(card: pd.DataFrame, robust: pd.DataFrame) -> pd.DataFrame:
    """The scorecard with a column ``holds`` ("k of n" seeds) for the claims the seeds run judged."""
    holds = robust.set_index("claim_id")["holds"]
    return card.assign(holds=card["claim_id"].map(holds))


def render(robust: pd.DataFrame, seeds: list[int]) -> str:
    """A short text rendering of the robustness table, grouped by lecture part."""
    unanimous = int(robust["unanimous"].sum())
    lines = [
        f"Verdicts across {len(seeds)} master seeds ({', '.join(str(s) for s in seeds)}): "
        f"{unanimous} of {len(robust)} claims unanimous"
    ]
    for part, g in robust.groupby("part", sort=False):
        lines.append(f"  {part}")
        for r in g.to_dict("records"):
            spread = (
                "nan"
                if math.isnan(r["value_median"])
                else f"median {r['value_median']:.4g}, range [{r['value_min']:.4g}, {r['value_max']:.4g}]"
            )
            mark = "  " if r["unanimous"] else "~ "
            lines.append(f"    {mark}[yes on {r['holds']}] {r['claim']}  ({spread})")
    lines.append("  (~: the seeds disagree)")
    return "\n".join(lines) + "\n"
