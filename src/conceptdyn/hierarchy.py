"""Hierarchically correlated patterns, mixed states and their macroscopic dynamics.

Patterns (Amari 1977; Toya et al. 2000): parents ``xi^mu`` with P(+-1) = 1/2; children
``xi^{mu nu}`` (nu = 1..s) with ``P(xi^{mu nu}_i = +-1) = (1 +- b xi^mu_i) / 2``, so a child overlaps its
parent by ``b`` and a sibling by ``b^2``.  Only the children are stored (Hebb rule); the network is the
engine of :mod:`conceptdyn.hopfield`.

For one family and few patterns (N -> infinity, p finite) the overlaps ``m_nu`` with the s siblings obey
the exact synchronous map

    m_nu(t+1) = E[ xi^nu  g( sum_mu xi^mu m_mu(t) ) ],    g(h) = tanh(h / T)   (sgn at T = 0)

with the expectation over one site's ``(parent, children)``, a finite sum over 2^s child
configurations.  Its fixed points and the eigenvalues of its Jacobian ``(1/T) E[xi xi^T g'(.)]`` explain
which states the network ends in ("o stable / x unstable equilibria" of the lecture).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from math import comb

import numpy as np
from scipy import optimize

# ---------------------------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------------------------


def _check_family(s: int, b: float) -> None:
    if s < 1:
        raise ValueError(f"s (children per parent) must be >= 1, got {s}")
    if not 0.0 <= b <= 1.0:
        raise ValueError(f"b (child-parent correlation) must lie in [0, 1], got {b}")


def hierarchical_patterns(rng: np.random.Generator, n_sets: int, n_parents: int, s: int, b: float, n: int):
    """Parents ``(n_sets, n_parents, n)`` and children ``(n_sets, n_parents * s, n)`` as float32 +-1.

    Children of parent ``mu`` are rows ``mu * s .. mu * s + s - 1``.
    """
    _check_family(s, b)
    parents = np.where(rng.random((n_sets, n_parents, n)) < 0.5, 1.0, -1.0).astype(np.float32)
    agree = rng.random((n_sets, n_parents, s, n)) < (1.0 + b) / 2.0
    children = np.where(agree, parents[:, :, None, :], -parents[:, :, None, :]).astype(np.float32)
    return parents, children.reshape(n_sets, n_parents * s, n)


def mixed_state(children: np.ndarray) -> np.ndarray:
    """``sgn(sum of the children)`` over axis -2 (odd number of children, so no ties)."""
    if children.shape[-2] % 2 == 0:
        raise ValueError("the mixed state sgn(sum of children) needs an odd number of children")
    return np.where(children.sum(axis=-2) > 0, 1.0, -1.0).astype(np.float32)


def mixed_overlaps_exact(s: int, b: float) -> tuple[float, float]:
    """Exact overlaps of the mixed state ``sgn(sum_nu xi^nu)`` with one child and with the parent.

    Given the parent (+1 by symmetry), each child is +1 with probability ``q = (1 + b)/2``.
    ``m_parent = P(S > 0) - P(S < 0)`` for the sum S of s children; for one child,
    ``m_child = P(S' = 0) + b [P(S' > 0) - P(S' < 0)]`` with S' the sum of the other s - 1 (the child
    decides a tie, otherwise the others do).  s = 3 gives ``(1 + b^2)/2`` and ``(3b - b^3)/2``.
    """
    _check_family(s, b)
    if s % 2 == 0:
        raise ValueError("s must be odd")
    q = (1.0 + b) / 2.0

    def sign_balance(k: int):
        """P(sum of k children > 0) - P(< 0), and P(sum = 0)."""
        pmf = np.array([comb(k, j) * q**j * (1 - q) ** (k - j) for j in range(k + 1)])
        total = 2 * np.arange(k + 1) - k
        return float(pmf[total > 0].sum() - pmf[total < 0].sum()), float(pmf[total == 0].sum())

    m_parent, _ = sign_balance(s)
    bal, tie = sign_balance(s - 1)
    return tie + b * bal, m_parent


# ---------------------------------------------------------------------------------------------
# Macroscopic map for one family, p finite
# ---------------------------------------------------------------------------------------------
def site_configurations(s: int, b: float) -> tuple[np.ndarray, np.ndarray]:
    """All ``2^s`` child configurations at a site whose parent is +1, and their probabilities."""
    _check_family(s, b)
    conf = np.array(list(itertools.product((1.0, -1.0), repeat=s)))
    q = (1.0 + b) / 2.0
    n_up = (conf > 0).sum(1)
    return conf, q**n_up * (1 - q) ** (s - n_up)


def _gain(h: np.ndarray, temperature: float) -> np.ndarray:
    return np.where(h >= 0, 1.0, -1.0) if temperature == 0 else np.tanh(h / temperature)


def macro_map(m: np.ndarray, s: int, b: float, temperature: float) -> tuple[np.ndarray, np.ndarray]:
    """One synchronous step of the overlaps: ``(m_children(t+1), m_parent(t+1))``.

    ``m`` has shape ``(..., s)``.  The parent sign is summed out by symmetry (``g`` is odd; at
    T = 0 the tie ``h = 0`` has measure zero for generic ``m``).
    """
    conf, w = site_configurations(s, b)
    m = np.asarray(m, dtype=float)
    g = _gain(m @ conf.T, temperature)  # (..., 2^s)
    return (g * w) @ conf, g @ w


def macro_jacobian(m: np.ndarray, s: int, b: float, temperature: float) -> np.ndarray:
    """``d m(t+1) / d m(t) = (1/T) E[xi xi^T (1 - tanh^2)]``; zero at T = 0 (piecewise constant map)."""
    if temperature == 0:
        return np.zeros((s, s))
    conf, w = site_configurations(s, b)
    d = (1.0 - np.tanh(np.asarray(m, dtype=float) @ conf.T / temperature) ** 2) / temperature
    return (conf * (w * d)[:, None]).T @ conf


def macro_trajectory(m0: np.ndarray, s: int, b: float, temperature: float, steps: int):
    """Overlaps with the children ``(steps+1, s)`` and with the parent ``(steps+1,)``.

    The parent overlap at t = 0 is not determined by the child overlaps and is returned as nan.
    """
    m = np.empty((steps + 1, s))
    mp = np.full(steps + 1, np.nan)
    m[0] = m0
    for t in range(steps):
        m[t + 1], mp[t + 1] = macro_map(m[t], s, b, temperature)
    return m, mp


@dataclass(frozen=True)
class FixedPoint:
    m: tuple[float, ...]
    m_parent: float
    max_eigenvalue: float
    stable: bool
    kind: str


def classify(m: np.ndarray, b: float, tol: float = 1e-3) -> str:
    """Name a fixed point by its overlap pattern: zero, mixed (all equal), child, or partial mixture."""
    m = np.asarray(m, dtype=float)
    if np.all(np.abs(m) < tol):
        return "zero"
    a = np.abs(m)
    if np.ptp(a) < tol:
        return "mixed"
    top = int(np.argmax(a))
    others = np.delete(a, top)
    if np.ptp(others) < tol and others.max() < a[top] - tol:
        return "child"
    return "partial"


def find_fixed_points(s: int, b: float, temperature: float, tol: float = 1e-9) -> list[FixedPoint]:
    """Fixed points of :func:`macro_map` with ``m_1 >= ... >= m_s >= 0`` (others follow by symmetry).

    The map is equivariant under permutations of the children, so the subspaces where ``k`` children
    share one overlap ``u`` and the other ``s - k`` share ``v`` are invariant.  In each, the reduced
    two-variable map is (i) iterated from a grid of seeds (finds states stable within the subspace,
    including the mixed state when it is unstable across it) and (ii) solved with a root finder from
    the same seeds (finds saddles); every candidate is checked in the full space.
    """
    found: list[np.ndarray] = []

    def embed(uv, k):
        return np.array([uv[0]] * k + [uv[1]] * (s - k))

    def reduced(uv, k):
        new = macro_map(embed(uv, k), s, b, temperature)[0]
        return np.array([new[0], new[-1]])

    def keep(m):
        if np.max(np.abs(macro_map(m, s, b, temperature)[0] - m)) > 1e-7:
            return
        m = np.sort(np.abs(m))[::-1]
        if not any(np.max(np.abs(m - f)) < 1e-6 for f in found):
            found.append(m)

    grid = [0.0, 0.15, 0.3, 0.5, 0.7, 0.85, 1.0]
    for k in range(1, s + 1):
        for u0 in grid[1:]:
            for v0 in grid:
                uv = np.array([u0, v0])
                for _ in range(3000):
                    new = reduced(uv, k)
                    if np.max(np.abs(new - uv)) < tol:
                        break
                    uv = new
                keep(embed(uv, k))
                if temperature > 0:
                    sol = optimize.root(lambda x, k=k: reduced(x, k) - x, np.array([u0, v0]), tol=1e-13)
                    if sol.success:
                        keep(embed(sol.x, k))
    keep(np.zeros(s))
    out = []
    for m in sorted(found, key=lambda v: (-v[0], -v.sum())):
        eig = np.linalg.eigvalsh(macro_jacobian(m, s, b, temperature))
        lam = float(np.max(np.abs(eig)))
        out.append(
            FixedPoint(
                tuple(float(v) for v in m),
                float(macro_map(m, s, b, temperature)[1]),
                lam,
                lam < 1.0,
                classify(m, b),
            )
        )
    return out


def mixed_state_instability(s: int, b: float, temperature: float) -> float:
    """Largest Jacobian eigenvalue at the symmetric (mixed) fixed point; > 1 means unstable."""
    for fp in find_fixed_points(s, b, temperature):
        if fp.kind == "mixed":
            return fp.max_eigenvalue
    return float("nan")


def mixed_state_bifurcation(s: int, temperature: float, b_lo: float = 0.05, b_hi: float = 0.99) -> float:
    """Correlation ``b`` at which the mixed state turns from unstable (small b) to stable (large b).

    ``nan`` when it does not change stability in ``[b_lo, b_hi]``.
    """

    def f(b):
        return mixed_state_instability(s, b, temperature) - 1.0

    lo, hi = f(b_lo), f(b_hi)
    if not (np.isfinite(lo) and np.isfinite(hi)) or lo * hi > 0:
        return float("nan")
    return float(optimize.brentq(f, b_lo, b_hi, xtol=1e-6))
