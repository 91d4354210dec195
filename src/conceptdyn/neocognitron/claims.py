"""Scorecard claims of the neocognitron (lecture part 5; Okada & Fukushima 1990): wide C-cells make
neighbouring deltas alike, gradual widening trains better than fixed wide C-cells, and widening C-cells
keep more accuracy on shifted and deformed digits than narrow ones."""

from __future__ import annotations

from conceptdyn.core.scorecard import Claim, nan_no

PART = "neocognitron"
DISTORTIONS = ("shifted", "elastic")


def delta_alike(t, c):
    d = t["delta_diagnostic"]
    end = d[d["iteration"] == d["iteration"].max()].groupby("schedule")["delta_neighbour_corr"].mean()
    measure = "correlation of neighbouring S-cell deltas at the end, fixed final width - narrow"
    rule = f">= {c['min_difference']:g}"
    if not {"final", "narrow"} <= set(end.index):
        return nan_no(measure, rule)
    v = float(end["final"] - end["narrow"])
    return measure, v, rule, v >= c["min_difference"]


def widening(t, c):
    cmp_ = t["comparison"]
    row = cmp_[
        (cmp_["schedule"] == "widening") & (cmp_["reference"] == "final") & (cmp_["metric"] == c["metric"])
    ]
    measure = f"{c['metric']}: widening - fixed final width, paired over seeds (95 % interval)"
    better = "below 0" if c["lower_is_better"] else "above 0"
    rule = f"interval entirely {better}"
    if row.empty or row["ci_low"].isna().any():
        return nan_no(measure, rule)
    r = row.iloc[0]
    ok = r["ci_high"] < 0 if c["lower_is_better"] else r["ci_low"] > 0
    return f"{measure}: [{r['ci_low']:.4g}, {r['ci_high']:.4g}]", float(r["diff"]), rule, bool(ok)


def invariance(t, c):
    """Relative accuracy drop from the clean test set to each distorted set, 1 - acc_distorted /
    acc_clean, per seed; the reference schedule's drop minus the schedule's, paired over seeds with a
    95 % t interval.  Yes when every interval lies above 0 (the schedule keeps more)."""
    from conceptdyn.core.stats import paired_comparison

    acc = t["accuracy"]
    s, ref = c["schedule"], c["reference"]
    measure = f"relative accuracy drop, {ref} - {s}, paired over seeds; smaller of {', '.join(DISTORTIONS)}"
    rule = "95 % interval above 0 for both distortions"
    a = acc[acc["schedule"] == s].set_index("seed")
    b = acc[acc["schedule"] == ref].set_index("seed")
    seeds = sorted(set(a.index) & set(b.index))
    if len(seeds) < 2:
        return nan_no(measure, rule)
    diffs, ok, parts = [], True, []
    for d in DISTORTIONS:
        drop_a = 1 - a.loc[seeds, f"{d}_accuracy"] / a.loc[seeds, "test_accuracy"]
        drop_b = 1 - b.loc[seeds, f"{d}_accuracy"] / b.loc[seeds, "test_accuracy"]
        r = paired_comparison(drop_b.to_numpy(), drop_a.to_numpy())
        diffs.append(r["diff"])
        ok = ok and r["ci_low"] > 0
        parts.append(f"{d} {r['diff']:.3g} [{r['ci_low']:.3g}, {r['ci_high']:.3g}]")
    return f"{measure}: {'; '.join(parts)}", float(min(diffs)), rule, bool(ok)


CLAIMS = [
    Claim(
        "neocognitron_delta_alike",
        PART,
        "wide C-cells make neighbouring deltas alike",
        ("delta_diagnostic",),
        delta_alike,
        {"min_difference": float},
        figure="neocognitron_kernels",
    ),
    Claim(
        "neocognitron_widening",
        PART,
        "gradual widening beats the fixed wide C-cells",
        ("comparison",),
        widening,
        {"metric": str, "lower_is_better": bool},
        figure="neocognitron_curves",
    ),
    Claim(
        "neocognitron_invariance",
        PART,
        "widening C-cells keep more of the accuracy on shifted and deformed digits than narrow ones",
        ("accuracy",),
        invariance,
        {"schedule": str, "reference": str},
        figure="neocognitron_comparison",
    ),
]
