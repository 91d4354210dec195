"""From a face-cell recording (NWB) to the tables of the face-cell figures.

One function per table, all driven by :class:`AnalysisConfig`; the recording may be the synthetic
data, the model's activity or a real recording with the same trial columns.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from conceptdyn.facecells import population as pop
from conceptdyn.facecells.catalogue import RecordingError, label_codes
from conceptdyn.facecells.nwb import Recording, check_span, check_trials, trial_counts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AnalysisConfig:
    width_ms: int
    first_start_ms: int
    last_start_ms: int
    step_ms: int
    snapshots: tuple[int, ...]  # window starts (ms): pre-response, global, fine
    multiples_every_ms: int  # small multiples: a PCA panel every this many ms of window start
    folds: int
    permutations: int
    alpha: float
    run_ms: int  # significant for this many consecutive 1 ms window steps
    mixture_every_ms: int
    mixture_pcs: int
    max_clusters: int
    concentration: float
    pcs: int


@dataclass
class Prepared:
    starts: np.ndarray  # window starts (ms)
    z: np.ndarray  # (trials, W, units), sqrt-transformed single-trial counts
    vectors: np.ndarray  # (stimuli, W, units), trial-averaged counts (population vectors)
    stim: np.ndarray  # stimulus index per trial
    catalogue: pd.DataFrame
    global_codes: np.ndarray  # per stimulus
    fine_codes: np.ndarray  # per stimulus, (global, fine) pair


def prepare(rec: Recording, catalogue: pd.DataFrame, cfg: AnalysisConfig, where: str) -> Prepared:
    check_trials(rec.trials, catalogue, where, min_trials=cfg.folds)
    starts = pop.window_starts(cfg.first_start_ms, cfg.last_start_ms, cfg.step_ms)
    span = int(starts.max() + cfg.width_ms)
    check_span(rec.trials, span, where)
    counts = trial_counts(rec, span)
    check_silent_units(counts, rec.unit_ids, where)
    x = pop.sliding_counts(counts, cfg.width_ms, starts)
    index = {s: i for i, s in enumerate(catalogue["stimulus_id"])}
    stim = rec.trials["stimulus_id"].map(index).to_numpy()
    g, f, _, _ = label_codes(catalogue)
    return Prepared(
        starts, np.sqrt(x + 0.375), pop.stimulus_means(x, stim, len(catalogue)), stim, catalogue, g, f
    )


def check_silent_units(counts: np.ndarray, unit_ids: list, where: str) -> None:
    """Units without a spike in the analysed span of any trial carry no information: all of them
    silent is refused (the tables would be empty of meaning), some of them are named in the log."""
    silent = np.flatnonzero(counts.sum(axis=(0, 2)) == 0)
    if len(silent) == len(unit_ids):
        raise RecordingError(
            f"{where}: none of the {len(unit_ids)} units fires in the analysed span of any trial; "
            "check the spike times' clock (seconds on the session clock) and the trials' stimulus_onset"
        )
    if len(silent):
        ids = [unit_ids[i] for i in silent]
        log.warning(
            "%s: %d of %d units never fire in the analysed span and carry no information: %s",
            where,
            len(ids),
            len(unit_ids),
            ids[:20],
        )


def _window(starts: np.ndarray, start: int) -> int:
    hit = np.flatnonzero(starts == start)
    if len(hit) == 0:
        raise ValueError(f"window start {start} ms is not on the analysis grid")
    return int(hit[0])


def pca_table(d: Prepared, cfg: AnalysisConfig) -> pd.DataFrame:
    """Stimuli on the first PCs at the snapshot windows (kind=snapshot) and every few ms (multiple)."""
    wanted = [(s, "snapshot") for s in cfg.snapshots]
    wanted += [
        (s, "multiple") for s in range(cfg.first_start_ms, cfg.last_start_ms + 1, cfg.multiples_every_ms)
    ]
    frames = []
    for start, kind in wanted:
        w = _window(d.starts, start)
        scores, explained = pop.pca(d.vectors[:, w], cfg.pcs)
        df = d.catalogue.copy()
        df.insert(0, "kind", kind)
        df.insert(1, "window_start", start)
        df.insert(2, "window_end", start + cfg.width_ms)
        for k in range(scores.shape[1]):
            df[f"pc{k + 1}"] = scores[:, k]
            df[f"explained{k + 1}"] = explained[k]
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


def problems(d: Prepared) -> list[pop.Problem]:
    g, f = d.global_codes[d.stim], d.fine_codes[d.stim]
    return [pop.Problem("global", g, np.zeros_like(g)), pop.Problem("fine", f, g)]


def information_table(d: Prepared, cfg: AnalysisConfig, seed: int, progress=None) -> pd.DataFrame:
    from conceptdyn.core.runtime import child_rng

    fold = pop.stratified_folds(child_rng(seed, "facecells.analysis.folds"), d.stim, cfg.folds)
    frames = []
    for i, prob in enumerate(problems(d)):
        bar = None if progress is None else (lambda it, name=prob.name: progress(it, f"{name} permutations"))
        tc = pop.information_time_course(
            d.z,
            prob,
            d.stim,
            fold,
            child_rng(seed, "facecells.analysis.permutations", i),
            cfg.permutations,
            bar,
        )
        tc.insert(0, "information", prob.name)
        tc.insert(1, "window_start", d.starts)
        tc.insert(2, "window_end", d.starts + cfg.width_ms)
        tc["significant"] = tc["p_value"] <= cfg.alpha
        frames.append(tc)
    return pd.concat(frames, ignore_index=True)


def onsets_table(info: pd.DataFrame, cfg: AnalysisConfig, source: str, truth: dict) -> pd.DataFrame:
    run = max(1, round(cfg.run_ms / cfg.step_ms))
    rows = []
    for name in ("global", "fine"):
        sub = info[info["information"] == name].sort_values("window_end")
        t = pop.onset(sub["window_end"].to_numpy(), sub["p_value"].to_numpy(), cfg.alpha, run)
        rows.append({"source": source, "information": name, "onset_ms": t, "true_onset_ms": truth.get(name)})
    df = pd.DataFrame(rows)
    df["true_onset_ms"] = df["true_onset_ms"].astype(float)
    return df


def mixture_table(d: Prepared, cfg: AnalysisConfig, seed: int, starts=None) -> pd.DataFrame:
    """Dirichlet-process mixture of the stimuli's population vectors per window and its agreement with
    the global and fine labels; every ``mixture_every_ms`` from the first to the last start, or at the
    given window ``starts``."""
    if starts is None:
        starts = range(cfg.first_start_ms, cfg.last_start_ms + 1, cfg.mixture_every_ms)
    from conceptdyn.core.runtime import child_seed

    mixture_seed = child_seed(seed, "facecells.analysis.mixture")
    rows = []
    for start in starts:
        w = _window(d.starts, start)
        assign = pop.mixture_clusters(
            d.vectors[:, w], cfg.mixture_pcs, cfg.max_clusters, cfg.concentration, mixture_seed
        )
        rows.append(
            {
                "window_start": start,
                "window_end": start + cfg.width_ms,
                **pop.cluster_agreement(assign, d.global_codes, d.fine_codes),
            }
        )
    return pd.DataFrame(rows)
