"""A face-cell recording made without any of this project's code: its own stimulus set, trial layout,
unit count, firing model and onsets, written with pynwb directly.  The pipeline must read it as a user's
recording and recover its onsets (tests/test_pipeline.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

# the recording's truth: global (category) information from 90 ms after stimulus onset, fine
# (identity) information from 170 ms
GLOBAL_ONSET_MS, FINE_ONSET_MS = 90, 170
# three categories with their own fine labels and stimuli per fine label (16 stimuli)
STIMULI = {"animal": (3, 2), "object": (2, 3), "scene": (2, 2)}


def catalogue() -> pd.DataFrame:
    rows = [
        {"stimulus_id": f"{cat}-{f}-{k}", "global_label": cat, "fine_label": f"{cat}-{f}"}
        for cat, (fines, per) in STIMULI.items()
        for f in range(fines)
        for k in range(per)
    ]
    return pd.DataFrame(rows)


def write(path: Path, seed: int = 5, units: int = 30, trials: int = 8) -> pd.DataFrame:
    """Poisson units in 1 ms bins (Bernoulli thinning): a baseline, a category gain from
    GLOBAL_ONSET_MS and a fine-label gain from FINE_ONSET_MS, 250 ms of fixation before each stimulus,
    450 ms after it, 150 ms between trials; trials in shuffled order.  Returns the catalogue."""
    from pynwb import NWBHDF5IO, NWBFile
    from pynwb.file import Subject

    rng = np.random.default_rng(seed)
    cat = catalogue()
    cats, fines = sorted(set(cat["global_label"])), sorted(set(cat["fine_label"]))
    g_of = cat["global_label"].map(cats.index).to_numpy()
    f_of = cat["fine_label"].map(fines.index).to_numpy()
    base = rng.uniform(6, 14, units)
    g_gain = rng.normal(0, 0.9, (units, len(cats)))
    f_gain = rng.normal(0, 0.9, (units, len(fines)))
    order = rng.permutation(np.repeat(np.arange(len(cat)), trials))
    pre, post, gap = 0.250, 0.450, 0.150
    t = np.arange(-int(pre * 1000), int(post * 1000))  # ms relative to onset
    spikes = [[] for _ in range(units)]
    table = []
    start = 1.0
    for s in order:
        onset = start + pre
        rate = np.repeat(base[:, None], len(t), axis=1)
        rate = rate * np.exp(g_gain[:, g_of[s], None] * (t >= GLOBAL_ONSET_MS))
        rate = rate * np.exp(f_gain[:, f_of[s], None] * (t >= FINE_ONSET_MS))
        fire = rng.random(rate.shape) < rate / 1000.0
        for u in range(units):
            spikes[u].append(onset + (t[fire[u]] + rng.random(fire[u].sum())) / 1000.0)
        labels = cat.iloc[s][["stimulus_id", "global_label", "fine_label"]]
        table.append((start, onset + post, onset, *labels))
        start = onset + post + gap
    nwb = NWBFile(
        session_description="foreign test recording",
        identifier="foreign-generator",
        session_start_time=dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
        subject=Subject(subject_id="f1", species="Macaca mulatta", sex="U", age="P6Y"),
    )
    for col in ("stimulus_onset", "stimulus_id", "global_label", "fine_label"):
        nwb.add_trial_column(name=col, description=col)
    for start_time, stop_time, onset, sid, glob, fine in table:
        nwb.add_trial(
            start_time=start_time,
            stop_time=stop_time,
            stimulus_onset=onset,
            stimulus_id=sid,
            global_label=glob,
            fine_label=fine,
        )
    for u in range(units):
        nwb.add_unit(spike_times=np.sort(np.concatenate(spikes[u])))
    with NWBHDF5IO(str(path), "w") as io:
        io.write(nwb)
    return cat
