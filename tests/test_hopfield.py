"""The dynamics engine against explicit couplings, exact properties and the theory."""

import numpy as np
import pandas as pd
import pytest
import torch
from scipy import special

from conceptdyn.hopfield import compare as ha
from conceptdyn.hopfield import engine as hf
from conceptdyn.hopfield import sweeps as sw
from conceptdyn.hopfield import theory as th


def explicit_couplings(xi, scaled=True):
    """J = xi^T xi / N with zero diagonal, built the textbook way.

    ``scaled=False`` returns the integer matrix N J, whose fields are exact (ties at 0 stay ties).
    """
    n = xi.shape[1]
    J = xi.T.astype(np.int64) @ xi.astype(np.int64)
    np.fill_diagonal(J, 0)
    return J / n if scaled else J


def test_random_patterns_are_unbiased_signs(rng):
    x = hf.random_patterns(rng, (50, 2000))
    assert set(np.unique(x)) == {-1.0, 1.0}
    assert abs(x.mean()) < 0.005  # sd of the mean: 1/sqrt(1e5) = 0.003
    # distinct patterns are uncorrelated: overlaps ~ N(0, 1/N)
    q = x @ x.T / 2000
    off = q[~np.eye(50, dtype=bool)]
    assert abs(off.std() - 1 / np.sqrt(2000)) < 0.003
    odd = hf.random_patterns(rng, (3, 7))  # sizes that are not a multiple of 8
    assert odd.shape == (3, 7) and set(np.unique(odd)) <= {-1.0, 1.0}


def test_perturb_sets_exact_overlap(rng):
    target = hf.random_patterns(rng, (2, 3, 1000))
    m0 = np.array([0.0, 0.3, 1.0])
    x = hf.perturb(rng, target, m0[None, :])
    m = (x * target).mean(-1)
    np.testing.assert_allclose(m, np.broadcast_to(m0, (2, 3)), atol=1e-3)
    with pytest.raises(ValueError):
        hf.perturb(rng, target, 1.5)


def test_perturb_flips_the_same_signs_as_the_ranks_it_replaced(rng):
    """The partial sort picks exactly the neurons whose rank among the row's draws is below the row's
    flip count (the double argsort it replaced), for counts 0 and N, and for rows with tied draws."""
    r = rng.random((4, 3, 500))
    r[1, 2, :40] = 0.0  # 40 tied smallest draws, cut at 20 in row (1, 2)
    k = np.array([[0, 1, 250], [499, 500, 20], [7, 7, 7], [100, 300, 2]])
    ranks = r.argsort(axis=-1, kind="stable").argsort(axis=-1)
    got = hf._smallest(r, k)
    np.testing.assert_array_equal(got.sum(-1), k)
    untied = np.ones(k.shape, bool)
    untied[1, 2] = False
    np.testing.assert_array_equal(got[untied], (ranks < k[..., None])[untied])
    assert got[1, 2, :40].sum() == 20  # the 20 flips come from the tied draws


def test_fields_equal_explicit_couplings(rng, cpu):
    xi = hf.random_patterns(rng, (1, 30, 200))
    x = hf.random_patterns(rng, (1, 4, 200))
    h = hf.local_fields(torch.from_numpy(xi), torch.from_numpy(x)).numpy() / 200
    J = explicit_couplings(xi[0])
    np.testing.assert_allclose(h[0], x[0] @ J.T, atol=1e-5)


def test_blocked_fields_are_the_bits_of_one_product(rng, cpu, monkeypatch):
    """Large +-1 networks take their fields in blocks of patterns: exact integers in float32, so the
    same bits as the one-product form (also across a block boundary that splits the patterns unevenly)."""
    xi = torch.from_numpy(hf.random_patterns(rng, (2, 150, 400)))
    x = xi[:, :5].clone()
    x[..., :90] *= -1
    monkeypatch.setattr(hf, "BLOCK_BYTES", 10**9)
    one = hf.local_fields(xi, x)
    monkeypatch.setattr(hf, "BLOCK_BYTES", 0)
    monkeypatch.setattr(hf, "BLOCK_PATTERNS", 64)
    assert torch.equal(hf.local_fields(xi, x), one)
    assert torch.equal(hf._blocked_fields(xi, x), one)
    # sums that could reach 2^24 (here |q_mu| = 2^24 each) are taken by the one-product form
    big = torch.full((1, 3, 2), 2.0**23)
    y = torch.ones(1, 1, 2)
    assert torch.equal(hf._blocked_fields(big, y), y @ big.transpose(1, 2) @ big - 3 * y)


def test_integer_fields_are_the_bits_of_the_float_fields(cpu):
    """The fields of +-1 networks in int8 products against float32: the same bits, for several
    networks, one state or many, given overlaps too; None where float32 sums could round (then the
    float form runs) and for states that are not integers."""
    if not hf._int8_products():
        pytest.skip("this torch has no int8 matrix product on the CPU")
    rng = np.random.default_rng(8)
    for b, k, p, n in [(1, 1, 1, 9), (3, 5, 37, 301), (2, 40, 130, 2000), (1, 7, 600, 16383)]:
        P = torch.from_numpy(hf.random_patterns(rng, (b, p, n)))
        x = torch.from_numpy(hf.random_patterns(rng, (b, k, n)))
        x[:, 0] = P[:, 0]  # a stored pattern: one overlap of N
        P8 = hf.integer_patterns(P)
        assert P8 is not None and P8.dtype == torch.int8
        expected = x @ P.transpose(1, 2) @ P - p * x
        assert torch.equal(hf._integer_fields(P8, x), expected)
        assert torch.equal(hf.local_fields(P, x, int8=P8), hf.local_fields(P, x))
        assert torch.equal(hf._integer_products(x, P8), x @ P.transpose(1, 2))
        # one state broadcast along an axis of stride 0 (a numpy view such as x0[:, None])
        one = x[:, :1].expand(b, 1, n).as_strided((b, 1, n), (n * k, 0, 1))
        assert torch.equal(hf._integer_products(one, P8), one @ P.transpose(1, 2))
        assert torch.equal(hf._integer_fields(P8, one), one @ P.transpose(1, 2) @ P - p * one)
    # sums that could reach 2^24 in float32: refused
    big = torch.ones(1, 1100, 16000)
    assert hf._integer_fields(big.to(torch.int8), torch.ones(1, 1, 16000)) is None
    # not +-1 Hebb, too many neurons, not +-1 values: float32 only
    assert hf.integer_patterns(P, diag=P[:, 0]) is None
    assert hf.integer_patterns(torch.ones(1, 2, 2**14)) is None
    assert hf.integer_patterns(0.5 * P) is None
    bad = P.clone()
    bad[0, 0, 0] = 0.3  # inside [-1, 1], not +-1
    assert hf.plus_minus_int8(bad) is None
    bad[0, 0, 0] = float("nan")
    assert hf.plus_minus_int8(bad) is None


@pytest.mark.parametrize("temperature", [0.0, 0.3])
def test_dynamics_in_integers_are_the_bits_of_float_dynamics(cpu, monkeypatch, temperature):
    """Whole runs (sign rule with fixed points and two-cycles, Glauber with an external field) with
    and without the int8 products: the same states and overlaps."""
    rng = np.random.default_rng(9)
    xi = hf.random_patterns(rng, (3, 60, 400))  # alpha = 0.15: some starts fail, some cycle
    x0 = hf.perturb(rng, np.repeat(xi[:, :2], 4, axis=1), 0.4)
    external = (0.1 * xi[:, :1]).repeat(8, axis=1) if temperature else None

    def run(x0):
        return hf.run_dynamics(
            xi,
            x0,
            12,
            temperature=temperature,
            rng=np.random.default_rng(5),
            readout=xi[:, :3],
            device=cpu,
            record_states=True,
            external=external,
        )

    pm1 = x0.copy()
    with_zeros = x0.copy()
    with_zeros[0, 0, :5] = 0.0  # a start that is not +-1: the float products, the same dynamics either way
    ints, ints_from_zeros = run(pm1), run(with_zeros)
    given = hf.run_dynamics(  # the int8 patterns handed in, as a caller running one network many times
        xi,
        pm1,
        12,
        temperature=temperature,
        rng=np.random.default_rng(5),
        readout=xi[:, :3],
        device=cpu,
        record_states=True,
        external=external,
        int8_patterns=hf.integer_patterns(torch.from_numpy(xi)),
    )
    np.testing.assert_array_equal(given.states, ints.states)
    np.testing.assert_array_equal(given.overlaps, ints.overlaps)
    with pytest.raises(ValueError, match="int8_patterns must have"):
        hf.run_dynamics(xi, pm1, 1, device=cpu, int8_patterns=hf.integer_patterns(torch.from_numpy(xi[:1])))
    monkeypatch.setattr(hf, "_int8_products", lambda: False)
    floats, floats_from_zeros = run(pm1), run(with_zeros)
    for a, b in [(ints, floats), (ints_from_zeros, floats_from_zeros)]:
        np.testing.assert_array_equal(a.states, b.states)
        np.testing.assert_array_equal(a.overlaps, b.overlaps)


@pytest.mark.parametrize("temperature", [0.0, 0.3])
def test_states_updated_in_slices_are_the_bits_of_all_at_once(cpu, monkeypatch, temperature):
    """Many states of a small +-1 network are updated a slice at a time: the same states and overlaps
    as all at once (sign rule and Glauber, with an external field, slices that split the states
    unevenly)."""
    xi = hf.random_patterns(np.random.default_rng(3), (1, 12, 500))
    x0 = hf.perturb(np.random.default_rng(4), np.repeat(xi[:, :3], 5, axis=1), 0.3)  # 15 states
    external = (0.2 * xi[:, :1]).repeat(15, axis=1)

    def run(slice_bytes):
        monkeypatch.setattr(hf, "SLICE_BYTES", slice_bytes)
        return hf.run_dynamics(
            xi,
            x0,
            6,
            temperature=temperature,
            rng=np.random.default_rng(5),
            readout=xi,
            device=cpu,
            record_states=True,
            external=external,
        )

    whole, sliced = run(10**9), run(4 * 500 * 4)  # slices of 4 states
    assert hf._state_slices(torch.from_numpy(xi), torch.from_numpy(x0), None, None) is not None
    np.testing.assert_array_equal(sliced.states, whole.states)
    np.testing.assert_array_equal(sliced.overlaps, whole.overlaps)


@pytest.mark.parametrize("slice_bytes", [10**9, 4 * 500 * 4])
def test_fields_from_the_recorded_overlaps_are_the_bits_of_fields_anew(cpu, monkeypatch, slice_bytes):
    """Glauber dynamics whose read-out begins with the patterns take each step's first field product
    from the recorder: the same states and overlaps as a read-out that does not (the patterns last,
    so every product is taken anew), whole and in slices, with an external field."""
    monkeypatch.setattr(hf, "SLICE_BYTES", slice_bytes)
    rng = np.random.default_rng(6)
    xi = hf.random_patterns(rng, (1, 12, 500))
    extra = hf.random_patterns(rng, (1, 3, 500))
    x0 = hf.perturb(np.random.default_rng(4), np.repeat(xi[:, :3], 5, axis=1), 0.3)
    external = (0.2 * xi[:, :1]).repeat(15, axis=1)

    def run(readout):
        return hf.run_dynamics(
            xi,
            x0,
            6,
            temperature=0.4,
            rng=np.random.default_rng(5),
            readout=readout,
            device=cpu,
            record_states=True,
            external=external,
        )

    reused = run(np.concatenate([xi, extra], axis=1))
    anew = run(np.concatenate([extra, xi], axis=1))
    P = torch.from_numpy(xi)
    assert hf._overlaps_recorded(P, torch.from_numpy(np.concatenate([xi, extra], axis=1)), None, None)
    assert not hf._overlaps_recorded(P, torch.from_numpy(np.concatenate([extra, xi], axis=1)), None, None)
    assert not hf._overlaps_recorded(P, P, P[:, 0], None)  # a self-coupling: not plain +-1 Hebb
    np.testing.assert_array_equal(reused.states, anew.states)
    np.testing.assert_array_equal(reused.overlaps[..., :12], anew.overlaps[..., 3:])


def test_synchronous_dynamics_equal_explicit_update(rng, cpu):
    xi = hf.random_patterns(rng, (1, 40, 300))  # alpha = 0.13: plenty of flips
    x0 = hf.perturb(rng, xi[:, :1], 0.3)
    J = explicit_couplings(xi[0], scaled=False)
    x = x0[0, 0].astype(float)
    expected = [x @ xi[0, 0] / 300]
    for _ in range(8):
        x = np.where(J @ x >= 0, 1.0, -1.0)
        expected.append(x @ xi[0, 0] / 300)
    res = hf.run_dynamics(xi, x0, 8, device=cpu)
    np.testing.assert_allclose(res.overlaps[:, 0, 0, 0], expected, atol=1e-6)


def test_sign_of_zero_field_is_plus_one(cpu):
    # two patterns that agree on neuron 0 and disagree elsewhere in a balanced way give h_0 = 0 from
    # a state orthogonal to both
    xi = np.array([[[1, 1, 1, -1], [1, -1, -1, 1]]], dtype=np.float32)
    x0 = np.array([[[-1, 1, -1, 1]]], dtype=np.float32)
    h = hf.local_fields(torch.from_numpy(xi), torch.from_numpy(x0)).numpy()
    assert h[0, 0, 0] == 0
    res = hf.run_dynamics(xi, x0, 1, device=cpu, record_states=True)
    assert res.states[1, 0, 0, 0] == 1


def test_stored_patterns_are_fixed_points_at_low_load(rng, cpu):
    xi = hf.random_patterns(rng, (3, 10, 1000))
    for rule in ("synchronous", "sequential"):
        res = hf.run_dynamics(xi, xi, 3, rule=rule, rng=rng, readout=xi, device=cpu)
        diag = np.einsum("tbkk->tbk", res.overlaps)
        assert np.all(diag == 1.0), rule


def test_sequential_dynamics_never_raise_the_energy(rng, cpu):
    xi = hf.random_patterns(rng, (1, 25, 150))
    J = explicit_couplings(xi[0])
    x0 = hf.random_patterns(rng, (1, 1, 150))
    res = hf.run_dynamics(xi, x0, 6, rule="sequential", rng=rng, device=cpu, record_states=True)
    energy = [-0.5 * s[0, 0] @ J @ s[0, 0] for s in res.states.astype(float)]
    assert np.all(np.diff(energy) <= 1e-9)
    assert energy[-1] < energy[0]


def test_high_temperature_destroys_retrieval(rng, cpu):
    xi = hf.random_patterns(rng, (2, 5, 2000))
    res = hf.run_dynamics(xi, xi[:, :1], 10, temperature=3.0, rng=rng, device=cpu)
    assert np.all(np.abs(res.overlaps[-1]) < 0.1)
    # below T = 1 (the low-load critical temperature) retrieval survives
    res = hf.run_dynamics(xi, xi[:, :1], 10, temperature=0.5, rng=rng, device=cpu)
    assert np.all(res.overlaps[-1] > 0.8)


def test_fixed_point_and_two_cycle_detection(rng, cpu):
    xi = hf.random_patterns(rng, (6, 300, 1000))  # alpha = 0.3: glassy, cycles are common
    res_short = hf.run_dynamics(xi, xi[:, :1], 120, device=cpu, record_states=True)
    assert res_short.steps_run < 120 and res_short.converged  # every network settled and was skipped
    assert set(res_short.period) <= {1, 2}
    # the continuation after detection is exact: compare with an explicit loop
    for b in range(6):
        J = explicit_couplings(xi[b], scaled=False)
        x = xi[b, 0].astype(float)
        for t in range(1, 121):
            x = np.where(J @ x >= 0, 1.0, -1.0)
            assert np.array_equal(res_short.states[t, b, 0], x.astype(np.int8)), (b, t)


def test_amari_maginu_first_steps_match_simulation(cpu):
    """alpha = 0.08, m0 = 0.4: the first step of the theory, m(1) = erf(m0 / sqrt(2 alpha)), is exact for
    N -> infinity, so the simulated mean lies within 4 standard errors of the trial mean (plus the
    O(1/N) finite-size bias). The second step is an approximation (it leaves the N = 50,000
    simulation by a few hundredths, docs/scaling.md): checked only to 0.03, 3 standard errors."""
    trials = 12
    m = sw.overlap_trajectories(4000, 0.08, [0.4], trials=trials, steps=3, seed=7, device=cpu)[:, 0]
    mean, se = m.mean(0), m.std(0, ddof=1) / np.sqrt(trials)
    theory = th.amari_maginu(0.08, 0.4, 3)
    assert theory[1] == pytest.approx(special.erf(0.4 / np.sqrt(2 * 0.08)))
    assert abs(mean[1] - theory[1]) < 4 * se[1] + 1 / 4000
    assert abs(mean[2] - theory[2]) < 0.03 + 3 * se[2]


def test_capacity_from_small_sweep_lies_in_band(cpu):
    alphas = np.round(np.arange(0.08, 0.241, 0.02), 3)
    df = sw.simulate_capacity([800], alphas, networks=12, seed=3, max_steps=30, device=cpu)
    _, est = ha.compare_capacity(df, retrieval_threshold=0.8)
    # finite-size capacity of synchronous dynamics from a stored pattern, N = 800: the AGS value
    # 0.138 shifted up by finite-size effects; band chosen wide enough for 12 trials
    assert 0.12 <= est["alpha_c_sim"].iloc[0] <= 0.20


def test_results_do_not_depend_on_batching(cpu):
    kw = dict(trials=5, seed=11, max_steps=10, device=cpu, show_progress=False)
    a = sw.capacity_sweep([500], [0.1, 0.2], **kw)
    b = sw.capacity_sweep([500], [0.1, 0.2], max_batch_bytes=1, **kw)  # one trial per batch
    assert a == b
    c = sw.capacity_sweep([500], [0.2], **kw)  # the grid around a point does not change it
    assert [r for r in a if r["alpha"] == 0.2] == c


def test_engine_input_validation(rng, cpu):
    xi = hf.random_patterns(rng, (1, 3, 50))
    with pytest.raises(ValueError, match="patterns must have shape"):
        hf.run_dynamics(xi[0], xi[0], 1, device=cpu)
    with pytest.raises(ValueError, match="x0 must have shape"):
        hf.run_dynamics(xi, xi[:, :, :10], 1, device=cpu)
    with pytest.raises(ValueError, match="need an rng"):
        hf.run_dynamics(xi, xi, 1, temperature=0.5, device=cpu)
    with pytest.raises(ValueError, match="rule"):
        hf.run_dynamics(xi, xi, 1, rule="parallel", device=cpu)


def test_kth_largest_field_equals_top_k_with_ties(rng):
    """The activity threshold (the aN-th largest field) by partial sort equals torch's top-k, ties
    included (integer-valued fields tie often)."""
    h = torch.as_tensor(rng.integers(-5, 6, size=(2, 3, 200)).astype(np.float32))
    for k in (1, 20, 57, 200):
        assert torch.equal(hf._kth_largest(h, k), torch.topk(h, k, dim=-1).values[..., -1:])


def test_sparse_dynamics_equal_explicit_covariance_rule(rng, cpu):
    """0/1 neurons: J_ij = sum_mu (xi_i - a)(xi_j - a) / (N a (1 - a)), J_ii = 0, written out; one
    synchronous step with a fixed threshold and with activity control (the aN largest fields fire),
    with and without an external field, and the sparse overlap read-out."""
    n, p, a = 300, 12, 0.1
    xi = (rng.random((1, p, n)) < a).astype(np.float32)
    x0 = (rng.random((1, 3, n)) < a).astype(np.float32)
    ext = (0.2 * rng.standard_normal((1, 3, n))).astype(np.float32)
    c = xi[0] - a
    J = c.T @ c / (n * a * (1 - a))
    np.fill_diagonal(J, 0.0)
    for external in (None, ext):
        h = x0[0] @ J.T + (0 if external is None else external[0])
        fixed = hf.SparseCoding(a, threshold=0.05)
        res = hf.run_dynamics(xi, x0, 1, coding=fixed, device=cpu, record_states=True, external=external)
        clear = np.abs(h - 0.05) > 1e-5  # float32 vs float64 fields: leave out near-ties
        np.testing.assert_array_equal(res.states[1, 0][clear], (h >= 0.05).astype(np.int8)[clear])
        active = hf.SparseCoding(a)
        res = hf.run_dynamics(xi, x0, 1, coding=active, device=cpu, record_states=True, external=external)
        kth = np.sort(h, axis=1)[:, -round(a * n)][:, None]  # the aN-th largest field; ties all fire
        clear = np.abs(h - kth) > 1e-5
        np.testing.assert_array_equal(res.states[1, 0][clear], (h >= kth).astype(np.int8)[clear])
        assert res.states[1, 0].sum(1).min() >= round(a * n)
    # overlap read-out: 1 at the pattern, (xi - a) . x / (N a (1 - a)) in general
    res = hf.run_dynamics(xi, xi[:, :1], 0, coding=hf.SparseCoding(a), device=cpu)
    assert res.overlaps[0, 0, 0, 0] == pytest.approx(
        float(xi[0, 0].sum() * (1 - a) / (n * a * (1 - a))), rel=1e-5
    )


def test_weighted_hebb_and_external_field_equal_explicit_couplings(rng, cpu):
    """+-1 neurons with learning weights w_mu and an external field, against J = sum_mu w_mu xi xi^T / N."""
    n, p = 200, 10
    xi = hf.random_patterns(rng, (1, p, n))
    w = rng.uniform(0.5, 2.0, (1, p)).astype(np.float32)
    x0 = hf.random_patterns(rng, (1, 2, n))
    ext = (0.3 * rng.standard_normal((1, 2, n))).astype(np.float32)
    J = (xi[0].T * w[0]) @ xi[0] / n
    np.fill_diagonal(J, 0.0)
    res = hf.run_dynamics(xi, x0, 1, weights=w, external=ext, device=cpu, record_states=True)
    h = x0[0] @ J.T + ext[0]
    np.testing.assert_array_equal(res.states[1, 0], np.where(h >= 0, 1, -1).astype(np.int8))
    # the random-sequential sweep knows only the plain Hebb rule: refused, not silently wrong
    with pytest.raises(ValueError, match="synchronous rule only"):
        hf.run_dynamics(xi, x0, 1, rule="sequential", weights=w, rng=rng, device=cpu)


def test_several_starts_per_network_match_single_starts(cpu):
    """Running k stored patterns of a network at once gives, for each, the trajectory it has alone."""
    kw = dict(seed=5, max_steps=12, device=cpu, show_progress=False)
    many = sw.capacity_sweep([400], [0.15, 0.25], 3, starts=4, **kw)
    one = sw.capacity_sweep([400], [0.15, 0.25], 3, starts=1, **kw)
    assert len(many) == 2 * 3 * 4 and {r["start"] for r in many} == {0, 1, 2, 3}
    first = [{k: v for k, v in r.items() if k != "period"} for r in many if r["start"] == 0]
    assert first == [{k: v for k, v in r.items() if k != "period"} for r in one]
    # start s alone: run pattern s of the same network by itself
    P = sw._patterns_for(5, 0, 400, 0.25, range(2, 3), sw.n_patterns(0.25, 400))
    for s in range(4):
        alone = hf.run_dynamics(P, P[:, s : s + 1], 12, readout=P[:, s : s + 1], device=cpu)
        row = next(r for r in many if r["alpha"] == 0.25 and r["network"] == 2 and r["start"] == s)
        assert row["m_final"] == pytest.approx(float(alone.overlaps[-1, 0, 0, 0]))
    with pytest.raises(ValueError, match="starts"):
        sw.capacity_sweep([400], [0.1], 1, starts=0, **kw)


def test_dropping_decided_states_keeps_every_outcome(cpu):
    """With fail_below, settled states report exactly the overlap a full run has at max_steps, and failed
    ones end below the retrieval threshold in the full run too."""
    kw = dict(seed=2, max_steps=60, device=cpu, show_progress=False, starts=8)
    full = sw.capacity_sweep([600], [0.14, 0.17, 0.22], 2, **kw)
    fast = sw.capacity_sweep([600], [0.14, 0.17, 0.22], 2, fail_below=0.5, check_every=7, **kw)
    assert {r["status"] for r in fast} <= {"settled", "failed", "unresolved"}
    assert {r["status"] for r in fast} >= {"settled", "failed"}
    for a, b in zip(full, fast, strict=True):
        assert (a["alpha"], a["network"], a["start"]) == (b["alpha"], b["network"], b["start"])
        if b["status"] in ("settled", "unresolved"):
            assert b["m_final"] == pytest.approx(a["m_final"], abs=1e-6)
        else:
            assert b["m_final"] < 0.5 and a["m_final"] < 0.8


def test_one_capacity_simulator_takes_one_network_count_or_one_per_size(cpu):
    """The Hopfield stage's table and the scaling study's come from the same simulator: a count per N
    gives, at each N, the rows of that count alone."""
    kw = dict(seed=4, max_steps=12, starts=2, device=cpu)
    both = sw.simulate_capacity([200, 300], [0.1, 0.2], [3, 2], **kw)
    assert list(both.columns) == ["N", "alpha", "network", "start", "m_final", "period", "status", "steps"]
    assert both.groupby("N")["network"].nunique().to_dict() == {200: 3, 300: 2}
    alone = sw.simulate_capacity([300], [0.1, 0.2], 2, **kw)
    pd.testing.assert_frame_equal(both[both["N"] == 300].reset_index(drop=True), alone)
    assert set(alone["status"]) <= {"settled", "unresolved"} and (alone["steps"] == 12).all()
    with pytest.raises(ValueError, match="one count per N"):
        sw.simulate_capacity([200, 300], [0.1], [3], **kw)
