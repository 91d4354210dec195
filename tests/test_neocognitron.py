"""Neocognitron: fixed C-layers, gradient flow, schedules, and a tiny training run."""

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
        lr=3e-3,
        record_every=25,
        train_subset=None,
    )
    curve = training.train_network(model, x, y, cfg, "widening", seed=2)
    assert curve[-1][1] < 0.6 * curve[0][1]
    assert training.accuracy(model, x, y) > 0.5
    d = training.delta_diagnostic(model, x[:50], y[:50])
    assert -1 <= d["delta_neighbour_corr"] <= 1 and 0 <= d["kernel_abs_cosine"] <= 1


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
