"""Macroscopic theory of the Hopfield/Amari associative memory at zero temperature.

Three levels of description, all for random unbiased patterns and the sign update with
Hebbian couplings ``J_ij = (1/N) sum_mu xi_i^mu xi_j^mu`` and ``J_ii = 0``:

* :func:`ags_alpha_of_y`, :func:`ags_capacity`, :func:`ags_overlap` -- the replica-symmetric
  equilibrium of Amit, Gutfreund & Sompolinsky (1985, 1987) at T = 0.  With
  ``y = m / sqrt(2 alpha r)``: ``m = erf(y)`` and ``sqrt(alpha r) = sqrt(alpha) + sqrt(2/pi) exp(-y^2)``.
  Eliminating ``r`` gives ``alpha(y) = [erf(y) / (sqrt(2) y) - sqrt(2/pi) exp(-y^2)]^2``; the retrieval
  state exists for ``alpha <= alpha_c = max_y alpha(y)``.
* :func:`amari_maginu` -- statistical neurodynamics for synchronous updates (Amari & Maginu 1988):
  the crosstalk noise is Gaussian and only its correlation with the previous step is kept.
* :func:`okada_hierarchy` -- a Gaussian hierarchy in the spirit of Okada (1995) that keeps the
  correlations of the noise with *all* earlier steps.  Its equations are derived in the docstring;
  its fixed point coincides with the AGS solution.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

SQRT_2_OVER_PI = float(np.sqrt(2.0 / np.pi))

__all__ = [
    "AGSCapacity",
    "ags_alpha_of_y",
    "ags_capacity",
    "ags_overlap",
    "amari_maginu",
    "critical_overlap",
    "okada_hierarchy",
    "sign_correlation",
]


# ---------------------------------------------------------------------------------------------
# Replica-symmetric equilibrium (AGS)
# ---------------------------------------------------------------------------------------------
def ags_alpha_of_y(y):
    """Load ``alpha`` at which ``y = m / sqrt(2 alpha r)`` solves the AGS equations at T = 0.

    Negative brackets (no solution) are returned as ``nan``.
    """
    y = np.asarray(y, dtype=float)
    bracket = special.erf(y) / (np.sqrt(2.0) * y) - SQRT_2_OVER_PI * np.exp(-(y**2))
    return np.where(bracket > 0, bracket**2, np.nan)


@dataclass(frozen=True)
class AGSCapacity:
    alpha_c: float
    m_c: float
    y_c: float


def ags_capacity() -> AGSCapacity:
    """Storage capacity: the largest load with a retrieval solution, and the overlap there."""
    res = optimize.minimize_scalar(
        lambda y: -ags_alpha_of_y(y), bounds=(0.8, 4.0), method="bounded", options={"xatol": 1e-12}
    )
    y_c = float(res.x)
    return AGSCapacity(alpha_c=float(ags_alpha_of_y(y_c)), m_c=float(special.erf(y_c)), y_c=y_c)


def ags_overlap(alpha) -> np.ndarray:
    """Overlap of the stable retrieval branch at load ``alpha``; ``nan`` above capacity.

    ``alpha = 0`` gives ``m = 1``.
    """
    alpha = np.atleast_1d(np.asarray(alpha, dtype=float))
    if np.any(alpha < 0):
        raise ValueError("alpha must be >= 0")
    cap = ags_capacity()
    out = np.full(alpha.shape, np.nan)
    for i, a in enumerate(alpha):
        if a == 0:
            out[i] = 1.0
        elif a <= cap.alpha_c:
            # alpha(y) decreases monotonically from alpha_c to 0 on (y_c, inf)
            hi = cap.y_c + 1.0
            while ags_alpha_of_y(hi) > a:
                hi *= 2.0
            y = optimize.brentq(lambda y, a=a: ags_alpha_of_y(y) - a, cap.y_c, hi, xtol=1e-14)
            out[i] = special.erf(y)
    return out


# ---------------------------------------------------------------------------------------------
# Dynamical theories
# ---------------------------------------------------------------------------------------------
def _check_dynamics_args(alpha: float, m0: float, steps: int) -> None:
    if not alpha > 0:
        raise ValueError(f"alpha must be > 0, got {alpha}")
    if not -1.0 <= m0 <= 1.0:
        raise ValueError(f"m0 must lie in [-1, 1], got {m0}")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")


def amari_maginu(alpha: float, m0: float, steps: int) -> np.ndarray:
    """Overlaps ``m_0 .. m_steps`` of the Amari-Maginu (1988) statistical neurodynamics.

    ``sigma_0^2 = alpha``; ``m_{t+1} = erf(m_t / sqrt(2 sigma_t^2))``;
    ``U_t = sqrt(2/pi) / sigma_t exp(-m_t^2 / 2 sigma_t^2)``;
    ``sigma_{t+1}^2 = alpha + 2 alpha m_{t+1} m_t U_t + U_t^2 sigma_t^2``.
    """
    _check_dynamics_args(alpha, m0, steps)
    m = np.empty(steps + 1)
    m[0] = m0
    var = alpha
    for t in range(steps):
        sigma = np.sqrt(var)
        m[t + 1] = special.erf(m[t] / (np.sqrt(2.0) * sigma))
        u = SQRT_2_OVER_PI / sigma * np.exp(-(m[t] ** 2) / (2.0 * var))
        var = alpha + 2.0 * alpha * m[t + 1] * m[t] * u + u**2 * var
    return m


_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(64)


def sign_correlation(a, b, rho):
    """``E[sgn(a + Z1) sgn(b + Z2)]`` for standard normals ``Z1, Z2`` with correlation ``rho``.

    Uses ``(2 Phi(a) - 1)(2 Phi(b) - 1) + (2/pi) int_0^{arcsin rho} exp(-(a^2 - 2ab sin th + b^2)
    / (2 cos^2 th)) d th`` (Plackett's identity after ``r = sin th``), whose integrand is smooth up to
    ``rho = 1``; 64-point Gauss-Legendre quadrature.
    """
    a, b, rho = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (a, b, rho)))
    theta_max = np.arcsin(np.clip(rho, -1.0, 1.0))
    # nodes mapped from [-1, 1] to [0, theta_max]
    th = 0.5 * theta_max[..., None] * (_GL_NODES + 1.0)
    cos2 = np.cos(th) ** 2
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        expo = -(a[..., None] ** 2 - 2 * a[..., None] * b[..., None] * np.sin(th) + b[..., None] ** 2)
        integrand = np.where(cos2 > 0, np.exp(expo / (2 * np.maximum(cos2, 1e-300))), 0.0)
    integral = 0.5 * theta_max * (integrand @ _GL_WEIGHTS)
    ea = special.erf(a / np.sqrt(2.0))
    eb = special.erf(b / np.sqrt(2.0))
    return ea * eb + 2.0 / np.pi * integral


def okada_hierarchy(alpha: float, m0: float, steps: int) -> np.ndarray:
    """Overlaps ``m_0 .. m_steps`` from a Gaussian hierarchy keeping all noise correlations.

    Derivation (after Okada 1995). For an uncondensed pattern ``mu`` the overlap obeys, to leading
    order, ``m^mu(t+1) = eps^mu(t+1) + U_t m^mu(t)`` with ``eps^mu`` the overlap of the state that
    never felt pattern ``mu`` (variance ``1/N``, covariance ``q(t,s)/N``) and ``U_t = <F'(h_t)>``.
    Hence ``m^mu(t) = sum_s a(t,s) eps^mu(s)`` with ``a(t,s) = U_{t-1} ... U_s``, ``a(t,t) = 1``, and
    the crosstalk noise ``z(t) = sum_{mu>1} xi^mu m^mu(t) - alpha x(t)`` is treated as Gaussian with

        v(t, s) = alpha * sum_{k<=t, l<=s} a(t,k) q(k,l) a(s,l)       (V = alpha A Q A^T)

    where ``q(k,l) = <x(k) x(l)>`` is computed from the joint Gaussian fields
    (``q(t+1, s+1) = E[sgn(m_t + z_t) sgn(m_s + z_s)]``, ``q(t+1, 0) = m_{t+1} m_0``) and
    ``m_{t+1} = erf(m_t / sqrt(2 v(t,t)))``.  Keeping only the last term of each sum, with
    ``q(t+1,t) = m_{t+1} m_t``, gives back Amari-Maginu; at a fixed point (``q = 1``, ``U`` constant)
    ``v = alpha / (1 - U)^2``, which is the AGS equation with ``C = U``.  The retarded
    self-interaction, which makes the exact field distribution non-Gaussian from t = 2 on, is
    neglected, as in the Gaussian theories.
    """
    _check_dynamics_args(alpha, m0, steps)
    T = steps + 1
    m = np.empty(T)
    m[0] = m0
    A = np.zeros((T, T))
    Q = np.zeros((T, T))
    V = np.zeros((T, T))
    A[0, 0] = Q[0, 0] = 1.0
    V[0, 0] = alpha
    sig = np.empty(T)
    sig[0] = np.sqrt(alpha)
    for t in range(steps):
        m[t + 1] = special.erf(m[t] / (np.sqrt(2.0) * sig[t]))
        u = SQRT_2_OVER_PI / sig[t] * np.exp(-(m[t] ** 2) / (2.0 * sig[t] ** 2))
        n = t + 1
        # correlations of the new state with all earlier states
        Q[n, n] = 1.0
        Q[n, 0] = Q[0, n] = m[n] * m[0]
        if t >= 1:
            s = np.arange(t)  # earlier field times 0..t-1 -> states 1..t
            rho = V[t, s] / (sig[t] * sig[s])
            q = sign_correlation(m[t] / sig[t], m[s] / sig[s], rho)
            Q[n, s + 1] = Q[s + 1, n] = q
        A[n, :n] = u * A[t, :n]
        A[n, n] = 1.0
        row = alpha * (A[n, : n + 1] @ Q[: n + 1, : n + 1] @ A[: n + 1, : n + 1].T)
        V[n, : n + 1] = V[: n + 1, n] = row
        sig[n] = np.sqrt(V[n, n])
    return m


THEORIES = {"amari_maginu": amari_maginu, "okada": okada_hierarchy}


def critical_overlap(
    alpha: float,
    theory: str = "amari_maginu",
    steps: int = 100,
    threshold: float = 0.5,
    tol: float = 1e-4,
) -> float:
    """Smallest initial overlap from which ``theory`` reaches ``m_steps > threshold``.

    Bisection on ``m0`` in ``[0, 1]``; ``nan`` when even ``m0 = 1`` fails (load above the theory's
    capacity).
    """
    try:
        fn = THEORIES[theory]
    except KeyError:
        raise ValueError(f"unknown theory {theory!r}; choose one of {sorted(THEORIES)}") from None

    def recalls(m0: float) -> bool:
        return bool(fn(alpha, m0, steps)[-1] > threshold)

    if not recalls(1.0):
        return float("nan")
    lo, hi = 0.0, 1.0
    if recalls(lo):
        return 0.0
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        if recalls(mid):
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)
