"""Exact few-pattern macroscopic map of the sparse (0/1) network storing one family of hierarchical patterns.

Patterns as :func:`conceptdyn.concepts.patterns.sparse_descendants` draws them: a parent with coding level
``a`` (P(parent_i = 1) = a); s children, each active with probability ``a + (1 - a) b`` where the parent
is active and ``a (1 - b)`` where it is not, so every pattern has coding level ``a`` and child-parent
covariance ``b a (1 - a)``.  Only the children are stored, with the covariance rule of the engine
(:class:`conceptdyn.hopfield.engine.SparseCoding`): the local field of a neuron is

    h_i = sum_nu (xi_i^nu - a) m^nu,    m^nu = (1 / (N a (1 - a))) sum_j (xi_j^nu - a) x_j

(self-coupling O(1/N), dropped).  For N -> infinity and s finite, h_i depends only on the site's
configuration c = (parent, children) -- 2^(s+1) classes with known probabilities -- so the overlaps obey an
exact map once the update rule is written per class.  The rule is the engine's activity control that
keeps the expected activity at a (``SparseCoding(a, control="mean")``):

* T = 0: classes with a higher field than the threshold class fire, the threshold class fires in the
  fraction that makes the activity exactly a, lower classes are silent (which sites of a class fire does
  not matter for the overlaps: they share their pattern values);
* T > 0: P(x = 1) = sigmoid((h_c - theta) / T) with theta solving sum_c P(c) sigmoid((h_c - theta)/T) = a.

(The engine's other rule, ``quantile``, puts the threshold at the field of the aN-th neuron; at a stored
pattern that field sits at the edge of a gap between classes and jumps with the O(1/sqrt N) fluctuation of
the pattern's activity, so that rule has no such N -> infinity map.)

Then m^nu(t+1) = sum_c P(c) (xi_c^nu - a) x_c / (a (1 - a)); likewise the parent overlap and the activity.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import numpy as np


def _check(s: int, b: float, a: float) -> None:
    if s < 1:
        raise ValueError(f"s (children) must be >= 1, got {s}")
    if not 0.0 <= b <= 1.0:
        raise ValueError(f"b must lie in [0, 1], got {b}")
    if not 0.0 < a < 1.0:
        raise ValueError(f"coding level a must lie in (0, 1), got {a}")


@lru_cache(maxsize=64)
def site_classes(s: int, b: float, a: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parent values ``(2^(s+1),)``, child values ``(2^(s+1), s)`` (0/1) and the class probabilities.

    Cached (the map calls it every step); the arrays are read-only."""
    _check(s, b, a)
    rows = np.array(list(itertools.product((1.0, 0.0), repeat=s + 1)))
    parent, children = rows[:, 0], rows[:, 1:]
    p_on = np.where(parent[:, None] > 0, a + (1 - a) * b, a * (1 - b))
    prob = np.where(parent > 0, a, 1 - a) * np.prod(np.where(children > 0, p_on, 1 - p_on), axis=1)
    for arr in (parent, children, prob):
        arr.flags.writeable = False
    return parent, children, prob


def _activity_rule(h: np.ndarray, prob: np.ndarray, a: float, temperature: float) -> np.ndarray:
    """Firing probability per class under activity control (see the module docstring)."""
    if temperature > 0:
        from scipy import optimize

        def excess(theta):
            return float((prob / (1.0 + np.exp(-(h - theta) / temperature))).sum() - a)

        theta = optimize.brentq(excess, h.min() - 50 * temperature, h.max() + 50 * temperature, xtol=1e-14)
        return 1.0 / (1.0 + np.exp(-(h - theta) / temperature))
    order = np.argsort(-h, kind="stable")
    # the threshold class: where the mass cumulated from the top first reaches a
    k = min(int(np.searchsorted(np.cumsum(prob[order]), a - 1e-12)), len(order) - 1)
    theta = h[order[k]]
    tied = np.abs(h - theta) <= 1e-12
    above = (h > theta) & ~tied
    x = above.astype(float)
    x[tied] = (a - prob[above].sum()) / prob[tied].sum()  # the threshold classes share what is left
    return x


def macro_map(m, s: int, b: float, a: float, temperature: float):
    """One synchronous step: ``(m_children(t+1) (s,), m_parent(t+1), activity(t+1))``."""
    parent, children, prob = site_classes(s, b, a)
    m = np.asarray(m, dtype=float)
    h = (children - a) @ m
    x = _activity_rule(h, prob, a, temperature)
    norm = a * (1 - a)
    m_children = ((children - a) * (prob * x)[:, None]).sum(0) / norm
    m_parent = float(((parent - a) * prob * x).sum() / norm)
    return m_children, m_parent, float((prob * x).sum())


def macro_trajectory(m0, s: int, b: float, a: float, temperature: float, steps: int):
    """Child overlaps ``(steps+1, s)``, parent overlaps and activities ``(steps+1,)`` (nan at t = 0)."""
    m = np.empty((steps + 1, s))
    mp = np.full(steps + 1, np.nan)
    act = np.full(steps + 1, np.nan)
    m[0] = m0
    for t in range(steps):
        m[t + 1], mp[t + 1], act[t + 1] = macro_map(m[t], s, b, a, temperature)
    return m, mp, act


def mixed_fixed_point(s: int, b: float, a: float, temperature: float, steps: int = 2000, tol: float = 1e-12):
    """The symmetric fixed point (all child overlaps equal: the concept), reached by iterating the map
    restricted to the symmetric line from m = 1; returns ``(m_child, m_parent)``."""
    u = 1.0
    for _ in range(steps):
        mc, mp, _ = macro_map(np.full(s, u), s, b, a, temperature)
        new = float(mc.mean())
        if abs(new - u) < tol:
            return new, mp
        u = new
    return u, macro_map(np.full(s, u), s, b, a, temperature)[1]


def jacobian(m, s: int, b: float, a: float, temperature: float, eps: float = 1e-6) -> np.ndarray:
    """Central-difference Jacobian of the child overlaps (the map is piecewise smooth at T > 0 and
    piecewise constant at T = 0)."""
    m = np.asarray(m, dtype=float)
    jac = np.empty((s, s))
    for j in range(s):
        d = np.zeros(s)
        d[j] = eps
        jac[:, j] = (
            macro_map(m + d, s, b, a, temperature)[0] - macro_map(m - d, s, b, a, temperature)[0]
        ) / (2 * eps)
    return jac


def mixed_state_instability(s: int, b: float, a: float, temperature: float) -> float:
    """Largest |eigenvalue| of the Jacobian at the symmetric fixed point: > 1 means a saddle (the state
    is left along a child-specific direction), < 1 an attractor.

    At T = 0 the map is piecewise constant; at the symmetric point classes that differ only in *which*
    children are active tie at the threshold, so an arbitrarily small asymmetry moves the state by a
    finite step: returned as ``inf`` when a 1e-7 asymmetry is amplified to more than 1e-3, else 0.
    """
    u, _ = mixed_fixed_point(s, b, a, temperature)
    if temperature == 0:
        m = np.full(s, u)
        m[0] += 1e-7
        out = macro_map(m, s, b, a, 0.0)[0]
        return float("inf") if out.max() - out.min() > 1e-3 else 0.0
    return float(np.max(np.abs(np.linalg.eigvals(jacobian(np.full(s, u), s, b, a, temperature)))))
