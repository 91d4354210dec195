"""The reproduction scorecard: one row per claim of the lecture, each verdict computed from a stage table.

Every claim is a small function ``(tables, criterion) -> (measure, value, rule, verdict)`` reading the
tables this run wrote and the criterion from the config section ``scorecard`` (thresholds with their
sources).  A claim that is not reproduced gets ``no``; a claim whose table cannot answer (too few
rows, say) also gets ``no`` with the value ``nan`` -- rows are never dropped.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

COLUMNS = ["claim_id", "part", "claim", "measure", "value", "criterion", "verdict", "table", "source"]


@dataclass(frozen=True)
class Claim:
    claim_id: str
    part: str
    claim: str
    tables: tuple[str, ...]  # names of the input tables (keys of the rule's inputs)
    judge: Callable[[dict, dict], tuple[str, float, str, bool]]


def _nan_no(measure: str, rule: str):
    return measure, math.nan, rule, False


# ---------------------------------------------------------------------------------------------
# Associative memory
# ---------------------------------------------------------------------------------------------
def _retrieval(t, c):
    d = t["overlap_dynamics"]
    alpha = d["alpha"].min()
    last = d[(d["alpha"] == alpha) & (d["m0"] >= c["m0_min"]) & (d["t"] == d["t"].max())]
    measure = f"smallest final mean overlap, alpha = {alpha:g}, m0 >= {c['m0_min']:g}"
    rule = f">= {c['min_overlap']:g}"
    if last.empty:
        return _nan_no(measure, rule)
    v = float(last["m_sim_mean"].min())
    return measure, v, rule, v >= c["min_overlap"]


def _capacity(t, c):
    e = t["capacity_estimates"].sort_values("N")
    measure = f"simulated alpha_c at the largest N ({int(e['N'].max())}); falls with N"
    rule = f"falls with N and within {c['tolerance']:g} of {c['alpha_c']:g}"
    a = e["alpha_c_sim"].to_numpy(float)
    if len(a) < 2 or np.isnan(a).any():
        return _nan_no(measure, rule)
    falls = bool(np.all(np.diff(a) <= 0) and a[-1] < a[0])
    return measure, float(a[-1]), rule, falls and abs(a[-1] - c["alpha_c"]) <= c["tolerance"]


# ---------------------------------------------------------------------------------------------
# Concept formation
# ---------------------------------------------------------------------------------------------
def _mixed_attractor(t, c):
    f = t["fixed_points"]
    m = f[(f["kind"] == "mixed") & (f["temperature"] == 0)]
    measure = "fraction of (s, b) at T = 0 where the mixed state is a stable fixed point"
    rule = f">= {c['min_fraction']:g}"
    if m.empty:
        return _nan_no(measure, rule)
    v = float((m["stability"] == "stable").mean())
    return measure, v, rule, v >= c["min_fraction"]


def _saddle(t, c):
    f, bif = t["fixed_points"], t["bifurcation"]
    temp = c["temperature"]
    m = f[(f["kind"] == "mixed") & np.isclose(f["temperature"], temp)]
    b_c = bif[np.isclose(bif["temperature"], temp)].set_index("s")["b_c"]
    measure = f"fraction of (s, b) at T = {temp:g} where the mixed state is unstable exactly when b < b_c"
    rule = f"b_c exists for every s, fraction >= {c['min_fraction']:g}"
    m = m[m["s"].isin(b_c.index)]
    if m.empty or b_c.isna().any():
        return _nan_no(measure, rule)
    agree = (m["stability"] == "unstable") == (m["b"] < m["s"].map(b_c))
    v = float(agree.mean())
    return measure, v, rule, v >= c["min_fraction"]


def _plateau(t, c):
    p = t["plateaus"]
    sim = p[(p["source"] == "simulation") & (p["b"] < p["b_c"])]
    measure = (
        "fraction of simulated trials below b_c that reach the mixed state and later leave it for one child"
    )
    rule = f">= {c['min_fraction']:g} with a mean plateau >= {c['min_steps']:g} steps"
    if sim.empty:
        return _nan_no(measure, rule)
    v = float(sim["escaped"].astype(bool).mean())
    plateau = float(sim.loc[sim["escaped"].astype(bool), "plateau"].mean()) if v > 0 else 0.0
    return measure, v, rule, v >= c["min_fraction"] and plateau >= c["min_steps"]


# ---------------------------------------------------------------------------------------------
# Face cells
# ---------------------------------------------------------------------------------------------
def _onset(o, source, info):
    row = o[(o["source"] == source) & (o["information"] == info)]
    return float(row["onset_ms"].iloc[0]) if len(row) else math.nan


def _onsets_recovered(t, c):
    o = t["onsets"]
    syn = o[o["source"] == "synthetic"]
    measure = "largest |recovered - true onset| of global and fine information, synthetic data (ms)"
    rule = f"<= {c['tolerance_ms']:g} ms"
    if syn.empty or syn["onset_ms"].isna().any():
        return _nan_no(measure, rule)
    v = float((syn["onset_ms"] - syn["true_onset_ms"]).abs().max())
    return measure, v, rule, v <= c["tolerance_ms"]


def _data_lag(t, c):
    o = t["onsets"]
    lag = _onset(o, "synthetic", "fine") - _onset(o, "synthetic", "global")
    true = o[o["source"] == "synthetic"].set_index("information")["true_onset_ms"]
    measure = "recovered fine - global onset, synthetic data (ms)"
    rule = f"within {c['tolerance_ms']:g} ms of the generated lag"
    if math.isnan(lag) or len(true) < 2:
        return _nan_no(measure, rule)
    return measure, lag, rule, abs(lag - (true["fine"] - true["global"])) <= c["tolerance_ms"]


def _mixture_split(mix, c):
    """First window where global clustering is found, and the first later one where fine wins."""
    m = mix.sort_values("window_end")
    rule = f"global ARI >= {c['min_ari']:g} first, later fine ARI >= {c['min_ari']:g} and above global"
    glob = m[m["ari_global"] >= c["min_ari"]]
    if glob.empty:
        return math.nan, rule, False
    t_g = float(glob["window_end"].iloc[0])
    fine = m[(m["window_end"] > t_g) & (m["ari_fine"] >= c["min_ari"]) & (m["ari_fine"] > m["ari_global"])]
    if fine.empty:
        return math.nan, rule, False
    return float(fine["window_end"].iloc[0]) - t_g, rule, True


def _mixture_data(t, c):
    v, rule, ok = _mixture_split(t["mixture_data"], c)
    return "delay from global clusters to their fine split, data (ms)", v, rule, ok


def _mixture_model(t, c):
    v, rule, ok = _mixture_split(t["mixture_model"], c)
    return "delay from global clusters to their fine split, model (ms)", v, rule, ok


def _model_lag_claim(rule_text, holds):
    """A claim on the model's fine - global onset lag: ``rule_text(c)`` and ``holds(lag, c)``."""

    def judge(t, c):
        o = t["onsets"]
        lag = _onset(o, "model", "fine") - _onset(o, "model", "global")
        measure, rule = "model fine - global onset (ms)", rule_text(c)
        if math.isnan(lag):
            return _nan_no(measure, rule)
        return measure, lag, rule, holds(lag, c)

    return judge


_model_order = _model_lag_claim(lambda c: f">= {c['min_lag_ms']:g} ms", lambda lag, c: lag >= c["min_lag_ms"])
_model_lag = _model_lag_claim(
    lambda c: f"within {c['tolerance_ms']:g} ms of {c['lag_ms']:g} ms (Sugase et al. 1999)",
    lambda lag, c: abs(lag - c["lag_ms"]) <= c["tolerance_ms"],
)


# ---------------------------------------------------------------------------------------------
# VAE
# ---------------------------------------------------------------------------------------------
def _vae_rows(t, c):
    """The main model's rows of one chain kind and noise kind."""
    s = t["inference_summary"]
    return s[(s["chain"] == c["chain"]) & (s["noise_kind"] == c["noise_kind"]) & s["main_model"].astype(bool)]


def _approach(row) -> bool:
    return bool(row["mu_t_min"] > 0 and row["mu_depth_ci_low"] > 0 and row["mu_slope_after_min"] > 0)


def _vae_approach(noisy: bool):
    def judge(t, c):
        s = _vae_rows(t, c)
        s = s[s["noise"] > 0] if noisy else s[s["noise"] == 0]
        which = "noisiest input" if noisy else "clean input"
        measure = (
            f"depth 1 - d(t_min)/d(0) on encoder means, {which}, main model, "
            f"{c['chain']} chain, {c['noise_kind']} noise"
        )
        rule = "t_min > 0, depth interval above 0, distance rising after t_min"
        if s.empty:
            return _nan_no(measure, rule)
        row = s.sort_values("noise").iloc[-1 if noisy else 0]
        return measure, float(row["mu_depth"]), rule, _approach(row)

    return judge


def _vae_noise_global(t, c):
    s = _vae_rows(t, c).sort_values("noise")
    measure = "distance to the global centre at the end, noisiest - clean input"
    rule = "< 0 (noisier ends nearer the global centre)"
    if len(s) < 2:
        return _nan_no(measure, rule)
    v = float(s["mu_distance_global_end"].iloc[-1] - s["mu_distance_global_end"].iloc[0])
    return measure, v, rule, v < 0


def _vae_latent(t, c):
    from scipy import stats

    s = t["inference_summary"]
    main_data = s.loc[s["main_model"].astype(bool), "data"].iloc[0] if "data" in s else None
    s = s[(s["chain"] == c["chain"]) & (s["noise_kind"] == c["noise_kind"]) & (s["noise"] == 0)]
    if main_data is not None:
        s = s[s["data"] == main_data]  # the latent-size sweep: the main model's training data
    measure = "Spearman correlation of approach depth with the number of latent variables, clean input"
    rule = f">= {c['min_rho']:g}"
    if s["latent"].nunique() < 3:
        return _nan_no(measure, rule)
    rho = float(stats.spearmanr(s["latent"], s["mu_depth"]).statistic)
    return measure, rho, rule, rho >= c["min_rho"]


# ---------------------------------------------------------------------------------------------
# Neocognitron
# ---------------------------------------------------------------------------------------------
def _delta_alike(t, c):
    d = t["delta_diagnostic"]
    end = d[d["iteration"] == d["iteration"].max()].groupby("schedule")["delta_neighbour_corr"].mean()
    measure = "correlation of neighbouring S-cell deltas at the end, fixed final width - narrow"
    rule = f">= {c['min_difference']:g}"
    if not {"final", "narrow"} <= set(end.index):
        return _nan_no(measure, rule)
    v = float(end["final"] - end["narrow"])
    return measure, v, rule, v >= c["min_difference"]


def _widening(t, c):
    cmp_ = t["comparison"]
    row = cmp_[
        (cmp_["schedule"] == "widening") & (cmp_["reference"] == "final") & (cmp_["metric"] == c["metric"])
    ]
    measure = f"{c['metric']}: widening - fixed final width, paired over seeds (95 % interval)"
    better = "below 0" if c["lower_is_better"] else "above 0"
    rule = f"interval entirely {better}"
    if row.empty or row["ci_low"].isna().any():
        return _nan_no(measure, rule)
    r = row.iloc[0]
    ok = r["ci_high"] < 0 if c["lower_is_better"] else r["ci_low"] > 0
    return f"{measure}: [{r['ci_low']:.4g}, {r['ci_high']:.4g}]", float(r["diff"]), rule, bool(ok)


CLAIMS = [
    Claim(
        "hopfield_retrieval",
        "associative memory",
        "retrieval: m(t) -> 1 inside the basin",
        ("overlap_dynamics",),
        _retrieval,
    ),
    Claim(
        "hopfield_capacity",
        "associative memory",
        "capacity approaches AGS 0.138 as N grows",
        ("capacity_estimates",),
        _capacity,
    ),
    Claim(
        "concepts_mixed_attractor",
        "concept formation",
        "the mixed state (concept) is an attractor",
        ("fixed_points",),
        _mixed_attractor,
    ),
    Claim(
        "concepts_saddle",
        "concept formation",
        "the mixed state is a saddle for b < b_c at T > 0",
        ("fixed_points", "bifurcation"),
        _saddle,
    ),
    Claim(
        "concepts_plateau",
        "concept formation",
        "m1 and m2 approach together, then diverge (plateau, then separation)",
        ("plateaus",),
        _plateau,
    ),
    Claim(
        "facecells_onsets_recovered",
        "face cells",
        "recovered onsets lie within the synthetic ground truth",
        ("onsets",),
        _onsets_recovered,
    ),
    Claim(
        "facecells_data_lag",
        "face cells",
        "the analysis recovers the lag of fine after global information",
        ("onsets",),
        _data_lag,
    ),
    Claim(
        "facecells_mixture_split_data",
        "face cells",
        "the mixture finds global clusters that later split",
        ("mixture_data",),
        _mixture_data,
    ),
    Claim(
        "facecells_mixture_split_model",
        "face cells",
        "in the model too, the mixture finds global clusters that later split",
        ("mixture_model",),
        _mixture_model,
    ),
    Claim(
        "facecells_model_order",
        "face cells",
        "the model's fine onset comes after its global onset",
        ("onsets",),
        _model_order,
    ),
    Claim(
        "facecells_model_lag",
        "face cells",
        "the model's lag matches the monkey's (about 51 ms)",
        ("onsets",),
        _model_lag,
    ),
    Claim(
        "vae_approach_clean",
        "VAE",
        "the distance to the concept falls, then rises (clean digits)",
        ("inference_summary",),
        _vae_approach(noisy=False),
    ),
    Claim(
        "vae_approach_noisy",
        "VAE",
        "the distance to the concept falls, then rises (noisy digits)",
        ("inference_summary",),
        _vae_approach(noisy=True),
    ),
    Claim(
        "vae_noise_global",
        "VAE",
        "noisier inputs end nearer a global cluster",
        ("inference_summary",),
        _vae_noise_global,
    ),
    Claim(
        "vae_latent_size",
        "VAE",
        "more latent variables strengthen the approach",
        ("inference_summary",),
        _vae_latent,
    ),
    Claim(
        "neocognitron_delta_alike",
        "neocognitron",
        "wide C-cells make neighbouring deltas alike",
        ("delta_diagnostic",),
        _delta_alike,
    ),
    Claim(
        "neocognitron_widening",
        "neocognitron",
        "gradual widening beats the fixed wide C-cells",
        ("comparison",),
        _widening,
    ),
]


def scorecard(tables: dict[str, pd.DataFrame], paths: dict[str, str], criteria: dict) -> pd.DataFrame:
    """One row per claim in :data:`CLAIMS`; ``criteria[claim_id]`` holds its thresholds and ``source``."""
    missing = [c.claim_id for c in CLAIMS if c.claim_id not in criteria]
    if missing:
        raise ValueError(
            f"scorecard criteria missing for {missing}: add them to the config section scorecard"
        )
    rows = []
    for claim in CLAIMS:
        crit = criteria[claim.claim_id]
        measure, value, rule, ok = claim.judge(tables, crit)
        rows.append(
            {
                "claim_id": claim.claim_id,
                "part": claim.part,
                "claim": claim.claim,
                "measure": measure,
                "value": value,
                "criterion": rule,
                "verdict": "yes" if ok else "no",
                "table": " ".join(paths[name] for name in claim.tables),
                "source": crit["source"],
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def render(card: pd.DataFrame) -> str:
    """A short text rendering: verdict, claim and value, grouped by lecture part."""
    lines = [
        f"Reproduction scorecard: {int((card['verdict'] == 'yes').sum())} of {len(card)} claims reproduced"
    ]
    for part, g in card.groupby("part", sort=False):
        lines.append(f"  {part}")
        for r in g.itertuples(index=False):
            value = "nan" if pd.isna(r.value) else f"{r.value:.4g}"
            lines.append(f"    [{r.verdict:>3}] {r.claim}  ({value}; {r.criterion})")
    return "\n".join(lines) + "\n"
