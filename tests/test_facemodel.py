"""The hierarchical associative-memory model of face cells."""

import numpy as np
import pytest

from conceptdyn.core.settings import defaults
from conceptdyn.facecells import catalogue, nwb
from conceptdyn.facecells import model as facemodel

from .test_spikes import CATS


def test_tree_patterns_have_the_hierarchical_correlations(rng):
    """E[category . prototype] = b_f, E[prototype . stimulus] = b_s, E[category . stimulus] = b_f b_s,
    E[siblings] = b_s^2, E[cousins] = b_f^2 b_s^2 (exact for the generating rule)."""
    cat = catalogue.stimulus_catalogue(CATS)
    n, bf, bs = 40000, 0.5, 0.6
    cats, protos, stims = facemodel.tree_patterns(rng, cat, n, bf, bs)
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
    cfg = defaults(
        facemodel.ModelConfig,
        "facecells.model",
        "facecells.session",
        N=2000,
        neurons=10,
        trials=2,
        temperature=0.0,
        b_fine=0.2,
        b_stimulus=0.2,
        cue_overlap=0.3,
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
