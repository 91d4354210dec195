"""Exact N -> infinity overlap map of the face-cell model's ±1 tree (category -> fine-label prototype ->
stimulus), for the category of the cued stimulus.

The concepts stage's exact few-pattern map (``concepts.patterns.macro_map``) extended to three levels:
one category with ``F`` fine labels of ``K`` stimuli each (the catalogue's counts), prototypes drawn
from the category with correlation ``b_fine`` and stimuli from their prototype with ``b_stimulus``, as
``facecells.model.tree_patterns`` draws them; only the stimuli are stored.  With a finite number of
stored patterns the other categories' patterns stay uncorrelated with the state, so at N -> infinity the
synchronous Glauber dynamics of the model (``E[x_i] = tanh(h_i / T)``) moves the overlaps by

    m_mu(t+1) = E[ xi^mu tanh( (sum_nu xi^nu m_nu + H y) / T ) ],

an average over the joint distribution of one site's pattern bits (``y``: the noisy stimulus of a
sustained field of strength ``H``, correlated ``c`` with the stimulus).  The state is taken symmetric
within its three groups — the cued stimulus (``m_s``), each of its ``K - 1`` siblings (same fine label,
``m_sib``), each of the ``(F - 1) K`` cousins (same category, other fine labels, ``m_cou``) — which the
map preserves, so the site average is a finite sum over the counts of +1 bits in each group.

This is this project's derivation, not the papers' (their equations could not be retrieved); it is
tested against the engine on large networks in ``tests/test_facemodel.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy.stats import binom

from conceptdyn.concepts.patterns import _gain


@dataclass(frozen=True)
class Tree:
    """One category of the tree: ``fine`` labels with ``per_fine`` stimuli each."""

    fine: int
    per_fine: int
    b_fine: float
    b_stimulus: float


@lru_cache(maxsize=256)
def _sites(tree: Tree, field_overlap: float) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of one site's ``(zeta, xi_s, S_sib, S_cou, y)`` with their probabilities,
    for the category bit +1 (the map is odd in the bits, so the other sign adds the same).
    ``zeta``: the cued stimulus's prototype bit; ``S_sib``, ``S_cou``: sums of the siblings' and the
    cousins' bits; ``y``: the bit of the field's noisy stimulus (``xi_s`` with P((1 + c) / 2))."""
    F, K, bf, bs = tree.fine, tree.per_fine, tree.b_fine, tree.b_stimulus
    rows: dict[tuple, float] = {}
    c = field_overlap
    for zeta in (1, -1):
        p_zeta = (1 + bf * zeta) / 2
        p_stim = (1 + bs * zeta) / 2  # P(a stimulus bit = +1 | its prototype bit zeta)
        for xi in (1, -1):
            p_xi = p_stim if xi == 1 else 1 - p_stim
            for n_sib in range(K):
                p_sib = binom.pmf(n_sib, K - 1, p_stim)
                s_sib = 2 * n_sib - (K - 1)
                for n_plus in range(F):  # other prototypes with bit +1
                    p_pp = binom.pmf(n_plus, F - 1, (1 + bf) / 2)
                    a, b = n_plus * K, (F - 1 - n_plus) * K
                    pa = binom.pmf(np.arange(a + 1), a, (1 + bs) / 2)
                    pb = binom.pmf(np.arange(b + 1), b, (1 - bs) / 2)
                    p_cou = np.convolve(pa, pb)  # P(cousin bits with +1 = j)
                    for j, pj in enumerate(p_cou):
                        s_cou = 2 * j - (F - 1) * K
                        for y in (xi, -xi):
                            p_y = (1 + c) / 2 if y == xi else (1 - c) / 2
                            w = p_zeta * p_xi * p_sib * p_pp * pj * p_y
                            if w > 0:
                                key = (zeta, xi, s_sib, s_cou, y)
                                rows[key] = rows.get(key, 0.0) + w
    values = np.array(list(rows), dtype=float)
    weights = np.array(list(rows.values()))
    return values, weights / weights.sum()


def tree_map(
    m: np.ndarray, tree: Tree, temperature: float, field: float = 0.0, field_overlap: float = 0.0
) -> dict[str, np.ndarray]:
    """One synchronous step from the group overlaps ``m = (m_s, m_sib, m_cou)`` (shape ``(..., 3)``):
    the new group overlaps and the overlaps with the prototype and the category pattern."""
    sites, w = _sites(tree, field_overlap if field else 0.0)
    zeta, xi, s_sib, s_cou, y = sites.T
    m = np.asarray(m, dtype=float)
    h = m[..., :1] * xi + m[..., 1:2] * s_sib + m[..., 2:3] * s_cou + field * y
    g = _gain(h, temperature) * w  # (..., sites)
    K, F = tree.per_fine, tree.fine
    m_sib = (g @ s_sib) / max(K - 1, 1) if K > 1 else np.zeros(g.shape[:-1])
    m_cou = (g @ s_cou) / max((F - 1) * K, 1) if F > 1 else np.zeros(g.shape[:-1])
    return {
        "m": np.stack([g @ xi, m_sib, m_cou], axis=-1),
        "m_prototype": g @ zeta,
        "m_category": g.sum(-1),
    }


def cue_start(tree: Tree, cue_overlap: float) -> np.ndarray:
    """Group overlaps of the stimulus with a fraction ``(1 - c) / 2`` of its bits flipped: ``c`` with
    the stimulus, ``c b_s^2`` with each sibling, ``c b_s^2 b_f^2`` with each cousin."""
    bs2, bf2 = tree.b_stimulus**2, tree.b_fine**2
    return np.array([cue_overlap, cue_overlap * bs2, cue_overlap * bs2 * bf2])


def tree_trajectory(
    m0: np.ndarray,
    tree: Tree,
    temperature: float,
    steps: int,
    field: float = 0.0,
    field_overlap: float = 0.0,
    step_ms: float = 10.0,
    start_ms: float = 0.0,
) -> pd.DataFrame:
    """The N -> infinity route from ``m0``, in the columns of the model's ``model_overlaps.csv``:
    ``m_stimulus``, ``m_siblings`` (mean overlap with the category's other stimuli), ``m_prototype``,
    ``m_category``, per step of ``step_ms``."""
    K, F = tree.per_fine, tree.fine
    others = F * K - 1
    m = np.asarray(m0, dtype=float)
    rows = []
    proto = cat = np.nan
    for t in range(steps + 1):
        sib_mean = ((K - 1) * m[1] + (F - 1) * K * m[2]) / others if others else 0.0
        rows.append(
            {
                "step": t,
                "time_ms": start_ms + t * step_ms,
                "m_stimulus": m[0],
                "m_siblings": sib_mean,
                "m_same_fine": m[1],
                "m_other_fine": m[2],
                "m_prototype": proto,
                "m_category": cat,
            }
        )
        out = tree_map(m, tree, temperature, field, field_overlap)
        m, proto, cat = out["m"], float(out["m_prototype"]), float(out["m_category"])
    return pd.DataFrame(rows)
