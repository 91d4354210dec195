"""Regime map of the face-cell model: which settings give the lecture's route?

The lecture (after Matsumoto et al., J Comput Neurosci 2005; Okada, New Generation Computing 2006) says
the population state first approaches the mean state of similar memory patterns (the category's mixed
state: global information) and then converges to the memory pattern of the stimulus (fine
information), which reproduces Sugase et al.'s ~51 ms lag of fine after global information.  This
module runs the model of :mod:`conceptdyn.facecells.model` over a grid of coding (+-1 / sparse),
learning rule, input (initial cue / sustained field / coarse start near the category),
correlations b_fine and b_stimulus, temperature and input strength; classifies each setting's route
from its overlaps (:func:`conceptdyn.facecells.model.classify_route`); and measures its global and
fine onsets with the same decoding analysis as the data (:mod:`conceptdyn.facecells.analysis`), on a
coarser, cheaper grid.

Every setting tried is a row of the table; :func:`choose_regime` picks the default by a stated rule.
"""

from __future__ import annotations

import itertools
import sys
from contextlib import contextmanager
from dataclasses import dataclass, replace

import pandas as pd

from conceptdyn.facecells import analysis as fa
from conceptdyn.facecells import model as fm
from conceptdyn.facecells.nwb import Recording

ROUTES = ("category_first", "stimulus_direct", "category_only", "none")
FIELD_INPUTS = ("field", "coarse_field")  # inputs with a sustained field (strength h)
COARSE_INPUTS = ("coarse", "coarse_field")  # inputs with a coarse start (bias)


@dataclass(frozen=True)
class RegimeGrid:
    """Config section ``facecells.regimes`` (defaults in the schema)."""

    codings: tuple[str, ...]
    learnings: tuple[str, ...]
    inputs: tuple[str, ...]
    b_fine: tuple[float, ...]
    b_stimulus: tuple[float, ...]
    temperatures_pm1: tuple[float, ...]
    temperatures_sparse: tuple[float, ...]
    strengths: tuple[float, ...]  # field input
    biases: tuple[float, ...]  # coarse input
    N: int
    trials: int
    retrieved: float  # the stimulus counts as retrieved at this overlap
    margin: float  # the sibling overlap must peak this far above its final value (category first)
    min_gap_ms: float  # the rule's smallest fine - global onset difference
    split_windows: tuple[int, int]  # window starts (ms) of the mixture's global and fine snapshots
    min_ari: float  # the mixture follows the global labels in the first window with this ARI
    confirm: int  # the first this many of the ranking are rerun with confirm_trials (0: none)
    confirm_trials: int  # trials per stimulus of the confirmation (the model's own count)
    confirm_seeds: int  # seeds of each confirmation: the map's own, then seeds derived from it


# the keys of one setting of the map (a row of the table starts with them)
SETTING_KEYS = (
    "coding",
    "learning",
    "input",
    "b_fine",
    "b_stimulus",
    "temperature",
    "input_strength",
    "coarse_bias",
)
# the model's settings that the map varies: it takes the rest from facecells.model, and none of these, so
# the map does not depend on the default chosen from it
VARIED = ("N", "trials", *SETTING_KEYS)


def base_config(fixed: dict, grid: RegimeGrid) -> fm.ModelConfig:
    """The map's base model: ``fixed`` (facecells.model without :data:`VARIED`, with the session) and
    the grid's size and first setting (every setting replaces them)."""
    from conceptdyn.core.settings import from_section

    first = {"N": grid.N, "trials": grid.trials, **settings(grid)[0]}
    return from_section(fm.ModelConfig, {**fixed, **first}, "facecells.model")


def settings(grid: RegimeGrid) -> list[dict]:
    """Every setting of the grid (field strengths only for the inputs with a field, biases only for
    those with a coarse start; the other is 0 in the table)."""
    out = []
    for coding, learning, inp, bf, bs in itertools.product(
        grid.codings, grid.learnings, grid.inputs, grid.b_fine, grid.b_stimulus
    ):
        temps = grid.temperatures_pm1 if coding == "pm1" else grid.temperatures_sparse
        strengths = grid.strengths if inp in FIELD_INPUTS else (0.0,)
        biases = grid.biases if inp in COARSE_INPUTS else (0.0,)
        for temperature, h, eps in itertools.product(temps, strengths, biases):
            out.append(
                {
                    "coding": coding,
                    "learning": learning,
                    "input": inp,
                    "b_fine": float(bf),
                    "b_stimulus": float(bs),
                    "temperature": float(temperature),
                    "input_strength": float(h),
                    "coarse_bias": float(eps),
                }
            )
    return out


def run_setting(
    base: fm.ModelConfig,
    grid: RegimeGrid,
    setting: dict,
    catalogue: pd.DataFrame,
    analysis: fa.AnalysisConfig,
    seed: int,
    device=None,
) -> dict:
    """One row of the map: the route from the overlaps and the onsets from the decoding analysis."""
    cfg = replace(base, N=grid.N, trials=grid.trials, **{k: setting[k] for k in SETTING_KEYS})
    run = fm.simulate(cfg, catalogue, seed, device=device)
    route = fm.classify_route(run.overlaps, grid.retrieved, grid.margin)
    rec = Recording(run.trials, run.spike_times, list(range(cfg.neurons)))
    d = fa.prepare(rec, catalogue, analysis, "model")
    info = fa.information_table(d, analysis, seed)
    onsets = fa.onsets_table(info, analysis, "model", {}).set_index("information")["onset_ms"]
    peak = info.loc[info.groupby("information")["accuracy"].idxmax()].set_index("information")
    mix = fa.mixture_table(d, analysis, seed, starts=grid.split_windows)
    early, late = mix.iloc[0], mix.iloc[1]
    return {
        **setting,
        **route,
        "ari_global_early": float(early["ari_global"]),
        "ari_fine_early": float(early["ari_fine"]),
        "ari_global_late": float(late["ari_global"]),
        "ari_fine_late": float(late["ari_fine"]),
        "split": mixture_splits(early, late, grid.min_ari),
        "onset_global_ms": float(onsets["global"]),
        "onset_fine_ms": float(onsets["fine"]),
        "onset_gap_ms": float(onsets["fine"] - onsets["global"]),
        "peak_accuracy_global": float(peak.loc["global", "accuracy"]),
        "peak_accuracy_fine": float(peak.loc["fine", "accuracy"]),
    }


def mixture_splits(early, late, min_ari: float) -> bool:
    """Matsumoto et al.'s clusters that split: in the early window the mixture's clusters follow the
    global labels (ARI with them >= ``min_ari`` and above the ARI with the fine labels); in the late
    window they follow the fine labels (ARI >= ``min_ari``) better than in the early one."""
    return bool(
        early["ari_global"] >= min_ari
        and early["ari_global"] > early["ari_fine"]
        and late["ari_fine"] >= min_ari
        and late["ari_fine"] > early["ari_fine"]
    )


def _run_settings(args) -> list[dict]:
    """Worker: a chunk of settings, one thread each worker (run in its own process)."""
    import os

    os.environ["OMP_NUM_THREADS"] = "1"
    import torch

    torch.set_num_threads(1)
    base, grid, chunk, catalogue, analysis, seed = args
    return [run_setting(base, grid, s, catalogue, analysis, seed) for s in chunk]


def regime_table(
    base: fm.ModelConfig,
    grid: RegimeGrid,
    catalogue: pd.DataFrame,
    analysis: fa.AnalysisConfig,
    seed: int,
    device=None,
    progress=None,
    workers: int = 1,
) -> pd.DataFrame:
    """The map: one row per setting, all with the same seed (the same patterns per coding and b).

    With ``workers`` > 1 (CPU only) the settings run in that many processes, in small chunks; every
    setting depends only on itself and the seed, so the table is the same for any number of workers.
    """
    todo = settings(grid)
    cpu = device is None or getattr(device, "type", str(device)) == "cpu"
    if workers <= 1 or not cpu or len(todo) < 2:
        it = todo if progress is None else progress(todo, "face-cell regimes")
        return pd.DataFrame([run_setting(base, grid, s, catalogue, analysis, seed, device) for s in it])
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    size = 4
    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    jobs = [(base, grid, c, catalogue, analysis, seed) for c in chunks]
    with _main_script_hidden(), ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn")) as pool:
        done = pool.map(_run_settings, jobs)
        if progress is not None:
            done = progress(done, "face-cell regimes (chunks of 4 settings)", total=len(chunks))
        rows = [row for chunk in done for row in chunk]
    return pd.DataFrame(rows)


@contextmanager
def _main_script_hidden():
    """Spawned workers re-run the parent's main script unless it is hidden; a Snakemake adapter is
    such a script (and needs the ``snakemake`` object), so its path is hidden while the pool runs."""
    main = sys.modules["__main__"]
    path = main.__dict__.pop("__file__", None)
    try:
        yield
    finally:
        if path is not None:
            main.__file__ = path


def rank_candidates(table: pd.DataFrame, min_gap_ms: float) -> pd.DataFrame:
    """The settings that qualify, best first, by :data:`RULE` (the criteria in their stated order).

    Qualify: route ``category_first`` (the stimulus retrieved in the end) and a fine onset at least
    ``min_gap_ms`` after the global one.  Order: first those whose mixture clusters split from global to
    fine labels (``split``), then the gap closest to Sugase et al.'s 51 ms, then the longest plateau
    (latest retrieval ``t_retrieved_ms``: the delay made by the dynamics), then the largest
    ``b_stimulus``, then grid order.
    """
    ok = table[qualifies(table, min_gap_ms)]
    ranked = ok.assign(_distance=(ok["onset_gap_ms"] - 51.0).abs(), _split=ok["split"].astype(bool))
    ranked = ranked.sort_values(
        ["_split", "_distance", "t_retrieved_ms", "b_stimulus"],
        ascending=[False, True, False, False],
        kind="stable",
    )
    return ranked.drop(columns=["_distance", "_split"])


def qualifies(table: pd.DataFrame, min_gap_ms: float) -> pd.Series:
    return (table["route"] == "category_first") & (table["onset_gap_ms"] >= min_gap_ms)


# the master seed's sub-stream of the confirmation's extra seeds (core.runtime.child_seed keys)
CONFIRM_KEY = 70


def confirmation_seeds(seed: int, n: int) -> list[int]:
    """The seeds of a confirmation: the map's own seed, then ``n - 1`` seeds derived from it."""
    from conceptdyn.core.runtime import child_seed

    return [seed, *(child_seed(seed, CONFIRM_KEY, i) for i in range(1, n))]


def confirm_candidates(
    table: pd.DataFrame,
    base: fm.ModelConfig,
    grid: RegimeGrid,
    catalogue: pd.DataFrame,
    analysis: fa.AnalysisConfig,
    seed: int,
    device=None,
) -> pd.DataFrame:
    """The first ``grid.confirm`` settings of the ranking rerun with ``grid.confirm_trials`` trials per
    stimulus (the map's few trials make its mixture noisy) on each of ``grid.confirm_seeds`` seeds (the
    map's one seed makes its patterns one draw); one row per setting and seed, with its ``rank`` and the
    seed's index ``confirm_seed`` (0: the map's own seed)."""
    ranked = rank_candidates(table, grid.min_gap_ms).head(grid.confirm)
    more = replace(grid, trials=grid.confirm_trials)
    seeds = confirmation_seeds(seed, grid.confirm_seeds)
    rows = []
    for rank, (_, row) in enumerate(ranked.iterrows()):
        setting = {k: row[k] if isinstance(row[k], str) else float(row[k]) for k in SETTING_KEYS}
        for i, s in enumerate(seeds):
            measured = run_setting(base, more, setting, catalogue, analysis, s, device)
            rows.append({"rank": rank, "confirm_seed": i, **measured})
    return pd.DataFrame(rows, columns=["rank", "confirm_seed", *table.columns])


def confirmed_ranks(confirmed: pd.DataFrame, min_gap_ms: float) -> pd.DataFrame:
    """Per rerun rank: on how many of its seeds the setting still qualifies and splits, and whether
    that is more than half of them (``confirmed``)."""
    ok = qualifies(confirmed, min_gap_ms) & confirmed["split"].astype(bool)
    g = ok.groupby(confirmed["rank"])
    out = pd.DataFrame({"confirmed_seeds": g.sum().astype(int), "confirm_seeds": g.size()})
    out["confirmed"] = 2 * out["confirmed_seeds"] > out["confirm_seeds"]
    return out


def choose_regime(
    table: pd.DataFrame, min_gap_ms: float, confirmed: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The default chosen from the map, by :data:`RULE`: the first of :func:`rank_candidates` whose
    reruns with more trials (``confirmed``) still qualify and split on more than half of their seeds;
    if none does (or nothing was rerun), the first of the ranking, with ``confirmed = False``.  If no
    setting qualifies, one row with ``chosen = False`` says so and counts the routes found."""
    counts = {f"n_{r}": int((table["route"] == r).sum()) for r in ROUTES}
    counts["n_split"] = int(table["split"].astype(bool).sum())
    ranked = rank_candidates(table, min_gap_ms)
    if ranked.empty:
        return pd.DataFrame([{"chosen": False, **counts, "rule": RULE}])
    row, confirmed_ok, on = ranked.iloc[0].to_dict(), False, ""
    if confirmed is not None and len(confirmed):
        ranks = confirmed_ranks(confirmed, min_gap_ms)
        good = ranks[ranks["confirmed"]]
        first = int(good.index.min()) if len(good) else 0
        row, confirmed_ok = ranked.iloc[first].to_dict(), bool(len(good))
        if first in ranks.index:
            r = ranks.loc[first]
            on = f"{int(r['confirmed_seeds'])} of {int(r['confirm_seeds'])}"
    return pd.DataFrame(
        [{"chosen": True, "confirmed": confirmed_ok, "confirmed_on": on, **counts, **row, "rule": RULE}]
    )


RULE = (
    "route category_first and fine onset >= global onset + min_gap_ms; among those first the settings whose "
    "mixture splits from global to fine labels, then the gap closest to 51 ms (Sugase et al. 1999), then the "
    "latest retrieval (longest plateau), then the largest b_stimulus; the first `confirm` of this ranking "
    "are rerun with `confirm_trials` trials per stimulus on `confirm_seeds` seeds (the map's and seeds "
    "derived from it) and the first whose reruns still qualify and split on more than half of the seeds is "
    "chosen (else the first of the ranking)"
)
