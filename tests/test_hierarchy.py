"""Hierarchical patterns, mixed states and the few-pattern map, against exact results and simulation."""

import numpy as np
import pytest
from scipy.optimize import brentq

from conceptdyn.concepts import analysis as ca
from conceptdyn.concepts import patterns as hi
from conceptdyn.hopfield.engine import run_dynamics


def test_pattern_statistics(rng):
    parents, children = hi.hierarchical_patterns(rng, 2, 3, 3, 0.6, 20000)
    assert parents.shape == (2, 3, 20000) and children.shape == (2, 9, 20000)
    child_parent = np.einsum("bpsn,bpn->bps", children.reshape(2, 3, 3, -1), parents) / 20000
    np.testing.assert_allclose(child_parent, 0.6, atol=0.02)
    sib = np.einsum("bn,bn->b", children[:, 0], children[:, 1]) / 20000
    np.testing.assert_allclose(sib, 0.36, atol=0.02)
    cousins = np.einsum("bn,bn->b", children[:, 0], children[:, 3]) / 20000  # different parents
    np.testing.assert_allclose(cousins, 0.0, atol=0.03)


@pytest.mark.parametrize("b", [0.0, 0.3, 0.6, 0.9])
def test_mixed_overlaps_closed_form_for_s3(b):
    child, parent = hi.mixed_overlaps_exact(3, b)
    assert child == pytest.approx((1 + b**2) / 2, abs=1e-12)
    assert parent == pytest.approx((3 * b - b**3) / 2, abs=1e-12)


def test_mixed_overlaps_reference_values():
    assert hi.mixed_overlaps_exact(3, 0.6) == pytest.approx((0.680, 0.792), abs=1e-9)
    assert hi.mixed_overlaps_exact(1, 0.6) == pytest.approx((1.0, 0.6))  # one child: itself


@pytest.mark.parametrize("s", [3, 5, 7])
def test_mixed_overlaps_exact_vs_sampled(s):
    df = ca.mixed_state_overlaps([s], [0.2, 0.5, 0.8], n=40000, trials=3, seed=5)
    # sampling error of an overlap: sd ~ 1/sqrt(N) = 0.005 per pattern; averaged over >= 9 values
    np.testing.assert_allclose(df["m_child_sim"], df["m_child_exact"], atol=0.006)
    np.testing.assert_allclose(df["m_parent_sim"], df["m_parent_exact"], atol=0.01)


def test_macro_map_matches_monte_carlo_average(rng):
    s, b, temp = 3, 0.4, 0.5
    m = np.array([0.5, 0.3, 0.2])
    parents, children = hi.hierarchical_patterns(rng, 1, 1, s, b, 400000)
    h = np.einsum("k,kn->n", m, children[0].astype(float))
    mc = children[0] @ np.tanh(h / temp) / children.shape[-1]
    mp = parents[0, 0] @ np.tanh(h / temp) / children.shape[-1]
    new, new_p = hi.macro_map(m, s, b, temp)
    np.testing.assert_allclose(new, mc, atol=0.004)
    assert new_p == pytest.approx(mp, abs=0.004)


def test_jacobian_matches_finite_differences():
    s, b, temp = 3, 0.3, 0.6
    m = np.array([0.5, 0.4, 0.35])
    jac = hi.macro_jacobian(m, s, b, temp)
    eps = 1e-6
    num = np.stack(
        [
            (hi.macro_map(m + eps * e, s, b, temp)[0] - hi.macro_map(m - eps * e, s, b, temp)[0]) / (2 * eps)
            for e in np.eye(s)
        ],
        axis=1,
    )
    np.testing.assert_allclose(jac, num, atol=1e-7)


@pytest.mark.parametrize(("s", "b", "temp"), [(3, 0.3, 0.0), (3, 0.3, 0.2), (3, 0.15, 0.65), (5, 0.5, 0.65)])
def test_every_fixed_point_satisfies_the_map(s, b, temp):
    df = ca.fixed_points_table([s], [b], [temp])
    assert len(df) >= 2
    for _, row in df.iterrows():
        m = row[[f"m{i + 1}" for i in range(s)]].to_numpy(float)
        np.testing.assert_allclose(hi.macro_map(m, s, b, temp)[0], m, atol=1e-7)
        assert (row["max_eigenvalue"] < 1) == (row["stability"] == "stable")


def test_zero_temperature_few_patterns_retrieve_child_and_mixed_state():
    fps = {fp.kind: fp for fp in hi.find_fixed_points(3, 0.6, 0.0)}
    assert fps["child"].m == pytest.approx((1.0, 0.36, 0.36))
    assert fps["mixed"].m == pytest.approx((0.68,) * 3)  # = (1 + b^2) / 2, the mixed state itself
    assert fps["mixed"].m_parent == pytest.approx(0.792)


def test_mixed_state_bifurcation_is_where_the_eigenvalue_crosses_one():
    b_c = hi.mixed_state_bifurcation(3, 0.65)
    assert 0.1 < b_c < 0.4
    assert (
        hi.mixed_state_instability(3, b_c - 0.02, 0.65) > 1 > hi.mixed_state_instability(3, b_c + 0.02, 0.65)
    )
    # b = 0: the symmetric 3-mixture of uncorrelated patterns loses stability near T = 0.46 (AGS 1985)
    assert hi.mixed_state_instability(3, 0.0, 0.40) < 1 < hi.mixed_state_instability(3, 0.0, 0.50)


def _simulate_near(fp, s, b, temp, n, steps, rng, cpu):
    """Start a finite network at the mean-field state of a fixed point and follow its overlaps."""
    nets = hi.family_networks(rng, 3, s, b, n)
    h = np.einsum("k,bkn->bn", np.array(fp.m), nets.children)
    x0 = np.where(rng.random(h.shape) < (1 + np.tanh(h / temp)) / 2, 1.0, -1.0).astype(np.float32)
    res = run_dynamics(
        nets.stored, x0[:, None], steps, temperature=temp, rng=rng, readout=nets.children, device=cpu
    )
    return res.overlaps[:, :, 0, :]  # (T+1, B, s)


def test_stability_agrees_with_finite_n_simulation(rng, cpu):
    s, temp = 3, 0.65
    for b in (0.1, 0.35):  # mixed state a saddle (lambda ~ 1.12), then stable (lambda ~ 0.85)
        mixed = next(fp for fp in hi.find_fixed_points(s, b, temp) if fp.kind == "mixed")
        m = _simulate_near(mixed, s, b, temp, 20000, 80, rng, cpu)
        drift = np.abs(m[-1] - np.array(mixed.m)).max()
        if mixed.stable:
            assert mixed.max_eigenvalue < 0.9 and drift < 0.06, (b, drift)
        else:
            assert mixed.max_eigenvalue > 1.1 and drift > 0.3, (b, drift)
    # the child state is stable at b = 0.1 and the network stays there
    child = next(fp for fp in hi.find_fixed_points(s, 0.1, temp) if fp.kind == "child" and fp.stable)
    m = _simulate_near(child, s, 0.1, temp, 20000, 40, rng, cpu)
    assert np.abs(m[-1] - np.array(child.m)).max() < 0.06


def test_plateau_measure_on_a_constructed_trajectory():
    m = np.array(
        [[0.1, 0.1, 0.1], [0.35, 0.36, 0.34], [0.37, 0.37, 0.37], [0.45, 0.30, 0.30], [0.8, 0.1, 0.1]]
    )
    arr, esc, escaped = hi.plateau(m, 0.37, arrive_tol=0.05, escape_gap=0.3)
    assert (arr, esc, escaped) == (1.0, 4.0, True)
    assert np.isnan(hi.plateau(m[:1], 0.37, 0.05, 0.3)[0])


def test_retrieval_plateau_grows_with_n(cpu):
    traj = ca.retrieval_dynamics(
        3,
        [0.15],
        0.65,
        [1000, 16000],
        trials=6,
        steps=60,
        start="parent",
        noise_overlap=0.3,
        seed=2,
        device=cpu,
    )
    pl = ca.plateau_table(traj, arrive_tol=0.1, escape_gap=0.3)
    sim = pl[pl["source"] == "simulation"].groupby("N")["plateau"].mean()
    assert sim[16000] > sim[1000] + 2  # escape is seeded by O(1/sqrt(N)) fluctuations
    th = pl[pl["source"] == "theory"].set_index("N")["plateau"]
    assert th[16000] > th[1000]


def test_classify_final_outcomes():
    m = np.array([[0.9, 0.1, 0.1], [0.6, 0.6, 0.58], [0.1, 0.05, 0.0]])
    out = hi.classify_final(m, child_gap=0.25, mixed_spread=0.15, mixed_min=0.2)
    assert list(out) == ["child", "mixed", "other"]


def test_bad_family_arguments(rng):
    with pytest.raises(ValueError, match="odd"):
        hi.mixed_overlaps_exact(4, 0.5)
    with pytest.raises(ValueError, match="b"):
        hi.hierarchical_patterns(rng, 1, 1, 3, 1.5, 10)
    with pytest.raises(ValueError, match="odd number"):
        hi.mixed_state(np.ones((2, 4, 10), dtype=np.float32))


def test_bifurcation_values_pinned_by_an_independent_jacobian():
    """b_c(T = 0.65) for s = 3 is 0.2341 (to 1e-3); checked without the module's own stability code:
    at b_c the mixed fixed point of the exact map (found by iterating it) has a finite-difference
    Jacobian whose largest |eigenvalue| is 1, below b_c above 1, above b_c below 1. The b = 0 limit
    (uncorrelated 3-mixture) turns at T = 0.46 (Amit, Gutfreund & Sompolinsky 1985)."""

    def largest_eigenvalue(b, temp, h=1e-6):
        m = np.full(3, 0.5)
        for _ in range(5000):  # the mixed state attracts along the symmetric line
            m = np.full(3, hi.macro_map(m, 3, b, temp)[0].mean())
        jac = np.empty((3, 3))
        for j in range(3):
            e = np.zeros(3)
            e[j] = h
            jac[:, j] = (hi.macro_map(m + e, 3, b, temp)[0] - hi.macro_map(m - e, 3, b, temp)[0]) / (2 * h)
        return float(np.abs(np.linalg.eigvals(jac)).max())

    b_c = hi.mixed_state_bifurcation(3, 0.65)
    assert b_c == pytest.approx(0.2341, abs=1e-3)
    assert largest_eigenvalue(b_c, 0.65) == pytest.approx(1.0, abs=2e-3)
    assert largest_eigenvalue(b_c - 0.01, 0.65) > 1 > largest_eigenvalue(b_c + 0.01, 0.65)
    t_c = brentq(lambda t: largest_eigenvalue(0.0, t) - 1, 0.40, 0.50, xtol=1e-4)
    assert t_c == pytest.approx(0.46, abs=0.005)


@pytest.mark.parametrize("s", [3, 5, 7])
def test_child_is_a_zero_temperature_fixed_point_exactly_when_s_minus_1_b2_below_1(s):
    """(s - 1) b^2 < 1 on a grid of b on both sides of the boundary 1/sqrt(s - 1) (0.707, 0.5, 0.408):
    rules out s b^2 < 1 or (s - 1) b < 1."""
    boundary = 1 / np.sqrt(s - 1)
    for b in (0.2, boundary - 0.03, boundary + 0.03, 0.9):
        kinds = {fp.kind for fp in hi.find_fixed_points(s, b, 0.0)}
        assert ("child" in kinds) == ((s - 1) * b * b < 1), (s, b)
