"""Macroscopic theory against published numbers and internal consistency."""

import numpy as np
import pytest

from conceptdyn.hopfield import theory as th


def test_ags_capacity_matches_published_value():
    cap = th.ags_capacity()
    assert abs(cap.alpha_c - 0.138) < 0.002
    # AGS: m_c = 0.967 (our root of the stated equations: 0.96742)
    assert abs(cap.m_c - 0.967) < 0.001


def test_ags_overlap_branch():
    m = th.ags_overlap([0.0, 0.05, 0.10, 0.13, 0.139, 0.2])
    assert m[0] == 1.0
    assert np.all(np.diff(m[:4]) < 0)  # retrieval overlap falls with load
    assert m[3] > th.ags_capacity().m_c
    assert np.isnan(m[4]) and np.isnan(m[5])
    # the returned m solves the original pair of equations
    alpha = 0.1
    y = th.special.erfinv(m[2])
    rhs = np.sqrt(alpha) + np.sqrt(2 / np.pi) * np.exp(-(y**2))
    assert m[2] / (np.sqrt(2) * y) == pytest.approx(rhs, rel=1e-10)


def test_amari_maginu_reference_trajectory():
    m = th.amari_maginu(0.08, 0.4, 4)
    np.testing.assert_allclose(m, [0.40, 0.84, 0.93, 0.98, 1.00], atol=0.006)


@pytest.mark.parametrize(("alpha", "m0c"), [(0.05, 0.087), (0.08, 0.154), (0.10, 0.209), (0.12, 0.279)])
def test_amari_maginu_basin_boundary(alpha, m0c):
    assert th.critical_overlap(alpha, "amari_maginu", steps=200) == pytest.approx(m0c, abs=0.003)


def test_amari_maginu_capacity_near_016():
    assert th.amari_maginu(0.155, 1.0, 300)[-1] > 0.9
    assert th.amari_maginu(0.165, 1.0, 300)[-1] < 0.5


@pytest.mark.parametrize("alpha", [0.02, 0.08, 0.12, 0.135])
def test_okada_fixed_point_is_ags(alpha):
    m = th.okada_hierarchy(alpha, 1.0, 80)
    assert m[-1] == pytest.approx(th.ags_overlap(alpha)[0], abs=2e-4)


def test_okada_agrees_with_amari_maginu_for_first_two_steps():
    # both start from sigma_0^2 = alpha and share sigma_1 (q(1,0) = m1 m0 is exact)
    for alpha, m0 in [(0.05, 0.3), (0.1, 0.5)]:
        np.testing.assert_allclose(
            th.okada_hierarchy(alpha, m0, 2), th.amari_maginu(alpha, m0, 2), atol=1e-12
        )


def test_okada_fails_above_ags_capacity():
    assert th.okada_hierarchy(0.16, 1.0, 120)[-1] < 0.5


def test_sign_correlation_against_monte_carlo(rng):
    z = rng.standard_normal((2, 400_000))
    for a, b, rho in [(0.3, -0.5, 0.7), (1.2, 0.4, -0.3), (0.0, 0.8, 0.95)]:
        z2 = rho * z[0] + np.sqrt(1 - rho**2) * z[1]
        mc = np.mean(np.sign(a + z[0]) * np.sign(b + z2))
        assert th.sign_correlation(a, b, rho) == pytest.approx(mc, abs=0.006)
    assert th.sign_correlation(0.7, 0.7, 1.0) == pytest.approx(1.0, abs=1e-9)
    assert th.sign_correlation(0.4, -0.2, 0.0) == pytest.approx(
        th.special.erf(0.4 / np.sqrt(2)) * th.special.erf(-0.2 / np.sqrt(2))
    )


def test_critical_overlap_nan_above_capacity_and_bad_input():
    assert np.isnan(th.critical_overlap(0.2, "okada", steps=40))
    with pytest.raises(ValueError, match="unknown theory"):
        th.critical_overlap(0.1, "nope")
    with pytest.raises(ValueError, match="alpha"):
        th.amari_maginu(0.0, 0.5, 3)
