"""The stimulus catalogue (after Sugase et al., Nature 1999): stimuli in global categories (monkey
faces, human faces, shapes), each with a fine label; the columns every recording must carry and
their checks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Columns of the trials table that the analysis needs (besides NWB's own start_time/stop_time).
TRIAL_COLUMNS = ("stimulus_id", "global_label", "fine_label")


# Optional: stimulus onset in seconds (session clock); without it, a trial's start_time is the onset.
ONSET_COLUMN = "stimulus_onset"


CATALOGUE_COLUMNS = TRIAL_COLUMNS  # the catalogue: one row per stimulus, the same three columns


class RecordingError(ValueError):
    """A spike file or stimulus catalogue that the analysis cannot use; the message says how to fix it."""


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
