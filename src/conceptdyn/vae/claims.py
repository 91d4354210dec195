"""Scorecard claims of the VAE (lecture part 4; Nagano, Karakida & Okada 2020): repeated inference
approaches the concept and leaves it, noisier inputs end nearer a global cluster, more latent
variables strengthen the approach."""

from __future__ import annotations

import pandas as pd

from conceptdyn.core.scorecard import Claim, nan_no

PART = "VAE"
CHAIN = {"chain": ("mean", "sample"), "noise_kind": ("flip", "uniform", "gaussian", "occlusion")}


def _rows(t, c):
    """The main model's rows of one chain kind and noise kind; with a criterion ``beta``, the rows of
    the model with that KL weight and the main model's latent size and training data (a labelled
    variant of the main model)."""
    s = t["inference_summary"]
    s = s[(s["chain"] == c["chain"]) & (s["noise_kind"] == c["noise_kind"])]
    main = s[s["main_model"].astype(bool)]
    if "beta" not in c or main.empty:
        return main
    ref = main.iloc[0]
    return s[(s["beta"] == float(c["beta"])) & (s["latent"] == ref["latent"]) & (s["data"] == ref["data"])]


def trained(rows: pd.DataFrame) -> str:
    """How the models behind ``rows`` (summary rows, columns ``epochs`` and ``stop``) were trained, as
    a clause of a measure, e.g. "; model trained 10 epochs (stopped at the cap)"; empty without those
    columns."""
    if rows.empty or "epochs" not in rows or "stop" not in rows:
        return ""
    m = rows.drop_duplicates([k for k in ("latent", "data", "beta") if k in rows]).dropna(subset=["epochs"])
    if m.empty:
        return ""
    e = m["epochs"].astype(int)
    span = f"{e.iloc[0]}" if e.nunique() == 1 else f"{e.min()}-{e.max()}"
    if len(m) == 1:
        how = "stopped at the cap" if m["stop"].iloc[0] == "cap" else "converged"
        return f"; model trained {span} epochs ({how})"
    return (
        f"; models trained {span} epochs ({int((m['stop'] == 'cap').sum())} of {len(m)} stopped at the cap)"
    )


def _approach(row, max_t_min: int) -> bool:
    """The lecture's "rapidly approaches the concept, then slowly moves away": a minimum after the
    start and within the first ``max_t_min`` steps (a minimum at the end of the chain is a drift, not
    an approach followed by a departure), an interval of the depth above 0, a rising distance after,
    and at the approach the state nearer its own concept than to a random other digit's (median, in
    cluster radii; a chain that only relaxes from a far start towards where every chain ends is not
    approaching its concept)."""
    own, other = (
        row.get("norm_own_at_norm_min", float("nan")),
        row.get("norm_other_at_norm_min", float("nan")),
    )
    return bool(
        0 < row["mu_t_min"] <= max_t_min
        and row["mu_depth_ci_low"] > 0
        and row["mu_slope_after_min"] > 0
        and own < other
    )


def approach(noisy: bool):
    def judge(t, c):
        s = _rows(t, c)
        s = s[s["noise"] > 0] if noisy else s[s["noise"] == 0]
        which = "noisiest input" if noisy else "clean input"
        model = f"main model with KL weight {c['beta']:g}" if "beta" in c else "main model"
        measure = (
            f"depth 1 - d(t_min)/d(0) on encoder means, {which}, {model}, "
            f"{c['chain']} chain, {c['noise_kind']} noise{trained(s)}"
        )
        rule = (
            f"0 < t_min <= {c['max_t_min']}, depth interval above 0, distance rising after t_min, "
            "nearer the own concept than a random other at the approach"
        )
        if s.empty:
            return nan_no(measure, rule)
        row = s.sort_values("noise").iloc[-1 if noisy else 0]
        return measure, float(row["mu_depth"]), rule, _approach(row, c["max_t_min"])

    return judge


def noise_global(t, c):
    """Nagano et al.: noisier inputs bring the state nearer a more global cluster.  Measured at the
    approach (the step where the median distance to the own concept, in cluster radii, is smallest):
    the mean level of the concepts' hierarchy (0: the own digit ... 9: all digits) whose centre is
    nearest in units of its radius, noisiest minus clean input."""
    s = _rows(t, c).sort_values("noise")
    measure = (
        "mean level of the concept hierarchy nearest at the approach (0 own digit, 9 all digits), "
        f"noisiest - clean input, {c['chain']} chain{trained(s)}"
    )
    rule = "> 0 (noisier: a more global cluster)"
    if len(s) < 2 or "level_at_norm_min" not in s:
        return nan_no(measure, rule)
    v = float(s["level_at_norm_min"].iloc[-1] - s["level_at_norm_min"].iloc[0])
    return measure, v, rule, v > 0


def _clean_row(t, c, needs: str):
    """The clean-input row of :func:`_rows`, or None when there is none or it lacks column ``needs``."""
    s = _rows(t, c)
    s = s[s["noise"] == 0]
    return None if s.empty or needs not in s else s.iloc[0]


def data_space(t, c):
    """The lecture's slide: the output image first matches the decoded concept, then departs.  At the
    approach (the step where the median distance to the own concept, in cluster radii, is smallest) the
    decoded image is nearer the decoded own concept than at t = 0 (per-pixel MSE); no approach (the
    minimum at t = 0) gives a difference of 0, so `no`."""
    measure = (
        "per-pixel MSE of the decoded image to the decoded own concept, at the approach minus at t = 0, "
        f"clean input, {c['chain']} chain{trained(_rows(t, c))}"
    )
    rule = "< 0 (nearer the decoded concept at the approach)"
    row = _clean_row(t, c, "pixel_mse_at_norm_min")
    if row is None:
        return nan_no(measure, rule)
    v = float(row["pixel_mse_at_norm_min"] - row["pixel_mse_start"])
    return measure, v, rule, v < 0


def then_memory(t, c):
    """Nagano, Karakida & Okada (arXiv 1712.04195): the trajectory first approaches a concept and then
    moves close to a memory.  An approach on the median curve in cluster radii (a minimum after the
    start with its depth interval above 0), then a smaller mean distance to the nearest memory (the
    encoder mean of the nearest training image) at the last recorded step than at the approach."""
    measure = (
        "mean distance to the nearest memory (training encoding), last recorded step minus the approach, "
        f"clean input, {c['chain']} chain{trained(_rows(t, c))}"
    )
    rule = "an approach (t_min > 0, depth interval above 0), then < 0 (nearer a memory)"
    row = _clean_row(t, c, "memory_distance_at_norm_min")
    if row is None:
        return nan_no(measure, rule)
    v = float(row["mu_distance_memory_end"] - row["memory_distance_at_norm_min"])
    approached = row["norm_t_min"] > 0 and row["norm_depth_ci_low"] > 0
    return measure, v, rule, bool(approached and v < 0)


def latent_size(t, c):
    from scipy import stats

    s = t["inference_summary"]
    main = s.loc[s["main_model"].astype(bool)]
    main_data = main["data"].iloc[0] if "data" in s and len(main) else None
    s = s[(s["chain"] == c["chain"]) & (s["noise_kind"] == c["noise_kind"]) & (s["noise"] == 0)]
    if main_data is not None:
        s = s[s["data"] == main_data]  # the latent-size sweep: the main model's training data
    if "beta" in s and len(main):
        s = s[s["beta"] == main["beta"].iloc[0]]  # and its KL weight (not the labelled variants)
    measure = (
        "Spearman correlation of the approach depth (median over chains of the distance to the own "
        "concept in units of its cluster radius) with the number of latent variables, clean input, "
        f"{c['chain']} chain{trained(s)}"
    )
    rule = f">= {c['min_rho']:g}"
    if s["latent"].nunique() < 3:
        return nan_no(measure, rule)
    rho = float(stats.spearmanr(s["latent"], s["norm_depth"]).statistic)
    return measure, rho, rule, rho >= c["min_rho"]


# The lecture's procedure is ancestral sampling (chain: sample in the config); the mean chain's rows are
# a labelled variant beside them (the *_mean claims), never in their place.
def _approach_claim(claim_id: str, text: str, noisy: bool, variant_beta: bool = False) -> Claim:
    return Claim(
        claim_id,
        PART,
        text,
        ("inference_summary",),
        approach(noisy=noisy),
        {**CHAIN, "max_t_min": int, **({"beta": float} if variant_beta else {})},
        figure="vae_concept_distance",
    )


CLAIMS = [
    _approach_claim(
        "vae_approach_clean", "the distance to the concept falls, then rises (clean digits)", False
    ),
    _approach_claim(
        "vae_approach_noisy", "the distance to the concept falls, then rises (noisy digits)", True
    ),
    _approach_claim(
        "vae_approach_clean_mean",
        "variant, mean chain: the distance to the concept falls, then rises (clean digits)",
        False,
    ),
    _approach_claim(
        "vae_approach_noisy_mean",
        "variant, mean chain: the distance to the concept falls, then rises (noisy digits)",
        True,
    ),
    _approach_claim(
        "vae_approach_clean_beta",
        "variant, larger KL weight: the distance to the concept falls, then rises (clean digits)",
        False,
        variant_beta=True,
    ),
    Claim(
        "vae_noise_global",
        PART,
        "noisier inputs come nearer a more global cluster",
        ("inference_summary",),
        noise_global,
        CHAIN,
        figure="vae_hierarchy",
    ),
    Claim(
        "vae_data_space",
        PART,
        "at the approach the output image is nearer the decoded concept than at the start (clean digits)",
        ("inference_summary",),
        data_space,
        CHAIN,
        figure="vae_concept_distance",
    ),
    Claim(
        "vae_then_memory",
        PART,
        "after the concept the trajectory moves close to a memory (clean digits)",
        ("inference_summary",),
        then_memory,
        CHAIN,
        figure="vae_concept_distance",
    ),
    Claim(
        "vae_latent_size",
        PART,
        "more latent variables strengthen the approach",
        ("inference_summary",),
        latent_size,
        {**CHAIN, "min_rho": float},
        figure="vae_concept_distance",
    ),
]


def compare_runs(cards: dict) -> pd.DataFrame:
    """The scorecard rows of several runs of the VAE stage (``{run: scorecard}``, e.g. the default
    run and the converged one) side by side: claim, criterion, then per run its measure's value and
    verdict (``value_<run>``, ``verdict_<run>``, ``measure_<run>``: the measure names the models'
    epochs); ``same`` is true where every run gives the same verdict."""
    out = None
    for run, card in cards.items():
        part = card[["claim_id", "measure", "value", "verdict"]].rename(
            columns={k: f"{k}_{run}" for k in ("measure", "value", "verdict")}
        )
        if out is None:
            out = card[["claim_id", "claim", "criterion"]].merge(part, on="claim_id")
        else:
            out = out.merge(part, on="claim_id", how="left")
    if out is None:
        return pd.DataFrame(columns=["claim_id", "claim", "criterion", "same"])
    verdicts = out[[f"verdict_{run}" for run in cards]]
    out["same"] = verdicts.nunique(axis=1, dropna=False) == 1
    return out
