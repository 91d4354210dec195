"""Neocognitron: fixed C-layers, gradient flow, schedules, and a tiny training run."""

import numpy as np
import pytest
import torch

from conceptdyn.core.settings import defaults
from conceptdyn.neocognitron import network, training


def test_c_layer_is_exactly_the_configured_fixed_blur():
    c = network.build_c_layer(3, max_sigma=2.0)
    assert list(c.parameters()) == []  # nothing learned
    c.set_width(1.3)
    k = network.gaussian_kernel(1.3, c.size)
    assert torch.allclose(c.kernel[2, 0], k)
    assert float(k.sum()) == pytest.approx(1.0)
    r = torch.arange(c.size) - c.size // 2
    var = float((k.sum(0) * r.float() ** 2).sum())
    assert var == pytest.approx(1.3**2, rel=0.02)  # width as configured (truncation at 2 sigma is tiny)
    # a delta input comes out as the blurred, subsampled, saturated kernel
    x = torch.zeros(1, 3, 16, 16)
    x[0, 1, 8, 8] = 1.0
    y = c(x)
    half = c.size // 2
    blurred = k[half, half]
    assert float(y[0, 1, 4, 4]) == pytest.approx(float(blurred / (1 + blurred)), rel=1e-5)
    with pytest.raises(ValueError, match="exceeds the maximum"):
        c.set_width(2.5)


def test_sigma_zero_is_identity_before_subsampling():
    c = network.build_c_layer(1, max_sigma=1.0)
    c.set_width(0.0)
    x = torch.rand(1, 1, 8, 8)
    assert torch.allclose(c(x), x[:, :, ::2, ::2] / (1 + x[:, :, ::2, ::2]))


def test_gradients_reach_every_s_layer_and_no_c_layer_learns():
    model = network.build_neocognitron(
        defaults(network.NeocognitronConfig, "neocognitron", planes=(4, 6), max_sigma=2.0), seed=0
    )
    model.set_width(1.0)
    out = model(torch.rand(5, 1, 28, 28))
    assert out.shape == (5, 10)
    out.sum().backward()
    for s in model.s_layers:
        assert s.weight.grad is not None and float(s.weight.grad.abs().sum()) > 0
    assert all(not list(c.parameters()) for c in model.c_layers)


def test_width_schedules():
    kw = dict(total=100, narrow=0.5, final=2.0, widen_fraction=0.5)
    assert training.width_schedule("narrow", 70, **kw) == 0.5
    assert training.width_schedule("final", 0, **kw) == 2.0
    assert training.width_schedule("widening", 0, **kw) == 0.5
    assert training.width_schedule("widening", 25, **kw) == pytest.approx(1.25)
    assert training.width_schedule("widening", 80, **kw) == 2.0
    assert training.width_schedule("widening", 25, shape="geometric", **kw) == pytest.approx(1.0)
    # stepwise: 4 widths 0.5, 1.0, 1.5, 2.0, one per quarter of the widening half (12.5 iterations each)
    steps = [training.width_schedule("stepwise", i, **kw) for i in (0, 12, 13, 24, 25, 37, 38, 99)]
    assert steps == pytest.approx([0.5, 0.5, 1.0, 1.0, 1.5, 1.5, 2.0, 2.0])
    with pytest.raises(ValueError):
        training.width_schedule("sudden", 0, **kw)


def test_tiny_training_run_lowers_the_loss():
    g = torch.Generator().manual_seed(0)
    y = torch.arange(200) % 10
    x = torch.zeros(200, 1, 28, 28)
    for d in range(10):  # ten easy classes: a bright bar at a class-specific row
        x[y == d, 0, 2 + 2 * d, 4:24] = 1.0
    x += 0.05 * torch.rand(x.shape, generator=g)
    model = network.build_neocognitron(
        defaults(network.NeocognitronConfig, "neocognitron", planes=(4, 8), max_sigma=2.0), seed=1
    )
    cfg = defaults(
        training.TrainConfig,
        "neocognitron",
        iterations=300,
        batch_size=32,
        optimizer="adam",
        lr=3e-3,
        record_every=25,
        train_subset=None,
    )
    curve = training.train_network(model, x, y, cfg, "widening", seed=2)
    assert curve[-1][1] < 0.6 * curve[0][1]
    assert training.accuracy(model, x, y) > 0.5
    d = training.delta_diagnostic(model, x[:50], y[:50])
    # the kernels' mean |cosine| over distinct planes, written out with numpy
    w = model.s_layers[0].weight.detach().flatten(1).numpy().astype(float)
    w /= np.linalg.norm(w, axis=1, keepdims=True)
    cos = np.abs(w @ w.T)[~np.eye(len(w), dtype=bool)]
    assert d["kernel_abs_cosine"] == pytest.approx(cos.mean(), rel=1e-5)
    assert np.isfinite(d["delta_neighbour_corr"])


def test_wide_c_cells_make_neighbouring_error_signals_alike():
    """The delta problem: with wide blurring, adjacent S1-cells get nearly the same error signal."""
    x = torch.rand(64, 1, 28, 28, generator=torch.Generator().manual_seed(0))
    y = torch.arange(64) % 10
    model = network.build_neocognitron(
        defaults(network.NeocognitronConfig, "neocognitron", planes=(4, 8), max_sigma=2.0), seed=0
    )
    model.set_width(0.3)
    narrow = training.delta_diagnostic(model, x, y)["delta_neighbour_corr"]
    model.set_width(2.0)
    wide = training.delta_diagnostic(model, x, y)["delta_neighbour_corr"]
    assert wide > 0.9 > narrow


def exact_signed_rank_p(d) -> float:
    """Two-sided signed-rank p-value by enumerating every sign flip of the (mid)ranks of |d|."""
    import itertools

    from scipy.stats import rankdata

    ranks = rankdata(np.abs(d))
    w = ranks[np.asarray(d) > 0].sum()
    centre = ranks.sum() / 2
    flips = [
        sum(r for r, s in zip(ranks, signs, strict=True) if s)
        for signs in itertools.product((0, 1), repeat=len(d))
    ]
    return float(np.mean([abs(f - centre) >= abs(w - centre) - 1e-12 for f in flips]))


def test_signed_rank_p_is_the_exact_permutation_p_without_ties():
    """Rules out a one-sided p, a normal approximation at small n, or a statistic on the wrong ranks."""
    from conceptdyn.core.stats import paired_comparison

    rng = np.random.default_rng(3)
    for _ in range(5):
        a, b = rng.normal(0.3, 1, 7), rng.normal(0, 1, 7)
        assert paired_comparison(a, b)["p_signed_rank"] == pytest.approx(exact_signed_rank_p(a - b))


def test_paired_comparison_against_a_hand_computation():
    """d = a - b = (0.1, 0.2, 0.3, -0.1): mean 0.125, sd 0.17078, t(0.975, 3) = 3.18245; signed ranks:
    |d| ranks 1.5, 3, 4, 1.5 (ties), W- = 1.5, exact two-sided p = 6/16 by enumeration."""

    from conceptdyn.core.stats import paired_comparison

    a, b = np.array([0.6, 0.7, 0.8, 0.4]), np.array([0.5, 0.5, 0.5, 0.5])
    r = paired_comparison(a, b)
    d = a - b
    half = 3.182446305284263 * d.std(ddof=1) / 2
    assert r["n"] == 4 and r["diff"] == pytest.approx(0.125)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((0.125 - half, 0.125 + half))
    # the exact permutation p-value by enumeration of all 2^4 sign flips of the midranks
    # (1.5, 3, 4, 1.5): W+ = 8.5; |W+ - 5| >= 3.5 for 6 of 16 flips (not scipy: written out here)
    assert r["p_signed_rank"] == pytest.approx(6 / 16)
    assert r["p_signed_rank"] == pytest.approx(exact_signed_rank_p(d))
    assert (r["a_greater"], r["b_greater"]) == (3, 1)
    # ten seeds all in favour: exact two-sided p = 2 / 2^10
    r10 = paired_comparison(np.arange(10) + 1.0, np.zeros(10))
    assert r10["p_signed_rank"] == pytest.approx(2 / 1024)
    # a pair with a missing value is dropped, and equal samples give p = 1
    assert paired_comparison([1.0, np.nan], [0.0, 0.0])["n"] == 1
    assert paired_comparison([1.0, 2.0], [1.0, 2.0])["p_signed_rank"] == 1.0


def test_distorted_test_sets_are_seeded_and_keep_the_digit():
    from conceptdyn.neocognitron import testsets

    x = torch.zeros(5, 1, 28, 28)
    x[:, 0, 10:18, 12:16] = 1.0
    s1, s2 = testsets.shifted(x, 3, seed=4), testsets.shifted(x, 3, seed=4)
    assert torch.equal(s1, s2) and torch.equal(testsets.shifted(x, 0, seed=4), x)
    # a shift moves the mass without losing it (the bar stays inside the image)
    assert torch.allclose(s1.sum((1, 2, 3)), x.sum((1, 2, 3)))
    cy = (s1[:, 0].sum(2) * torch.arange(28)).sum(1) / s1[:, 0].sum((1, 2))
    assert ((cy - 13.5).abs() <= 3).all()
    e = testsets.elastic(x, alpha=8.0, sigma=3.0, seed=1)
    assert torch.equal(e, testsets.elastic(x, alpha=8.0, sigma=3.0, seed=1))
    assert torch.allclose(testsets.elastic(x, alpha=0.0, sigma=3.0, seed=1), x, atol=1e-6)
    assert not torch.allclose(e, x) and float(e.sum()) == pytest.approx(float(x.sum()), rel=0.2)


def test_sgd_sigmoid_variant_trains_and_runs_are_paired_by_seed():
    """Plain SGD with sigmoid S-cells lowers the loss on easy data; two schedules with one seed start
    from the same weights and see the same batches (only the C-cell width differs)."""
    y = torch.arange(100) % 10
    x = torch.zeros(100, 1, 28, 28)
    for d in range(10):
        x[y == d, 0, 2 + 2 * d, 4:24] = 1.0
    net = defaults(
        network.NeocognitronConfig, "neocognitron", planes=(4, 8), max_sigma=2.0, activation="sigmoid"
    )
    a, b = network.build_neocognitron(net, seed=3), network.build_neocognitron(net, seed=3)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    cfg = defaults(
        training.TrainConfig,
        "neocognitron",
        iterations=100,
        batch_size=20,
        lr=2.0,
        record_every=50,
        train_subset=None,
    )
    curve = training.train_network(a, x, y, cfg, "final", seed=5)
    assert curve[-1][1] < curve[0][1]
    # the same schedule and seed reproduce the run exactly
    assert training.train_network(b, x, y, cfg, "final", seed=5) == curve


def test_run_seeds_derive_from_the_master_seed():
    """The paired run seeds and the distortion seed follow the master seed: the same master gives
    the same seeds, another master other seeds (so the seeds target changes this stage too)."""
    a, b = training.paired_seeds(20261130, 10), training.paired_seeds(7, 10)
    assert a == training.paired_seeds(20261130, 10) and len(set(a)) == 10
    assert not set(a) & set(b)
    assert training.paired_seeds(20261130, 3) == a[:3]  # more runs extend, never reshuffle, the list
    assert training.distortion_seed(20261130) == training.distortion_seed(20261130)
    assert training.distortion_seed(20261130) != training.distortion_seed(7)
    assert training.distortion_seed(20261130) not in a
