"""Regime scan of the neocognitron stage: where does gradual widening of the C-cells help?

    python benchmarks/scan_neocognitron.py [--seeds 0 1 2] [--iterations 1000] [--mnist ../shared/data/mnist]

For every optimiser / learning rate, S-cell activation, final C-cell width and widening length, trains
the fixed final width and the linear widening with the same seeds (same initial weights and batch
order) and writes one row per setting to ``benchmarks/results/neocognitron_scan.csv`` (final MSE of
each, their paired difference with a 95 % t interval, test accuracy on clean / shifted / deformed
digits, the delta correlation at the end) and a map ``neocognitron_scan.png``: where widening helps
(interval below 0 for the MSE), hurts, or does not matter.

Rule for the stage's default (stated before the scan, applied to its table): the 1990 learning rule
(plain SGD, no momentum) with the largest learning rate at which both schedules reduce the MSE below
the all-outputs-0.1 plateau (0.09) on every seed; sigmoid S-cells if such a rate exists for them,
else ReLU.  The rule does not look at which schedule wins.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import time
from pathlib import Path

import pandas as pd

from conceptdyn.core.runtime import set_threads
from conceptdyn.core.settings import default_config, defaults
from conceptdyn.core.stats import paired_comparison
from conceptdyn.data import mnist
from conceptdyn.neocognitron import network, training

OUT = Path(__file__).parent / "results"
PLATEAU = 0.09


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--iterations", type=int, default=1000)
    ap.add_argument("--mnist", default="../shared/data/mnist")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    set_threads(args.threads)
    root = OUT / "mnist"
    mnist.prepare_mnist(root, local_dir=args.mnist)
    (xi, yi), (xt, yt) = mnist.load_mnist(root, True), mnist.load_mnist(root, False)
    x, x_test = (im.float().div(255).unsqueeze(1) for im in (xi, xt))
    base = defaults(training.TrainConfig, "neocognitron", iterations=args.iterations, delta_every=0)
    ev = defaults(
        training.EvalConfig,
        "neocognitron",
        test_images=1000,
        distortion_seed=training.distortion_seed(default_config()["seed"]),
    )
    grid = [("adam", 1e-3), ("sgd", 0.5), ("sgd", 2.0)]
    rows = []
    for (opt, lr), act, final, frac in itertools.product(grid, ("relu", "sigmoid"), (2.0, 3.0), (0.5,)):
        t0 = time.perf_counter()
        net = defaults(network.NeocognitronConfig, "neocognitron", activation=act, max_sigma=final)
        cfg = dataclasses.replace(base, optimizer=opt, lr=lr, final=final, widen_fraction=frac)
        curves, acc, _, delta = training.run_experiment(
            x, yi, x_test, yt, ["final", "widening"], args.seeds, net, cfg, ev, lenet=False
        )
        end = curves[curves["iteration"] == curves["iteration"].max()].pivot(
            index="seed", columns="schedule", values="mse"
        )
        accs = acc.set_index(["schedule", "seed"])
        row = {"optimizer": opt, "lr": lr, "activation": act, "final": final, "widen_fraction": frac}
        cmp = paired_comparison(end["widening"], end["final"])
        row.update(
            {
                f"mse_end_{k}": v
                for k, v in cmp.items()
                if k in ("mean_a", "mean_b", "diff", "ci_low", "ci_high")
            }
        )
        row["learns_all"] = bool((end.max(axis=1) < PLATEAU).all())
        for k in ("test", "shifted", "elastic"):
            a = paired_comparison(accs.loc["widening"][f"{k}_accuracy"], accs.loc["final"][f"{k}_accuracy"])
            row[f"{k}_acc_final"], row[f"{k}_acc_diff"] = a["mean_b"], a["diff"]
            row[f"{k}_acc_ci_low"], row[f"{k}_acc_ci_high"] = a["ci_low"], a["ci_high"]
        d_end = (
            delta[delta["iteration"] == delta["iteration"].max()]
            .groupby("schedule")["delta_neighbour_corr"]
            .mean()
        )
        row["delta_corr_final"], row["delta_corr_widening"] = d_end.get("final"), d_end.get("widening")
        if min(row["mse_end_mean_a"], row["mse_end_mean_b"]) >= PLATEAU:
            row["verdict"] = "neither learns"
        elif row["mse_end_ci_high"] < 0:
            row["verdict"] = "helps"
        else:
            row["verdict"] = "hurts" if row["mse_end_ci_low"] > 0 else "no difference"
        row["seconds"] = round(time.perf_counter() - t0, 1)
        rows.append(row)
        print({k: (round(v, 4) if isinstance(v, float) else v) for k, v in row.items()}, flush=True)
    table = pd.DataFrame(rows)
    OUT.mkdir(exist_ok=True)
    table.to_csv(OUT / "neocognitron_scan.csv", index=False, float_format="%.6g")
    sgd = table[(table["optimizer"] == "sgd") & table["learns_all"]]
    pick = next(
        (sgd[sgd["activation"] == a] for a in ("sigmoid", "relu") if (sgd["activation"] == a).any()), sgd
    )
    if len(pick):
        best = pick.sort_values("lr").iloc[-1]
        print(f"default by the rule: sgd, lr {best['lr']}, activation {best['activation']}")
    else:
        print("default by the rule: no SGD setting learns on every seed")
    plot(table)


def plot(table: pd.DataFrame) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colors = {"helps": "tab:green", "hurts": "tab:red", "no difference": "0.8", "neither learns": "0.95"}
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), sharey=True)
    labels = [f"{o} {lr:g}" for o, lr in dict.fromkeys(zip(table["optimizer"], table["lr"], strict=True))]
    for ax, act in zip(axes, ("relu", "sigmoid"), strict=True):
        g = table[table["activation"] == act]
        for _, r in g.iterrows():
            x = labels.index(f"{r['optimizer']} {r['lr']:g}")
            y = [2.0, 3.0].index(r["final"]) if r["final"] in (2.0, 3.0) else 0
            ax.add_patch(plt.Rectangle((x - 0.5, y - 0.5), 1, 1, color=colors[r["verdict"]]))
            ax.text(
                x,
                y,
                f"{r['mse_end_diff']:+.3f}\n{r['test_acc_diff']:+.2f}",
                ha="center",
                va="center",
                fontsize=7,
            )
        ax.set_xlim(-0.5, len(labels) - 0.5)
        ax.set_ylim(-0.5, 1.5)
        ax.set_xticks(range(len(labels)), labels, fontsize=7)
        ax.set_yticks([0, 1], ["final σ 2", "final σ 3"])
        ax.set_title(f"S-cells: {act} (widening − final: MSE, accuracy)", fontsize=8)
    fig.tight_layout()
    fig.savefig(OUT / "neocognitron_scan.png", dpi=130)


if __name__ == "__main__":
    main()
