"""Associative memory of Hopfield (1982) and Amari (1977): patterns, Hebbian couplings, dynamics.

The network has N neurons ``x_i = +-1`` and stores p patterns ``xi^mu`` through the Hebb rule
``J_ij = (1/N) sum_mu xi_i^mu xi_j^mu``, ``J_ii = 0``.  The coupling matrix is never built: the
local field is computed as

    N h_i = sum_mu xi_i^mu (sum_j xi_j^mu x_j) - p x_i          (self-coupling removed)

which costs ``2 p N`` per neuron update instead of ``N^2`` and is exact in float32 (all partial sums
are integers far below 2^24), so CPU and CUDA give bit-identical trajectories and ties
(``h_i = 0``) are resolved as ``sgn(0) = +1`` as in the lecture.

Sparse coding (0/1 neurons, coding level a; Tsodyks & Feigel'man 1988, Okada 1996) runs through the
same engine: pass :class:`SparseCoding`; the couplings are then the covariance rule
``J_ij = (1/(N a(1-a))) sum_mu (xi_i^mu - a)(xi_j^mu - a)``, ``J_ii = 0``, and a neuron fires when its
field exceeds a threshold, fixed or set every step so that a fraction a of the neurons fire (activity
control).  An external field (a stimulus that keeps arriving while the network runs) can be added to
the local fields in both codings.

This module is the one dynamics engine of the package: the hierarchical-pattern and face-cell
stages call :func:`run_dynamics` with their own patterns and read-out vectors.

Shapes: ``patterns`` is ``(B, p, N)`` -- B independent networks ("pattern sets"); ``x0`` is
``(B, K, N)`` -- K initial states run in each network at once; ``readout`` is ``(B, R, N)`` -- the
vectors whose overlaps ``(1/N) sum_i v_i x_i(t)`` are recorded.
"""

from __future__ import annotations

import functools
import logging
import math
from dataclasses import dataclass

import numpy as np

from conceptdyn.core.runtime import pick_device

log = logging.getLogger(__name__)

UPDATE_RULES = ("synchronous", "sequential")


# ---------------------------------------------------------------------------------------------
# Patterns and initial states
# ---------------------------------------------------------------------------------------------
_BYTE_TO_SIGNS = np.unpackbits(np.arange(256, dtype=np.uint8)[:, None], axis=1).astype(np.float32) * 2 - 1


def random_patterns(
    rng: np.random.Generator, shape: tuple[int, ...], out: np.ndarray | None = None
) -> np.ndarray:
    """Unbiased random ``+-1`` patterns (P(+1) = 1/2) as float32, eight signs per random byte.

    ``out`` (float32, C-contiguous, of ``shape``) is filled in place when given.
    """
    n = math.prod(shape)
    if out is None:
        out = np.empty(shape, dtype=np.float32)
    elif out.shape != tuple(shape) or out.dtype != np.float32 or not out.flags.c_contiguous:
        raise ValueError("out must be a C-contiguous float32 array of the requested shape")
    n_bytes = (n + 7) // 8
    codes = np.frombuffer(rng.bytes(n_bytes), dtype=np.uint8)
    if n % 8 == 0:
        np.take(_BYTE_TO_SIGNS, codes, axis=0, out=out.reshape(n_bytes, 8))
    else:
        out.reshape(-1)[:] = _BYTE_TO_SIGNS[codes].reshape(-1)[:n]
    return out


def perturb(rng: np.random.Generator, target: np.ndarray, m0) -> np.ndarray:
    """Copies of ``target`` (``(..., N)``) with exactly ``round(N (1 - m0) / 2)`` signs flipped.

    ``m0`` broadcasts against ``target.shape[:-1]``; the overlap with ``target`` is then ``m0`` up
    to the rounding of the number of flips (at most ``1/N``).
    """
    target = np.asarray(target, dtype=np.float32)
    n = target.shape[-1]
    m0 = np.broadcast_to(np.asarray(m0, dtype=float), target.shape[:-1])
    if np.any(np.abs(m0) > 1):
        raise ValueError("initial overlaps m0 must lie in [-1, 1]")
    n_flip = np.rint(n * (1.0 - m0) / 2.0).astype(np.int64)
    flip = _smallest(rng.random(target.shape), n_flip)
    return np.where(flip, -target, target).astype(np.float32)


def _smallest(r: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Mask of the ``k`` smallest values along the last axis of ``r`` (``k`` per row, broadcast over
    ``r.shape[:-1]``): the rows whose rank (double argsort) is below ``k``, found by a partial sort
    (about 13 times faster at N = 12,000).  A row with tied values at the cut falls back to the ranks."""
    n = r.shape[-1]
    flat, kk = r.reshape(-1, n), np.broadcast_to(k, r.shape[:-1]).reshape(-1)
    mask = np.zeros(flat.shape, dtype=bool)
    for kv in np.unique(kk):
        rows = np.flatnonzero(kk == kv)
        if kv >= n:
            mask[rows] = True
        elif kv > 0:
            sub = flat[rows]
            m = sub <= np.partition(sub, kv - 1, axis=-1)[:, kv - 1 : kv]
            tied = m.sum(axis=-1) != kv
            if tied.any():
                m[tied] = sub[tied].argsort(axis=-1).argsort(axis=-1) < kv
            mask[rows] = m
    return mask.reshape(r.shape)


# ---------------------------------------------------------------------------------------------
# Dynamics
# ---------------------------------------------------------------------------------------------
@dataclass
class DynamicsResult:
    """Overlaps ``(T+1, B, K, R)`` with the read-out vectors, and optionally the states.

    ``period`` (``(B,)``, deterministic synchronous runs only) is 1 for networks whose states all
    reached fixed points, 2 for those that entered a two-cycle (fixed points included) and 0 for
    those still moving after the last step; ``steps_run`` counts the steps that needed a field
    computation.
    """

    overlaps: np.ndarray
    steps_run: int
    period: np.ndarray | None
    states: np.ndarray | None = None

    @property
    def converged(self) -> bool:
        return self.period is not None and bool(np.all(self.period > 0))


def _as_tensor(a, device):
    import torch

    return torch.as_tensor(a, device=device).to(torch.float32)


def _check_shapes(patterns, x0, readout) -> None:
    if patterns.ndim != 3:
        raise ValueError(f"patterns must have shape (B, p, N), got {tuple(patterns.shape)}")
    b, _, n = patterns.shape
    if x0.ndim != 3 or x0.shape[0] != b or x0.shape[2] != n:
        raise ValueError(f"x0 must have shape (B={b}, K, N={n}), got {tuple(x0.shape)}")
    if readout.ndim != 3 or readout.shape[0] != b or readout.shape[2] != n:
        raise ValueError(f"readout must have shape (B={b}, R, N={n}), got {tuple(readout.shape)}")


def local_fields(patterns, x, diag=None, overlaps=None, int8=None):
    """``N h`` for states ``x`` ``(B, K, N)`` in the networks ``patterns`` ``(B, p, N)`` (torch).

    The self-coupling ``sum_mu (xi_i^mu)^2`` is removed: ``p`` for +-1 patterns, ``diag`` ``(B, N)``
    for others (the centred patterns of sparse coding).  Large +-1 networks are read in blocks of
    patterns on the CPU (:func:`_blocked_fields`), with the same result.  ``overlaps``: ``x Pᵀ``
    ``(B, K, p)`` when the caller has it already (+-1 Hebb only), so that only the second product runs.
    ``int8``: the same +-1 patterns as int8 (:func:`integer_patterns`): the products then run in integer
    arithmetic (:func:`_integer_fields`), with the same result.
    """
    _, p, n = patterns.shape
    if int8 is not None and diag is None and overlaps is None:  # (given overlaps: one small product left)
        h = _integer_fields(int8, x)
        if h is not None:
            return h
    if overlaps is not None:
        return overlaps @ patterns - p * x
    big = p > BLOCK_PATTERNS and p * n * patterns.element_size() > BLOCK_BYTES
    if diag is None and big and patterns.device.type == "cpu":
        return _blocked_fields(patterns, x)
    q = x @ patterns.transpose(1, 2)  # (B, K, p) un-normalised overlaps
    if diag is None:
        return q @ patterns - p * x
    return q @ patterns - diag[:, None, :] * x


def integer_patterns(P, diag=None, coding=None):
    """``P`` as int8 where the fields of +-1 Hebb networks (``diag`` None, no sparse coding) can run in
    integer arithmetic (:func:`_integer_fields`): on the CPU, where torch has an int8 matrix product,
    for +-1 patterns of N < 2^14 neurons; otherwise None (the float32 products run)."""

    if diag is not None or coding is not None:
        return None
    _, p, n = P.shape
    return plus_minus_int8(P) if n < 2**14 and p * n < 2**31 else None


def plus_minus_int8(A):
    """``A`` as int8 if every value is +1 or -1 and torch has an exact int8 matrix product on its device
    (the CPU), else None.  In [-1, 1] (one read), and no value truncated to 0 by the conversion: only
    +-1 pass both (NaN fails the first)."""
    import torch

    if A.device.type != "cpu" or not _int8_products() or A.numel() == 0:
        return None
    lo, hi = torch.aminmax(A)
    if not (float(lo) >= -1 and float(hi) <= 1):
        return None
    A8 = A.to(torch.int8, memory_format=torch.contiguous_format)
    return None if bool(A8.eq(0).any()) else A8


@functools.cache
def _int8_products() -> bool:
    """Whether this torch has an exact int8 x int8 -> int32 matrix product on the CPU (a private torch
    function, so it is checked against float32 once per process, in the layouts the engine uses: one
    row and several, sizes that are no multiple of 8, a transposed second operand)."""
    import torch

    g = torch.Generator().manual_seed(0)
    try:
        for rows, inner, cols in [(1, 37, 5), (7, 301, 13), (33, 640, 19)]:
            a = torch.randint(0, 2, (rows, inner), generator=g).mul_(2).sub_(1).to(torch.int8)
            b = torch.randint(0, 2, (cols, inner), generator=g).mul_(2).sub_(1).to(torch.int8)
            if not torch.equal(torch._int_mm(a, b.t()).float(), a.float() @ b.float().t()):
                return False
            q = torch.randint(-128, 128, (cols, rows), generator=g, dtype=torch.int8)  # digits of q
            if not torch.equal(torch._int_mm(q, a).float(), q.float() @ a.float()):
                return False
        return True
    except (AttributeError, RuntimeError, NotImplementedError):
        return False


def _integer_fields(P8, x):
    """:func:`local_fields` of +-1 patterns ``P8`` (int8) and +-1 states ``x`` (the caller's guarantee)
    in integer arithmetic, or None where it cannot give the float32 bits (then the caller computes them
    in float32).

    ``q = x Pᵀ`` is an int8 product with int32 sums (``|q| <= N < 2^14``); ``q P`` runs as two int8
    products, of ``q``'s high and low 7 bits (``q = 128 hi + lo``, ``hi`` in [-128, 127], ``lo`` in
    [0, 127]).  Every value is an exact integer, and so is every float32 partial sum of the float form
    while ``sum_mu |q_mu| + p < 2^24`` (the condition of :func:`_blocked_fields`): within it both forms
    give the same bits; outside it the float form runs, as before.  The int8 products read a quarter of
    the bytes and run 3-4x faster on one thread (benchmarks/RESULTS.md)."""
    import torch

    B, p, _ = P8.shape
    x8 = x.to(torch.int8, memory_format=torch.contiguous_format)  # (int8 products misread stride 0)
    h = torch.empty(x.shape, dtype=x.dtype, device=x.device)
    for b in range(B):
        q = torch._int_mm(x8[b], P8[b].t())
        if int(q.abs().sum(-1).max()) + p >= 2**24:
            return None
        hi, lo = (q >> 7).to(torch.int8), (q & 127).to(torch.int8)
        h[b] = torch._int_mm(hi, P8[b]).mul_(128).add_(torch._int_mm(lo, P8[b]))
    return h.sub_(x, alpha=p)


def _integer_products(x, R8):
    """``x Rᵀ`` of +-1 read-out vectors ``R8`` (int8) and +-1 states ``x`` as int8 products, as float32:
    sums of +-1 terms, exact below 2^24, so the float32 bits."""
    import torch

    x8 = x.to(torch.int8, memory_format=torch.contiguous_format)  # (int8 products misread stride 0)
    out = torch.empty((*x.shape[:2], R8.shape[1]), dtype=x.dtype, device=x.device)
    for b in range(x.shape[0]):
        out[b] = torch._int_mm(x8[b], R8[b].t())
    return out


# a network's patterns above this size (bytes) no longer stay in the cache between the two products of
# the fields; they are then taken this many patterns at a time (1.3-2x faster at N = 5,000-10,000, p =
# 700-2,000 on one thread: benchmarks/RESULTS.md)
BLOCK_BYTES = 8 * 2**20
BLOCK_PATTERNS = 64


def _blocked_fields(patterns, x):
    """:func:`local_fields` of +-1 networks, ``BLOCK_PATTERNS`` patterns at a time: both products of a
    block read it while it is in the cache.  With +-1 patterns and states every product and partial sum
    is an integer, which float32 adds exactly in any order while the sums stay below 2^24 (bounded by
    ``sum_mu |q_mu|``); then the result is the bits of the one-product form, and otherwise that form is
    computed instead."""
    p = patterns.shape[1]
    h, bound = None, None
    for i in range(0, p, BLOCK_PATTERNS):
        block = patterns[:, i : i + BLOCK_PATTERNS]
        q = x @ block.transpose(1, 2)
        part = q @ block
        h = part if h is None else h.add_(part)
        size = q.abs().sum(-1)
        bound = size if bound is None else bound.add_(size)
    if not bool((bound + p < 2**24).all()):
        return x @ patterns.transpose(1, 2) @ patterns - p * x
    return h.sub_(x, alpha=p)


@dataclass(frozen=True)
class SparseCoding:
    """0/1 neurons with coding level ``a`` (fraction of active neurons in a pattern).

    ``threshold``: a neuron fires when its field exceeds it; ``None`` sets it every step from the fields
    of each state (activity control), in one of two ways (``control``):

    * ``quantile`` (default): the threshold is the field of the aN-th most excited neuron; at T = 0
      the aN largest fields fire and all fields tied with the aN-th; at T > 0 the heat bath
      ``P(x = 1) = 1 / (1 + exp(-(h - theta) / T))`` acts around that threshold.
    * ``mean``: the threshold keeps the *expected* activity at a: at T = 0 exactly round(aN) neurons
      fire (k winners take all; ties at the k-th field broken by ``torch.topk``, deterministically
      on a given device), at T > 0 ``theta`` solves
      ``mean_i sigmoid((h_i - theta) / T) = a`` (bisection).  Unlike ``quantile`` this rule does not jump
      when the aN-th field sits at a gap between groups of equal fields (as it does at a stored sparse
      pattern, whose activity fluctuates by O(1/sqrt N) around a), so its N -> infinity limit is the exact
      few-pattern map of :mod:`conceptdyn.concepts.sparse`.
    """

    a: float
    threshold: float | None = None
    control: str = "quantile"

    def __post_init__(self):
        if not 0 < self.a < 1:
            raise ValueError(f"coding level a must lie in (0, 1), got {self.a}")
        if self.control not in ("quantile", "mean"):
            raise ValueError(f"activity control must be 'quantile' or 'mean', got {self.control!r}")

    def centred(self, patterns):
        """``(xi - a) / sqrt(a (1 - a))``: with these the covariance rule is the Hebb rule."""
        return (patterns - self.a) / math.sqrt(self.a * (1 - self.a))

    def overlap_vectors(self, patterns: np.ndarray) -> np.ndarray:
        """Read-out vectors ``(xi - a) / (a (1 - a))``: their overlap ``(1/N) sum_i v_i x_i`` is the
        sparse overlap ``m = (1/(N a(1-a))) sum_i (xi_i - a) x_i`` (1 at the pattern itself)."""
        return ((np.asarray(patterns, dtype=np.float32) - self.a) / (self.a * (1 - self.a))).astype(
            np.float32
        )

    def update(self, h, temperature: float, uniform):
        """New 0/1 states from the fields ``h`` ``(B, K, N)`` (already divided by N)."""
        import torch

        k = max(1, round(self.a * h.shape[-1]))
        if self.threshold is not None:
            theta = self.threshold
        elif self.control == "mean":
            if temperature == 0:
                winners = torch.topk(h, k, dim=-1).indices
                return torch.zeros_like(h).scatter_(-1, winners, 1.0)
            theta = _mean_activity_threshold(h, self.a, temperature)
        else:
            theta = _kth_largest(h, k)
        if temperature > 0:
            return (uniform < torch.sigmoid((h - theta) / temperature)).to(h.dtype)
        return (h >= theta).to(h.dtype)


def _kth_largest(h, k: int):
    """The k-th largest value along the last axis, ``(..., 1)``: a partial sort (numpy's introselect is
    several times faster than a top-k on the CPU; the value is the same)."""
    import torch

    if h.device.type != "cpu":
        return torch.topk(h, k, dim=-1).values[..., -1:]
    n = h.shape[-1]
    return torch.from_numpy(np.partition(h.numpy(), n - k, axis=-1)[..., n - k : n - k + 1])


def _mean_activity_threshold(h, a: float, temperature: float, iterations: int = 60):
    """``theta`` ``(..., 1)`` with ``mean(sigmoid((h - theta) / T)) = a`` along the last axis (bisection)."""
    import torch

    lo = h.amin(-1, keepdim=True) - 40 * temperature
    hi = h.amax(-1, keepdim=True) + 40 * temperature
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        too_active = torch.sigmoid((h - mid) / temperature).mean(-1, keepdim=True) > a
        lo = torch.where(too_active, mid, lo)
        hi = torch.where(too_active, hi, mid)
    return 0.5 * (lo + hi)


def _sign(h):
    """+1 where ``h >= 0``, else -1 (from the comparison's 0/1: twice as fast as a ``where``)."""
    return _plus_minus(h >= 0, h.dtype)


def _plus_minus(up, dtype):
    """+1 where ``up``, -1 elsewhere, as ``dtype``."""
    return up.to(dtype).mul_(2).sub_(1)


def _glauber(h_over_n, temperature: float, uniform):
    """Heat-bath update: ``P(x = +1) = 1 / (1 + exp(-2 h / T))``."""
    import torch

    prob_up = torch.sigmoid_(torch.mul(h_over_n, 2.0).div_(temperature))
    return _plus_minus(uniform < prob_up, h_over_n.dtype)


def run_dynamics(
    patterns,
    x0,
    steps: int,
    *,
    rule: str = "synchronous",
    temperature: float = 0.0,
    rng: np.random.Generator | None = None,
    readout=None,
    device=None,
    record_states: bool = False,
    record_units=None,
    external=None,
    coding: SparseCoding | None = None,
    weights=None,
    int8_patterns=None,
) -> DynamicsResult:
    """Run ``steps`` updates of the Hopfield network from ``x0``; record overlaps at every step.

    rule: ``synchronous`` (all neurons at once, ``x(t+1) = sgn(h(t))``) or ``sequential`` (one sweep of
    N single-neuron updates in a fresh random order per step).  temperature: 0 for the sign rule,
    ``T > 0`` for Glauber (heat-bath) updates; then ``rng`` is required (as for ``sequential``).
    external: a field ``(B, K, N)`` added to every local field at every step (a stimulus that keeps
    arriving).  coding: ``None`` for +-1 neurons, :class:`SparseCoding` for 0/1 neurons (synchronous
    only).  record_units: with ``record_states``, record only these neurons.  weights: ``(B, p)``
    learning weights, ``J_ij = (1/N) sum_mu w_mu xi_i^mu xi_j^mu``; ``None`` for the plain Hebb rule.
    int8_patterns: :func:`integer_patterns` of ``patterns``, from a caller that runs one network many
    times (its check and conversion, a few passes over the patterns, then run once, not every call).

    Deterministic synchronous runs stop computing fields for networks that reached a fixed point or a
    two-cycle (:func:`_deterministic_step`): their future is known exactly.
    """
    import torch

    _check_arguments(rule, temperature, rng, steps, coding, external, weights)
    stochastic = temperature > 0 or rule == "sequential"
    device = device or pick_device()
    P, X, R, E, diag = _prepare(patterns, x0, readout, external, coding, weights, device)
    B, _, N = P.shape
    # +-1 states of +-1 networks: the products in int8 (the same bits; every later state is +-1 too)
    pm1_states = rule == "synchronous" and diag is None and coding is None and plus_minus_int8(X) is not None
    P8 = None
    if pm1_states:
        P8 = integer_patterns(P, diag, coding) if int8_patterns is None else int8_patterns
        if P8 is not None and P8.shape != P.shape:
            raise ValueError(
                f"int8_patterns must have the patterns' shape {tuple(P.shape)}, got {tuple(P8.shape)}"
            )

    def step(p_, x_, e_, d_, p8_, uniform=None):
        return _local_update(p_, x_, e_, d_, N, coding, temperature, uniform, int8=p8_)

    record = _Recorder(R, N, record_states, record_units, device)
    if pm1_states and N < 2**24:
        record.R8 = plus_minus_int8(R)
    record(X)
    reuse = stochastic and rule == "synchronous" and _overlaps_recorded(P, R, diag, coding)
    period = torch.zeros(B, dtype=torch.int64, device=device)
    X_prev, steps_run = None, 0
    PT = P.transpose(1, 2).contiguous() if rule == "sequential" else None
    for _t in range(steps):
        if stochastic and rule == "sequential":
            X_new = _sequential_sweep(P, PT, X, temperature, rng, device)
            steps_run += 1
        elif stochastic:
            uniform = torch.as_tensor(rng.random(X.shape, dtype=np.float32), device=device)
            q = record.last[..., : P.shape[1]] if reuse else None
            X_new = _local_update(P, X, E, diag, N, coding, temperature, uniform, q, P8)
            steps_run += 1
        else:
            X_new, ran = _deterministic_step(X, X_prev, period, step, P, E, diag, P8)
            steps_run += ran
        X_prev, X = X, X_new
        record(X)
    return DynamicsResult(
        overlaps=torch.stack(record.overlaps).cpu().numpy(),
        steps_run=steps_run,
        period=None if stochastic else period.cpu().numpy(),
        states=np.stack(record.states) if record_states else None,
    )


class _Recorder:
    """What :func:`run_dynamics` keeps of every state: its overlaps with the read-out vectors ``R``
    ``(B, K, R)`` and, with ``record_states``, the state itself (or the neurons ``record_units``) as int8."""

    def __init__(self, R, N, record_states, record_units, device):
        import torch

        self.R, self.N, self.keep_states = R, N, record_states
        self.R8 = None  # +-1 read-out of +-1 states (set by :func:`run_dynamics`): exact int8 products
        self.units = (
            None if record_units is None else torch.as_tensor(np.asarray(record_units), device=device)
        )
        self.overlaps, self.states, self.last = [], [], None

    def __call__(self, x):
        # un-normalised: the next step's fields may start from it
        self.last = x @ self.R.transpose(1, 2) if self.R8 is None else _integer_products(x, self.R8)
        self.overlaps.append(self.last / self.N)
        if self.keep_states:
            kept = x if self.units is None else x[..., self.units]
            self.states.append(kept.cpu().numpy().astype(np.int8))


def _local_update(P, X, E, diag, N, coding, temperature, uniform=None, overlaps=None, int8=None):
    """The new states from the local fields (for plain +-1 Hebb, N h is an exact integer and dividing by
    N keeps its sign): the sign rule, Glauber updates with ``uniform`` draws, or sparse coding's rule.
    ``overlaps``: ``X Pᵀ``, when already known; ``int8``: the patterns as int8 (:func:`local_fields`).

    Many +-1 states of a small network are updated a cache-sized slice of states at a time
    (:func:`_state_slices`): every state's update depends on itself, its draws and the patterns only."""
    slices = _state_slices(P, X, diag, coding)
    if slices is None:
        return _update_states(P, X, E, diag, N, coding, temperature, uniform, overlaps, int8)
    out = X.new_empty(X.shape)
    for s in slices:
        e = None if E is None else E[:, s]
        u = None if uniform is None else uniform[:, s]
        q = None if overlaps is None else overlaps[:, s]
        out[:, s] = _update_states(P, X[:, s], e, diag, N, coding, temperature, u, q, int8)
    return out


# states updated at a time: this many bytes of them (the fields, the draws and the new states of a
# slice then stay in the cache: a Glauber step of 228 states at N = 12,000 2.1x faster on one thread,
# benchmarks/RESULTS.md), for networks that stay in the cache between slices (BLOCK_BYTES)
SLICE_BYTES = 1536 * 2**10


def _state_slices(P, X, diag, coding) -> list[slice] | None:
    """Slices of the states (axis 1 of ``X``) to update one after another, or None for all at once:
    only +-1 Hebb networks (``diag`` None, no sparse coding), whose fields are exact integers whatever
    the slicing, on the CPU, with states larger than ``SLICE_BYTES`` and patterns within ``BLOCK_BYTES``."""
    if diag is not None or coding is not None or X.device.type != "cpu":
        return None
    b, k, n = X.shape
    rows = max(1, SLICE_BYTES // (b * n * X.element_size()))
    if k <= rows or P.numel() * P.element_size() > BLOCK_BYTES:
        return None
    return [slice(i, i + rows) for i in range(0, k, rows)]


def _update_states(P, X, E, diag, N, coding, temperature, uniform=None, overlaps=None, int8=None):
    """:func:`_local_update` of all states ``X`` at once."""
    h = local_fields(P, X, diag, overlaps, int8).div_(N)  # a new tensor: updated in place (the same values)
    if E is not None:
        h = h.add_(E)
    if coding is not None:
        return coding.update(h, temperature, uniform)
    if uniform is not None:
        return _glauber(h, temperature, uniform)
    return _sign(h)


def _overlaps_recorded(P, R, diag, coding) -> bool:
    """Whether the recorder's products ``X Rᵀ`` hold the fields' first product ``X Pᵀ``: +-1 Hebb
    networks (``diag`` None, no sparse coding) whose read-out vectors begin with their patterns.  Then
    both are sums of +-1 terms, exact integers below 2^24 in float32 whatever the order of the sums,
    and the next step's fields start from the recorded product with the same bits (a third less
    arithmetic per step where the read-out holds the patterns, as in the face-cell model)."""
    import torch

    p, n = P.shape[1], P.shape[2]
    if diag is not None or coding is not None or n >= 2**24 or R.shape[1] < p:
        return False
    return bool(torch.equal(R[:, :p], P))


def _check_arguments(rule, temperature, rng, steps, coding, external, weights) -> None:
    """Refuse what :func:`run_dynamics` cannot run, naming the argument."""
    if rule not in UPDATE_RULES:
        raise ValueError(f"rule must be one of {UPDATE_RULES}, got {rule!r}")
    if not math.isfinite(temperature) or temperature < 0:
        # NaN would fail every `temperature > 0` test and run as T = 0 without a word
        raise ValueError(f"temperature must be a finite number >= 0, got {temperature}")
    if (temperature > 0 or rule == "sequential") and rng is None:
        raise ValueError("stochastic dynamics (temperature > 0 or sequential) need an rng")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    if rule != "synchronous" and (coding is not None or external is not None or weights is not None):
        raise ValueError(
            "sparse coding, external fields and learning weights run with the synchronous rule only"
        )


def _prepare(patterns, x0, readout, external, coding, weights, device):
    """The tensors of a run: patterns as the fields use them (centred for sparse coding, scaled by the
    learning weights), the state, the readout vectors, the external field and the self-coupling to
    remove (``None`` for plain +-1 Hebb)."""
    P = _as_tensor(patterns, device)
    X = _as_tensor(x0, device).clone()
    R = P[:, :1] if readout is None else _as_tensor(readout, device)
    _check_shapes(P, X, R)
    E = None if external is None else _as_tensor(external, device)
    if E is not None and E.shape != X.shape:
        raise ValueError(f"external must have the shape of x0 {tuple(X.shape)}, got {tuple(E.shape)}")
    diag = None
    if coding is not None:
        P = coding.centred(P)
        if readout is None:
            R = _as_tensor(coding.overlap_vectors(patterns[:, :1]), device)
    if weights is not None:
        W = _as_tensor(weights, device)
        if W.shape != P.shape[:2]:
            raise ValueError(f"weights must have shape (B, p) = {tuple(P.shape[:2])}, got {tuple(W.shape)}")
        P = P * W.sqrt()[:, :, None]
    if coding is not None or weights is not None:
        diag = (P * P).sum(1)
    return P, X, R, E, diag


def _deterministic_step(X, X_prev, period, step, P, E, diag, P8=None):
    """One deterministic synchronous step of the networks still moving (``period`` 0); networks in a
    two-cycle repeat their previous state, fixed points stay.  Marks new fixed points (1) and
    two-cycles (2) in ``period`` in place; returns the new states and 1 if any network was updated."""
    import torch

    B = X.shape[0]
    X_new = X.clone()
    cyc = period == 2
    if bool(cyc.any()):
        X_new[cyc] = X_prev[cyc]
    active = (period == 0).nonzero().squeeze(1)
    if not len(active):
        return X_new, 0
    Xa = X[active]
    if len(active) == B:
        Xa_new = step(P, X, E, diag, P8)
    else:  # a few networks left: views instead of copying their patterns
        Xa_new = torch.cat([step(P[b : b + 1], X[b : b + 1], *_slices(b, E, diag, P8)) for b in active])
    X_new[active] = Xa_new
    fixed = (Xa_new == Xa).flatten(1).all(1)
    two = (Xa_new == X_prev[active]).flatten(1).all(1) if X_prev is not None else fixed
    period[active[two]] = 2
    period[active[fixed]] = 1
    return X_new, 1


def _slices(b: int, *arrays):
    """Network ``b`` of each of ``arrays`` (the external field, the self-coupling, the int8 patterns;
    ``None`` stays ``None``)."""
    return tuple(None if a is None else a[b : b + 1] for a in arrays)


def _sequential_sweep(P, PT, X, temperature, rng, device):
    """One random-sequential sweep: N single-neuron updates, batched over networks and states."""
    import torch

    B, p, N = P.shape
    K = X.shape[1]
    X = X.clone()
    q = X @ P.transpose(1, 2)  # (B, K, p), kept up to date after every flip
    order = torch.as_tensor(rng.permuted(np.broadcast_to(np.arange(N), (B, K, N)), axis=-1), device=device)
    uniform = (
        torch.as_tensor(rng.random((N, B, K), dtype=np.float32), device=device) if temperature > 0 else None
    )
    b_idx = torch.arange(B, device=device)[:, None].expand(B, K)
    k_idx = torch.arange(K, device=device)[None, :].expand(B, K)
    for j in range(N):
        i = order[:, :, j]  # (B, K)
        xi_i = PT[b_idx, i]  # (B, K, p): patterns at the updated neuron
        x_old = X[b_idx, k_idx, i]
        h = (xi_i * q).sum(-1) - p * x_old
        x_new = _glauber(h / N, temperature, uniform[j]) if temperature > 0 else _sign(h)
        delta = x_new - x_old
        X[b_idx, k_idx, i] = x_new
        q += delta[..., None] * xi_i
    return X
