"""The face-cell model at the size the tree theory asks for (target ``facecells_scale``).

The tree theory (:mod:`conceptdyn.facecells.tree_theory`) is exact at N -> infinity; its window (a noisy
stimulus alone takes the category-first route, ``regime_theory.csv``'s ``in_window``) needs a weak cue,
of the size of the finite-size noise 1/sqrt(N) at the regime map's N.  This module simulates window
settings at growing N and asks whether the simulated routes and overlaps approach the theory's:

* :func:`pick_settings` -- the settings, by the regime map's stated window rule
  (:func:`conceptdyn.facecells.regimes.window_pick`) with the target's own count;
* :func:`trial_overlaps` -- one setting at one N: every trial's overlaps per step (one job each);
* :func:`route_table` -- per setting x N the route of the trial-averaged overlaps and its overlaps, with
  bootstrap intervals over trials, beside the theory's;
* :func:`extrapolation_table` -- each overlap fitted as ``y_inf + c / sqrt(N)`` (the capacity's
  finite-size fit, :func:`conceptdyn.scaling.analysis.fit_scaling`), ``y_inf`` with a bootstrap interval,
  against the theory's value;
* :func:`choose_setting` -- the setting analysed like the data at the largest N, by :data:`RULE` (stated
  before the target first ran);
* :func:`verdict_table` -- the face-cell model's claims judged on that analysis beside the default
  (coarse-start) model's, with the scorecard's own judges.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from conceptdyn.facecells import model as fm
from conceptdyn.facecells import regimes as rg


@dataclass(frozen=True)
class ScaleConfig:
    """Config section ``facecells.scale`` (defaults in config/config.yaml)."""

    sizes: tuple[int, ...]  # network sizes, increasing
    settings: int  # window settings simulated (the window rule's even spread)
    trials: int  # trials per stimulus of each route run
    model_trials: int  # trials per stimulus of the full analysis at the largest N
    seeds: int  # master seeds of the full analysis (the first of seeds.master_seeds)
    bootstrap: int  # resamples of the trials for the intervals
    confidence: float

    def __post_init__(self):
        if list(self.sizes) != sorted(set(self.sizes)) or len(self.sizes) < 2:
            raise ValueError(
                f"facecells.scale.sizes must be at least two increasing sizes, got {list(self.sizes)}"
            )
        if not 0 < self.confidence < 1:
            raise ValueError(f"facecells.scale.confidence must lie in (0, 1), got {self.confidence}")


@dataclass(frozen=True)
class SparseGrid:
    """Config section ``facecells.scale.sparse``: the sparse tree theory's scan (stimulus-aligned inputs)."""

    b_fine: tuple[float, ...]
    b_stimulus: tuple[float, ...]
    temperatures: tuple[float, ...]
    cue_overlaps: tuple[float, ...]
    strengths: tuple[float, ...]  # field input


# a route run's table: one row per trial and step
RUN_COLUMNS = ("setting", "N", "trial", "stimulus", "step", "time_ms", *fm.OVERLAP_NAMES)
QUANTITIES = ("m_stimulus_end", "sibling_peak")  # the overlaps extrapolated to N -> infinity


def pick_settings(theory: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` window settings of the theory scan (``regime_theory.csv``) simulated at scale, by the
    regime map's window rule, numbered ``setting`` 0, 1, ...; with their theory columns."""
    if "in_window" not in theory:
        raise ValueError("the theory scan has no column in_window (results/facecells/regime_theory.csv)")
    picked = theory.loc[rg.window_pick(theory, n)].reset_index(drop=True)
    return picked.drop(columns=["simulated"], errors="ignore").assign(setting=np.arange(len(picked)))


def empty_run() -> pd.DataFrame:
    """The table of a route job whose setting number lies beyond the window's settings."""
    return pd.DataFrame(columns=list(RUN_COLUMNS))


def trial_overlaps(
    base: fm.ModelConfig, setting: dict, n: int, trials: int, catalogue, seed: int, device=None
) -> pd.DataFrame:
    """One setting at size ``n``, ``trials`` per stimulus: every trial's overlaps per step
    (:data:`RUN_COLUMNS` without ``setting``)."""
    cfg = replace(base, N=int(n), trials=int(trials), neurons=min(base.neurons, int(n)), **setting)
    run = fm.simulate(cfg, catalogue, seed, device=device)
    ov = run.trial_overlaps  # (steps + 1, trials, 4)
    steps, k = ov.shape[0], ov.shape[1]
    stim = run.trials["stimulus_id"].to_numpy()
    return pd.DataFrame(
        {
            "N": int(n),
            "trial": np.tile(np.arange(k), steps),
            "stimulus": np.tile(stim, steps),
            "step": np.repeat(np.arange(steps), k),
            "time_ms": np.repeat(run.overlaps["time_ms"].to_numpy(), k),
            **{name: ov[:, :, i].reshape(-1) for i, name in enumerate(fm.OVERLAP_NAMES)},
        }
    )


def route_table(
    runs: pd.DataFrame,
    picked: pd.DataFrame,
    retrieved: float,
    margin: float,
    reps: int,
    seed: int,
    confidence: float,
):
    """Per setting x N: the route of the trial-averaged overlaps, its overlaps, their standard errors
    and intervals from ``reps`` resamples of the trials, and the theory's route and overlaps beside them.
    Returns ``(routes, replicates)``: ``replicates[(setting, N)]`` the resampled :data:`QUANTITIES`."""
    from conceptdyn.core.runtime import child_rng

    rows, replicates = [], {}
    theory = picked.set_index("setting")
    for (setting, n), g in runs.groupby(["setting", "N"], sort=True):
        cube = g.pivot_table(index="step", columns="trial", values=list(fm.OVERLAP_NAMES))
        time_ms = g.groupby("step")["time_ms"].first().to_numpy()
        per_trial = {name: cube[name].to_numpy() for name in fm.OVERLAP_NAMES}  # (steps, trials)
        mean = {"time_ms": time_ms, **{k: v.mean(1) for k, v in per_trial.items()}}
        route = fm.classify_route(mean, retrieved, margin)
        rng = child_rng(seed, "facecells.scale.bootstrap", int(setting), int(n))
        k = per_trial["m_stimulus"].shape[1]
        boot = []
        for _ in range(reps):
            idx = rng.integers(0, k, k)
            r = fm.classify_route(
                {"time_ms": time_ms, **{a: v[:, idx].mean(1) for a, v in per_trial.items()}}, 0, 0
            )
            boot.append([r[q] for q in QUANTITIES])
        boot = np.asarray(boot, dtype=float).reshape(-1, len(QUANTITIES))
        replicates[(int(setting), int(n))] = boot
        lo, hi = (1 - confidence) / 2, (1 + confidence) / 2
        th = theory.loc[int(setting)]
        row = {"setting": int(setting), **fm.setting_of(th), "N": int(n), "inv_sqrt_N": float(n) ** -0.5}
        row.update({"trials": k, **route})
        for j, q in enumerate(QUANTITIES):
            row[f"{q}_se"] = float(boot[:, j].std(ddof=1)) if reps > 1 else np.nan
            row[f"{q}_low"], row[f"{q}_high"] = (
                (float(np.quantile(boot[:, j], lo)), float(np.quantile(boot[:, j], hi)))
                if reps
                else (np.nan, np.nan)
            )
        row["theory_route"] = th["theory_route"]
        row["agree"] = bool(route["route"] == th["theory_route"])
        for c in (
            "theory_sibling_peak",
            "theory_m_stimulus_end",
            "theory_plateau_steps",
            "theory_t_retrieved_ms",
        ):
            row[c] = float(th[c])
        rows.append(row)
    return pd.DataFrame(rows), replicates


def extrapolation_table(routes: pd.DataFrame, replicates: dict, confidence: float) -> pd.DataFrame:
    """Per setting and quantity: the weighted fit ``y = y_inf + c / sqrt(N)`` over the sizes (standard
    errors from the bootstrap), ``y_inf`` with an interval from the fit redone on every bootstrap
    replicate, the theory's value (N -> infinity) and whether the interval holds it."""
    from conceptdyn.scaling.analysis import _interval, fit_scaling

    rows = []
    for setting, g in routes.groupby("setting", sort=True):
        g = g.sort_values("N")
        n = g["N"].to_numpy(float)
        for j, q in enumerate(QUANTITIES):
            y, se = g[q].to_numpy(float), g[f"{q}_se"].to_numpy(float)
            y_inf, slope, chi2 = fit_scaling(n, y, se, 0.5)
            reps = np.stack([replicates[(int(setting), int(m))][:, j] for m in n], axis=1)
            boot = [fit_scaling(n, rep, se, 0.5)[0] for rep in reps]
            low, high = _interval(boot, confidence) if len(boot) else (np.nan, np.nan)
            theory = float(g[f"theory_{q}"].iloc[0])
            rows.append(
                {
                    "setting": int(setting),
                    "quantity": q,
                    "sizes": len(n),
                    "at_largest_N": float(y[-1]),
                    "extrapolated": y_inf,
                    "ci_low": low,
                    "ci_high": high,
                    "slope": slope,
                    "chi2": chi2,
                    "dof": len(n) - 2,
                    "theory": theory,
                    "theory_inside": bool(low <= theory <= high),
                }
            )
    return pd.DataFrame(rows)


def agreement_table(routes: pd.DataFrame) -> pd.DataFrame:
    """Per N: the settings simulated, how many take the theory's route, and how many are category first
    in the simulation and in the theory."""
    g = routes.groupby("N", sort=True)
    return pd.DataFrame(
        {
            "N": g.size().index,
            "inv_sqrt_N": g.size().index.to_numpy(float) ** -0.5,
            "settings": g.size().to_numpy(),
            "agree": g["agree"].sum().astype(int).to_numpy(),
            "category_first": g["route"].apply(lambda r: int((r == "category_first").sum())).to_numpy(),
            "theory_category_first": g["theory_route"]
            .apply(lambda r: int((r == "category_first").sum()))
            .to_numpy(),
        }
    )


def mean_trajectories(runs: pd.DataFrame) -> pd.DataFrame:
    """The trial-averaged overlaps per setting, N and step (the routes' time courses)."""
    keys = ["setting", "N", "step", "time_ms"]
    return runs.groupby(keys, sort=True)[list(fm.OVERLAP_NAMES)].mean().reset_index()


RULE = (
    "the setting analysed like the data at the largest N: among the simulated window settings whose "
    "route at the largest N is category_first, the one with the largest sibling detour (sibling peak "
    "minus final sibling overlap); if none is category_first there, the one with the largest detour among "
    "those that retrieve the stimulus (stimulus_direct); else the largest detour of all"
)


def choose_setting(routes: pd.DataFrame) -> pd.DataFrame:
    """One row: the setting of :data:`RULE` at the largest N, with its route there and the rule."""
    top = routes[routes["N"] == routes["N"].max()].copy()
    top["detour"] = top["sibling_peak"] - top["m_siblings_end"]
    for routes_ok in (("category_first",), ("stimulus_direct",), tuple(rg.ROUTES)):
        pool = top[top["route"].isin(routes_ok)]
        if len(pool):
            best = pool.sort_values(["detour", "setting"], ascending=[False, True], kind="stable").iloc[0]
            break
    keep = [
        "setting",
        *fm.SETTING_KEYS,
        "N",
        "route",
        "theory_route",
        "sibling_peak",
        "detour",
        "m_stimulus_end",
    ]
    return pd.DataFrame([{**best[keep].to_dict(), "rule": RULE}])


def verdict_table(
    default: dict, default_n: int, default_seed: int, scale: list[dict], criteria: dict, claims
) -> pd.DataFrame:
    """The face-cell model's claims judged with the scorecard's judges: on the default model's tables
    (``default``: name -> table, as the scorecard reads them; its size ``default_n`` and seed
    ``default_seed``) and on each seed's
    full analysis at the largest N (``scale``: one dict per seed with ``seed``, ``N``, ``input``,
    ``route`` and the tables ``onsets`` and ``mixture_model``); one row per claim and model. The
    category-from-stimulus claim is judged on the regime map for the default model and on the route of
    the noisy-stimulus model's own run at scale."""
    rows = []
    for claim in claims:
        crit = criteria[claim.claim_id]
        measure, value, rule, ok = claim.judge(default, crit)
        rows.append(_verdict(claim, "default", default_seed, default_n, measure, value, rule, ok))
        for s in scale:
            if claim.claim_id == "facecells_category_from_stimulus":
                measure = "route of the trial-averaged overlaps of the noisy-stimulus model"
                value, rule = (
                    float(s["route"] == "category_first"),
                    "category_first (1) from a stimulus-aligned input",
                )
                ok = bool(s["route"] == "category_first" and s["input"] in fm.STIMULUS_ALIGNED)
            else:
                measure, value, rule, ok = claim.judge(s, crit)
            rows.append(_verdict(claim, "noisy_stimulus", s["seed"], s["N"], measure, value, rule, ok))
    return pd.DataFrame(rows)


def _verdict(claim, model, seed, n, measure, value, rule, ok) -> dict:
    return {
        "claim_id": claim.claim_id,
        "model": model,
        "seed": seed,
        "N": n,
        "measure": measure,
        "value": value,
        "criterion": rule,
        "verdict": "yes" if ok else "no",
    }


def sparse_scan(
    grid: SparseGrid,
    a: float,
    catalogue,
    clock: tuple[int, float, float],
    retrieved: float,
    margin: float,
    plateau_steps: tuple[int, int],
    progress=None,
) -> pd.DataFrame:
    """The sparse tree theory (:func:`conceptdyn.facecells.tree_theory.predict_sparse_routes`, level
    ``a``, activity held at a) over every setting of ``grid`` for the inputs cue and field, with the
    window of the ±1 scan: route category first with a predicted plateau of ``plateau_steps``."""
    from conceptdyn.facecells import tree_theory as tt

    table = rg.theory_settings(grid, ("cue", "field"), coding="sparse", grid="sparse_theory")
    shape = tt.catalogue_trees(catalogue)
    if shape is None:
        raise ValueError("the sparse tree theory needs equal fine-label sizes within each category")
    chunks = [table.iloc[i : i + 16] for i in range(0, len(table), 16)]
    done = progress(chunks, "sparse tree theory (chunks of 16)") if progress else chunks
    theory = pd.concat(
        [tt.predict_sparse_routes(c, shape, a, *clock, retrieved, margin) for c in done], ignore_index=True
    )
    out = pd.concat([table, theory], axis=1)
    lo, hi = plateau_steps
    out["in_window"] = (out["theory_route"] == "category_first") & out["theory_plateau_steps"].between(lo, hi)
    return out


def window_comparison(scans: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per coding (``scans``: coding -> its theory scan) and input: the settings scanned, those in the
    window and their share, and over the window the sibling peak (the strength of the category passage)
    and the predicted plateau in steps (its length): median and largest."""
    rows = []
    for coding, scan in scans.items():
        for inp, g in scan.groupby("input", sort=True):
            w = g[g["in_window"].astype(bool)]
            rows.append(
                {
                    "coding": coding,
                    "input": inp,
                    "settings": len(g),
                    "in_window": len(w),
                    "share": len(w) / len(g) if len(g) else np.nan,
                    "sibling_peak_median": float(w["theory_sibling_peak"].median()) if len(w) else np.nan,
                    "sibling_peak_max": float(w["theory_sibling_peak"].max()) if len(w) else np.nan,
                    "plateau_median": float(w["theory_plateau_steps"].median()) if len(w) else np.nan,
                    "plateau_max": float(w["theory_plateau_steps"].max()) if len(w) else np.nan,
                    "category_first": int((g["theory_route"] == "category_first").sum()),
                }
            )
    return pd.DataFrame(rows)
