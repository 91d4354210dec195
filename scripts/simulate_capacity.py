"""Adapter: final overlap vs load for several network sizes (figure 2)."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.runtime import pick_device
from conceptdyn.core.tables import write_table
from conceptdyn.hopfield.sweeps import simulate_capacity

with stage(snakemake) as p:
    c = p["cfg"]
    df = simulate_capacity(
        c["N"],
        c["alphas"],
        c["networks"],
        p["seed"],
        c["max_steps"],
        device=pick_device(p["device"]),
        starts=c["starts"],
        fail_below=c["fail_below"],
        check_every=c["check_every"],
    )
    write_table(df, snakemake.output.table)
