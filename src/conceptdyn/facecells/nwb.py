"""Recordings in NWB (pynwb): spike times in the Units table, one row per trial in the trials table with
the columns of :data:`~conceptdyn.facecells.catalogue.TRIAL_COLUMNS`; reading, writing and checks.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from conceptdyn.core.tables import atomic_output
from conceptdyn.facecells.catalogue import ONSET_COLUMN, TRIAL_COLUMNS, RecordingError

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
    """Write trials and spike trains to an NWB file atomically (temporary name, then rename).

    The metadata the NWB best practices ask for are filled in (checked with nwbinspector in the tests):
    a subject that says it is simulated, the experiment description, keywords, and the resolution of
    the spike times (float64 times from a simulation: far below a nanosecond).
    """
    from pynwb import NWBHDF5IO, NWBFile
    from pynwb.file import Subject
    from pynwb.misc import Units

    nwb = NWBFile(
        session_description=description,
        identifier=identifier,
        session_start_time=_dt.datetime(2026, 1, 1, tzinfo=_dt.UTC),
        experiment_description=(
            "simulated recording of face-responsive neurons in macaque inferior temporal cortex "
            "(after Sugase et al. 1999), written by the conceptdyn pipeline"
        ),
        keywords=["inferior temporal cortex", "face cells", "simulation", "associative memory"],
        subject=Subject(
            subject_id=identifier,
            species="Macaca mulatta",
            sex="U",
            age="P5Y",
            description="simulated: the spike trains imitate a macaque recording; no animal was recorded",
        ),
    )
    nwb.units = Units(name="units", description="simulated single units", resolution=1e-9)
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


def inspect(path: str | Path) -> list[str]:
    """The findings of nwbinspector (the NWB best-practice validator) for one file, most important first,
    as ``IMPORTANCE check_name location: message`` lines; one line saying so if it is not installed."""
    try:
        from nwbinspector import inspect_nwbfile
    except ImportError:
        return ["nwbinspector is not installed (pip install nwbinspector): the file was not inspected"]
    found = sorted(inspect_nwbfile(nwbfile_path=str(path)), key=lambda m: -m.importance.value)
    return [f"{m.importance.name} {m.check_function_name} {m.location}: {m.message}" for m in found]


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
                f"Add them with NWBFile.add_trial_column (see docs/facecells.md, 'Data format')"
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


def check_span(trials: pd.DataFrame, span_ms: int, where: str) -> None:
    """Every trial lasts at least ``span_ms`` after its stimulus onset (its ``stop_time``): the analysis
    counts spikes up to ``span_ms`` after onset, and past a trial's end it would read silence or the
    next trial.  Refuses the first short trial by index, with its length and the fix."""
    onsets = trials[ONSET_COLUMN].to_numpy(dtype=float)
    after = (trials["stop_time"].to_numpy(dtype=float) - onsets) * 1000.0
    short = np.flatnonzero(after < span_ms - 1e-6)
    if len(short):
        k = int(short[0])
        raise RecordingError(
            f"{where}: trial {k} (stimulus {trials['stimulus_id'].iloc[k]!r}) lasts {after[k]:.1f} ms after "
            f"stimulus onset, but the analysis reads {span_ms} ms (facecells.analysis.last_start_ms + "
            f"width_ms); {len(short)} of {len(trials)} trials are that short. Lower "
            f"facecells.analysis.last_start_ms so that last_start_ms + width_ms <= "
            f"{int(np.floor(after.min()))} ms (the shortest trial), or drop the short trials"
        )


def trial_counts(rec: Recording, duration_ms: int) -> np.ndarray:
    """Spike counts in 1 ms bins after each trial's stimulus onset: ``(trials, units, duration_ms)``."""
    onsets = rec.trials[ONSET_COLUMN].to_numpy(dtype=float)
    edges = onsets[:, None] + np.arange(duration_ms + 1)[None, :] / 1000.0
    out = np.empty((len(onsets), len(rec.spike_times), duration_ms), dtype=np.int32)
    for j, st in enumerate(rec.spike_times):
        idx = np.searchsorted(st, edges, side="left")
        out[:, j] = np.diff(idx, axis=1)
    return out
