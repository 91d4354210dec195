"""Adapter: final overlap vs load for several network sizes (figure 2)."""

from conceptdyn.hopfield_analysis import simulate_capacity
from conceptdyn.provenance import stage
from conceptdyn.runtime import pick_device
from conceptdyn.tables import write_table

with stage(snakemake) as p:
    c = p["cfg"]
    df = simulate_capacity(
        c["N"], c["alphas"], c["trials"], p["seed"], c["max_steps"], device=pick_device(p["device"])
    )
    write_table(df, snakemake.output.table)
