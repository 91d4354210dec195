"""Training under C-cell width schedules, test accuracy, the delta diagnostic and the experiment that
runs every schedule over several seeds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from conceptdyn.neocognitron.network import NeocognitronConfig, build_lenet, build_neocognitron

STEPS = 4  # widths of the stepwise schedule


def width_schedule(
    kind: str,
    iteration: int,
    total: int,
    narrow: float,
    final: float,
    widen_fraction: float = 0.5,
    shape: str = "linear",
) -> float:
    """C-cell width at ``iteration`` of ``total``: ``narrow``, ``final``, ``widening`` from narrow to
    final over the first ``widen_fraction`` of training (``linear`` or ``geometric``), then final; or
    ``stepwise``: the same path in ``STEPS`` equal steps, one per equal part of the widening phase
    (narrow in the first part, final from the last part on)."""
    if kind == "narrow":
        return narrow
    if kind == "final":
        return final
    if kind not in ("widening", "stepwise"):
        raise ValueError(f"unknown schedule {kind!r}; choose narrow, final, widening or stepwise")
    frac = min(1.0, iteration / max(1.0, widen_fraction * total))
    if kind == "stepwise":
        frac = min(1.0, math.floor(frac * STEPS) / (STEPS - 1))
    if shape == "linear":
        return narrow + (final - narrow) * frac
    if shape == "geometric":
        lo = max(narrow, 1e-3)
        return lo * (final / lo) ** frac
    raise ValueError(f"unknown widening shape {shape!r}; choose linear or geometric")


OPTIMIZERS = ("adam", "sgd")


@dataclass
class TrainConfig:
    iterations: int
    batch_size: int
    optimizer: str  # adam, or sgd (plain gradient descent with momentum, as in 1990)
    lr: float
    momentum: float  # sgd only
    record_every: int
    delta_every: int  # the delta diagnostic every this many iterations (0: start and end only)
    narrow: float
    final: float
    widen_fraction: float
    shape: str
    train_subset: int | None


def train_network(model, x, y, cfg: TrainConfig, schedule: str | None, seed: int, on_record=None):
    """Adam or SGD on the MSE against one-hot targets; returns recorded ``(iteration, mse)``.

    ``schedule`` None: no C-layers to set (the LeNet reference).  The batch order depends on ``seed``
    only, so runs of one seed under different schedules see the same batches (paired comparisons).
    ``on_record(it)`` is called at every recorded iteration (e.g. for the delta diagnostic).
    """
    from conceptdyn.core.runtime import child_seed

    g = torch.Generator().manual_seed(child_seed(seed, "neocognitron.batches"))
    if cfg.optimizer == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    elif cfg.optimizer == "sgd":
        opt = torch.optim.SGD(model.parameters(), lr=cfg.lr, momentum=cfg.momentum)
    else:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {cfg.optimizer!r}")
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
            if on_record is not None:
                on_record(it)
    return curve


def accuracy(model, x, y, batch: int = 200) -> float:
    """Fraction of ``x`` classified as ``y``, in batches of ``batch`` images: small enough that a batch's
    feature maps stay in the cache (200 images: 2.6 times faster than 2,000 on one thread,
    benchmarks/RESULTS.md)."""
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


def paired_seeds(master_seed: int, n: int) -> list[int]:
    """The ``n`` paired run seeds of the stage, derived from the master seed: a run seed fixes the
    initial weights and the batch order of every schedule, so schedules are compared seed by seed."""
    from conceptdyn.core.runtime import child_seed

    return [child_seed(master_seed, "neocognitron.runs", i) for i in range(n)]


def distortion_seed(master_seed: int) -> int:
    """The seed of the shifted and elastically deformed test sets, derived from the master seed."""
    from conceptdyn.core.runtime import child_seed

    return child_seed(master_seed, "neocognitron.distortion")


@dataclass
class EvalConfig:
    """How runs are scored (config section ``neocognitron``; ``distortion_seed`` from the master seed,
    :func:`distortion_seed`)."""

    test_images: int  # images of each distorted test set (the first of the test split)
    shift_px: int
    elastic_alpha: float
    elastic_sigma: float
    distortion_seed: int
    mse_threshold: float  # iterations to reach this MSE (recorded curve)
    mse_at: tuple[float, ...]  # fractions of training at which the MSE is compared


def test_sets(x_test, y_test, ev: EvalConfig) -> dict:
    """The clean test split and the fixed, seeded distorted sets (first ``test_images`` images)."""
    from conceptdyn.core.runtime import child_seed
    from conceptdyn.neocognitron.testsets import elastic, shifted

    xs, ys = x_test[: ev.test_images], y_test[: ev.test_images]
    cpu = xs.cpu()
    shift_seed = child_seed(ev.distortion_seed, "neocognitron.shifted")
    elastic_seed = child_seed(ev.distortion_seed, "neocognitron.elastic")
    return {
        "test": (x_test, y_test),
        "shifted": (shifted(cpu, ev.shift_px, shift_seed).to(xs.device), ys),
        "elastic": (elastic(cpu, ev.elastic_alpha, ev.elastic_sigma, elastic_seed).to(xs.device), ys),
    }


def iterations_to(curve: list[tuple[int, float]], threshold: float) -> float:
    """First recorded iteration whose running MSE is at most ``threshold`` (NaN if never)."""
    return next((float(it) for it, m in curve if m <= threshold), float("nan"))


def run_experiment(
    x,
    y,
    x_test,
    y_test,
    schedules,
    seeds,
    net_cfg: NeocognitronConfig,
    cfg: TrainConfig,
    ev: EvalConfig,
    lenet: bool = True,
    diagnostic_images: int = 500,
    progress=None,
):
    """Every schedule (and the LeNet reference) for every seed, paired by seed (same initial weights
    and batch order).  Returns the tables ``curves`` (MSE per record), ``accuracy`` (clean, shifted,
    elastic test accuracy and iterations to the MSE threshold per run), ``kernels`` (S1 kernels of the
    first seed), ``delta`` (the delta diagnostic over training)."""
    import pandas as pd

    if cfg.train_subset:
        x, y = x[: cfg.train_subset], y[: cfg.train_subset]
    sets = test_sets(x_test, y_test, ev)
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

        def diagnose(it, model=model, schedule=schedule, seed=seed):
            """The delta diagnostic at the start, every ``delta_every`` iterations and at the end."""
            due = it in (0, cfg.iterations) or (cfg.delta_every and it % cfg.delta_every == 0)
            if schedule == "lenet" or not due:
                return
            deltas.append(
                {
                    "schedule": schedule,
                    "seed": seed,
                    "iteration": it,
                    "sigma": model.c_layers[0].sigma,
                    **delta_diagnostic(model, xd, yd),
                }
            )
            model.train()

        diagnose(0)
        curve = train_network(
            model, x, y, cfg, None if schedule == "lenet" else schedule, seed, on_record=diagnose
        )
        curves += [{"schedule": schedule, "seed": seed, "iteration": it, "mse": m} for it, m in curve]
        row = {"schedule": schedule, "seed": seed}
        for name, (xs, ys) in sets.items():
            row[f"{name}_accuracy"] = accuracy(model, xs, ys)
        row["iterations_to_threshold"] = iterations_to(curve, ev.mse_threshold)
        for frac in ev.mse_at:
            it = max(cfg.record_every, round(frac * cfg.iterations / cfg.record_every) * cfg.record_every)
            row[f"mse_at_{round(100 * frac)}pct"] = next((m for i, m in curve if i == it), float("nan"))
        acc.append(row)
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


def comparison_table(acc, reference: str = "final") -> pd.DataFrame:
    """Every schedule against ``reference``, paired by seed, for every score of ``acc``: mean
    difference (schedule - reference), 95 % t interval, signed-rank p-value, wins."""
    from conceptdyn.core.stats import paired_comparison

    metrics = [c for c in acc.columns if c not in ("schedule", "seed")]
    ref = acc[acc["schedule"] == reference].set_index("seed")
    rows = []
    for schedule in acc["schedule"].unique():
        if schedule == reference:
            continue
        other = acc[acc["schedule"] == schedule].set_index("seed")
        seeds = sorted(set(ref.index) & set(other.index))
        for m in metrics:
            rows.append(
                {
                    "schedule": schedule,
                    "reference": reference,
                    "metric": m,
                    **paired_comparison(other.loc[seeds, m].to_numpy(), ref.loc[seeds, m].to_numpy()),
                }
            )
    return pd.DataFrame(rows)
