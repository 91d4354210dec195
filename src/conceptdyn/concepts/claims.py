"""Scorecard claims of concept formation (lecture part 3): the mixed state as attractor and as saddle,
the plateau before the state leaves it for one child."""

from __future__ import annotations

import numpy as np

from conceptdyn.core.scorecard import Claim, nan_no

PART = "concept formation"


def mixed_attractor(t, c):
    f = t["fixed_points"]
    m = f[(f["kind"] == "mixed") & (f["temperature"] == 0)]
    measure = "fraction of (s, b) at T = 0 where the mixed state is a stable fixed point"
    rule = f">= {c['min_fraction']:g}"
    if m.empty:
        return nan_no(measure, rule)
    v = float((m["stability"] == "stable").mean())
    return measure, v, rule, v >= c["min_fraction"]


def saddle(t, c):
    f, bif = t["fixed_points"], t["bifurcation"]
    temp = c["temperature"]
    m = f[(f["kind"] == "mixed") & np.isclose(f["temperature"], temp)]
    b_c = bif[np.isclose(bif["temperature"], temp)].set_index("s")["b_c"]
    measure = f"fraction of (s, b) at T = {temp:g} where the mixed state is unstable exactly when b < b_c"
    rule = f"b_c exists for every s, fraction >= {c['min_fraction']:g}"
    m = m[m["s"].isin(b_c.index)]
    if m.empty or b_c.isna().any():
        return nan_no(measure, rule)
    agree = (m["stability"] == "unstable") == (m["b"] < m["s"].map(b_c))
    v = float(agree.mean())
    return measure, v, rule, v >= c["min_fraction"]


def plateau(t, c):
    p = t["plateaus"]
    sim = p[(p["source"] == "simulation") & (p["b"] < p["b_c"])]
    measure = (
        "fraction of simulated trials below b_c that reach the mixed state and later leave it for one child"
    )
    rule = f">= {c['min_fraction']:g} with a mean plateau >= {c['min_steps']:g} steps"
    if sim.empty:
        return nan_no(measure, rule)
    v = float(sim["escaped"].astype(bool).mean())
    mean_plateau = float(sim.loc[sim["escaped"].astype(bool), "plateau"].mean()) if v > 0 else 0.0
    return measure, v, rule, v >= c["min_fraction"] and mean_plateau >= c["min_steps"]


CLAIMS = [
    Claim(
        "concepts_mixed_attractor",
        PART,
        "the mixed state (concept) is an attractor",
        ("fixed_points",),
        mixed_attractor,
        {"min_fraction": float},
        figure="concepts_phase_diagram",
    ),
    Claim(
        "concepts_saddle",
        PART,
        "the mixed state is a saddle for b < b_c at T > 0",
        ("fixed_points", "bifurcation"),
        saddle,
        {"temperature": float, "min_fraction": float},
        figure="concepts_phase_diagram",
    ),
    Claim(
        "concepts_plateau",
        PART,
        "m1 and m2 approach together, then diverge (plateau, then separation)",
        ("plateaus",),
        plateau,
        {"min_fraction": float, "min_steps": float},
        figure="concepts_retrieval_dynamics",
    ),
]
