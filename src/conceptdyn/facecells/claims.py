"""Scorecard claims of the face-cell stage: the analysis recovers the synthetic ground truth, the
mixture finds global clusters that split, and the model shows the monkey's order and lag (Sugase et
al. 1999; Matsumoto et al. 2005)."""

from __future__ import annotations

import math

from conceptdyn.core.scorecard import Claim, nan_no
from conceptdyn.facecells.model import STIMULUS_ALIGNED

PART = "face cells"


def _onset(o, source, info):
    row = o[(o["source"] == source) & (o["information"] == info)]
    return float(row["onset_ms"].iloc[0]) if len(row) else math.nan


def onsets_recovered(t, c):
    o = t["onsets"]
    syn = o[o["source"] == "synthetic"]
    measure = "largest |recovered - true onset| of global and fine information, synthetic data (ms)"
    rule = f"<= {c['tolerance_ms']:g} ms"
    if syn.empty or syn["onset_ms"].isna().any():
        return nan_no(measure, rule)
    v = float((syn["onset_ms"] - syn["true_onset_ms"]).abs().max())
    return measure, v, rule, v <= c["tolerance_ms"]


def data_lag(t, c):
    o = t["onsets"]
    lag = _onset(o, "synthetic", "fine") - _onset(o, "synthetic", "global")
    true = o[o["source"] == "synthetic"].set_index("information")["true_onset_ms"]
    measure = "recovered fine - global onset, synthetic data (ms)"
    rule = f"within {c['tolerance_ms']:g} ms of the generated lag"
    if math.isnan(lag) or len(true) < 2:
        return nan_no(measure, rule)
    return measure, lag, rule, abs(lag - (true["fine"] - true["global"])) <= c["tolerance_ms"]


def mixture_split(mix, c):
    """Delay from the first window with global clusters to the first later one where fine wins."""
    m = mix.sort_values("window_end")
    rule = f"global ARI >= {c['min_ari']:g} first, later fine ARI >= {c['min_ari']:g} and above global"
    glob = m[m["ari_global"] >= c["min_ari"]]
    if glob.empty:
        return math.nan, rule, False
    t_g = float(glob["window_end"].iloc[0])
    fine = m[(m["window_end"] > t_g) & (m["ari_fine"] >= c["min_ari"]) & (m["ari_fine"] > m["ari_global"])]
    if fine.empty:
        return math.nan, rule, False
    return float(fine["window_end"].iloc[0]) - t_g, rule, True


def mixture_data(t, c):
    v, rule, ok = mixture_split(t["mixture_data"], c)
    return "delay from global clusters to their fine split, data (ms)", v, rule, ok


def mixture_model(t, c):
    v, rule, ok = mixture_split(t["mixture_model"], c)
    return "delay from global clusters to their fine split, model (ms)", v, rule, ok


def _model_lag(t):
    o = t["onsets"]
    return _onset(o, "model", "fine") - _onset(o, "model", "global")


def model_order(t, c):
    lag, measure, rule = _model_lag(t), "model fine - global onset (ms)", f">= {c['min_lag_ms']:g} ms"
    if math.isnan(lag):
        return nan_no(measure, rule)
    return measure, lag, rule, lag >= c["min_lag_ms"]


def model_lag(t, c):
    lag, measure = _model_lag(t), "model fine - global onset (ms)"
    rule = f"within {c['tolerance_ms']:g} ms of {c['lag_ms']:g} ms (Sugase et al. 1999)"
    if math.isnan(lag):
        return nan_no(measure, rule)
    return measure, lag, rule, abs(lag - c["lag_ms"]) <= c["tolerance_ms"]


def category_from_stimulus(t, c):
    """Settings of the regime map whose input carries only the noisy stimulus (no coarse start) and
    whose state passes the category's mixed state on its way to the stimulus (route category_first).

    Once the target ``facecells_scale`` has run (its ``verdicts.csv``, an optional table), the claim is
    judged where the tree theory says it can hold: on the noisy-stimulus model at the largest N, on
    each of that target's seeds; it holds when the route is category first on more than half of them."""
    if "scale_verdicts" in t:
        return _category_at_scale(t["scale_verdicts"])
    r = t["regimes"]
    aligned = r[r["input"].isin(STIMULUS_ALIGNED)]
    guided = int((aligned["grid"] == "theory").sum()) if "grid" in aligned else 0
    measure = (
        f"settings of the regime map with a stimulus-aligned input ({', '.join(STIMULUS_ALIGNED)}) whose "
        f"route is category first, of {len(aligned)} ({guided} of them where the tree theory predicts "
        "that route)"
    )
    rule = f">= {c['min_settings']} setting(s)"
    if aligned.empty:
        return nan_no(measure, rule)
    v = int((aligned["route"] == "category_first").sum())
    return measure, float(v), rule, v >= c["min_settings"]


def _category_at_scale(v):
    rows = v[(v["claim_id"] == "facecells_category_from_stimulus") & (v["model"] == "noisy_stimulus")]
    n = int(rows["N"].max()) if len(rows) else 0
    measure = (
        f"seeds on which the noisy-stimulus model at N = {n:,} takes the category-first route "
        f"(target facecells_scale), of {len(rows)}"
    )
    rule = "more than half of the seeds"
    if rows.empty:
        return nan_no(measure, rule)
    k = int((rows["verdict"] == "yes").sum())
    return measure, float(k), rule, 2 * k > len(rows)


CLAIMS = [
    Claim(
        "facecells_onsets_recovered",
        PART,
        "recovered onsets lie within the synthetic ground truth",
        ("onsets",),
        onsets_recovered,
        {"tolerance_ms": float},
        figure="facecells_information",
    ),
    Claim(
        "facecells_data_lag",
        PART,
        "the analysis recovers the lag of fine after global information",
        ("onsets",),
        data_lag,
        {"tolerance_ms": float},
        figure="facecells_information",
    ),
    Claim(
        "facecells_mixture_split_data",
        PART,
        "the mixture finds global clusters that later split",
        ("mixture_data",),
        mixture_data,
        {"min_ari": float},
        figure="facecells_mixture",
    ),
    Claim(
        "facecells_mixture_split_model",
        PART,
        "in the model too, the mixture finds global clusters that later split",
        ("mixture_model",),
        mixture_model,
        {"min_ari": float},
        figure="facecells_mixture",
    ),
    Claim(
        "facecells_model_order",
        PART,
        "the model's fine onset comes after its global onset",
        ("onsets",),
        model_order,
        {"min_lag_ms": float},
        figure="facecells_information",
    ),
    Claim(
        "facecells_model_lag",
        PART,
        "the model's lag matches the monkey's (about 51 ms)",
        ("onsets",),
        model_lag,
        {"lag_ms": float, "tolerance_ms": float},
        figure="facecells_information",
    ),
    Claim(
        "facecells_category_from_stimulus",
        PART,
        "from a noisy stimulus alone the state first approaches the category's mixed state",
        ("regimes",),
        category_from_stimulus,
        {"min_settings": int},
        figure="facecells_regimes",
        optional_tables=("scale_verdicts",),
    ),
]

# the claims about the model, judged again on the noisy-stimulus model at scale (facecells/scale.py)
MODEL_CLAIMS = [
    c
    for c in CLAIMS
    if c.claim_id
    in (
        "facecells_mixture_split_model",
        "facecells_model_order",
        "facecells_model_lag",
        "facecells_category_from_stimulus",
    )
]
