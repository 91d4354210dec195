"""Adapter: one finite-size scaling simulation (capacity, basin or m(t)), chosen by the output name."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.runtime import pick_device
from conceptdyn.core.tables import write_table
from conceptdyn.scaling.analysis import simulate_capacity, simulate_trajectories

TAGS = {"scaling_basin": 21, "scaling_dynamics": 22}  # pattern streams apart from the other sweeps

with stage(snakemake) as p:
    c = p["cfg"]
    device = pick_device(p["device"])
    if snakemake.rule == "scaling_capacity":
        df = simulate_capacity(
            c["N"],
            c["networks"],
            c["alphas"],
            c["starts"],
            c["max_steps"],
            p["seed"],
            device,
            fail_below=c["fail_below"],
            check_every=c["check_every"],
        )
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
