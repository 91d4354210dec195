"""Synthetic face-cell spike data with known ground truth, and NWB reading and writing.

The stimulus set mimics Sugase et al. (Nature 1999): stimuli in global categories (monkey faces, human
faces, geometric shapes), each with fine labels (expression, identity, form).  Every synthetic neuron
has its own baseline rate, response amplitude and latency; its rate depends on the global category
only from its global-information onset on, and on the fine label (and the individual stimulus) only
from its fine-information onset on.  The earliest of these onsets over neurons are the configured
population onsets, the ground truth that the analysis has to recover.

Rates are defined on a 1 ms grid; spikes come from an inhomogeneous Poisson or gamma renewal process
(time rescaling).  Files follow the NWB standard (pynwb): spike times in the Units table, one row per
trial in the trials table with the columns listed in :data:`TRIAL_COLUMNS`.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .tables import atomic_output

# Columns of the trials table that the analysis needs (besides NWB's own start_time/stop_time).
TRIAL_COLUMNS = ("stimulus_id", "global_label", "fine_label")
# Optional: stimulus onset in seconds (session clock); without it, a trial's start_time is the onset.
ONSET_COLUMN = "stimulus_onset"
CATALOGUE_COLUMNS = TRIAL_COLUMNS  # the catalogue: one row per stimulus, the same three columns


class RecordingError(ValueError):
    """A spike file or stimulus catalogue that the analysis cannot use; the message says how to fix it."""


# ---------------------------------------------------------------------------------------------
# Stimuli
# ---------------------------------------------------------------------------------------------


def stimulus_catalogue(categories: list[dict]) -> pd.DataFrame:
    """One row per stimulus: ``stimulus_id, global_label, fine_label``.

    ``categories``: ``[{name, fine_prefix, fine_labels, per_fine}, ...]``: category ``name`` has
    ``fine_labels`` fine labels ``<fine_prefix>_1..`` with ``per_fine`` stimuli each.
    """
    rows = []
    for cat in categories:
        for f in range(1, cat["fine_labels"] + 1):
            fine = f"{cat['fine_prefix']}_{f}"
            for k in range(1, cat["per_fine"] + 1):
                rows.append((f"{cat['name']}_{fine}_{k}", cat["name"], fine))
    df = pd.DataFrame(rows, columns=list(CATALOGUE_COLUMNS))
    check_catalogue(df)
    return df


def check_catalogue(cat: pd.DataFrame, where: str = "stimulus catalogue") -> None:
    missing = [c for c in CATALOGUE_COLUMNS if c not in cat.columns]
    if missing:
        raise RecordingError(
            f"{where} lacks columns {missing}; it needs {list(CATALOGUE_COLUMNS)} (one row per stimulus)"
        )
    dup = cat["stimulus_id"][cat["stimulus_id"].duplicated()].tolist()
    if dup:
        raise RecordingError(f"{where} lists stimuli more than once: {dup[:5]}")
    if cat["global_label"].nunique() < 2:
        raise RecordingError(f"{where} needs at least 2 global categories")


def label_codes(cat: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    """Integer codes of the global label and of the (global, fine) pair, in order of appearance."""
    g, globals_ = pd.factorize(cat["global_label"])
    f, pairs = pd.factorize(cat["global_label"].astype(str) + "/" + cat["fine_label"].astype(str))
    return g, f, list(globals_), list(pairs)


# ---------------------------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GeneratorConfig:
    neurons: int = 45
    trials: int = 30  # per stimulus
    duration_ms: int = 400  # after stimulus onset
    pre_ms: int = 100  # fixation before onset (baseline firing)
    gap_ms: int = 100  # between trials
    global_onset_ms: float = 100.0
    fine_onset_ms: float = 151.0
    onset_jitter_ms: float = 15.0  # half-normal spread of the neurons' onsets after the population onset
    info_rise_ms: float = 10.0
    latency_ms: float = 80.0
    latency_sd_ms: float = 10.0
    rise_ms: float = 8.0
    decay_ms: float = 80.0
    sustained: float = 0.4
    baseline_hz: float = 8.0
    amplitude_hz: float = 30.0
    rate_spread: float = 0.5  # sd of log baseline and log amplitude across neurons
    global_gain: float = 0.5  # sd of the log-rate modulation by global category
    fine_gain: float = 0.4  # sd of the log-rate modulation by fine label within a category
    stimulus_gain: float = 0.15  # sd of the stimulus-specific log-rate modulation (from the fine onset)
    process: str = "poisson"  # poisson or gamma
    gamma_shape: float = 2.0


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
    from .runtime import child_rng

    cat = stimulus_catalogue(categories)
    par = neuron_parameters(child_rng(seed, 0), cfg, cat)
    rates = rate_functions(cfg, cat, par)
    order_rng, spike_rng = child_rng(seed, 1), child_rng(seed, 2)
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


# ---------------------------------------------------------------------------------------------
# NWB
# ---------------------------------------------------------------------------------------------

_DESCRIPTIONS = {
    "stimulus_id": "identifier of the stimulus shown (a row of the stimulus catalogue)",
    "global_label": "global category of the stimulus (e.g. monkey face, human face, shape)",
    "fine_label": "fine label within the global category (expression, identity or form)",
    ONSET_COLUMN: "stimulus onset on the session clock (s)",
}


def write_nwb(
    path: str | Path,
    trials: pd.DataFrame,
    spike_times: list[np.ndarray],
    *,
    description: str,
    identifier: str,
    unit_columns: pd.DataFrame | None = None,
) -> None:
    """Write trials and spike trains to an NWB file atomically (temporary name, then rename)."""
    from pynwb import NWBHDF5IO, NWBFile

    nwb = NWBFile(
        session_description=description,
        identifier=identifier,
        session_start_time=_dt.datetime(2026, 1, 1, tzinfo=_dt.UTC),
    )
    for col in (ONSET_COLUMN, *TRIAL_COLUMNS):
        nwb.add_trial_column(name=col, description=_DESCRIPTIONS[col])
    for row in trials.itertuples(index=False):
        r = row._asdict()
        nwb.add_trial(**{k: r[k] for k in ("start_time", "stop_time", ONSET_COLUMN, *TRIAL_COLUMNS)})
    extra = [] if unit_columns is None else list(unit_columns.columns)
    for col in extra:
        nwb.add_unit_column(name=col, description=f"generator ground truth: {col}")
    for j, st in enumerate(spike_times):
        kw = {} if unit_columns is None else {c: unit_columns[c].iloc[j] for c in extra}
        nwb.add_unit(spike_times=np.asarray(st, dtype=float), **kw)
    with atomic_output(path) as tmp, NWBHDF5IO(str(tmp), "w") as io:
        io.write(nwb)


@dataclass
class Recording:
    trials: pd.DataFrame  # with a stimulus_onset column (s)
    spike_times: list[np.ndarray]
    unit_ids: list


def read_nwb(path: str | Path) -> Recording:
    """Read trials and spike times from an NWB file, refusing what the analysis cannot use."""
    from pynwb import NWBHDF5IO

    path = Path(path)
    if not path.is_file():
        raise RecordingError(f"spike file {path} does not exist; set facecells.recording to an NWB file")
    try:
        io = NWBHDF5IO(str(path), "r")
        nwb = io.read()
    except Exception as exc:
        raise RecordingError(f"{path} could not be read as NWB ({type(exc).__name__}: {exc})") from exc
    try:
        if nwb.trials is None:
            raise RecordingError(
                f"{path} has no trials table; add one row per trial with {list(TRIAL_COLUMNS)}"
            )
        if nwb.units is None or "spike_times" not in nwb.units.colnames:
            raise RecordingError(f"{path} has no Units table with spike_times; add one unit per neuron")
        trials = nwb.trials.to_dataframe().reset_index(drop=True)
        missing = [c for c in TRIAL_COLUMNS if c not in trials.columns]
        if missing:
            raise RecordingError(
                f"{path}: the trials table lacks columns {missing}; it has {list(trials.columns)}. "
                f"Add them with NWBFile.add_trial_column (see README, 'Face cells: data format')"
            )
        if ONSET_COLUMN not in trials.columns:
            trials[ONSET_COLUMN] = trials["start_time"]
        for c in TRIAL_COLUMNS:
            trials[c] = trials[c].map(lambda v: v.decode() if isinstance(v, bytes) else str(v))
        units = nwb.units
        spike_times = [np.asarray(units["spike_times"][i], dtype=float) for i in range(len(units))]
        unit_ids = list(units.id[:])
    finally:
        io.close()
    check_spike_times(spike_times, unit_ids, str(path))
    return Recording(trials, spike_times, unit_ids)


def check_spike_times(spike_times: list[np.ndarray], unit_ids: list, where: str) -> None:
    if not spike_times:
        raise RecordingError(f"{where}: the Units table is empty")
    for uid, st in zip(unit_ids, spike_times, strict=True):
        if len(st) and not np.all(np.isfinite(st)):
            raise RecordingError(f"{where}: unit {uid} has non-finite spike times")
        if len(st) and st.min() < 0:
            raise RecordingError(
                f"{where}: unit {uid} has negative spike times (first {st.min():.6g} s); "
                "spike times are seconds on the session clock, >= 0"
            )
        if np.any(np.diff(st) < 0):
            k = int(np.argmax(np.diff(st) < 0))
            raise RecordingError(
                f"{where}: spike times of unit {uid} are not sorted (index {k + 1}: {st[k + 1]:.6g} s "
                f"after {st[k]:.6g} s); sort each unit's spike times ascending"
            )


def check_trials(trials: pd.DataFrame, catalogue: pd.DataFrame, where: str, min_trials: int = 2) -> None:
    """Every trial's stimulus is in the catalogue with the same labels; enough trials per stimulus."""
    known = catalogue.set_index("stimulus_id")
    unknown = sorted(set(trials["stimulus_id"]) - set(known.index))
    if unknown:
        raise RecordingError(
            f"{where}: trials show stimuli that the stimulus catalogue does not list: {unknown[:5]}"
            f"{' ...' if len(unknown) > 5 else ''}; add them to the catalogue (facecells.stimuli) "
            "or drop those trials"
        )
    for col in ("global_label", "fine_label"):
        expected = known.loc[trials["stimulus_id"], col].to_numpy()
        bad = trials["stimulus_id"][trials[col].to_numpy() != expected]
        if len(bad):
            raise RecordingError(
                f"{where}: trials of stimulus {bad.iloc[0]!r} have {col} {trials[col][bad.index[0]]!r}, "
                f"but the catalogue says {known.loc[bad.iloc[0], col]!r}"
            )
    counts = trials["stimulus_id"].value_counts().reindex(catalogue["stimulus_id"], fill_value=0)
    few = counts[counts < min_trials]
    if len(few):
        raise RecordingError(
            f"{where}: stimuli with fewer than {min_trials} trials: {list(few.index[:5])}; "
            "remove them from the catalogue or record more trials"
        )
    if np.any(trials["stop_time"].to_numpy() < trials["start_time"].to_numpy()):
        raise RecordingError(f"{where}: some trials stop before they start")


def trial_counts(rec: Recording, duration_ms: int) -> np.ndarray:
    """Spike counts in 1 ms bins after each trial's stimulus onset: ``(trials, units, duration_ms)``."""
    onsets = rec.trials[ONSET_COLUMN].to_numpy(dtype=float)
    edges = onsets[:, None] + np.arange(duration_ms + 1)[None, :] / 1000.0
    out = np.empty((len(onsets), len(rec.spike_times), duration_ms), dtype=np.int32)
    for j, st in enumerate(rec.spike_times):
        idx = np.searchsorted(st, edges, side="left")
        out[:, j] = np.diff(idx, axis=1)
    return out
