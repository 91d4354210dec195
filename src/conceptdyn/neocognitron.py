"""A neocognitron-style network trained by backpropagation, with C-cells of scheduled width.

After Okada & Fukushima (1990): S-layers are learned convolutions (rectified); C-layers are a *fixed*
spatial blur of each S-plane (a normalised Gaussian of width sigma, no learned weights), subsampling
by 2 and a saturating output ``x / (1 + x)``.  The last S-layer is a set of 10 output cells, trained
with the mean squared error against one-hot targets.  The C-cell width can change during training
(:func:`width_schedule`): narrow at first and widened gradually is the paper's remedy for neighbouring
S-cells that receive nearly the same error signal and are reinforced together.

A LeNet-5-style CNN with max pooling (learned convolutions, no fixed blur) is the modern reference,
trained with the same loss, optimiser and data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


def _torch():
    import torch

    return torch


def gaussian_kernel(sigma: float, size: int):
    """Normalised 2-D Gaussian ``(size, size)``; ``sigma = 0`` gives the identity (a single 1)."""
    torch = _torch()
    if size % 2 == 0 or size < 1:
        raise ValueError(f"kernel size must be odd and positive, got {size}")
    if sigma < 0:
        raise ValueError(f"sigma must be >= 0, got {sigma}")
    r = torch.arange(size, dtype=torch.float32) - size // 2
    if sigma == 0:
        g = (r == 0).float()
    else:
        g = torch.exp(-(r**2) / (2 * sigma**2))
    k = g[:, None] * g[None, :]
    return k / k.sum()


def build_c_layer(planes: int, max_sigma: float):
    """A C-layer: fixed depthwise Gaussian blur (buffer, not a parameter), stride-2 subsampling,
    saturation ``x / (1 + x)``.  ``set_width(sigma)`` changes the blur in place."""
    torch = _torch()
    from torch import nn

    size = 2 * math.ceil(2 * max_sigma) + 1

    class CLayer(nn.Module):
        def __init__(self):
            super().__init__()
            self.planes, self.size, self.max_sigma = planes, size, max_sigma
            self.register_buffer("kernel", torch.zeros(planes, 1, size, size))
            self.sigma = 0.0
            self.set_width(0.0)

        def set_width(self, sigma: float) -> None:
            if sigma > self.max_sigma + 1e-9:
                raise ValueError(f"C-cell width {sigma} exceeds the maximum {self.max_sigma} of this layer")
            self.sigma = float(sigma)
            self.kernel.copy_(gaussian_kernel(sigma, self.size).expand(self.planes, 1, -1, -1))

        def forward(self, x):
            y = torch.nn.functional.conv2d(
                x, self.kernel, stride=2, padding=self.size // 2, groups=self.planes
            )
            return y / (1.0 + y)

    return CLayer()


@dataclass
class NeocognitronConfig:
    planes: tuple[int, ...] = (8, 16)  # S-planes of S1, S2
    kernel: int = 5  # S-cell receptive field
    max_sigma: float = 2.0  # largest C-cell width the layers are built for


def build_neocognitron(cfg: NeocognitronConfig, seed: int):
    torch = _torch()
    from torch import nn

    class Neocognitron(nn.Module):
        def __init__(self):
            super().__init__()
            chans = [1, *cfg.planes]
            self.s_layers = nn.ModuleList(
                nn.Conv2d(chans[i], chans[i + 1], cfg.kernel, padding=cfg.kernel // 2)
                for i in range(len(cfg.planes))
            )
            self.c_layers = nn.ModuleList(build_c_layer(p, cfg.max_sigma) for p in cfg.planes)
            side = 28 // 2 ** len(cfg.planes)
            self.out = nn.Conv2d(chans[-1], 10, side)  # 10 output S-cells, each sees the whole plane
            self.s1_output = None

        def set_width(self, sigma: float) -> None:
            for c in self.c_layers:
                c.set_width(sigma)

        def forward(self, x):
            for i, (s, c) in enumerate(zip(self.s_layers, self.c_layers, strict=True)):
                x = torch.relu(s(x))
                if i == 0:
                    self.s1_output = x
                x = c(x)
            return torch.sigmoid(self.out(x).flatten(1))

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return Neocognitron()


def build_lenet(seed: int):
    """LeNet-5-style reference: conv-ReLU-maxpool twice, then 120-84-10, sigmoid outputs."""
    torch = _torch()
    from torch import nn

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120),
            nn.ReLU(),
            nn.Linear(120, 84),
            nn.ReLU(),
            nn.Linear(84, 10),
            nn.Sigmoid(),
        )


def width_schedule(
    kind: str,
    iteration: int,
    total: int,
    narrow: float,
    final: float,
    widen_fraction: float = 0.5,
    shape: str = "linear",
) -> float:
    """C-cell width at ``iteration`` of ``total``: ``narrow``, ``final`` or ``widening`` from narrow to
    final over the first ``widen_fraction`` of training (``linear`` or ``geometric``), then final."""
    if kind == "narrow":
        return narrow
    if kind == "final":
        return final
    if kind != "widening":
        raise ValueError(f"unknown schedule {kind!r}; choose narrow, final or widening")
    frac = min(1.0, iteration / max(1.0, widen_fraction * total))
    if shape == "linear":
        return narrow + (final - narrow) * frac
    if shape == "geometric":
        lo = max(narrow, 1e-3)
        return lo * (final / lo) ** frac
    raise ValueError(f"unknown widening shape {shape!r}; choose linear or geometric")


@dataclass
class TrainConfig:
    iterations: int = 1500
    batch_size: int = 64
    lr: float = 1e-3
    record_every: int = 25
    narrow: float = 0.5
    final: float = 2.0
    widen_fraction: float = 0.5
    shape: str = "linear"
    train_subset: int | None = None


def train_network(model, x, y, cfg: TrainConfig, schedule: str | None, seed: int):
    """Adam on the MSE against one-hot targets; returns recorded ``(iteration, mse)``.

    ``schedule`` None: no C-layers to set (the LeNet reference).
    """
    torch = _torch()
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    target = torch.nn.functional.one_hot(y, 10).float()
    curve, window = [], []
    model.train()
    for it in range(1, cfg.iterations + 1):
        if schedule is not None:
            model.set_width(
                width_schedule(
                    schedule, it - 1, cfg.iterations, cfg.narrow, cfg.final, cfg.widen_fraction, cfg.shape
                )
            )
        idx = torch.randint(0, len(x), (cfg.batch_size,), generator=g)
        out = model(x[idx])
        loss = torch.mean((out - target[idx]) ** 2)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        window.append(float(loss.detach()))
        if it % cfg.record_every == 0:
            curve.append((it, float(np.mean(window))))
            window = []
    return curve


def accuracy(model, x, y, batch: int = 2000) -> float:
    torch = _torch()
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += int((model(x[i : i + batch]).argmax(1) == y[i : i + batch]).sum())
    return correct / len(x)


def delta_diagnostic(model, x, y) -> dict:
    """How alike neighbouring S1-cells are: their error signals and their learned kernels.

    ``delta_neighbour_corr``: correlation of dLoss/d(S1 output) between horizontally adjacent cells of
    the same plane (over a batch); ``kernel_abs_cosine``: mean |cosine| between the S1 kernels of
    different planes (features that failed to differentiate are alike).
    """
    torch = _torch()
    model.eval()
    target = torch.nn.functional.one_hot(y, 10).float()
    out = model(x)
    s1 = model.s1_output
    s1.retain_grad()
    torch.mean((out - target) ** 2).backward()
    d = s1.grad
    a, b = d[..., :, :-1].flatten(), d[..., :, 1:].flatten()
    keep = (a != 0) | (b != 0)
    corr = float(torch.corrcoef(torch.stack([a[keep], b[keep]]))[0, 1]) if keep.sum() > 2 else float("nan")
    w = model.s_layers[0].weight.detach().flatten(1)
    w = w / w.norm(dim=1, keepdim=True)
    cos = (w @ w.T).abs()
    n = cos.shape[0]
    model.zero_grad(set_to_none=True)
    return {"delta_neighbour_corr": corr, "kernel_abs_cosine": float((cos.sum() - n) / (n * (n - 1)))}


def run_experiment(
    x,
    y,
    x_test,
    y_test,
    schedules,
    seeds,
    net_cfg: NeocognitronConfig,
    cfg: TrainConfig,
    lenet: bool = True,
    diagnostic_images: int = 500,
    progress=None,
):
    """Every schedule (and the LeNet reference) for every seed: curves, accuracies, kernels, delta rows."""
    import pandas as pd

    if cfg.train_subset:
        x, y = x[: cfg.train_subset], y[: cfg.train_subset]
    runs = [(s, seed) for s in list(schedules) + (["lenet"] if lenet else []) for seed in seeds]
    curves, acc, kernels, deltas = [], [], [], []
    xd, yd = x_test[:diagnostic_images], y_test[:diagnostic_images]
    for schedule, seed in progress(runs, "neocognitron runs") if progress else runs:
        if schedule == "lenet":
            model = build_lenet(seed)
        else:
            model = build_neocognitron(net_cfg, seed)
            model.set_width(
                width_schedule(
                    schedule, 0, cfg.iterations, cfg.narrow, cfg.final, cfg.widen_fraction, cfg.shape
                )
            )
            deltas.append(
                {
                    "schedule": schedule,
                    "seed": seed,
                    "phase": "start",
                    "sigma": model.c_layers[0].sigma,
                    **delta_diagnostic(model, xd, yd),
                }
            )
        curve = train_network(model, x, y, cfg, None if schedule == "lenet" else schedule, seed)
        curves += [{"schedule": schedule, "seed": seed, "iteration": it, "mse": m} for it, m in curve]
        acc.append({"schedule": schedule, "seed": seed, "test_accuracy": accuracy(model, x_test, y_test)})
        if schedule != "lenet":
            deltas.append(
                {
                    "schedule": schedule,
                    "seed": seed,
                    "phase": "end",
                    "sigma": model.c_layers[0].sigma,
                    **delta_diagnostic(model, xd, yd),
                }
            )
        w = (model.s_layers[0].weight if schedule != "lenet" else model[0].weight).detach().flatten(1)
        if seed == seeds[0]:
            kernels += [
                {
                    "schedule": schedule,
                    "seed": seed,
                    "plane": p,
                    **{f"k{i}": float(v) for i, v in enumerate(w[p])},
                }
                for p in range(w.shape[0])
            ]
        del model
    return pd.DataFrame(curves), pd.DataFrame(acc), pd.DataFrame(kernels), pd.DataFrame(deltas)
