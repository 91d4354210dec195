"""Scorecard claims of associative memory (lecture part 2): retrieval inside the basin, capacity."""

from __future__ import annotations

import numpy as np

from conceptdyn.core.scorecard import Claim, nan_no

PART = "associative memory"


def retrieval(t, c):
    d = t["overlap_dynamics"]
    alpha = d["alpha"].min()
    last = d[(d["alpha"] == alpha) & (d["m0"] >= c["m0_min"]) & (d["t"] == d["t"].max())]
    measure = f"smallest final mean overlap, alpha = {alpha:g}, m0 >= {c['m0_min']:g}"
    rule = f">= {c['min_overlap']:g}"
    if last.empty:
        return nan_no(measure, rule)
    v = float(last["m_sim_mean"].min())
    return measure, v, rule, v >= c["min_overlap"]


def capacity(t, c):
    e = t["capacity_estimates"].sort_values("N")
    largest = f"{int(e['N'].max())}" if len(e) else "none"
    measure = f"simulated alpha_c at the largest N ({largest}); falls with N"
    rule = f"falls with N and within {c['tolerance']:g} of {c['alpha_c']:g}"
    a = e["alpha_c_sim"].to_numpy(float)
    if len(a) < 2 or np.isnan(a).any():
        return nan_no(measure, rule)
    falls = bool(np.all(np.diff(a) <= 0) and a[-1] < a[0])
    return measure, float(a[-1]), rule, falls and abs(a[-1] - c["alpha_c"]) <= c["tolerance"]


CLAIMS = [
    Claim(
        "hopfield_retrieval",
        PART,
        "retrieval: m(t) -> 1 inside the basin",
        ("overlap_dynamics",),
        retrieval,
        {"m0_min": float, "min_overlap": float},
        figure="hopfield_overlap_dynamics",
    ),
    Claim(
        "hopfield_capacity",
        PART,
        "capacity approaches AGS 0.138 as N grows",
        ("capacity_estimates",),
        capacity,
        {"alpha_c": float, "tolerance": float},
        figure="hopfield_capacity",
    ),
]
