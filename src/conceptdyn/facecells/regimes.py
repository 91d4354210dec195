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
from dataclasses import dataclass, replace

import pandas as pd

from conceptdyn.facecells import analysis as fa
from conceptdyn.facecells import model as fm
from conceptdyn.facecells.nwb import Recording

ROUTES = ("category_first", "stimulus_direct", "category_only", "none")


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


def settings(grid: RegimeGrid) -> list[dict]:
    """Every setting of the grid (field strengths only for the field input, biases only for the
    coarse input; the other is 0 in the table)."""
    out = []
    for coding, learning, inp, bf, bs in itertools.product(
        grid.codings, grid.learnings, grid.inputs, grid.b_fine, grid.b_stimulus
    ):
        temps = grid.temperatures_pm1 if coding == "pm1" else grid.temperatures_sparse
        strengths = grid.strengths if inp == "field" else (0.0,)
        biases = grid.biases if inp == "coarse" else (0.0,)
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
    cfg = replace(
        base,
        N=grid.N,
        trials=grid.trials,
        coding=setting["coding"],
        learning=setting["learning"],
        input=setting["input"],
        b_fine=setting["b_fine"],
        b_stimulus=setting["b_stimulus"],
        temperature=setting["temperature"],
        input_strength=setting["input_strength"],
        coarse_bias=setting["coarse_bias"],
    )
    run = fm.simulate(cfg, catalogue, seed, device=device)
    route = fm.classify_route(run.overlaps, grid.retrieved, grid.margin)
    rec = Recording(run.trials, run.spike_times, list(range(cfg.neurons)))
    d = fa.prepare(rec, catalogue, analysis, "model")
    info = fa.information_table(d, analysis, seed)
    onsets = fa.onsets_table(info, analysis, "model", {}).set_index("information")["onset_ms"]
    peak = info.loc[info.groupby("information")["accuracy"].idxmax()].set_index("information")
    return {
        **setting,
        **route,
        "onset_global_ms": float(onsets["global"]),
        "onset_fine_ms": float(onsets["fine"]),
        "onset_gap_ms": float(onsets["fine"] - onsets["global"]),
        "peak_accuracy_global": float(peak.loc["global", "accuracy"]),
        "peak_accuracy_fine": float(peak.loc["fine", "accuracy"]),
    }


def regime_table(
    base: fm.ModelConfig,
    grid: RegimeGrid,
    catalogue: pd.DataFrame,
    analysis: fa.AnalysisConfig,
    seed: int,
    device=None,
    progress=None,
) -> pd.DataFrame:
    """The map: one row per setting, all with the same seed (the same patterns per coding and b)."""
    todo = settings(grid)
    it = todo if progress is None else progress(todo, "face-cell regimes")
    return pd.DataFrame([run_setting(base, grid, s, catalogue, analysis, seed, device) for s in it])


def choose_regime(table: pd.DataFrame, min_gap_ms: float) -> pd.DataFrame:
    """The default chosen from the map, by :data:`RULE`.

    Among the settings whose route is ``category_first`` and whose fine onset follows the global one by
    at least ``min_gap_ms``: the largest ``b_stimulus`` (the fine labels must group their stimuli for
    fine information to beat the analysis's null, which permutes whole stimuli), then the longest
    plateau (latest retrieval ``t_retrieved_ms``: the delay made by the dynamics), then the gap closest
    to Sugase et al.'s 51 ms, then grid order.  If no setting qualifies, one row with ``chosen = False``
    says so and counts the routes found.
    """
    ok = table[(table["route"] == "category_first") & (table["onset_gap_ms"] >= min_gap_ms)]
    counts = {f"n_{r}": int((table["route"] == r).sum()) for r in ROUTES}
    if ok.empty:
        return pd.DataFrame([{"chosen": False, **counts, "rule": RULE}])
    ranked = ok.assign(_distance=(ok["onset_gap_ms"] - 51.0).abs()).sort_values(
        ["b_stimulus", "t_retrieved_ms", "_distance"], ascending=[False, False, True], kind="stable"
    )
    row = ranked.drop(columns="_distance").iloc[0].to_dict()
    return pd.DataFrame([{"chosen": True, **counts, **row, "rule": RULE}])


RULE = (
    "route category_first and fine onset >= global onset + min_gap_ms; among those the largest b_stimulus, "
    "then the latest retrieval (longest plateau), then the gap closest to 51 ms (Sugase et al. 1999)"
)
