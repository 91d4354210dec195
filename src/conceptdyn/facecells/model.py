"""The hierarchical associative-memory model of face cells, recorded like the monkey.

Patterns form a three-level tree that mirrors the stimulus catalogue: one random +-1 pattern per
global category; one prototype per fine label, drawn from its category's pattern with correlation
``b_fine``; one pattern per stimulus, drawn from its fine label's prototype with correlation
``b_stimulus`` (the rule of :func:`conceptdyn.hierarchy.descendants`).  The stimulus patterns are
stored (Hebb rule) and the network runs the engine of :mod:`conceptdyn.hopfield`.

A trial: before the cue the state is random (spontaneous activity, no stimulus information); at
``cue_ms`` the state is set to the stimulus pattern with a fraction of signs flipped (overlap
``cue_overlap``), then it evolves, one synchronous step per ``step_ms``.  ``neurons`` randomly chosen
units are recorded: unit i fires at ``baseline_hz + gain_hz * (1 + x_i) / 2``, as an inhomogeneous
Poisson process, so the model's activity goes through the same NWB file and the same analysis as the
data.  The cue carries both global and fine information from ``cue_ms`` on; whatever delay the
analysis finds between them comes from the dynamics.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class ModelConfig:
    N: int
    b_fine: float
    b_stimulus: float
    temperature: float
    cue_overlap: float
    cue_ms: int
    step_ms: int
    neurons: int
    trials: int
    baseline_hz: float
    gain_hz: float
    duration_ms: int
    pre_ms: int
    gap_ms: int


@dataclass
class ModelRun:
    trials: pd.DataFrame
    spike_times: list[np.ndarray]
    overlaps: pd.DataFrame  # mean overlaps with stimulus, prototype, category per step


def tree_patterns(
    rng: np.random.Generator, catalogue: pd.DataFrame, n: int, b_fine: float, b_stimulus: float
):
    """Patterns of the categories, fine-label prototypes and stimuli, each ``(count, n)``."""
    from conceptdyn.concepts.patterns import descendants
    from conceptdyn.facecells.catalogue import label_codes

    g, f, globals_, pairs = label_codes(catalogue)
    pair_category = np.array([g[f == k][0] for k in range(len(pairs))])
    categories = np.where(rng.random((len(globals_), n)) < 0.5, 1.0, -1.0).astype(np.float32)
    prototypes = descendants(rng, categories, pair_category, b_fine)
    stimuli = descendants(rng, prototypes, f, b_stimulus)
    return categories, prototypes, stimuli


def simulate(cfg: ModelConfig, catalogue: pd.DataFrame, seed: int, device=None) -> ModelRun:
    """Seeded model recording in the layout of :func:`conceptdyn.facecells.generator.generate`."""
    from conceptdyn.core.runtime import child_rng
    from conceptdyn.facecells.catalogue import label_codes
    from conceptdyn.facecells.generator import lay_out_session
    from conceptdyn.hopfield.engine import perturb, run_dynamics

    if cfg.cue_ms >= cfg.duration_ms:
        raise ValueError("cue_ms must lie inside the recorded duration")
    if cfg.neurons > cfg.N:
        raise ValueError(f"cannot record {cfg.neurons} of {cfg.N} units")
    cats, protos, stims = tree_patterns(child_rng(seed, 0), catalogue, cfg.N, cfg.b_fine, cfg.b_stimulus)
    g, f, _, _ = label_codes(catalogue)
    rng = child_rng(seed, 1)
    stim_of_trial = rng.permutation(np.repeat(np.arange(len(catalogue)), cfg.trials))
    x_cue = perturb(rng, stims[stim_of_trial], cfg.cue_overlap)
    steps = int(np.ceil((cfg.duration_ms - cfg.cue_ms) / cfg.step_ms))
    res = run_dynamics(
        stims[None],
        x_cue[None],
        steps,
        temperature=cfg.temperature,
        rng=child_rng(seed, 2),
        readout=np.concatenate([stims, protos, cats])[None],
        device=device,
        record_states=True,
    )
    recorded = np.sort(child_rng(seed, 3).choice(cfg.N, cfg.neurons, replace=False))
    states = res.states[:, 0][:, :, recorded]  # (steps + 1, trials, neurons) int8
    spont = np.where(child_rng(seed, 4).random((len(stim_of_trial), cfg.neurons)) < 0.5, 1, -1)
    # state on the 1 ms grid from -pre_ms to duration_ms
    t = np.arange(-cfg.pre_ms, cfg.duration_ms)
    step_index = np.clip((t - cfg.cue_ms) // cfg.step_ms, 0, steps).astype(int)
    x = np.where(t[None, None, :] < cfg.cue_ms, spont[:, :, None], np.moveaxis(states[step_index], 0, -1))
    rates = cfg.baseline_hz + cfg.gain_hz * (1.0 + x) / 2.0
    trials, spike_times = lay_out_session(
        child_rng(seed, 5), catalogue, stim_of_trial, rates, cfg.pre_ms, cfg.duration_ms, cfg.gap_ms
    )
    # mean overlaps with the trial's own stimulus, its prototype and its category
    ov = res.overlaps[:, 0]  # (steps + 1, trials, readout)
    ns, nf = len(stims), len(protos)
    k = np.arange(len(stim_of_trial))
    s_idx = stim_of_trial
    overlaps = pd.DataFrame(
        {
            "step": np.arange(steps + 1),
            "time_ms": cfg.cue_ms + cfg.step_ms * np.arange(steps + 1),
            "m_stimulus": ov[:, k, s_idx].mean(1),
            "m_prototype": ov[:, k, ns + f[s_idx]].mean(1),
            "m_category": ov[:, k, ns + nf + g[s_idx]].mean(1),
        }
    )
    return ModelRun(trials, spike_times, overlaps)
