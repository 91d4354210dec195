"""The hierarchical associative-memory model of face cells."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from conceptdyn.core.runtime import child_rng
from conceptdyn.core.settings import defaults
from conceptdyn.facecells import catalogue, nwb
from conceptdyn.facecells import model as facemodel

from .test_spikes import CATS


def model_config(**fixed) -> facemodel.ModelConfig:
    """The default face-cell model (config sections facecells.model + session) with ``fixed`` values."""
    return defaults(facemodel.ModelConfig, "facecells.model", "facecells.session", **fixed)


def test_tree_patterns_have_the_hierarchical_correlations(rng):
    """E[category . prototype] = b_f, E[prototype . stimulus] = b_s, E[category . stimulus] = b_f b_s,
    E[siblings] = b_s^2, E[cousins] = b_f^2 b_s^2 (exact for the generating rule)."""
    cat = catalogue.stimulus_catalogue(CATS)
    n, bf, bs = 40000, 0.5, 0.6
    cfg = model_config(
        N=n,
        coding="pm1",
        b_fine=bf,
        b_stimulus=bs,
    )
    cats, protos, stims = facemodel.tree_patterns(rng, cat, cfg)
    g, f, _, _ = catalogue.label_codes(cat)
    tol = 4 / np.sqrt(n)
    pair_cat = np.array([g[f == k][0] for k in range(len(protos))])
    assert np.mean(np.sum(cats[pair_cat] * protos, 1) / n) == pytest.approx(bf, abs=tol)
    assert np.mean(np.sum(protos[f] * stims, 1) / n) == pytest.approx(bs, abs=tol)
    assert np.mean(np.sum(cats[g] * stims, 1) / n) == pytest.approx(bf * bs, abs=tol)
    m = stims @ stims.T / n
    sib = [(i, j) for i in range(38) for j in range(i) if f[i] == f[j]]
    cous = [(i, j) for i in range(38) for j in range(i) if g[i] == g[j] and f[i] != f[j]]
    other = [(i, j) for i in range(38) for j in range(i) if g[i] != g[j]]
    assert np.mean([m[i, j] for i, j in sib]) == pytest.approx(bs**2, abs=tol)
    assert np.mean([m[i, j] for i, j in cous]) == pytest.approx(bf**2 * bs**2, abs=tol)
    assert np.mean([m[i, j] for i, j in other]) == pytest.approx(0.0, abs=tol)


def test_model_recording_layout_and_cue(cpu):
    cat = catalogue.stimulus_catalogue(CATS)
    cfg = model_config(
        N=2000,
        coding="pm1",
        neurons=10,
        trials=2,
        temperature=0.0,
        b_fine=0.2,
        b_stimulus=0.2,
        cue_overlap=0.3,
        input="cue",
    )
    run = facemodel.simulate(cfg, cat, 3, device=cpu)
    assert len(run.trials) == 76 and len(run.spike_times) == 10
    assert run.overlaps["m_stimulus"].iloc[0] == pytest.approx(cfg.cue_overlap, abs=1 / cfg.N)
    # weakly correlated patterns at T = 0 and low load: the cue retrieves its own stimulus
    assert run.overlaps["m_stimulus"].iloc[-1] > 0.9
    nwb.check_spike_times(run.spike_times, list(range(10)), "model")
    rec = nwb.Recording(run.trials, run.spike_times, list(range(10)))
    counts = nwb.trial_counts(rec, 400)
    # before the cue the rate is baseline + gain * (0 or 1): mean (5 + 45) / 2 Hz over 80 ms x 760 unit-trials
    pre = counts[:, :, : cfg.cue_ms].sum() / (counts.shape[0] * counts.shape[1] * cfg.cue_ms / 1000)
    assert pre == pytest.approx(cfg.baseline_hz + cfg.gain_hz / 2, rel=0.1)
    again = facemodel.simulate(cfg, cat, 3, device=cpu)
    assert all(np.array_equal(a, b) for a, b in zip(run.spike_times, again.spike_times, strict=True))


def test_sparse_tree_keeps_the_coding_level_and_the_covariances(rng):
    """Sparse patterns: coding level a at every level; covariance / (a(1-a)) = b_f, b_s, b_f b_s."""
    cat = catalogue.stimulus_catalogue(CATS)
    n, a, bf, bs = 60000, 0.1, 0.5, 0.6
    cfg = model_config(
        N=n,
        coding="sparse",
        a=a,
        b_fine=bf,
        b_stimulus=bs,
    )
    cats, protos, stims = facemodel.tree_patterns(rng, cat, cfg)
    g, f, _, _ = catalogue.label_codes(cat)
    for level in (cats, protos, stims):
        assert level.mean() == pytest.approx(a, abs=0.003)

    def corr(u, v):
        return float(np.mean(np.sum((u - a) * (v - a), 1) / (n * a * (1 - a))))

    tol = 6 / np.sqrt(n * a)
    pair_cat = np.array([g[f == k][0] for k in range(len(protos))])
    assert corr(cats[pair_cat], protos) == pytest.approx(bf, abs=tol)
    assert corr(protos[f], stims) == pytest.approx(bs, abs=tol)
    assert corr(cats[g], stims) == pytest.approx(bf * bs, abs=tol)


@pytest.mark.parametrize(("coding", "inp"), [("pm1", "field"), ("sparse", "cue"), ("sparse", "field")])
def test_model_variants_run_and_retrieve_weakly_correlated_stimuli(cpu, coding, inp):
    """Weak correlations, low load: every variant ends at the presented stimulus (overlap near 1),
    the spontaneous activity before the input carries the coding level, and the run is seeded."""
    cat = catalogue.stimulus_catalogue(CATS)
    cfg = model_config(
        N=2000,
        neurons=10,
        trials=2,
        coding=coding,
        input=inp,
        input_strength=0.5,
        temperature=0.0,
        b_fine=0.2,
        b_stimulus=0.2,
        cue_overlap=0.5,
    )
    run = facemodel.simulate(cfg, cat, 3, device=cpu)
    assert len(run.trials) == 76 and run.trial_overlaps.shape[1:] == (76, 4)
    assert run.overlaps["m_stimulus"].iloc[-1] > 0.9
    assert abs(run.overlaps["m_siblings"].iloc[-1]) < 0.2
    again = facemodel.simulate(cfg, cat, 3, device=cpu)
    assert all(np.array_equal(a, b) for a, b in zip(run.spike_times, again.spike_times, strict=True))


def _course(m_stimulus, m_siblings):
    n = len(m_stimulus)
    return pd.DataFrame(
        {"time_ms": 80 + 10 * np.arange(n), "m_stimulus": m_stimulus, "m_siblings": m_siblings}
    )


@pytest.mark.parametrize(
    ("m_stimulus", "m_siblings", "route"),
    [
        ([0.2, 0.5, 0.6, 0.7, 0.9, 0.95], [0.1, 0.4, 0.45, 0.3, 0.2, 0.2], "category_first"),
        ([0.2, 0.9, 0.95, 0.95, 0.95, 0.95], [0.1, 0.2, 0.2, 0.2, 0.2, 0.2], "stimulus_direct"),
        # the sibling overlap peaks only after retrieval: no detour
        ([0.2, 0.9, 0.95, 0.95, 0.95, 0.95], [0.1, 0.1, 0.1, 0.3, 0.2, 0.2], "stimulus_direct"),
        ([0.2, 0.4, 0.45, 0.45, 0.45, 0.45], [0.1, 0.4, 0.45, 0.45, 0.45, 0.45], "category_only"),
        ([0.2, 0.3, 0.3, 0.3, 0.3, 0.3], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0], "none"),
    ],
)
def test_route_classification_by_hand(m_stimulus, m_siblings, route):
    r = facemodel.classify_route(_course(m_stimulus, m_siblings), retrieved=0.8, margin=0.05)
    assert r["route"] == route
    if route == "category_first":
        assert r["t_sibling_peak_ms"] == 100 and r["t_retrieved_ms"] == 120


def test_regime_choice_follows_the_stated_rule():
    from conceptdyn.facecells import regimes

    def row(route, gap, bs, t_ret, tag, split=False, inp="coarse_field"):
        return {
            "input": inp,
            "route": route,
            "onset_gap_ms": gap,
            "b_stimulus": bs,
            "t_retrieved_ms": t_ret,
            "split": split,
            "tag": tag,
        }

    rows = [
        row("category_first", 10.0, 0.3, 150.0, "gap below min_gap_ms", split=True),
        row("category_first", 80.0, 0.3, 200.0, "gap farther from 51"),
        row("category_first", 45.0, 0.3, 120.0, "shorter plateau"),
        row("category_first", 45.0, 0.2, 140.0, "chosen"),
        row("category_first", 57.0, 0.3, 140.0, "same distance and plateau, larger b_stimulus: chosen"),
        row("stimulus_direct", 50.0, 0.4, 300.0, "wrong route", split=True),
    ]
    choice = regimes.choose_regime(pd.DataFrame(rows), min_gap_ms=20).iloc[0]
    assert bool(choice["chosen"]) and choice["tag"].endswith("chosen") and choice["onset_gap_ms"] == 57.0
    assert choice["n_category_first"] == 5 and choice["n_stimulus_direct"] == 1 and choice["n_split"] == 2
    # a qualifying setting whose mixture splits comes before everything else, even far from 51 ms
    split = regimes.choose_regime(
        pd.DataFrame([*rows, row("category_first", 120.0, 0.15, 100.0, "splits", split=True)]), min_gap_ms=20
    ).iloc[0]
    assert split["tag"] == "splits"
    # a stimulus-aligned input that qualifies comes before any coarse start, even without a split and
    # far from 51 ms (the ranking without the input first would pick "splits")
    for inp in ("cue", "field"):
        aligned = row("category_first", 150.0, 0.15, 100.0, "aligned", inp=inp)
        late = [*rows, row("category_first", 120.0, 0.15, 100.0, "splits", split=True), aligned]
        assert regimes.choose_regime(pd.DataFrame(late), min_gap_ms=20).iloc[0]["tag"] == "aligned"
    none = regimes.choose_regime(pd.DataFrame(rows[5:]), min_gap_ms=20).iloc[0]
    assert not bool(none["chosen"]) and none["n_stimulus_direct"] == 1


def test_regime_choice_takes_the_first_candidate_whose_rerun_confirms_it():
    """The ranking's first setting splits only in the map's few trials; the second's rerun with more
    trials still qualifies and splits, so it is chosen; with no confirmed candidate the ranking's first."""
    from conceptdyn.facecells import regimes

    def row(gap, t_ret, tag, split=True, route="category_first"):
        return {
            "input": "coarse_field",
            "route": route,
            "onset_gap_ms": gap,
            "b_stimulus": 0.3,
            "t_retrieved_ms": t_ret,
            "split": split,
            "tag": tag,
        }

    table = pd.DataFrame([row(30.0, 300.0, "first"), row(30.0, 220.0, "second"), row(90.0, 200.0, "third")])
    ranked = regimes.rank_candidates(table, min_gap_ms=20)
    assert list(ranked["tag"]) == ["first", "second", "third"]
    # three seeds per rerun: the first splits on one of three (not more than half), the second on two
    rerun = pd.DataFrame(
        [
            {"rank": 0, "confirm_seed": 0, **row(30.0, 300.0, "first", split=False)},
            {"rank": 0, "confirm_seed": 1, **row(30.0, 300.0, "first")},
            {"rank": 0, "confirm_seed": 2, **row(30.0, 300.0, "first", split=False)},
            {"rank": 1, "confirm_seed": 0, **row(40.0, 230.0, "second")},
            {"rank": 1, "confirm_seed": 1, **row(10.0, 230.0, "second")},  # gap below 20: does not qualify
            {"rank": 1, "confirm_seed": 2, **row(40.0, 230.0, "second")},
            {"rank": 2, "confirm_seed": 0, **row(50.0, 200.0, "third")},
            {"rank": 2, "confirm_seed": 1, **row(50.0, 200.0, "third")},
            {"rank": 2, "confirm_seed": 2, **row(50.0, 200.0, "third")},
        ]
    )
    choice = regimes.choose_regime(table, 20, rerun).iloc[0]
    assert choice["tag"] == "second" and bool(choice["confirmed"]) and choice["confirmed_on"] == "2 of 3"
    assert choice["onset_gap_ms"] == 30.0  # the map's row is reported; the rerun is in regime_confirm.csv
    # a tie (one of two seeds) is not more than half
    two = rerun[rerun["confirm_seed"] < 2]
    assert regimes.choose_regime(table, 20, two).iloc[0]["tag"] == "third"
    none = regimes.choose_regime(table, 20, rerun.assign(split=False)).iloc[0]
    assert none["tag"] == "first" and not bool(none["confirmed"])
    assert regimes.choose_regime(table, 20, rerun.iloc[:0]).iloc[0]["tag"] == "first"


@pytest.mark.parametrize(
    ("early", "late", "splits"),
    [
        ((0.9, 0.2), (0.3, 0.6), True),  # global clusters, later more fine agreement
        ((0.9, 0.2), (0.5, 0.35), True),  # fine agreement higher later, though global still above
        ((0.9, 0.2), (0.3, 0.25), False),  # higher later, but too weak to call clusters by fine label
        ((0.2, 0.1), (0.1, 0.6), False),  # no global clusters first
        ((0.5, 0.6), (0.1, 0.7), False),  # early clusters follow the fine labels more than the global
        ((0.9, 0.4), (0.3, 0.3), False),  # fine agreement falls
    ],
)
def test_mixture_split_by_hand(early, late, splits):
    from conceptdyn.facecells import regimes

    def ari(g, f):
        return {"ari_global": g, "ari_fine": f}

    assert regimes.mixture_splits(ari(*early), ari(*late), min_ari=0.3) is splits


def test_regime_grid_lists_every_setting_once():
    """Field strengths only for the field input, coarse biases only for the coarse input."""
    from conceptdyn.facecells import regimes

    grid = defaults(
        regimes.RegimeGrid,
        "facecells.regimes",
        codings=("pm1", "sparse"),
        learnings=("hebb",),
        inputs=("cue", "field", "coarse", "coarse_field"),
        b_fine=(0.15,),
        b_stimulus=(0.15, 0.3),
        temperatures_pm1=(0.1, 0.2),
        temperatures_sparse=(0.0,),
        strengths=(0.1, 0.3, 0.5),
        biases=(0.2, 0.3),
        cue_overlaps=(0.1, 0.2),
    )
    rows = regimes.settings(grid)
    # per b and cue overlap: pm1 2 temperatures x (1 + 3 + 2 + 3 x 2), sparse 1 temperature x the same,
    # every input with a noisy copy of the stimulus twice (the coarse start has none: once)
    per = (1 + 3) * 2 + 2 + 3 * 2 * 2
    assert len(rows) == 2 * (2 * per + 1 * per)
    assert len({tuple(r.values()) for r in rows}) == len(rows)
    assert {r["cue_overlap"] for r in rows if r["input"] == "coarse"} == {0.1}
    assert all(r["input_strength"] == 0 for r in rows if "field" not in r["input"])
    assert all(r["coarse_bias"] == 0 for r in rows if "coarse" not in r["input"])


def test_coarse_input_starts_at_the_category_mixed_state(cpu):
    """The coarse start: the category's mixed state with a fraction bias of neurons from the stimulus,
    so the overlap with the stimulus is about bias + (1 - bias) m_mixed at the first step."""
    cat = catalogue.stimulus_catalogue(CATS)
    cfg = model_config(
        N=4000,
        coding="pm1",
        neurons=10,
        trials=1,
        input="coarse",
        coarse_bias=0.25,
        b_fine=0.2,
        b_stimulus=0.2,
        temperature=0.0,
    )
    _, _, stims = facemodel.tree_patterns(child_rng(1, "facecells.model.patterns"), cat, cfg)
    g, _, _, _ = catalogue.label_codes(cat)
    mixed = facemodel.category_mixed_states(stims, g, cfg)
    m_mixed = float(np.mean([(mixed[g[s]] * stims[s]).mean() for s in range(len(stims))]))
    run = facemodel.simulate(cfg, cat, 1, device=cpu)
    assert run.overlaps["m_stimulus"].iloc[0] == pytest.approx(0.25 + 0.75 * m_mixed, abs=0.03)
    assert run.overlaps["m_siblings"].iloc[0] > 0.1


def test_coarse_field_input_is_the_coarse_start_plus_the_sustained_field(cpu):
    """Without a field the coarse_field input is the coarse input exactly; with one, the field pulls
    the state from the category's mixed state to the stimulus faster."""
    cat = catalogue.stimulus_catalogue(CATS)
    base = {"N": 3000, "coding": "pm1", "neurons": 10, "trials": 2, "coarse_bias": 0.1}
    base.update(b_fine=0.15, b_stimulus=0.3, temperature=0.0, cue_overlap=0.5)
    coarse = facemodel.simulate(model_config(**base, input="coarse"), cat, 2, device=cpu)
    no_field = facemodel.simulate(
        model_config(**base, input="coarse_field", input_strength=0.0), cat, 2, device=cpu
    )
    assert np.array_equal(coarse.trial_overlaps, no_field.trial_overlaps)
    pushed = facemodel.simulate(
        model_config(**base, input="coarse_field", input_strength=0.5), cat, 2, device=cpu
    )
    assert np.array_equal(pushed.trial_overlaps[0], coarse.trial_overlaps[0])  # same start
    assert pushed.overlaps["m_stimulus"].iloc[1] > coarse.overlaps["m_stimulus"].iloc[1]
    assert pushed.overlaps["m_stimulus"].iloc[-1] > 0.9


def test_sparse_activity_control_is_an_option_and_checked():
    assert model_config(control="mean").control == "mean"
    with pytest.raises(ValueError, match="control"):
        model_config(control="median")


def test_regime_table_is_the_same_with_worker_processes():
    """The map's rows depend only on the setting and the seed: two processes give the serial table."""
    from conceptdyn.facecells import analysis as fa
    from conceptdyn.facecells import regimes

    grid = defaults(
        regimes.RegimeGrid,
        "facecells.regimes",
        codings=("pm1", "sparse"),
        inputs=("coarse_field",),
        b_fine=(0.3,),
        b_stimulus=(0.3,),
        temperatures_pm1=(0.15,),
        temperatures_sparse=(0.0,),
        biases=(0.2,),
        N=300,
        trials=4,
    )
    an = defaults(
        fa.AnalysisConfig, "facecells.analysis", step_ms=10, permutations=5, folds=3, mixture_every_ms=50
    )
    cat = catalogue.stimulus_catalogue(CATS)
    base = model_config(neurons=10)
    serial = regimes.regime_table(base, grid, cat, an, 4)
    parallel = regimes.regime_table(base, grid, cat, an, 4, workers=2)
    assert len(serial) == 2 and {"split", "ari_fine_late"} <= set(serial.columns)
    pd.testing.assert_frame_equal(serial, parallel)
    # the confirmation reruns a qualifying setting with more trials: same setting, its own measures
    forced = serial.assign(route="category_first", onset_gap_ms=30.0)
    more = regimes.confirm_candidates(
        forced, base, replace(grid, confirm=1, confirm_trials=5, confirm_seeds=2), cat, an, 4
    )
    assert len(more) == 2 and list(more["rank"]) == [0, 0] and list(more["confirm_seed"]) == [0, 1]
    assert regimes.confirmation_seeds(4, 3)[0] == 4 and len(set(regimes.confirmation_seeds(4, 3))) == 3
    keys = list(regimes.SETTING_KEYS)
    assert more[keys].iloc[0].to_dict() == regimes.rank_candidates(forced, 20)[keys].iloc[0].to_dict()


def _tree_network(rng, tree, n):
    """One category of the model's tree, drawn as facecells.model.tree_patterns draws it."""
    from conceptdyn.concepts.patterns import descendants

    category = np.where(rng.random((1, n)) < 0.5, 1.0, -1.0).astype(np.float32)
    protos = descendants(rng, category, np.zeros(tree.fine, dtype=int), tree.b_fine)
    stims = descendants(rng, protos, np.repeat(np.arange(tree.fine), tree.per_fine), tree.b_stimulus)
    return category, protos, stims


@pytest.mark.parametrize(
    ("b_fine", "b_stimulus", "temperature", "cue", "field"),
    [(0.6, 0.5, 0.3, 0.4, 0.0), (0.7, 0.3, 0.4, 0.1, 0.0), (0.5, 0.5, 0.3, 0.2, 0.3)],
)
def test_tree_map_follows_large_networks(cpu, b_fine, b_stimulus, temperature, cue, field):
    """The exact N -> infinity map of the three-level tree against the engine's Glauber dynamics at
    N = 20,000 (6 networks): the group overlaps (stimulus, siblings, cousins) and the overlaps with
    prototype and category agree within 4 standard errors of the network mean plus 0.01 per step
    (finite-N corrections), for 6 steps; from a cue alone and under a sustained noisy field."""
    from conceptdyn.facecells import tree_theory as tt
    from conceptdyn.hopfield.engine import perturb, run_dynamics

    tree = tt.Tree(fine=3, per_fine=3, b_fine=b_fine, b_stimulus=b_stimulus)
    n, nets, steps = 20000, 6, 6
    rng = np.random.default_rng(5)
    sims = []
    for _ in range(nets):
        category, protos, stims = _tree_network(rng, tree, n)
        if field:
            x0 = np.where(rng.random((1, n)) < 0.5, 1.0, -1.0).astype(np.float32)
            external = (field * perturb(rng, stims[:1], cue))[None]
        else:
            x0, external = perturb(rng, stims[:1], cue), None
        readout = np.concatenate([stims, protos[:1], category])
        res = run_dynamics(
            stims[None],
            x0[None],
            steps,
            temperature=temperature,
            rng=rng,
            readout=readout[None],
            device=cpu,
            external=external,
        )
        ov = res.overlaps[:, 0, 0]  # (steps + 1, readout)
        sims.append(np.stack([ov[:, 0], ov[:, 1:3].mean(1), ov[:, 3:9].mean(1), ov[:, 9], ov[:, 10]], axis=1))
    sims = np.array(sims)  # (nets, steps + 1, 5)
    mean, se = sims.mean(0), sims.std(0, ddof=1) / np.sqrt(nets)
    m0 = np.zeros(3) if field else tt.cue_start(tree, cue)
    theory = tt.tree_trajectory(m0, tree, temperature, steps, field=field, field_overlap=cue)
    want = theory[["m_stimulus", "m_same_fine", "m_other_fine", "m_prototype", "m_category"]].to_numpy()
    for t in range(1, steps + 1):
        tol = 4 * se[t] + 0.01 * t
        assert np.all(np.abs(mean[t] - want[t]) <= tol), (t, mean[t], want[t], tol)


@pytest.mark.parametrize(("temperature", "field"), [(0.0, 0.0), (0.3, 0.0), (0.4, 0.2)])
def test_batched_tree_map_is_the_single_map_row_by_row(temperature, field):
    """The scan's batched map (one temperature and field per row) against ``tree_map`` step by step:
    rules out a temperature or field broadcast along the wrong axis (rows would mix)."""
    from conceptdyn.facecells import tree_theory as tt

    tree = tt.Tree(fine=4, per_fine=3, b_fine=0.6, b_stimulus=0.3)
    starts = np.array([tt.cue_start(tree, 0.1), [0.05, 0.01, 0.0], [0.3, 0.2, 0.1]])
    temps = np.array([temperature, 0.5, 0.2])
    fields = np.array([field, 0.0, 0.1])
    batch = tt.batch_trajectories(tree, starts, temps, fields, 0.3, steps=5)
    for j in range(3):
        m = starts[j]
        for t in range(1, 6):
            m = tt.tree_map(m, tree, temps[j], fields[j], 0.3)["m"]
            np.testing.assert_allclose(batch[t, j], m, rtol=0, atol=1e-12)


def test_predicted_route_is_the_model_classifier_on_the_category_weighted_theory():
    """A setting's predicted route: each category's tree from the cue, averaged with weights by its
    number of stimuli (trials per stimulus are equal), then classify_route -- written out here for the
    test catalogue; sparse coding and the balanced rule get no prediction, the coarse start its own;
    a catalogue with unequal fine-label sizes gets none at all."""
    from conceptdyn.facecells import tree_theory as tt

    cat = catalogue.stimulus_catalogue(CATS)
    shape = tt.catalogue_trees(cat)
    assert shape == [(4, 3, 12), (5, 4, 20), (3, 2, 6)]  # human, monkey, shape (sorted by label)
    setting = {"coding": "pm1", "learning": "hebb", "input": "cue", "b_fine": 0.55, "b_stimulus": 0.2}
    setting.update(temperature=0.5, input_strength=0.0, coarse_bias=0.0, cue_overlap=0.02)
    others = [
        {**setting, "coding": "sparse"},
        {**setting, "input": "coarse_field"},
        {**setting, "learning": "balanced"},
    ]
    got = tt.predict_routes(pd.DataFrame([setting, *others]), shape, 32, 10.0, 80.0, 0.8, 0.05)
    total = sum(n for _, _, n in shape)
    m_s = m_sib = 0.0
    for f, k, n in shape:
        tree = tt.Tree(f, k, 0.55, 0.2)
        traj = tt.tree_trajectory(tt.cue_start(tree, 0.02), tree, 0.5, 32, step_ms=10, start_ms=80)
        m_s, m_sib = m_s + n / total * traj["m_stimulus"], m_sib + n / total * traj["m_siblings"]
    want = facemodel.classify_route(
        pd.DataFrame({"time_ms": traj["time_ms"], "m_stimulus": m_s, "m_siblings": m_sib}), 0.8, 0.05
    )
    row = got.iloc[0]
    assert row["theory_route"] == want["route"]
    assert row["theory_sibling_peak"] == pytest.approx(want["sibling_peak"], abs=1e-12)
    assert row["theory_t_retrieved_ms"] == want["t_retrieved_ms"] or np.isnan(want["t_retrieved_ms"])
    if want["route"] == "category_first":
        assert row["theory_plateau_steps"] == (want["t_retrieved_ms"] - want["t_sibling_peak_ms"]) / 10
    no_theory = got.iloc[[1, 3]]  # sparse coding, balanced rule
    assert list(no_theory["theory_route"]) == ["", ""] and no_theory["theory_sibling_peak"].isna().all()
    assert got["theory_route"].iloc[2] in ("category_first", "stimulus_direct", "category_only", "none")
    uneven = cat.drop(index=cat.index[0])
    assert tt.catalogue_trees(uneven) is None
    assert (
        tt.predict_routes(pd.DataFrame([setting]), None, 32, 10.0, 80.0, 0.8, 0.05)["theory_route"] == ""
    ).all()


def test_the_window_rule_samples_each_input_evenly_over_its_plateaus():
    """Settings in the window (category first, plateau in range) are simulated: all of an input's if
    they fit its share, else its share spread evenly from the shortest to the longest plateau."""
    from conceptdyn.facecells import regimes

    rows = []
    for inp, n in (("cue", 3), ("field", 10)):
        for i in range(n):
            rows.append(
                {"input": inp, "theory_plateau_steps": float(i + 2), "b_fine": 0.5, "b_stimulus": 0.2}
                | {"temperature": 0.5, "cue_overlap": 0.1, "input_strength": 0.0, "in_window": True}
            )
    rows.append({**rows[0], "in_window": False, "theory_plateau_steps": 1.0})
    table = pd.DataFrame(rows)
    picked = table.loc[regimes.window_pick(table, 8)]
    assert (picked["input"] == "cue").sum() == 3 and bool(picked["in_window"].all())
    field = picked[picked["input"] == "field"]["theory_plateau_steps"].tolist()
    assert len(field) == 4 and field[0] == 2.0 and field[-1] == 11.0  # both ends of the window
    assert regimes.window_pick(table, 0).empty


def test_tree_mixed_state_is_the_concepts_stage_mixed_state_for_one_fine_label():
    """A category with one fine label of three stimuli is the concepts stage's family of s = 3 children
    with b = b_stimulus: the tree's category mixed state has the overlap of
    ``concepts.patterns.mixed_fixed_point`` and turns from saddle (lambda > 1) to attractor at the pinned
    b_c(T = 0.65) = 0.2341 (a Jacobian taken in the wrong variables, or of the wrong map, would not)."""
    from conceptdyn.concepts import patterns as hi
    from conceptdyn.facecells import tree_theory as tt

    for b in (0.2241, 0.2441):
        state = tt.mixed_state(tt.Tree(1, 3, 0.5, b), 0.65, "category")
        assert state["m"] == pytest.approx(hi.mixed_fixed_point(3, b, 0.65), abs=1e-8)
        assert (state["lambda"] > 1) == (b < 0.2341)
    assert np.isnan(tt.mixed_state(tt.Tree(1, 3, 0.5, 0.3), 0.0, "category")["lambda"])


def test_tree_fine_mixed_state_is_a_fixed_point_of_the_map():
    """The fine-label mixed state: a fixed point of the tree map with the cued stimulus and its siblings
    alike and the cousins lower (strong fine labels, weak categories)."""
    from conceptdyn.facecells import tree_theory as tt

    tree = tt.Tree(3, 3, 0.15, 0.5)
    state = tt.mixed_state(tree, 0.2, "fine")
    m = np.array([state["m"], state["m"], state["m_cousins"]])
    np.testing.assert_allclose(tt.tree_map(m, tree, 0.2)["m"], m, atol=1e-8)
    assert state["m"] > state["m_cousins"] + 0.1


@pytest.mark.parametrize(("fine", "per_fine", "bias"), [(2, 2, 0.1), (5, 4, 0.2)])
def test_coarse_start_overlaps_match_large_networks(fine, per_fine, bias):
    """The coarse start's group overlaps (the category's mixed state, ties +1, with a fraction bias of
    neurons from the stimulus) against one network of N = 20,000, within 4/sqrt(N) per group (an even
    number of stimuli, 2 x 2, has ties); rules out a start taken as the stimulus alone or as the
    category's mixed state without the bias."""
    from conceptdyn.facecells import tree_theory as tt

    tree = tt.Tree(fine, per_fine, 0.5, 0.4)
    n = 20000
    rng = np.random.default_rng(11)
    _, _, stims = _tree_network(rng, tree, n)
    mixed = np.where(stims.sum(0) >= 0, 1.0, -1.0)
    x0 = np.where(rng.random(n) < bias, stims[0], mixed)
    ov = stims @ x0 / n
    got = [ov[0], ov[1:per_fine].mean(), ov[per_fine:].mean() if fine > 1 else 0.0]
    np.testing.assert_allclose(tt.coarse_start(tree, bias), got, rtol=0, atol=4 / np.sqrt(n))


def test_theory_agreement_counts_matches_per_part_and_input():
    from conceptdyn.facecells import regimes

    table = pd.DataFrame(
        {
            "grid": ["coarse", "coarse", "coarse", "theory", "coarse"],
            "input": ["cue", "cue", "field", "cue", "coarse"],
            "theory_route": ["none", "stimulus_direct", "none", "category_first", ""],
            "route": ["none", "none", "none", "category_only", "none"],
        }
    )
    got = regimes.theory_agreement(table).set_index(["grid", "input"])
    assert got.loc[("coarse", "cue"), "rows"] == 2 and got.loc[("coarse", "cue"), "agree"] == 1
    assert got.loc[("theory", "cue"), "agree"] == 0
    assert got.loc[("theory", "cue"), "pairs"] == "category_first -> category_only: 1"
    assert ("coarse", "coarse") not in got.index  # no prediction, no row
