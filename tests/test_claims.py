"""Every scorecard claim's judge on both sides: one hand-made table where the verdict must be `yes`
and one (or more) where it must be `no`, with the default criterion of config/config.yaml.  A claim
without a case here fails :func:`test_every_claim_has_both_sides`, so a new claim comes with its test.

Each `no` case names the wrong judge it rules out (one that ignores a condition of the claim).
"""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from conceptdyn.core.scorecard import collect
from conceptdyn.vae import claims as vae_claims

from .conftest import ROOT

CRITERIA = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["scorecard"]
CLAIMS = {c.claim_id: c for c in collect()}


def frame(columns: str, *rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=columns.split())


# --- associative memory -------------------------------------------------------------------------


def overlap_dynamics(final_low: float):
    rows = [
        (0.05, m0, t, m0 + (m - m0) * t / 5) for m0, m in ((0.4, final_low), (0.6, 1.0)) for t in range(6)
    ]
    # a higher load does not count: the claim reads the lowest alpha
    rows += [(0.2, 0.6, 5, 0.3)]
    return {"overlap_dynamics": frame("alpha m0 t m_sim_mean", *rows)}


def capacity_estimates(*alphas):
    return {"capacity_estimates": frame("N alpha_c_sim", *zip((500, 1000, 2000), alphas, strict=False))}


# --- concept formation --------------------------------------------------------------------------


def fixed_points_t0(*stabilities):
    rows = [("mixed", 0.0, 3, b, s) for b, s in zip((0.2, 0.5, 0.8), stabilities, strict=True)]
    rows += [("child", 0.0, 3, 0.8, "unstable")]  # another kind does not count
    return {"fixed_points": frame("kind temperature s b stability", *rows)}


def saddle_tables(stability_below_bc: str):
    fixed = frame(
        "kind temperature s b stability",
        ("mixed", 0.65, 3, 0.1, stability_below_bc),
        ("mixed", 0.65, 3, 0.3, "stable"),
        ("mixed", 0.5, 3, 0.3, "unstable"),  # another temperature does not count
    )
    return {"fixed_points": fixed, "bifurcation": frame("s temperature b_c", (3, 0.65, 0.234))}


def plateaus(*escaped_plateau):
    rows = [("simulation", 0.1, 0.234, e, p) for e, p in escaped_plateau]
    rows += [("simulation", 0.3, 0.234, False, 0.0), ("map", 0.1, 0.234, False, 0.0)]  # above b_c, map
    return {"plateaus": frame("source b b_c escaped plateau", *rows)}


# --- face cells ---------------------------------------------------------------------------------


def onsets(syn_global: float, syn_fine: float, model_global: float = 90, model_fine: float = 130):
    return {
        "onsets": frame(
            "source information onset_ms true_onset_ms",
            ("synthetic", "global", syn_global, 100.0),
            ("synthetic", "fine", syn_fine, 151.0),
            ("model", "global", model_global, 80.0),
            ("model", "fine", model_fine, 80.0),
        )
    }


def mixture(name: str, late_fine: float):
    return {
        name: frame(
            "window_end ari_global ari_fine",
            (100, 0.05, 0.0),
            (140, 0.8, 0.1),
            (190, 0.4, late_fine),
        )
    }


def regimes(*input_route):
    return {"regimes": frame("input route", *input_route)}


# --- VAE ----------------------------------------------------------------------------------------


def summary(rows, chain="sample"):
    """Summary rows of the claim's chain (the lecture's ancestral ``sample`` chain, or ``mean`` for the
    variants), beside the other chain kind's rows, which always approach and whose depths rise with the
    latent size: a judge that ignores the chain would say yes."""
    columns = (
        "latent data main_model chain noise_kind noise mu_t_min mu_depth mu_depth_ci_low "
        "mu_slope_after_min mu_distance_global_end norm_depth level_at_norm_min pixel_mse_start "
        "pixel_mse_at_norm_min norm_own_at_norm_min norm_other_at_norm_min norm_t_min norm_depth_ci_low "
        "memory_distance_at_norm_min mu_distance_memory_end"
    )
    other = "mean" if chain == "sample" else "sample"
    base = {"latent": 20, "data": "grey", "main_model": True, "chain": chain, "noise_kind": "flip"}
    full = [{"norm_depth": r.get("mu_depth", 0.1), **base, **r} for r in rows]
    full += [
        {**base, **r, "chain": other, "mu_t_min": 1, "mu_depth_ci_low": 0.1, "mu_slope_after_min": 1}
        | {"norm_depth": 0.01 * r.get("latent", 20), "norm_t_min": 1, "norm_depth_ci_low": 0.1}
        | {"norm_own_at_norm_min": 0.5, "norm_other_at_norm_min": 2.0}
        | {"memory_distance_at_norm_min": 2.0, "mu_distance_memory_end": 1.0}
        for r in rows
    ]
    return {"inference_summary": pd.DataFrame(full)[columns.split()]}


def approach_row(
    noise,
    t_min=1,
    ci_low=0.02,
    slope=0.001,
    depth=0.1,
    global_end=1.0,
    level=0.0,
    pixel=(0.05, 0.04),
    own_other=(0.9, 1.3),
    memory=(1.8, 1.5),
):
    return {
        "norm_own_at_norm_min": own_other[0],
        "norm_other_at_norm_min": own_other[1],
        "norm_t_min": t_min,
        "norm_depth_ci_low": ci_low,
        "memory_distance_at_norm_min": memory[0],
        "mu_distance_memory_end": memory[1],
        "pixel_mse_start": pixel[0],
        "pixel_mse_at_norm_min": pixel[1],
        "level_at_norm_min": level,
        "noise": noise,
        "mu_t_min": t_min,
        "mu_depth": depth,
        "mu_depth_ci_low": ci_low,
        "mu_slope_after_min": slope,
        "mu_distance_global_end": global_end,
    }


def beta_rows(main_approaches: bool, variant_approaches: bool, variant_latent: int = 20):
    """The main model (KL weight 1) and a variant with KL weight 4 of the main size (or another)."""
    main = [{**approach_row(0.0, t_min=1 if main_approaches else 0), "beta": 1.0}]
    variant = {**approach_row(0.0, t_min=1 if variant_approaches else 0), "beta": 4.0}
    table = summary(main)["inference_summary"].assign(beta=1.0)
    extra = summary([variant])["inference_summary"].assign(beta=4.0, main_model=False, latent=variant_latent)
    return {"inference_summary": pd.concat([table, extra], ignore_index=True)}


def latent_rows(depths):
    """The normalised depths ``depths`` by latent size; the raw depths in the opposite order (raw
    distances do not compare across latent sizes: a judge that read them would turn the verdict)."""
    rows = []
    for latent, depth, raw in zip((2, 5, 20, 50), depths, depths[::-1], strict=True):
        row = {**approach_row(0.0, depth=raw), "norm_depth": depth}
        rows.append({**row, "latent": latent, "main_model": latent == 20})
    # a model on the other training data, deepest at the smallest size: it must not enter the sweep
    rows.append({**approach_row(0.0, depth=0.9), "latent": 2, "data": "binarized", "main_model": False})
    return rows


# --- neocognitron -------------------------------------------------------------------------------


def delta(final_corr: float):
    return {
        "delta_diagnostic": frame(
            "iteration schedule delta_neighbour_corr",
            (0, "final", 0.99),
            (0, "narrow", 0.1),
            (1000, "final", final_corr),
            (1000, "narrow", 0.3),
        )
    }


def comparison(ci_low: float, ci_high: float):
    return {
        "comparison": frame(
            "schedule reference metric diff ci_low ci_high",
            ("widening", "final", "mse_at_100pct", (ci_low + ci_high) / 2, ci_low, ci_high),
            ("narrow", "final", "mse_at_100pct", -0.5, -0.6, -0.4),  # another schedule does not count
        )
    }


def accuracy(elastic_keeps_more: bool):
    rows = []
    for seed, noise in enumerate((0.0, 0.01, -0.01, 0.02, -0.005)):
        rows.append(("narrow", seed, 0.9, 0.5 + noise, 0.8 + noise))
        elastic = 0.85 + noise if elastic_keeps_more else 0.7 + noise
        rows.append(("widening", seed, 0.8, 0.6 + noise, elastic))
    return {"accuracy": frame("schedule seed test_accuracy shifted_accuracy elastic_accuracy", *rows)}


# claim -> (tables where the verdict is yes, [(tables where it is no, the wrong judge it rules out)])
CASES = {
    "hopfield_retrieval": (overlap_dynamics(0.995), [(overlap_dynamics(0.9), "reads only the best start")]),
    "hopfield_capacity": (
        capacity_estimates(0.17, 0.155, 0.15),
        [
            (capacity_estimates(0.15, 0.16, 0.15), "does not ask that alpha_c falls with N"),
            (capacity_estimates(0.3, 0.25, 0.2), "does not ask for the AGS value"),
        ],
    ),
    "concepts_mixed_attractor": (
        fixed_points_t0("stable", "stable", "stable"),
        [(fixed_points_t0("stable", "stable", "unstable"), "asks for a stable mixed state somewhere")],
    ),
    "concepts_saddle": (
        saddle_tables("unstable"),
        [(saddle_tables("stable"), "does not compare the stability with b_c")],
    ),
    "concepts_plateau": (
        plateaus((True, 5.0), (True, 7.0), (False, 0.0)),
        [
            (plateaus((True, 1.0), (True, 1.0)), "does not ask for a plateau"),
            (plateaus((True, 9.0), (False, 0.0), (False, 0.0)), "asks for one escape only"),
        ],
    ),
    "facecells_onsets_recovered": (onsets(110, 165), [(onsets(110, 200), "reads the global onset only")]),
    "facecells_data_lag": (onsets(110, 165), [(onsets(100, 200), "asks only that fine comes after")]),
    "facecells_mixture_split_data": (
        mixture("mixture_data", 0.5),
        [(mixture("mixture_data", 0.35), "asks for fine ARI >= 0.3 without beating the global ARI")],
    ),
    "facecells_mixture_split_model": (
        mixture("mixture_model", 0.5),
        [(mixture("mixture_model", 0.2), "does not ask for a fine split")],
    ),
    "facecells_model_order": (onsets(110, 165, 90, 130), [(onsets(110, 165, 90, 95), "asks fine >= global")]),
    "facecells_model_lag": (
        onsets(110, 165, 90, 130),
        [
            (onsets(110, 165, 90, 109), "asks only for the order"),
            (onsets(110, 165, 90, 180), "no upper bound"),
        ],
    ),
    "facecells_category_from_stimulus": (
        regimes(("cue", "category_first"), ("coarse_field", "category_first")),
        [(regimes(("coarse_field", "category_first"), ("cue", "stimulus_direct")), "counts coarse inputs")],
    ),
    "vae_approach_clean": (
        summary([approach_row(0.0), approach_row(0.4, t_min=0)]),
        [
            (summary([approach_row(0.0, t_min=0), approach_row(0.4)]), "does not ask for t_min > 0"),
            (summary([approach_row(0.0, ci_low=-0.01)]), "ignores the interval"),
            (summary([approach_row(0.0, slope=-0.001)]), "does not ask for the rise"),
            (summary([approach_row(0.0, t_min=98)]), "takes a minimum at the chain's end for an approach"),
            (
                summary([approach_row(0.0, own_other=(1.4, 1.3))]),
                "takes a relaxation to where all chains end (not nearer the own concept) for an approach",
            ),
        ],
    ),
    "vae_approach_noisy": (
        summary([approach_row(0.0, t_min=0), approach_row(0.2, t_min=0), approach_row(0.4)]),
        [(summary([approach_row(0.0), approach_row(0.2), approach_row(0.4, t_min=0)]), "any noise level")],
    ),
    "vae_approach_clean_mean": (
        summary([approach_row(0.0), approach_row(0.4, t_min=0)], chain="mean"),
        [
            (
                summary([approach_row(0.0, t_min=0), approach_row(0.4)], chain="mean"),
                "does not ask for t_min > 0",
            ),
            (summary([approach_row(0.0, slope=-0.001)], chain="mean"), "does not ask for the rise"),
        ],
    ),
    "vae_approach_noisy_mean": (
        summary([approach_row(0.0, t_min=0), approach_row(0.4)], chain="mean"),
        [(summary([approach_row(0.0), approach_row(0.4, t_min=0)], chain="mean"), "any noise level")],
    ),
    "vae_approach_clean_beta": (
        beta_rows(main_approaches=False, variant_approaches=True),
        [
            (beta_rows(main_approaches=True, variant_approaches=False), "reads the main model"),
            (
                beta_rows(main_approaches=False, variant_approaches=True, variant_latent=5),
                "takes a variant of another latent size",
            ),
        ],
    ),
    "vae_noise_global": (
        summary([approach_row(0.0, level=0.5, global_end=1.0), approach_row(0.4, level=2.5, global_end=2.0)]),
        [
            (summary([approach_row(0.0, level=2.5), approach_row(0.4, level=0.5)]), "sign flipped"),
            (
                summary(
                    [
                        approach_row(0.0, level=1.0, global_end=2.0),
                        approach_row(0.4, level=1.0, global_end=1.0),
                    ]
                ),
                "reads the end distance to the global centre, not the level at the approach",
            ),
        ],
    ),
    "vae_data_space": (
        summary([approach_row(0.0, pixel=(0.05, 0.04)), approach_row(0.4, pixel=(0.05, 0.09))]),
        [
            (summary([approach_row(0.0, pixel=(0.05, 0.06))]), "sign flipped"),
            (summary([approach_row(0.0, pixel=(0.05, 0.05))]), "counts no approach as a match"),
            (
                summary([approach_row(0.0, pixel=(0.05, 0.07)), approach_row(0.4, pixel=(0.09, 0.04))]),
                "reads the noisy input",
            ),
        ],
    ),
    "vae_then_memory": (
        summary([approach_row(0.0, memory=(1.8, 1.5)), approach_row(0.4, memory=(1.0, 2.0))]),
        [
            (summary([approach_row(0.0, memory=(1.8, 2.1))]), "sign flipped"),
            (summary([approach_row(0.0, t_min=0, memory=(1.8, 1.5))]), "does not ask for an approach first"),
            (
                summary([approach_row(0.0, memory=(1.8, 2.1)), approach_row(0.4, memory=(2.0, 1.0))]),
                "reads the noisy input",
            ),
        ],
    ),
    "vae_latent_size": (
        summary(latent_rows((0.01, 0.05, 0.1, 0.2))),
        [(summary(latent_rows((0.2, 0.1, 0.05, 0.01))), "mixes the training data or the sign")],
    ),
    "neocognitron_delta_alike": (delta(0.95), [(delta(0.4), "reads the start of training")]),
    "neocognitron_widening": (
        comparison(-0.02, -0.01),
        [(comparison(-0.02, 0.01), "reads the mean difference, not the interval")],
    ),
    "neocognitron_invariance": (
        accuracy(elastic_keeps_more=True),
        [(accuracy(elastic_keeps_more=False), "asks for one distortion only")],
    ),
}


def test_every_claim_has_both_sides():
    assert set(CASES) == set(CLAIMS)
    assert all(no for _, no in CASES.values())


def judge(claim_id: str, tables: dict):
    claim = CLAIMS[claim_id]
    assert set(claim.tables) <= set(tables), f"{claim_id} reads {claim.tables}"
    return claim.judge(tables, CRITERIA[claim_id])


@pytest.mark.parametrize("claim_id", sorted(CASES))
def test_judge_says_yes(claim_id):
    measure, value, rule, ok = judge(claim_id, CASES[claim_id][0])
    assert ok is True or ok == True, (measure, value, rule)  # noqa: E712 (numpy bools)
    assert value == value, "a yes comes with a number"


@pytest.mark.parametrize(
    ("claim_id", "case"), [(cid, i) for cid in sorted(CASES) for i in range(len(CASES[cid][1]))]
)
def test_judge_says_no(claim_id, case):
    tables, wrong_judge = CASES[claim_id][1][case]
    measure, value, _, ok = judge(claim_id, tables)
    assert not ok, f"{claim_id}: a judge that {wrong_judge} would say yes ({measure} = {value})"


@pytest.mark.parametrize("claim_id", sorted(CASES))
def test_judge_answers_nan_no_on_empty_tables(claim_id):
    """A table that cannot answer (no rows) gives `no`, never a crash or a `yes`."""
    empty = {name: table.iloc[0:0] for name, table in CASES[claim_id][0].items()}
    try:
        _, _, _, ok = judge(claim_id, empty)
    except (IndexError, KeyError) as err:  # pragma: no cover - the failure this test is for
        pytest.fail(f"{claim_id} crashes on empty tables: {err!r}")
    assert not ok


def test_every_claim_names_a_figure_of_its_stage():
    from conceptdyn.core.stages import stage_modules

    figures = {name for module in stage_modules("figures").values() for name in module.FIGURES}
    for stage, module in stage_modules("claims").items():
        for claim in module.CLAIMS:
            assert claim.figure in figures and claim.figure.startswith(f"{stage}_"), claim.claim_id


def test_vae_measures_name_the_epochs_of_the_models_they_judge():
    rows = summary([approach_row(0.0), approach_row(0.4)])["inference_summary"]
    rows["beta"] = 1.0
    rows["epochs"], rows["stop"] = 10, "cap"
    measure = vae_claims.approach(noisy=False)(
        {"inference_summary": rows}, {"chain": "sample", "noise_kind": "flip", "max_t_min": 50}
    )[0]
    assert measure.endswith("; model trained 10 epochs (stopped at the cap)")
    sweep = pd.DataFrame({"latent": [2, 5, 20], "data": "grey", "beta": 1.0, "epochs": [12, 10, 30]})
    sweep["stop"] = ["converged", "cap", "converged"]
    assert vae_claims.trained(sweep) == "; models trained 10-30 epochs (1 of 3 stopped at the cap)"
    assert vae_claims.trained(sweep.drop(columns="epochs")) == ""


def test_vae_runs_compared_claim_by_claim():
    def card(verdicts, values):
        return pd.DataFrame(
            {
                "claim_id": ["a", "b"],
                "claim": ["A", "B"],
                "criterion": "> 0",
                "measure": ["m", "m"],
                "value": values,
                "verdict": verdicts,
            }
        )

    out = vae_claims.compare_runs(
        {"default": card(["no", "yes"], [0.0, 1.0]), "converged": card(["yes", "yes"], [0.2, 2.0])}
    )
    assert out["claim_id"].tolist() == ["a", "b"]
    assert out["same"].tolist() == [False, True]
    assert out["value_converged"].tolist() == [0.2, 2.0] and out["verdict_default"].tolist() == ["no", "yes"]
