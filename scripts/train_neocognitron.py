"""Adapter: neocognitron under every C-cell width schedule (and LeNet), several seeds."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.runtime import pick_device, progress
from conceptdyn.core.settings import from_section
from conceptdyn.core.tables import write_table
from conceptdyn.data import mnist
from conceptdyn.neocognitron.network import NeocognitronConfig
from conceptdyn.neocognitron.training import (
    EvalConfig,
    TrainConfig,
    comparison_table,
    distortion_seed,
    paired_seeds,
    run_experiment,
)

with stage(snakemake) as p:
    c, device = p["cfg"], pick_device(p["device"])
    (xi, yi), (xt, yt) = mnist.load_mnist(p["root"], True), mnist.load_mnist(p["root"], False)
    x, x_test = (im.float().div(255).unsqueeze(1).to(device) for im in (xi, xt))
    net = from_section(NeocognitronConfig, c, "neocognitron", max_sigma=c["final"])
    train = from_section(TrainConfig, c, "neocognitron")
    ev = from_section(EvalConfig, c, "neocognitron", distortion_seed=distortion_seed(p["seed"]))
    curves, acc, kernels, delta = run_experiment(
        x,
        yi.to(device),
        x_test,
        yt.to(device),
        c["schedules"],
        paired_seeds(p["seed"], c["paired_seeds"]),
        net,
        train,
        ev,
        lenet=c["lenet"],
        progress=progress,
    )
    comparison = comparison_table(acc, "final") if "final" in c["schedules"] else acc.iloc[:0]
    tables = (
        (curves, "curves"),
        (acc, "accuracy"),
        (kernels, "kernels"),
        (delta, "delta"),
        (comparison, "comparison"),
    )
    for table, name in tables:
        write_table(table, getattr(snakemake.output, name))
