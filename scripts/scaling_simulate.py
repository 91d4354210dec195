"""Adapter: one finite-size scaling simulation (capacity, basin or m(t)), chosen by the output name."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.runtime import pick_device
from conceptdyn.core.tables import write_table
from conceptdyn.hopfield.sweeps import simulate_capacity
from conceptdyn.scaling.analysis import SCALING_CAPACITY_COLUMNS, simulate_trajectories

TAGS = {"scaling_basin": 21, "scaling_dynamics": 22}  # pattern streams apart from the other sweeps

with stage(snakemake) as p:
    c = p["cfg"]
    device = pick_device(p["device"])
    if snakemake.rule == "scaling_capacity":
        df = simulate_capacity(
            c["N"],
            c["alphas"],
            c["networks"],
            p["seed"],
            c["max_steps"],
            starts=c["starts"],
            fail_below=c["fail_below"],
            check_every=c["check_every"],
            device=device,
        )[SCALING_CAPACITY_COLUMNS]
    else:
        df = simulate_trajectories(
            c["N"],
            c["networks"],
            c["alphas"],
            c["m0"],
            c["starts"],
            c["steps"],
            p["seed"],
            TAGS[snakemake.rule],
            device,
        )
    write_table(df, snakemake.output.table)
