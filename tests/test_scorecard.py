"""Scorecard verdicts on hand-made tables: each claim says yes only when its criterion holds."""

import math

import pandas as pd
import pytest

from conceptdyn.core import scorecard as sc
from conceptdyn.core.settings import default_config

CRIT = default_config()["scorecard"]


CLAIMS = sc.collect()


def judge(claim_id, **tables):
    claim = next(c for c in CLAIMS if c.claim_id == claim_id)
    return claim.judge(tables, CRIT[claim_id])


def test_every_claim_has_a_criterion_with_a_source():
    assert {c.claim_id for c in CLAIMS} == set(CRIT)
    assert all(CRIT[k]["source"] for k in CRIT)
    assert sc.check_criteria(CRIT) == []
    with pytest.raises(ValueError, match="missing"):
        sc.scorecard({}, {}, {})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"hopfield_retrieval": {"min_overlapp": 0.5}}, "hopfield_retrieval.min_overlapp: unknown key"),
        ({"hopfield_retrieval": {"min_overlap": "high"}}, "must be a finite number"),
        ({"hopfield_retrieval": {"min_overlap": float("nan")}}, "must be a finite number"),
        ({"vae_approach_clean": {"chain": "means"}}, "must be one of"),
        ({"nonexistent_claim": {"source": "x"}}, "no such claim"),
    ],
)
def test_mistyped_or_unknown_criteria_are_named(change, message):
    crit = {k: dict(v) for k, v in CRIT.items()}
    for cid, upd in change.items():
        crit.setdefault(cid, {}).update(upd)
    assert any(message in p for p in sc.check_criteria(crit))


def test_string_overrides_are_read_as_the_declared_type():
    crit = sc.coerce_criteria({"hopfield_retrieval": {"m0_min": "0.4", "min_overlap": "0.9", "source": "s"}})
    assert crit["hopfield_retrieval"]["min_overlap"] == 0.9


def test_category_from_stimulus_counts_only_stimulus_aligned_inputs():
    reg = pd.DataFrame(
        {"input": ["cue", "field", "coarse_field"], "route": ["stimulus_direct", "none", "category_first"]}
    )
    _, v, _, ok = judge("facecells_category_from_stimulus", regimes=reg)
    assert v == 0 and not ok  # the coarse start does not count
    reg.loc[1, "route"] = "category_first"
    _, v, _, ok = judge("facecells_category_from_stimulus", regimes=reg)
    assert v == 1 and ok


def test_invariance_needs_a_smaller_drop_on_both_distortions_outside_the_noise():
    rows = []
    for seed, jitter in enumerate([0.0, 0.01, -0.01, 0.005]):
        rows.append(
            dict(
                schedule="narrow",
                seed=seed,
                test_accuracy=0.9,
                shifted_accuracy=0.5 + jitter,
                elastic_accuracy=0.6 + jitter,
            )
        )
        rows.append(
            dict(
                schedule="widening",
                seed=seed,
                test_accuracy=0.9,
                shifted_accuracy=0.7 + jitter,
                elastic_accuracy=0.75 - jitter,
            )
        )
    acc = pd.DataFrame(rows)
    _, v, _, ok = judge("neocognitron_invariance", accuracy=acc)
    assert ok and v == pytest.approx(min(0.2, 0.15) / 0.9, abs=0.01)
    # widening as robust as narrow on the deformed digits: no
    same = acc.copy()
    w = same["schedule"] == "widening"
    same.loc[w, "elastic_accuracy"] = same.loc[~w, "elastic_accuracy"].to_numpy()
    assert not judge("neocognitron_invariance", accuracy=same)[3]


def test_widening_needs_the_whole_interval_below_zero():
    def cmp_(lo, hi):
        row = {"schedule": "widening", "reference": "final", "metric": "mse_at_100pct", "diff": (lo + hi) / 2}
        return pd.DataFrame([{**row, "ci_low": lo, "ci_high": hi}])

    assert judge("neocognitron_widening", comparison=cmp_(-0.02, -0.01))[3]
    assert not judge("neocognitron_widening", comparison=cmp_(-0.02, 0.001))[3]
    _, value, _, ok = judge("neocognitron_widening", comparison=cmp_(-0.02, 0.001).assign(schedule="x"))
    assert math.isnan(value) and not ok  # a table that cannot answer is a no, not a dropped row


def test_capacity_must_fall_with_n_towards_ags():
    est = pd.DataFrame({"N": [1000, 2000, 10000], "alpha_c_sim": [0.168, 0.16, 0.155]})
    assert judge("hopfield_capacity", capacity_estimates=est)[3]
    assert not judge("hopfield_capacity", capacity_estimates=est.assign(alpha_c_sim=[0.15, 0.16, 0.155]))[3]
    assert not judge("hopfield_capacity", capacity_estimates=est.assign(alpha_c_sim=[0.25, 0.22, 0.2]))[3]


def test_model_lag_against_sugase():
    def onsets(g, f):
        return pd.DataFrame(
            {
                "source": "model",
                "information": ["global", "fine"],
                "onset_ms": [g, f],
                "true_onset_ms": [80, 80],
            }
        )

    assert judge("facecells_model_lag", onsets=onsets(80, 130))[3]
    assert not judge("facecells_model_lag", onsets=onsets(80, 105))[3]
    assert judge("facecells_model_order", onsets=onsets(80, 105))[3]
    assert not judge("facecells_model_order", onsets=onsets(80, 80))[3]


def test_mixture_split_needs_global_first_then_fine():
    mix = pd.DataFrame(
        {"window_end": [50, 100, 150, 200], "ari_global": [0, 0.6, 0.5, 0.4], "ari_fine": [0, 0.2, 0.35, 0.6]}
    )
    _, delay, _, ok = judge("facecells_mixture_split_data", mixture_data=mix)
    assert ok and delay == 100
    assert not judge("facecells_mixture_split_data", mixture_data=mix.assign(ari_fine=0.1))[3]


def test_vae_approach_requires_minimum_after_start_and_rise():
    row = {
        "chain": "sample",
        "noise_kind": "flip",
        "main_model": True,
        "mu_depth": 0.06,
        "mu_depth_ci_low": 0.05,
        "norm_own_at_norm_min": 0.9,  # nearer the own concept than a random other at the approach
        "norm_other_at_norm_min": 1.2,
    }
    clean = {**row, "noise": 0.0, "mu_t_min": 1, "mu_slope_after_min": 0.01}
    noisy = {**row, "noise": 0.4, "mu_t_min": 1, "mu_slope_after_min": -0.001}
    summary = pd.DataFrame([clean, noisy])
    assert judge("vae_approach_clean", inference_summary=summary)[3]
    assert not judge("vae_approach_noisy", inference_summary=summary)[3]
    far = summary.assign(norm_own_at_norm_min=1.3)  # a relaxation, no nearer the own concept
    assert not judge("vae_approach_clean", inference_summary=far)[3]


def test_render_counts_verdicts():
    card = pd.DataFrame(
        [
            {"part": "a", "claim": "x", "value": 1.0, "criterion": "c", "verdict": "yes"},
            {"part": "a", "claim": "y", "value": math.nan, "criterion": "c", "verdict": "no"},
        ]
    )
    text = sc.render(card)
    assert text.startswith("Reproduction scorecard: 1 of 2") and "[ no] y  (nan; c)" in text


def test_reproduction_documents_follow_the_scorecard():
    from conceptdyn.core.reproduction import render_front_page, render_markdown
    from conceptdyn.core.scorecard import Claim

    def judge(t, c):
        return "m", 1.0, ">= 1", True

    claims = {
        "hopfield": [Claim("h1", "associative memory", "retrieval", ("x",), judge, figure="hopfield_basin")],
        "vae": [Claim("v1", "VAE", "approach", ("y",), judge, figure="vae_strips")],
    }
    card = pd.DataFrame(
        [
            ("h1", "associative memory", "retrieval", "m", 0.99, ">= 1", "no", "results/hopfield/x.csv", "s"),
            ("v1", "VAE", "approach", "depth", 0.25, "> 0", "yes", "results/vae/y.csv", "s"),
        ],
        columns=sc.COLUMNS,
    )
    titles = {"hopfield": "Associative memory", "vae": "VAE"}
    md = render_markdown(card, claims, titles, seed=3)
    assert "**1 of 2 claims reproduced**" in md and "master seed 3" in md
    assert md.index("## Associative memory") < md.index("## VAE")
    assert "[vae_strips](figures/vae_strips.png)" in md and "depth = 0.25" in md
    assert "[hopfield/x.csv](hopfield/x.csv)" in md and "seeds |" not in md
    # the seeds target's column appears once it is there
    md = render_markdown(card.assign(holds=["2 of 5", "5 of 5"]), claims, titles, seed=3)
    assert "seeds |" in md and "| 5 of 5 |" in md
    rst = render_front_page(card, claims, titles, "Intro.")
    assert rst.startswith("Intro.") and "1 of 2 claims reproduced" in rst and "vae_strips.png_" in rst
