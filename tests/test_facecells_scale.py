"""The face-cell model at scale: routes against N, their extrapolation to N -> infinity, the setting
analysed like the data and the verdicts at the largest N."""

import numpy as np
import pandas as pd
import pytest

from conceptdyn.facecells import catalogue, scale
from conceptdyn.facecells import model as facemodel
from conceptdyn.facecells.claims import CLAIMS, MODEL_CLAIMS, category_from_stimulus

from .test_facemodel import model_config
from .test_spikes import CATS

SETTING = {
    "coding": "pm1",
    "learning": "hebb",
    "input": "field",
    "b_fine": 0.5,
    "b_stimulus": 0.2,
    "temperature": 0.5,
    "input_strength": 0.1,
    "coarse_bias": 0.0,
    "cue_overlap": 0.05,
}


def picked(theory_end=0.9, theory_peak=0.3) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "setting": 0,
                **SETTING,
                "theory_route": "category_first",
                "theory_sibling_peak": theory_peak,
                "theory_m_stimulus_end": theory_end,
                "theory_plateau_steps": 3.0,
                "theory_t_retrieved_ms": 130.0,
            }
        ]
    )


def synthetic_runs(sizes, trials, end, slope, noise, rng) -> pd.DataFrame:
    """Trials whose stimulus overlap rises to ``end + slope / sqrt(N)`` (plus noise) and whose sibling
    overlap peaks at step 1: a known finite-size law for the fit to recover."""
    rows = []
    for n in sizes:
        final = end + slope / np.sqrt(n) + noise * rng.standard_normal(trials)
        peak = 0.3 - 1.0 / np.sqrt(n) + noise * rng.standard_normal(trials)
        for k in range(trials):
            m_s = [0.05, 0.3, final[k]]
            m_sib = [0.01, peak[k], 0.1]
            for step in range(3):
                rows.append(
                    {
                        "setting": 0,
                        "N": n,
                        "trial": k,
                        "stimulus": "s",
                        "step": step,
                        "time_ms": 80 + 10 * step,
                        "m_stimulus": m_s[step],
                        "m_siblings": m_sib[step],
                        "m_prototype": 0.0,
                        "m_category": 0.0,
                    }
                )
    return pd.DataFrame(rows, columns=list(scale.RUN_COLUMNS))


def test_the_extrapolation_recovers_a_known_finite_size_law():
    """Overlaps drawn as y_inf + c / sqrt(N) plus trial noise: the weighted fit over the sizes gives
    y_inf within about three standard errors (the bootstrap interval's half width) and the slope c; a
    theory value far outside the interval is flagged."""
    rng = np.random.default_rng(3)
    sizes = [1000, 4000, 16000, 64000]
    runs = synthetic_runs(sizes, 60, end=0.9, slope=-3.0, noise=0.02, rng=rng)
    routes, reps = scale.route_table(runs, picked(), 0.8, 0.05, 300, 1, 0.95)
    assert routes["N"].tolist() == sizes and (routes["trials"] == 60).all()
    # the trial-mean route: the stimulus retrieved after the siblings' peak at step 1
    assert set(routes["route"]) == {"category_first"} and routes["agree"].all()
    se = routes["m_stimulus_end_se"].to_numpy()
    assert np.allclose(se, 0.02 / np.sqrt(60), rtol=0.3)  # the bootstrap's standard error of a mean
    ext = scale.extrapolation_table(routes, reps, 0.95).set_index("quantity")
    end = ext.loc["m_stimulus_end"]
    half_width = (end["ci_high"] - end["ci_low"]) / 2
    assert 0 < half_width < 0.01 and abs(end["extrapolated"] - 0.9) < 1.5 * half_width  # about 3 se
    assert end["slope"] == pytest.approx(-3.0, abs=0.6)
    assert bool(end["theory_inside"]) == bool(end["ci_low"] <= 0.9 <= end["ci_high"])
    peak = ext.loc["sibling_peak"]
    assert peak["extrapolated"] == pytest.approx(0.3, abs=0.02) and peak["dof"] == 2
    far = scale.extrapolation_table(
        scale.route_table(runs, picked(theory_end=0.5), 0.8, 0.05, 50, 1, 0.95)[0], reps, 0.95
    )
    assert not far.set_index("quantity").loc["m_stimulus_end", "theory_inside"]


def test_the_setting_analysed_at_scale_follows_the_stated_rule():
    """At the largest N: category first with the largest detour wins over a larger detour of another
    route; without category first, the stimulus-direct setting with the largest detour; sizes below the
    largest do not count."""
    base = {**SETTING, "theory_route": "category_first", "m_stimulus_end": 0.9}
    rows = [
        {
            **base,
            "setting": 0,
            "N": 1000,
            "route": "category_first",
            "sibling_peak": 0.9,
            "m_siblings_end": 0.0,
        },
        {
            **base,
            "setting": 0,
            "N": 8000,
            "route": "stimulus_direct",
            "sibling_peak": 0.5,
            "m_siblings_end": 0.1,
        },
        {
            **base,
            "setting": 1,
            "N": 8000,
            "route": "category_first",
            "sibling_peak": 0.3,
            "m_siblings_end": 0.1,
        },
        {
            **base,
            "setting": 2,
            "N": 8000,
            "route": "category_first",
            "sibling_peak": 0.35,
            "m_siblings_end": 0.1,
        },
        {**base, "setting": 3, "N": 8000, "route": "none", "sibling_peak": 0.8, "m_siblings_end": 0.0},
    ]
    choice = scale.choose_setting(pd.DataFrame(rows))
    assert choice["setting"].tolist() == [2] and choice["N"].tolist() == [8000]
    assert choice["rule"].iloc[0] == scale.RULE
    no_first = pd.DataFrame(
        [r | {"route": "stimulus_direct"} if r["setting"] == 0 else r | {"route": "none"} for r in rows]
    )
    assert scale.choose_setting(no_first)["setting"].tolist() == [0]


def test_the_settings_at_scale_are_the_window_rule_s_numbered():
    from conceptdyn.facecells import regimes

    rows = [
        {**SETTING, "input": inp, "theory_plateau_steps": float(p), "in_window": p < 9, "simulated": False}
        for inp in ("cue", "field")
        for p in range(2, 11)
    ]
    theory = pd.DataFrame(rows)
    got = scale.pick_settings(theory, 4)
    want = theory.loc[regimes.window_pick(theory, 4)]
    assert got["setting"].tolist() == [0, 1, 2, 3] and "simulated" not in got
    assert got["theory_plateau_steps"].tolist() == want["theory_plateau_steps"].tolist()
    assert facemodel.setting_of(got.iloc[0]) == {**SETTING, "input": "cue"}  # the model's keys alone


def test_a_route_run_is_the_model_s_own_overlaps_per_trial(cpu):
    """The trial-averaged overlaps of a route run are the model's ``model_overlaps`` of the same
    setting, size and seed (the run keeps each trial, nothing else)."""
    cat = catalogue.stimulus_catalogue(CATS)
    base = model_config(N=600, neurons=10)
    run = scale.trial_overlaps(base, SETTING, 600, 2, cat, 5)
    assert list(run.columns) == list(scale.RUN_COLUMNS[1:])
    assert run["trial"].nunique() == 2 * len(cat)
    ref = facemodel.simulate(model_config(N=600, neurons=10, trials=2, **SETTING), cat, 5)
    mean = run.groupby("step")[list(facemodel.OVERLAP_NAMES)].mean()
    for name in facemodel.OVERLAP_NAMES:
        assert np.allclose(mean[name].to_numpy(), ref.overlaps[name].to_numpy())


def verdicts(routes_first: list[bool]) -> pd.DataFrame:
    rows = [
        {
            "claim_id": "facecells_category_from_stimulus",
            "model": "default",
            "seed": 1,
            "N": 12000,
            "verdict": "no",
        }
    ]
    for i, ok in enumerate(routes_first):
        rows.append(
            {
                "claim_id": "facecells_category_from_stimulus",
                "model": "noisy_stimulus",
                "seed": i,
                "N": 768000,
                "verdict": "yes" if ok else "no",
            }
        )
    return pd.DataFrame(rows)


def test_the_scorecard_judges_category_from_stimulus_at_scale_once_that_target_has_run():
    regimes = pd.DataFrame({"input": ["field"], "route": ["none"], "grid": ["theory"]})
    crit = {"min_settings": 1}
    measure, value, _, ok = category_from_stimulus({"regimes": regimes}, crit)
    assert value == 0 and not ok and "regime map" in measure
    measure, value, rule, ok = category_from_stimulus(
        {"regimes": regimes, "scale_verdicts": verdicts([True, True, False])}, crit
    )
    assert value == 2 and ok and "N = 768,000" in measure and "more than half" in rule
    assert not category_from_stimulus({"regimes": regimes, "scale_verdicts": verdicts([True, False])}, crit)[
        3
    ]
    claim = next(c for c in CLAIMS if c.claim_id == "facecells_category_from_stimulus")
    assert claim.optional_tables == ("scale_verdicts",) and claim in MODEL_CLAIMS


def test_the_verdicts_at_scale_use_the_scorecard_s_judges():
    onsets = pd.DataFrame(
        {"source": ["model", "model"], "information": ["global", "fine"], "onset_ms": [100.0, 150.0]}
    )
    mixture = pd.DataFrame({"window_end": [100, 150], "ari_global": [0.5, 0.2], "ari_fine": [0.1, 0.6]})
    regimes = pd.DataFrame({"input": ["field"], "route": ["none"], "grid": ["theory"]})
    default = {"onsets": onsets.assign(onset_ms=[100.0, 100.0]), "mixture_model": mixture, "regimes": regimes}
    at_scale = [
        {
            "seed": 7,
            "N": 768000,
            "input": "field",
            "route": "category_first",
            "onsets": onsets,
            "mixture_model": mixture,
        }
    ]
    from conceptdyn.core.settings import default_config

    criteria = default_config()["scorecard"]
    table = scale.verdict_table(default, 12000, 1, at_scale, criteria, MODEL_CLAIMS).set_index(
        ["claim_id", "model"]
    )
    assert table.loc[("facecells_model_lag", "noisy_stimulus"), "value"] == 50.0
    assert table.loc[("facecells_model_lag", "noisy_stimulus"), "verdict"] == "yes"
    assert table.loc[("facecells_model_order", "default"), "verdict"] == "no"  # no lag in the default here
    assert table.loc[("facecells_category_from_stimulus", "noisy_stimulus"), "verdict"] == "yes"
    assert table.loc[("facecells_category_from_stimulus", "default"), "verdict"] == "no"
    assert table.loc[("facecells_mixture_split_model", "noisy_stimulus"), "verdict"] == "yes"


@pytest.mark.parametrize(
    "fine, per_fine, b_fine, b_stimulus, temperature, cue, field",
    [
        (3, 3, 0.5, 0.4, 0.05, 0.3, 0.0),  # a weak cue, then retrieval
        (4, 3, 0.6, 0.3, 0.0, 0.2, 0.0),  # T = 0: the threshold classes share the activity
        (3, 2, 0.4, 0.3, 0.05, 0.3, 0.1),  # from the spontaneous state with a sustained field
    ],
)
def test_sparse_tree_map_follows_large_networks(
    cpu, fine, per_fine, b_fine, b_stimulus, temperature, cue, field
):
    """The N -> infinity sparse tree map against the engine at N = 200,000 (coding level 0.1, activity
    held at a by the engine's mean control): the stimulus, sibling and cousin overlaps and the activity
    step by step, within a few finite-size standard deviations (1/sqrt(N a (1 - a)) ~ 0.007)."""
    from conceptdyn.concepts.patterns import sparse_descendants
    from conceptdyn.core.runtime import child_rng
    from conceptdyn.facecells import tree_theory as tt
    from conceptdyn.hopfield.engine import SparseCoding, run_dynamics

    n, a, steps, trials = 200_000, 0.1, 6, 4
    rng = np.random.default_rng(11)
    category = (rng.random((1, n)) < a).astype(np.float32)
    protos = sparse_descendants(rng, category, np.zeros(fine, int), b_fine, a)
    stims = sparse_descendants(rng, protos, np.repeat(np.arange(fine), per_fine), b_stimulus, a)
    cued = stims[np.zeros(trials, int)]
    keep = rng.random(cued.shape) < cue
    noisy = np.where(keep, cued, (rng.random(cued.shape) < a)).astype(np.float32)
    coding = SparseCoding(a, control="mean")
    if field:
        x0 = (rng.random(cued.shape) < a).astype(np.float32)
        external = (field * noisy)[None]
    else:
        x0, external = noisy, None
    res = run_dynamics(
        stims[None],
        x0[None],
        steps,
        temperature=temperature,
        rng=child_rng(3, "hopfield.starts"),
        readout=coding.overlap_vectors(stims)[None],
        external=external,
        coding=coding,
    )
    ov = res.overlaps[:, 0].mean(1)  # (steps + 1, stimuli), the trials' mean
    sim = np.stack([ov[:, 0], ov[:, 1:per_fine].mean(1), ov[:, per_fine:].mean(1)], axis=1)
    tree = tt.Tree(fine, per_fine, b_fine, b_stimulus)
    m = tt.cue_start(tree, cue) if not field else np.zeros(3)
    theory = [m]
    for _ in range(steps):
        m = tt.sparse_tree_map(m, tree, a, temperature, field, cue)["m"]
        theory.append(m)
    theory = np.array(theory)
    tol = 5 / np.sqrt(n * a * (1 - a)) + 0.01
    assert np.abs(sim[1:] - theory[1:]).max() < tol, (sim, theory)
    assert theory[-1, 0] - theory[0, 0] > 0.1  # the test case moves: the stimulus overlap grows
