"""Training under C-cell width schedules, test accuracy, the delta diagnostic and the experiment that
runs every schedule over several seeds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from conceptdyn.neocognitron.network import NeocognitronConfig, build_lenet, build_neocognitron


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
    iterations: int
    batch_size: int
    lr: float
    record_every: int
    narrow: float
    final: float
    widen_fraction: float
    shape: str
    train_subset: int | None


def train_network(model, x, y, cfg: TrainConfig, schedule: str | None, seed: int):
    """Adam on the MSE against one-hot targets; returns recorded ``(iteration, mse)``.

    ``schedule`` None: no C-layers to set (the LeNet reference).
    """
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
