"""Paired comparisons across seeds: the same seeds under two conditions, their difference with a
t interval and the Wilcoxon signed-rank test (exact for small samples without ties)."""

from __future__ import annotations

import math

import numpy as np


def paired_comparison(a, b, confidence: float = 0.95) -> dict:
    """``a - b`` per seed (arrays in the same seed order): mean, ``confidence`` t interval, signed-rank
    p-value (two-sided), and how often ``a > b``.  NaNs (a run that never reached a threshold, say)
    drop the pair; ``n`` counts the pairs used."""
    from scipy import stats

    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"paired samples need equal shapes, got {a.shape} and {b.shape}")
    keep = ~(np.isnan(a) | np.isnan(b))
    d = a[keep] - b[keep]
    n = len(d)
    out = {
        "n": n,
        "mean_a": float(a[keep].mean()) if n else math.nan,
        "mean_b": float(b[keep].mean()) if n else math.nan,
        "diff": float(d.mean()) if n else math.nan,
        "ci_low": math.nan,
        "ci_high": math.nan,
        "p_signed_rank": math.nan,
        "a_greater": int((d > 0).sum()),
        "b_greater": int((d < 0).sum()),
    }
    if n >= 2:
        half = stats.t.ppf(0.5 + confidence / 2, n - 1) * d.std(ddof=1) / math.sqrt(n)
        out["ci_low"], out["ci_high"] = out["diff"] - half, out["diff"] + half
    if n >= 1:
        out["p_signed_rank"] = 1.0 if not np.any(d) else float(stats.wilcoxon(d).pvalue)
    return out
