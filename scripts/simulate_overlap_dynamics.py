"""Adapter: simulated m(t) from several initial overlaps (figure 1)."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.runtime import pick_device
from conceptdyn.core.tables import write_table
from conceptdyn.hopfield.sweeps import simulate_overlap_dynamics

with stage(snakemake) as p:
    c = p["cfg"]
    df = simulate_overlap_dynamics(
        c["N"],
        c["alphas"],
        c["m0"],
        c["trials"],
        c["steps"],
        p["seed"],
        rule=p["update_rule"],
        temperature=p["temperature"],
        device=pick_device(p["device"]),
    )
    write_table(df, snakemake.output.table)
