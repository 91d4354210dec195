"""Adapter: final overlaps over a grid of loads and initial overlaps (figure 3)."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.runtime import pick_device
from conceptdyn.core.tables import write_table
from conceptdyn.hopfield.sweeps import simulate_basin

with stage(snakemake) as p:
    c = p["cfg"]
    df = simulate_basin(
        c["N"], c["alphas"], c["m0"], c["trials"], c["steps"], p["seed"], device=pick_device(p["device"])
    )
    write_table(df, snakemake.output.table)
