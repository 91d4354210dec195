"""Synthetic face-cell spike data with known ground truth.

Every synthetic neuron has its own baseline rate, response amplitude and latency; its rate depends on
the global category only from its global-information onset on, and on the fine label (and the
individual stimulus) only from its fine-information onset on.  The earliest of these onsets over
neurons are the configured population onsets, the ground truth that the analysis has to recover.
Rates are defined on a 1 ms grid; spikes come from an inhomogeneous Poisson or gamma renewal process
(time rescaling).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from conceptdyn.facecells.catalogue import ONSET_COLUMN, TRIAL_COLUMNS, label_codes, stimulus_catalogue


@dataclass(frozen=True)
class GeneratorConfig:
    neurons: int
    trials: int  # per stimulus
    duration_ms: int  # after stimulus onset
    pre_ms: int  # fixation before onset (baseline firing)
    gap_ms: int  # between trials
    global_onset_ms: float
    fine_onset_ms: float
    onset_jitter_ms: float  # half-normal spread of the neurons' onsets after the population onset
    info_rise_ms: float
    latency_ms: float
    latency_sd_ms: float
    rise_ms: float
    decay_ms: float
    sustained: float
    baseline_hz: float
    amplitude_hz: float
    rate_spread: float  # sd of log baseline and log amplitude across neurons
    global_gain: float  # sd of the log-rate modulation by global category
    fine_gain: float  # sd of the log-rate modulation by fine label within a category
    stimulus_gain: float  # sd of the stimulus-specific log-rate modulation (from the fine onset)
    process: str  # poisson or gamma
    gamma_shape: float


@dataclass
class SyntheticData:
    catalogue: pd.DataFrame
    trials: pd.DataFrame  # start_time, stop_time, stimulus_onset, stimulus_id, global_label, fine_label
    spike_times: list[np.ndarray]  # per neuron, seconds on the session clock, sorted
    neurons: pd.DataFrame  # ground truth per neuron
    rates: np.ndarray  # (stimuli, neurons, pre_ms + duration_ms) in Hz


def _smooth_step(t: np.ndarray, onset: np.ndarray, tau: float) -> np.ndarray:
    """0 before ``onset``, then ``1 - exp(-(t - onset) / tau)``."""
    return 1.0 - np.exp(-np.clip(t - onset, 0.0, None) / max(tau, 1e-9))


def neuron_parameters(rng: np.random.Generator, cfg: GeneratorConfig, cat: pd.DataFrame) -> dict:
    n = cfg.neurons
    _, _, globals_, pairs = label_codes(cat)
    n_global, n_fine = len(globals_), len(pairs)
    lat = np.clip(cfg.latency_ms + cfg.latency_sd_ms * rng.standard_normal(n), 30.0, cfg.global_onset_ms)
    return {
        "baseline_hz": cfg.baseline_hz * np.exp(cfg.rate_spread * rng.standard_normal(n)),
        "amplitude_hz": cfg.amplitude_hz * np.exp(cfg.rate_spread * rng.standard_normal(n)),
        "latency_ms": lat,
        "global_onset_ms": cfg.global_onset_ms + np.abs(cfg.onset_jitter_ms * rng.standard_normal(n)),
        "fine_onset_ms": cfg.fine_onset_ms + np.abs(cfg.onset_jitter_ms * rng.standard_normal(n)),
        # per-neuron selectivity: global (neurons x categories), fine (neurons x fine labels), stimulus
        "global_tuning": cfg.global_gain * rng.standard_normal((n, n_global)),
        "fine_tuning": cfg.fine_gain * rng.standard_normal((n, n_fine)),
        "stimulus_tuning": cfg.stimulus_gain * rng.standard_normal((n, len(cat))),
    }


def rate_functions(cfg: GeneratorConfig, cat: pd.DataFrame, par: dict) -> np.ndarray:
    """Rates in Hz, ``(stimuli, neurons, pre_ms + duration_ms)`` on a 1 ms grid (bin centres)."""
    t = np.arange(-cfg.pre_ms, cfg.duration_ms) + 0.5  # ms after onset
    g, f, _, _ = label_codes(cat)
    col = lambda a: np.asarray(a)[:, None]  # noqa: E731
    since = np.clip(t - col(par["latency_ms"]), 0.0, None)  # 0 before the response
    decay = cfg.sustained + (1 - cfg.sustained) * np.exp(-since / cfg.decay_ms)
    envelope = _smooth_step(t, col(par["latency_ms"]), cfg.rise_ms) * decay  # (neurons, time)
    u_global = _smooth_step(t, col(par["global_onset_ms"]), cfg.info_rise_ms)
    u_fine = _smooth_step(t, col(par["fine_onset_ms"]), cfg.info_rise_ms)
    log_gain = (
        par["global_tuning"][:, g].T[:, :, None] * u_global[None]
        + (par["fine_tuning"][:, f] + par["stimulus_tuning"]).T[:, :, None] * u_fine[None]
    )  # (stimuli, neurons, time)
    return col(par["baseline_hz"])[None] + (col(par["amplitude_hz"]) * envelope)[None] * np.exp(log_gain)


def renewal_spikes(
    rng: np.random.Generator, rates_hz: np.ndarray, process: str = "poisson", shape: float = 1.0
) -> list[np.ndarray]:
    """Spike times (ms, from the start of the grid) for rate rows ``(trains, bins)`` of 1 ms bins.

    Time rescaling: inter-spike intervals of unit mean (exponential for Poisson, gamma(shape) for a
    gamma process) in the time ``Lambda(t) = integral of the rate``, mapped back by interpolation.
    The first interval is drawn in equilibrium (a uniform fraction of an interval).
    """
    if process not in ("poisson", "gamma"):
        raise ValueError(f"process must be 'poisson' or 'gamma', got {process!r}")
    if process == "poisson":
        shape = 1.0
    if shape <= 0:
        raise ValueError(f"gamma shape must be > 0, got {shape}")
    rates_hz = np.atleast_2d(rates_hz)
    if np.any(rates_hz < 0):
        raise ValueError("rates must be non-negative")
    cum = np.concatenate([np.zeros((len(rates_hz), 1)), np.cumsum(rates_hz / 1000.0, axis=1)], axis=1)
    grid = np.arange(rates_hz.shape[1] + 1, dtype=float)
    total = cum[:, -1]
    m = int(np.ceil(total.max() + 6 * np.sqrt(total.max() + 1) / min(shape, 1.0) + 10))
    isi = rng.gamma(shape, 1.0 / shape, size=(len(rates_hz), m))
    isi[:, 0] *= rng.random(len(rates_hz))
    events = np.cumsum(isi, axis=1)
    if np.any(events[:, -1] < total):  # pragma: no cover - m is chosen far above the need
        raise RuntimeError("too few intervals drawn")
    return [np.interp(e[e < tot], c, grid) for e, tot, c in zip(events, total, cum, strict=True)]


def lay_out_session(
    rng: np.random.Generator,
    catalogue: pd.DataFrame,
    stim_of_trial: np.ndarray,
    trial_rates: np.ndarray,
    pre_ms: int,
    duration_ms: int,
    gap_ms: int,
    process: str = "poisson",
    shape: float = 1.0,
) -> tuple[pd.DataFrame, list[np.ndarray]]:
    """Trials one after another on a session clock (pre_ms fixation, duration_ms after onset, gap_ms
    pause) and spike trains from per-trial rates ``(trials, neurons, pre_ms + duration_ms)`` in Hz.

    Returns the trials table (NWB layout) and one sorted array of spike times (s) per neuron.
    """
    period_s = (pre_ms + duration_ms + gap_ms) / 1000.0
    starts = np.arange(len(stim_of_trial)) * period_s
    onsets = starts + pre_ms / 1000.0
    trials = pd.DataFrame(
        {
            "start_time": starts,
            "stop_time": onsets + duration_ms / 1000.0,
            ONSET_COLUMN: onsets,
            **{c: catalogue[c].to_numpy()[stim_of_trial] for c in TRIAL_COLUMNS},
        }
    )
    n = trial_rates.shape[1]
    flat = renewal_spikes(rng, trial_rates.reshape(-1, trial_rates.shape[-1]), process, shape)
    spike_times = [
        np.concatenate([starts[k] + flat[k * n + j] / 1000.0 for k in range(len(starts))]) for j in range(n)
    ]
    return trials, spike_times


def generate(cfg: GeneratorConfig, categories: list[dict], seed: int) -> SyntheticData:
    """Seeded synthetic recording: trials in random order, one spike train per neuron."""
    from conceptdyn.core.runtime import child_rng

    cat = stimulus_catalogue(categories)
    par = neuron_parameters(child_rng(seed, "facecells.synthetic.neurons"), cfg, cat)
    rates = rate_functions(cfg, cat, par)
    order_rng = child_rng(seed, "facecells.synthetic.order")
    spike_rng = child_rng(seed, "facecells.synthetic.spikes")
    stim_of_trial = order_rng.permutation(np.repeat(np.arange(len(cat)), cfg.trials))
    trials, spike_times = lay_out_session(
        spike_rng,
        cat,
        stim_of_trial,
        rates[stim_of_trial],
        cfg.pre_ms,
        cfg.duration_ms,
        cfg.gap_ms,
        cfg.process,
        cfg.gamma_shape,
    )
    n = cfg.neurons
    neurons = pd.DataFrame(
        {
            "neuron": np.arange(n),
            **{
                k: par[k]
                for k in ("baseline_hz", "amplitude_hz", "latency_ms", "global_onset_ms", "fine_onset_ms")
            },
            "global_selectivity": par["global_tuning"].std(axis=1),
            "fine_selectivity": par["fine_tuning"].std(axis=1),
        }
    )
    return SyntheticData(cat, trials, spike_times, neurons, rates)
