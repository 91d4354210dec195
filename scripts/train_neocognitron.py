"""Adapter: neocognitron under every C-cell width schedule (and LeNet), several seeds."""

from conceptdyn import mnist
from conceptdyn.neocognitron import NeocognitronConfig, TrainConfig, run_experiment
from conceptdyn.provenance import stage
from conceptdyn.runtime import pick_device, progress
from conceptdyn.tables import write_table

with stage(snakemake) as p:
    c, device = p["cfg"], pick_device(p["device"])
    (xi, yi), (xt, yt) = mnist.load_mnist(p["root"], True), mnist.load_mnist(p["root"], False)
    x, x_test = (im.float().div(255).unsqueeze(1).to(device) for im in (xi, xt))
    net = NeocognitronConfig(planes=tuple(c["planes"]), kernel=c["kernel"], max_sigma=c["final"])
    train = TrainConfig(
        **{
            k: c[k]
            for k in (
                "iterations",
                "batch_size",
                "lr",
                "record_every",
                "narrow",
                "final",
                "widen_fraction",
                "shape",
                "train_subset",
            )
        }
    )
    curves, acc, kernels, delta = run_experiment(
        x,
        yi.to(device),
        x_test,
        yt.to(device),
        c["schedules"],
        c["seeds"],
        net,
        train,
        lenet=c["lenet"],
        progress=progress,
    )
    for table, name in ((curves, "curves"), (acc, "accuracy"), (kernels, "kernels"), (delta, "delta")):
        write_table(table, getattr(snakemake.output, name))
