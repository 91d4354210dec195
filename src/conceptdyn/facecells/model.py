"""The hierarchical associative-memory model of face cells, recorded like the monkey.

After Matsumoto, Okada, Sugase-Miyamoto, Yamane & Kawano (J Comput Neurosci 18, 2005) and Okada's
review (New Generation Computing 24, 2006): memory patterns form a tree that mirrors the stimulus
catalogue -- one pattern per global category; one prototype per fine label, drawn from its
category's pattern with correlation ``b_fine``; one pattern per stimulus, drawn from its prototype
with correlation ``b_stimulus`` -- and only the stimulus patterns are stored.  The network runs the
engine of :mod:`conceptdyn.hopfield.engine` in either coding:

* ``coding: pm1`` -- +-1 neurons, Hebb rule (the rule of :func:`conceptdyn.concepts.patterns.descendants`);
* ``learning: balanced`` (this project's choice, not from the papers) weights each category's patterns
  by the mean category size over its own, so that a category of 20 stimuli does not dominate one of 6;
* ``coding: sparse`` -- 0/1 neurons with coding level ``a``, covariance rule, activity-controlled
  threshold (Okada's sparsely encoded memory of ultrametric patterns, which Matsumoto et al. cite;
  patterns from :func:`conceptdyn.concepts.patterns.sparse_descendants`).

A trial: before ``cue_ms`` the state is spontaneous (random at the coding level: no stimulus
information).  From ``cue_ms`` on, one synchronous step per ``step_ms``, the stimulus acts in one of four
ways (``input``):

* ``cue``: the state is set once to a noisy copy of the stimulus pattern (overlap ``cue_overlap``),
  then the network runs freely;
* ``coarse``: the state is set once to the category's mixed state (the majority of its stimulus
  patterns; for sparse coding the ``aN`` neurons most active across them) in which a fraction
  ``coarse_bias`` of the neurons carry the stimulus pattern instead: a coarse image that shares the
  category strongly and the identity weakly (the route of the concepts stage: start near the mixed
  state, which is a saddle for b < b_c(T), and leave it for the stimulus after a plateau of about
  ln(1/bias)/ln(lambda) steps);
* ``field``: the network starts from its spontaneous state and receives, at every step, the external
  field ``input_strength * v`` with ``v`` a noisy copy of the stimulus pattern (overlap
  ``cue_overlap``; for sparse coding ``v`` is 0/1): the stimulus keeps arriving while the network
  runs, as a visual input does;
* ``coarse_field``: both -- the coarse start of ``coarse`` and, from then on, the sustained field of
  ``field``: a coarse first image followed by the stimulus itself, which keeps pushing the state
  off the saddle towards the stimulus.

``neurons`` randomly chosen units are recorded: unit i fires at ``baseline_hz + gain_hz * r_i`` with
``r_i`` its activity (``(1 + x_i) / 2`` for +-1, ``x_i`` for 0/1) as an inhomogeneous Poisson process,
so the model's activity goes through the same NWB file and the same analysis as the data.  The input
carries global and fine information from ``cue_ms`` on; any delay between them comes from the dynamics.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

CODINGS = ("pm1", "sparse")
INPUTS = ("cue", "field", "coarse", "coarse_field")
STIMULUS_ALIGNED = ("cue", "field")  # inputs that carry only the noisy stimulus: no coarse start
LEARNING = ("hebb", "balanced")
CONTROLS = ("quantile", "mean")


@dataclass(frozen=True)
class ModelConfig:
    """Config section ``facecells.model`` with ``facecells.session`` (defaults in config/config.yaml)."""

    N: int
    coding: str
    a: float  # coding level (sparse coding)
    control: str  # sparse activity control: quantile (aN-th field) or mean (expected activity a)
    b_fine: float
    b_stimulus: float
    temperature: float
    input: str
    input_strength: float  # field input: strength of the external field
    coarse_bias: float  # coarse input: fraction of neurons that carry the stimulus, the rest its category
    learning: str  # hebb, or balanced: each category's patterns weighted by (mean size / its size)
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

    def __post_init__(self):
        if self.coding not in CODINGS:
            raise ValueError(f"facecells.model.coding must be one of {CODINGS}, got {self.coding!r}")
        if self.input not in INPUTS:
            raise ValueError(f"facecells.model.input must be one of {INPUTS}, got {self.input!r}")
        if self.control not in CONTROLS:
            raise ValueError(f"facecells.model.control must be one of {CONTROLS}, got {self.control!r}")
        if self.learning not in LEARNING:
            raise ValueError(f"facecells.model.learning must be one of {LEARNING}, got {self.learning!r}")
        if self.cue_ms >= self.duration_ms:
            raise ValueError("facecells.model.cue_ms must lie inside the recorded duration")
        if self.neurons > self.N:
            raise ValueError(f"cannot record {self.neurons} of {self.N} units (facecells.model.neurons)")


# the settings that tell the model's regimes apart (the regime map varies them; a row of its tables
# starts with them)
SETTING_KEYS = (
    "coding",
    "learning",
    "input",
    "b_fine",
    "b_stimulus",
    "temperature",
    "input_strength",
    "coarse_bias",
    "cue_overlap",
)


def setting_of(row) -> dict:
    """The :data:`SETTING_KEYS` of a table row (numbers as floats)."""
    return {k: row[k] if isinstance(row[k], str) else float(row[k]) for k in SETTING_KEYS}


def with_setting(cfg: ModelConfig, row, **fixed) -> ModelConfig:
    """``cfg`` with the setting of a table row (and the ``fixed`` values, e.g. N and trials)."""
    from dataclasses import replace

    return replace(cfg, **setting_of(row), **fixed)


@dataclass
class ModelRun:
    trials: pd.DataFrame
    spike_times: list[np.ndarray]
    overlaps: pd.DataFrame  # mean overlaps with stimulus, siblings, prototype, category per step
    trial_overlaps: np.ndarray  # (steps + 1, trials, 4): the same per trial


def tree_patterns(rng: np.random.Generator, catalogue: pd.DataFrame, cfg: ModelConfig):
    """Patterns of the categories, fine-label prototypes and stimuli, each ``(count, N)``."""
    from conceptdyn.concepts.patterns import descendants, sparse_descendants
    from conceptdyn.facecells.catalogue import label_codes

    g, f, globals_, pairs = label_codes(catalogue)
    pair_category = np.array([g[f == k][0] for k in range(len(pairs))])
    if cfg.coding == "pm1":
        categories = np.where(rng.random((len(globals_), cfg.N)) < 0.5, 1.0, -1.0).astype(np.float32)
        prototypes = descendants(rng, categories, pair_category, cfg.b_fine)
        stimuli = descendants(rng, prototypes, f, cfg.b_stimulus)
    else:
        categories = (rng.random((len(globals_), cfg.N)) < cfg.a).astype(np.float32)
        prototypes = sparse_descendants(rng, categories, pair_category, cfg.b_fine, cfg.a)
        stimuli = sparse_descendants(rng, prototypes, f, cfg.b_stimulus, cfg.a)
    return categories, prototypes, stimuli


def _noisy(rng: np.random.Generator, patterns: np.ndarray, overlap: float, cfg: ModelConfig) -> np.ndarray:
    """Copies with overlap ``overlap``: +-1 signs flipped, or 0/1 units resampled at the coding level."""
    from conceptdyn.hopfield.engine import perturb

    if cfg.coding == "pm1":
        return perturb(rng, patterns, overlap)
    keep = rng.random(patterns.shape) < overlap
    fresh = (rng.random(patterns.shape) < cfg.a).astype(np.float32)
    return np.where(keep, patterns, fresh).astype(np.float32)


def _spontaneous(rng: np.random.Generator, shape, cfg: ModelConfig) -> np.ndarray:
    if cfg.coding == "pm1":
        return np.where(rng.random(shape) < 0.5, 1.0, -1.0).astype(np.float32)
    return (rng.random(shape) < cfg.a).astype(np.float32)


def simulate(cfg: ModelConfig, catalogue: pd.DataFrame, seed: int, device=None) -> ModelRun:
    """Seeded model recording in the layout of :func:`conceptdyn.facecells.generator.generate`."""
    from conceptdyn.core.runtime import child_rng
    from conceptdyn.facecells.catalogue import check_catalogue, label_codes
    from conceptdyn.facecells.generator import lay_out_session
    from conceptdyn.hopfield.engine import SparseCoding, run_dynamics

    check_catalogue(catalogue)
    cats, protos, stims = tree_patterns(child_rng(seed, "facecells.model.patterns"), catalogue, cfg)
    g, f, _, _ = label_codes(catalogue)
    rng = child_rng(seed, "facecells.model.trials")
    n_stim = len(catalogue)
    stim_of_trial = rng.permutation(np.repeat(np.arange(n_stim), cfg.trials))
    noisy = _noisy(rng, stims[stim_of_trial], cfg.cue_overlap, cfg)
    spont = _spontaneous(child_rng(seed, "facecells.model.spontaneous"), (len(stim_of_trial), cfg.N), cfg)
    if cfg.input == "cue":
        x0, external = noisy, None
    elif cfg.input in ("coarse", "coarse_field"):
        mixed = category_mixed_states(stims, g, cfg)[g[stim_of_trial]]
        x0 = np.where(rng.random(mixed.shape) < cfg.coarse_bias, stims[stim_of_trial], mixed)
        x0 = x0.astype(np.float32)
        external = (cfg.input_strength * noisy)[None] if cfg.input == "coarse_field" else None
    else:
        x0, external = spont, (cfg.input_strength * noisy)[None]
    coding = SparseCoding(cfg.a, control=cfg.control) if cfg.coding == "sparse" else None
    vectors = np.concatenate([stims, protos, cats])
    readout = vectors if coding is None else coding.overlap_vectors(vectors)
    steps = int(np.ceil((cfg.duration_ms - cfg.cue_ms) / cfg.step_ms))
    weights = None
    if cfg.learning == "balanced":
        sizes = np.bincount(g)
        weights = (sizes.mean() / sizes[g]).astype(np.float32)[None]
    recorded = np.sort(child_rng(seed, "facecells.model.recorded").choice(cfg.N, cfg.neurons, replace=False))
    res = run_dynamics(
        stims[None],
        x0[None],
        steps,
        temperature=cfg.temperature,
        rng=child_rng(seed, "facecells.model.dynamics"),
        readout=readout[None],
        device=device,
        record_states=True,
        record_units=recorded,
        external=external,
        coding=coding,
        weights=weights,
    )
    states = res.states[:, 0].astype(np.float32)  # (steps + 1, trials, recorded neurons)
    before = spont[:, recorded]
    # state on the 1 ms grid from -pre_ms to duration_ms
    t = np.arange(-cfg.pre_ms, cfg.duration_ms)
    step_index = np.clip((t - cfg.cue_ms) // cfg.step_ms, 0, steps).astype(int)
    x = np.where(t[None, None, :] < cfg.cue_ms, before[:, :, None], np.moveaxis(states[step_index], 0, -1))
    activity = (1.0 + x) / 2.0 if cfg.coding == "pm1" else x
    rates = cfg.baseline_hz + cfg.gain_hz * activity
    trials, spike_times = lay_out_session(
        child_rng(seed, "facecells.model.spikes"),
        catalogue,
        stim_of_trial,
        rates,
        cfg.pre_ms,
        cfg.duration_ms,
        cfg.gap_ms,
    )
    per_trial = route_overlaps(res.overlaps[:, 0], stim_of_trial, g, f, len(protos))
    overlaps = pd.DataFrame(
        {
            "step": np.arange(steps + 1),
            "time_ms": cfg.cue_ms + cfg.step_ms * np.arange(steps + 1),
            **{name: per_trial[:, :, i].mean(1) for i, name in enumerate(OVERLAP_NAMES)},
        }
    )
    return ModelRun(trials, spike_times, overlaps, per_trial)


def category_mixed_states(stims: np.ndarray, g: np.ndarray, cfg: ModelConfig) -> np.ndarray:
    """One mixed state per category: sgn of the sum of its stimulus patterns (ties +1) for +-1; for
    0/1 the ``aN`` neurons with the largest sum (the category's most shared active neurons)."""
    sums = np.stack([stims[g == k].sum(0) for k in range(int(g.max()) + 1)])
    if cfg.coding == "pm1":
        return np.where(sums >= 0, 1.0, -1.0).astype(np.float32)
    k = max(1, round(cfg.a * stims.shape[1]))
    out = np.zeros_like(sums, dtype=np.float32)
    np.put_along_axis(out, np.argsort(-sums, axis=1, kind="stable")[:, :k], 1.0, axis=1)
    return out


OVERLAP_NAMES = ("m_stimulus", "m_siblings", "m_prototype", "m_category")


def route_overlaps(ov: np.ndarray, stim_of_trial, g, f, n_protos: int) -> np.ndarray:
    """Per step and trial: overlap with the trial's stimulus, mean overlap with the other stimuli of its
    category (its siblings: high at the category's mixed state), with its prototype and its category.

    ``ov``: ``(steps + 1, trials, readout)`` with the read-out order stimuli, prototypes, categories.
    """
    n_stim = len(g)
    k = np.arange(len(stim_of_trial))
    s = np.asarray(stim_of_trial)
    same = (g[None, :] == g[s][:, None]) & (np.arange(n_stim)[None, :] != s[:, None])  # (trials, stimuli)
    siblings = (ov[:, :, :n_stim] * same[None]).sum(-1) / np.maximum(same.sum(1), 1)[None]
    return np.stack(
        [ov[:, k, s], siblings, ov[:, k, n_stim + f[s]], ov[:, k, n_stim + n_protos + g[s]]], axis=-1
    )


def classify_route(overlaps: pd.DataFrame, retrieved: float, margin: float) -> dict:
    """The route of a trial-averaged overlap time course (``model_overlaps.csv``, or a mapping of its
    three columns ``time_ms, m_stimulus, m_siblings`` to arrays).

    * ``category_first``: the overlap with the category's other stimuli (the siblings; the category's
      mixed state has a high overlap with each of them) peaks, at least ``margin`` above its final
      value, before the stimulus overlap first reaches ``retrieved``, and the stimulus is retrieved
      in the end (final overlap >= ``retrieved``);
    * ``stimulus_direct``: retrieved in the end without that detour;
    * ``category_only``: not retrieved, and the final sibling overlap is at least half the stimulus
      overlap (the state stays near the category);
    * ``none``: neither.
    """
    m_s = np.asarray(overlaps["m_stimulus"], dtype=float)
    m_sib = np.asarray(overlaps["m_siblings"], dtype=float)
    t = np.asarray(overlaps["time_ms"], dtype=float)
    hit = np.flatnonzero(m_s >= retrieved)
    t_retrieved = float(t[hit[0]]) if len(hit) else float("nan")
    peak = int(np.argmax(m_sib))
    detour = m_sib[peak] - m_sib[-1] >= margin and (not len(hit) or peak < hit[0])
    if m_s[-1] >= retrieved:
        route = "category_first" if detour else "stimulus_direct"
    elif m_sib[-1] >= 0.5 * m_s[-1]:
        route = "category_only"
    else:
        route = "none"
    return {
        "route": route,
        "t_retrieved_ms": t_retrieved,
        "sibling_peak": float(m_sib[peak]),
        "t_sibling_peak_ms": float(t[peak]),
        "m_stimulus_end": float(m_s[-1]),
        "m_siblings_end": float(m_sib[-1]),
    }
