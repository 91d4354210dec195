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

import numpy as np
import pandas as pd

from conceptdyn.facecells import analysis as fa
from conceptdyn.facecells import model as fm
from conceptdyn.facecells import tree_theory as tt
from conceptdyn.facecells.nwb import Recording

ROUTES = ("category_first", "stimulus_direct", "category_only", "none")
FIELD_INPUTS = ("field", "coarse_field")  # inputs with a sustained field (strength h)
COARSE_INPUTS = ("coarse", "coarse_field")  # inputs with a coarse start (bias)
STIMULUS_ALIGNED = fm.STIMULUS_ALIGNED  # inputs that carry only the noisy stimulus (no coarse start)


@dataclass(frozen=True)
class RegimeGrid:
    """Config section ``facecells.regimes`` (defaults in config/config.yaml)."""

    codings: tuple[str, ...]
    learnings: tuple[str, ...]
    inputs: tuple[str, ...]
    b_fine: tuple[float, ...]
    b_stimulus: tuple[float, ...]
    temperatures_pm1: tuple[float, ...]
    temperatures_sparse: tuple[float, ...]
    strengths: tuple[float, ...]  # field input
    biases: tuple[float, ...]  # coarse input
    cue_overlaps: tuple[float, ...]  # overlap of the noisy stimulus (cue and field inputs)
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


# the keys of one setting of the map (a row of the table starts with them): the model's
SETTING_KEYS = fm.SETTING_KEYS
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
        overlaps = grid.cue_overlaps if inp != "coarse" else grid.cue_overlaps[:1]  # coarse: no noisy copy
        for temperature, h, eps, c in itertools.product(temps, strengths, biases, overlaps):
            out.append(
                {
                    "grid": "coarse",
                    "coding": coding,
                    "learning": learning,
                    "input": inp,
                    "b_fine": float(bf),
                    "b_stimulus": float(bs),
                    "temperature": float(temperature),
                    "input_strength": float(h),
                    "coarse_bias": float(eps),
                    "cue_overlap": float(c),
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


def _run_jobs(jobs) -> list[dict]:
    """Worker: a chunk of ``(base, grid, setting, catalogue, analysis, seed)`` jobs, one thread (run in
    its own process)."""
    import os

    os.environ["OMP_NUM_THREADS"] = "1"
    import torch

    torch.set_num_threads(1)
    return [run_setting(*job) for job in jobs]


def run_all(jobs: list[tuple], device=None, progress=None, workers: int = 1, label: str = "") -> list[dict]:
    """Rows of :func:`run_setting` for ``jobs`` (tuples of its arguments without ``device``), in order.

    With ``workers`` > 1 (CPU only) the jobs run in that many processes, in small chunks; every job
    depends only on itself and its seed, so the rows are the same for any number of workers."""
    cpu = device is None or getattr(device, "type", str(device)) == "cpu"
    if workers <= 1 or not cpu or len(jobs) < 2:
        it = jobs if progress is None else progress(jobs, label)
        return [run_setting(*job, device) for job in it]
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, min(4, len(jobs) // (4 * workers)))  # few long jobs (a confirmation): one per chunk
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    with _main_script_hidden(), ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn")) as pool:
        done = pool.map(_run_jobs, chunks)
        if progress is not None:
            done = progress(done, f"{label} (chunks of {size})", total=len(chunks))
        return [row for chunk in done for row in chunk]


def regime_table(
    base: fm.ModelConfig,
    grid: RegimeGrid,
    catalogue: pd.DataFrame,
    analysis: fa.AnalysisConfig,
    seed: int,
    device=None,
    progress=None,
    workers: int = 1,
    dense: list[dict] | None = None,
) -> pd.DataFrame:
    """The map: one row per setting of the grid (``grid = coarse``) and per ``dense`` setting (the
    theory-guided ones, ``grid = theory``), all with the same seed (the same patterns per coding and
    b), each with the route the theory predicts for it (:data:`tree_theory.THEORY_COLUMNS`)."""
    todo = settings(grid) + list(dense or [])
    jobs = [(base, grid, s, catalogue, analysis, seed) for s in todo]
    table = pd.DataFrame(run_all(jobs, device, progress, workers, "face-cell regimes"))
    return with_theory(table, base, grid, catalogue)


def with_theory(table: pd.DataFrame, base: fm.ModelConfig, grid: RegimeGrid, catalogue) -> pd.DataFrame:
    """``table`` with the theory's predicted route of each row beside the simulated one, and the
    category's and fine label's mixed states with their largest eigenvalue (:func:`tt.mixed_state`)."""
    if table.empty:
        return table
    shape = tt.catalogue_trees(catalogue)
    theory = tt.predict_routes(table, shape, *theory_clock(base), grid.retrieved, grid.margin)
    out = pd.concat([table.reset_index(drop=True), theory], axis=1)
    # the mixed states of the category and the fine label, their stability (lambda > 1: a saddle), for
    # the +-1 Hebb rows, whatever the input (the coarse starts begin at the category's mixed state)
    keys = ["b_fine", "b_stimulus", "temperature"]
    pm1 = out["coding"].eq("pm1") & out["learning"].eq("hebb")
    triples = list(dict.fromkeys(map(tuple, out.loc[pm1, keys].to_numpy(float))))
    mixed = tt.mixed_state_table(shape, triples).assign(_pm1=True)
    out = out.assign(_pm1=pm1).merge(mixed, on=[*keys, "_pm1"], how="left", validate="many_to_one")
    return out.drop(columns="_pm1")


def theory_agreement(table: pd.DataFrame) -> pd.DataFrame:
    """Per part of the map (``grid``) and input: how many rows with a prediction there are, how many
    of them the theory's route matches, and the counts of every (predicted, simulated) pair."""
    rows = table[table["theory_route"].fillna("").ne("")]
    out = []
    for (grid, inp), g in rows.groupby(["grid", "input"], sort=True):
        pairs = g.groupby(["theory_route", "route"]).size()
        out.append(
            {
                "grid": grid,
                "input": inp,
                "rows": len(g),
                "agree": int((g["theory_route"] == g["route"]).sum()),
                "pairs": "; ".join(f"{t} -> {r}: {n}" for (t, r), n in pairs.items()),
            }
        )
    return pd.DataFrame(out, columns=["grid", "input", "rows", "agree", "pairs"])


def theory_clock(base: fm.ModelConfig) -> tuple[int, float, float]:
    """Steps, step and start (ms) of the model's trial after the cue, as in ``simulate``."""
    steps = -(-(base.duration_ms - base.cue_ms) // base.step_ms)
    return int(steps), float(base.step_ms), float(base.cue_ms)


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


@dataclass(frozen=True)
class TheoryGrid:
    """Config section ``facecells.regimes.theory``: the dense scan of the N -> infinity tree map
    (±1, Hebb rule, stimulus-aligned inputs) and the rule that picks the settings to simulate."""

    inputs: tuple[str, ...]  # cue, field
    b_fine: tuple[float, ...]
    b_stimulus: tuple[float, ...]
    temperatures: tuple[float, ...]
    cue_overlaps: tuple[float, ...]
    strengths: tuple[float, ...]  # field input
    plateau_steps: tuple[int, int]  # the window: a predicted plateau of this many steps (inclusive)
    simulate: int  # at most this many settings of the window are simulated, spread evenly over it


def theory_settings(tg, inputs=None, coding: str = "pm1", grid: str = "theory") -> pd.DataFrame:
    """Every setting of a theory's scan (``tg``: the grid's b_fine, b_stimulus, temperatures,
    cue_overlaps and field strengths; ``inputs``: its own ``inputs`` unless given) in the columns of the
    regime map's settings, with ``coding`` and the table's ``grid`` label."""
    rows = []
    for inp in tg.inputs if inputs is None else inputs:
        strengths = tg.strengths if inp == "field" else (0.0,)
        for bf, bs, t, c, h in itertools.product(
            tg.b_fine, tg.b_stimulus, tg.temperatures, tg.cue_overlaps, strengths
        ):
            rows.append(
                {
                    "grid": grid,
                    "coding": coding,
                    "learning": "hebb",
                    "input": inp,
                    "b_fine": float(bf),
                    "b_stimulus": float(bs),
                    "temperature": float(t),
                    "input_strength": float(h),
                    "coarse_bias": 0.0,
                    "cue_overlap": float(c),
                }
            )
    return pd.DataFrame(rows, columns=["grid", *SETTING_KEYS])


def theory_scan(tg: TheoryGrid, base: fm.ModelConfig, grid: RegimeGrid, catalogue) -> pd.DataFrame:
    """The theory's route for every setting of the scan, whether it lies in the window (category first
    with a plateau of ``plateau_steps``) and whether it is simulated (:func:`dense_settings`)."""
    table = with_theory(theory_settings(tg), base, grid, catalogue)
    lo, hi = tg.plateau_steps
    plateau = table["theory_plateau_steps"]
    table["in_window"] = (table["theory_route"] == "category_first") & plateau.between(lo, hi)
    table["simulated"] = False
    table.loc[window_pick(table, tg.simulate), "simulated"] = True
    return table


def window_pick(table: pd.DataFrame, n: int) -> pd.Index:
    """The rule, stated before any simulation is read: of each input's settings in the window, all if
    they are at most its share (``n`` split equally over the inputs); else that many spread evenly over
    them ordered by predicted plateau, b_fine, b_stimulus, temperature, cue overlap and field strength
    (so every plateau length is sampled)."""
    order = ["theory_plateau_steps", "b_fine", "b_stimulus", "temperature", "cue_overlap", "input_strength"]
    window = table[table["in_window"]]
    inputs = list(dict.fromkeys(table["input"]))
    picked = []
    for k, inp in enumerate(inputs):
        share = n // len(inputs) + (1 if k < n % len(inputs) else 0)
        rows = window[window["input"] == inp].sort_values(order, kind="stable")
        if len(rows) <= share:
            picked += list(rows.index)
        elif share > 0:
            picks = np.unique(np.round(np.linspace(0, len(rows) - 1, share)).astype(int))
            picked += list(rows.index[picks])
    return pd.Index(picked)


def dense_settings(scan: pd.DataFrame) -> list[dict]:
    """The settings of the scan marked ``simulated``, as settings of the regime map."""
    rows = scan[scan["simulated"]]
    return [
        {
            "grid": "theory",
            **fm.setting_of(r),
        }
        for _, r in rows.iterrows()
    ]


def rank_candidates(table: pd.DataFrame, min_gap_ms: float) -> pd.DataFrame:
    """The settings that qualify, best first, by :data:`RULE` (the criteria in their stated order).

    Qualify: route ``category_first`` (the stimulus retrieved in the end) and a fine onset at least
    ``min_gap_ms`` after the global one.  Order: first the settings with a stimulus-aligned input
    (:data:`STIMULUS_ALIGNED`: the network, not its input, makes the detour), then those whose mixture
    clusters split from global to fine labels (``split``), then the gap closest to Sugase et al.'s
    51 ms, then the longest plateau (latest retrieval ``t_retrieved_ms``: the delay made by the
    dynamics), then the largest ``b_stimulus``, then grid order.
    """
    ok = table[qualifies(table, min_gap_ms)]
    ranked = ok.assign(
        _aligned=ok["input"].isin(STIMULUS_ALIGNED),
        _distance=(ok["onset_gap_ms"] - 51.0).abs(),
        _split=ok["split"].astype(bool),
    )
    ranked = ranked.sort_values(
        ["_aligned", "_split", "_distance", "t_retrieved_ms", "b_stimulus"],
        ascending=[False, False, True, False, False],
        kind="stable",
    )
    return ranked.drop(columns=["_aligned", "_distance", "_split"])


def qualifies(table: pd.DataFrame, min_gap_ms: float) -> pd.Series:
    return (table["route"] == "category_first") & (table["onset_gap_ms"] >= min_gap_ms)


def confirmation_seeds(seed: int, n: int) -> list[int]:
    """The seeds of a confirmation: the map's own seed, then ``n - 1`` seeds derived from it."""
    from conceptdyn.core.runtime import child_seed

    return [seed, *(child_seed(seed, "facecells.regimes.confirm", i) for i in range(1, n))]


def confirm_candidates(
    table: pd.DataFrame,
    base: fm.ModelConfig,
    grid: RegimeGrid,
    catalogue: pd.DataFrame,
    analysis: fa.AnalysisConfig,
    seed: int,
    device=None,
    progress=None,
    workers: int = 1,
) -> pd.DataFrame:
    """The first ``grid.confirm`` settings of the ranking rerun with ``grid.confirm_trials`` trials per
    stimulus (the map's few trials make its mixture noisy) on each of ``grid.confirm_seeds`` seeds (the
    map's one seed makes its patterns one draw); one row per setting and seed, with its ``rank`` and the
    seed's index ``confirm_seed`` (0: the map's own seed)."""
    ranked = rank_candidates(table, grid.min_gap_ms).head(grid.confirm)
    more = replace(grid, trials=grid.confirm_trials)
    seeds = confirmation_seeds(seed, grid.confirm_seeds)
    jobs, keys = [], []
    for rank, (_, row) in enumerate(ranked.iterrows()):
        setting = fm.setting_of(row)
        setting = {"grid": row["grid"], **setting}
        for i, s in enumerate(seeds):
            jobs.append((base, more, setting, catalogue, analysis, s))
            keys.append({"rank": rank, "confirm_seed": i})
    measured = run_all(jobs, device, progress, workers, "face-cell regime confirmation")
    rows = pd.DataFrame([{**k, **m} for k, m in zip(keys, measured, strict=True)])
    rows = with_theory(rows, base, grid, catalogue) if len(rows) else rows
    return rows.reindex(columns=["rank", "confirm_seed", *table.columns])


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
    "route category_first and fine onset >= global onset + min_gap_ms; among those first the settings with a "
    "stimulus-aligned input (cue, field) over any coarse start, then those whose "
    "mixture splits from global to fine labels, then the gap closest to 51 ms (Sugase et al. 1999), then the "
    "latest retrieval (longest plateau), then the largest b_stimulus; the first `confirm` of this ranking "
    "are rerun with `confirm_trials` trials per stimulus on `confirm_seeds` seeds (the map's and seeds "
    "derived from it) and the first whose reruns still qualify and split on more than half of the seeds is "
    "chosen (else the first of the ranking)"
)
