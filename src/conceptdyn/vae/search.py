"""The VAE search (target ``vae_search``): which settings of KL weight, training data and latent size
show the lecture's approach to the concept, on the lecture's chain and on the chain of means, from clean
and noisy digits.

Every setting is judged by the scorecard's own approach rule (:func:`conceptdyn.vae.claims._approach`);
the search reports, it does not choose: the defaults stay the lecture's formula (beta = 1) and the
PyTorch example's data and size, whatever the search finds.
"""

from __future__ import annotations

import pandas as pd

from conceptdyn.vae.claims import _approach
from conceptdyn.vae.keys import ModelKey

SETTING = ["beta", "data", "latent"]
COLUMNS = [
    *SETTING,
    "chain",
    "noise",
    "default",
    "approach",
    "norm_t_min",
    "norm_depth",
    "norm_depth_ci_low",
    "norm_depth_ci_high",
    "mu_t_min",
    "mu_depth",
    "mu_depth_ci_low",
    "mu_depth_ci_high",
    "norm_own_at_norm_min",
    "norm_other_at_norm_min",
    "own_nearer_share",
    "own_nearer_ci_low",
    "nearest_own_start",
    "nearest_own_at_norm_min",
    "norm_share_fall_rise",
    "norm_share_fall_rise_null",
    "level_start",
    "level_at_norm_min",
    "epochs",
    "stop",
    "test_loss",
    "active_units",
]


def search_settings(search: dict) -> list[ModelKey]:
    """Every setting (the model's key) of the search section, in a fixed order."""
    return [
        ModelKey(beta=float(b), latent=int(z), data=d)
        for b in search["betas"]
        for d in search["data"]
        for z in search["latents"]
    ]


def search_table(summary: pd.DataFrame, models: pd.DataFrame, default: dict, max_t_min: int) -> pd.DataFrame:
    """One row per setting, chain kind and noise level: the inference summary's approach measures, the
    scorecard's approach verdict on that row (``approach``), whether it is the default setting, and the
    model's epochs, stop, test loss and active units."""
    s = summary.copy()
    s["approach"] = [_approach(row, max_t_min) for _, row in s.iterrows()]
    s["default"] = (
        (s["beta"] == float(default["beta"]))
        & (s["data"] == default["data"])
        & (s["latent"] == int(default["latent"]))
    )
    out = s.merge(models, on=SETTING, how="left")
    return (
        out[[c for c in COLUMNS if c in out]].sort_values([*SETTING, "chain", "noise"]).reset_index(drop=True)
    )


# the per-step medians the search's curves figure draws
CURVE_COLUMNS = [
    *SETTING,
    "chain",
    "noise",
    "t",
    "mu_norm_own_median",
    "mu_norm_other_median",
    "mu_nearest_own_share",
]
