"""Adapter: final overlaps over a grid of loads and initial overlaps (figure 3)."""

from conceptdyn.hopfield_analysis import simulate_basin
from conceptdyn.provenance import stage
from conceptdyn.runtime import pick_device
from conceptdyn.tables import write_table

with stage(snakemake) as p:
    c = p["cfg"]
    df = simulate_basin(
        c["N"], c["alphas"], c["m0"], c["trials"], c["steps"], p["seed"], device=pick_device(p["device"])
    )
    write_table(df, snakemake.output.table)
