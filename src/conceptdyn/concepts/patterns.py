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


def descendants(rng: np.random.Generator, ancestors: np.ndarray, which: np.ndarray, b: float) -> np.ndarray:
    """One pattern per entry of ``which``, each drawn from ``ancestors[which]`` with correlation ``b``.

    The rule of the children above, ``P(x_i = a_i) = (1 + b) / 2``, for trees of any shape (e.g.
    category -> fine label -> stimulus, with unequal numbers of descendants).
    """
    _check_family(1, b)
    a = np.asarray(ancestors, dtype=np.float32)[np.asarray(which)]
    return np.where(rng.random(a.shape) < (1.0 + b) / 2.0, a, -a).astype(np.float32)


def sparse_descendants(
    rng: np.random.Generator, ancestors: np.ndarray, which: np.ndarray, b: float, a: float
) -> np.ndarray:
    """Sparse (0/1) version of :func:`descendants`: one pattern per entry of ``which``.

    A neuron active in the ancestor is active in the child with probability ``a + (1 - a) b``, an
    inactive one with ``a (1 - b)``: the coding level stays ``a`` and the covariance with the ancestor,
    divided by ``a (1 - a)``, is ``b`` (ultrametric sparse patterns, as in Okada's sparsely encoded
    associative memory storing hierarchical patterns).
    """
    _check_family(1, b)
    if not 0 < a < 1:
        raise ValueError(f"coding level a must lie in (0, 1), got {a}")
    anc = np.asarray(ancestors, dtype=np.float32)[np.asarray(which)]
    p_on = np.where(anc > 0, a + (1 - a) * b, a * (1 - b))
    return (rng.random(anc.shape) < p_on).astype(np.float32)


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


def classify(m: np.ndarray, tol: float = 1e-3) -> str:
    """Name a fixed point by its overlap pattern.

    ``zero``; ``mixed`` (all s overlaps equal); ``child`` (one overlap above s-1 equal ones);
    ``mixture_k`` (k equal overlaps above the rest); ``asymmetric`` otherwise.
    """
    a = np.sort(np.asarray(m, dtype=float))[::-1]
    if a.sum() < 0:
        a = np.sort(-a)[::-1]
    if np.all(a < tol):
        return "zero"
    if np.ptp(a) < tol:
        return "mixed"
    k = int(np.sum(a > a[0] - tol))
    if np.ptp(a[k:]) < tol:
        return "child" if k == 1 else f"mixture_{k}"
    return "asymmetric"


def find_fixed_points(s: int, b: float, temperature: float, tol: float = 1e-9) -> list[FixedPoint]:
    """Fixed points of :func:`macro_map` up to symmetry, listed with ``m_1 >= ... >= m_s`` and ``sum m >= 0``.

    The map is equivariant under permutations of the children, so the subspaces where ``k`` children
    share one overlap ``u`` and the other ``s - k`` share ``v`` are invariant.  In each, the reduced
    two-variable map is (i) iterated from a grid of seeds (finds states stable within the subspace,
    including the mixed state when it is unstable across it) and (ii) solved with a root finder from
    the same seeds (finds saddles); every candidate is checked in the full space.
    """
    from scipy import optimize  # imported here: reading the workflow imports this module

    found: list[np.ndarray] = []

    def embed(uv, k):
        return np.array([uv[0]] * k + [uv[1]] * (s - k))

    def reduced(uv, k):
        new = macro_map(embed(uv, k), s, b, temperature)[0]
        return np.array([new[0], new[-1]])

    def keep(m):
        if np.max(np.abs(macro_map(m, s, b, temperature)[0] - m)) > 1e-7:
            return
        # symmetries: permutations of the children and the global sign flip (not single flips: the
        # children are tied together through their parent)
        if m.sum() < 0 or (abs(m.sum()) < 1e-12 and m[np.argmax(np.abs(m))] < 0):
            m = -m
        m = np.sort(m)[::-1]
        if not any(np.max(np.abs(m - f)) < 1e-6 for f in found):
            found.append(m)

    grid = [0.0, 0.15, 0.3, 0.5, 0.7, 0.85, 1.0]
    for k in range(1, s + 1):
        for u0 in grid[1:]:
            for v0 in grid:
                uv = np.array([u0, v0])
                for _ in range(400):
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
                classify(m),
            )
        )
    return out


def mixed_fixed_point(s: int, b: float, temperature: float) -> float:
    """Overlap ``M`` of the symmetric fixed point ``(M, .., M)`` with ``M > 0``; nan if there is none.

    Iterated inside the symmetric subspace (invariant, and attracting within itself whenever the
    state exists), then polished by a root finder.
    """
    from scipy import optimize  # imported here: reading the workflow imports this module

    def f(u):
        return float(macro_map(np.full(s, u), s, b, temperature)[0][0])

    u = 1.0
    for _ in range(5000):
        new = f(u)
        if abs(new - u) < 1e-12:
            break
        u = new
    if temperature > 0 and u > 1e-6:  # polish: bracket the root around the iterate
        lo, hi = 0.5 * u, min(1.0, 1.5 * u + 1e-3)
        if (f(lo) - lo) * (f(hi) - hi) < 0:
            u = float(optimize.brentq(lambda x: f(x) - x, lo, hi, xtol=1e-14))
    return u if u > 1e-6 else float("nan")


def mixed_state_instability(s: int, b: float, temperature: float) -> float:
    """Largest Jacobian eigenvalue (modulus) at the mixed fixed point; > 1 means unstable."""
    u = mixed_fixed_point(s, b, temperature)
    if not np.isfinite(u):
        return float("nan")
    return float(np.max(np.abs(np.linalg.eigvalsh(macro_jacobian(np.full(s, u), s, b, temperature)))))


def mixed_state_bifurcation(s: int, temperature: float, b_lo: float = 0.05, b_hi: float = 0.99) -> float:
    """Correlation ``b`` at which the mixed state turns from unstable (small b) to stable (large b).

    ``nan`` when it does not change stability in ``[b_lo, b_hi]``.
    """
    from scipy import optimize  # imported here: reading the workflow imports this module

    def f(b):
        return mixed_state_instability(s, b, temperature) - 1.0

    lo, hi = f(b_lo), f(b_hi)
    if not (np.isfinite(lo) and np.isfinite(hi)) or lo * hi > 0:
        return float("nan")
    return float(optimize.brentq(f, b_lo, b_hi, xtol=1e-6))


# ---------------------------------------------------------------------------------------------
# Finite-N networks of one family (plus unrelated load), on the shared engine
# ---------------------------------------------------------------------------------------------
STARTS = ("child", "parent", "mixed", "noisy_child", "noisy_parent", "noisy_mixed")


@dataclass
class FamilyNetworks:
    """B networks storing the s children of one parent, plus ``extra`` unrelated patterns each."""

    parents: np.ndarray  # (B, 1, N)
    children: np.ndarray  # (B, s, N)
    stored: np.ndarray  # (B, s + extra, N)
    mixed: np.ndarray  # (B, 1, N), odd s only

    @property
    def readout(self) -> np.ndarray:
        """Children, parent, mixed state: overlaps are reported in this order."""
        return np.concatenate([self.children, self.parents, self.mixed], axis=1)


def family_networks(rng: np.random.Generator, n_sets: int, s: int, b: float, n: int, extra_load: float = 0.0):
    from conceptdyn.hopfield.engine import random_patterns

    parents, children = hierarchical_patterns(rng, n_sets, 1, s, b, n)
    extra = round(extra_load * n)
    stored = (
        np.concatenate([children, random_patterns(rng, (n_sets, extra, n))], axis=1) if extra else children
    )
    return FamilyNetworks(parents, children, stored, mixed_state(children)[:, None])


def initial_states(
    rng: np.random.Generator, nets: FamilyNetworks, starts, noise_overlap: float
) -> np.ndarray:
    """``(B, len(starts), N)`` initial states; ``noisy_*`` have overlap ``noise_overlap`` with the target."""
    from conceptdyn.hopfield.engine import perturb

    targets = {"child": nets.children[:, 0], "parent": nets.parents[:, 0], "mixed": nets.mixed[:, 0]}
    out = []
    for start in starts:
        base = start.removeprefix("noisy_")
        if base not in targets:
            raise ValueError(f"unknown start {start!r}; choose from {STARTS}")
        x = targets[base]
        out.append(perturb(rng, x, noise_overlap) if start.startswith("noisy_") else x)
    return np.stack(out, axis=1)


def classify_final(
    m_children: np.ndarray, child_gap: float, mixed_spread: float, mixed_min: float
) -> np.ndarray:
    """Outcome per run from the final overlaps with the s children (last axis): child, mixed, other."""
    a = np.sort(m_children, axis=-1)[..., ::-1]
    child = (a[..., 0] - a[..., 1] >= child_gap) & (a[..., 0] >= 0.5)
    mixed = (a[..., 0] - a[..., -1] < mixed_spread) & (a[..., -1] >= mixed_min)
    return np.where(child, "child", np.where(mixed, "mixed", "other"))


def plateau(m: np.ndarray, m_mixed: float, arrive_tol: float, escape_gap: float) -> tuple[float, float, bool]:
    """Arrival at and escape from the mixed state in a trajectory of child overlaps ``(T+1, s)``.

    Arrival: first step with every ``|m_nu - m_mixed| < arrive_tol``; escape: first later step at
    which the largest and smallest child overlaps differ by more than ``escape_gap``.  Returns
    ``(arrival, escape, escaped)``; without arrival both are nan; without escape, ``escape`` is the
    last step and ``escaped`` False (the plateau is censored).
    """
    near = np.all(np.abs(m - m_mixed) < arrive_tol, axis=1)
    if not near.any():
        return float("nan"), float("nan"), False
    t_arr = int(np.argmax(near))
    spread = m.max(1) - m.min(1)
    later = np.flatnonzero(spread[t_arr:] > escape_gap)
    if len(later) == 0:
        return float(t_arr), float(len(m) - 1), False
    return float(t_arr), float(t_arr + later[0]), True
