"""Adapter: finite-size scaling tables (capacity with extrapolation, basin boundary, m(t) vs theory)."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.tables import read_table, write_table
from conceptdyn.scaling.analysis import basin_tables, capacity_tables, dynamics_table, extrapolate

with stage(snakemake) as p:
    cap = read_table(snakemake.input.capacity, required=("N", "alpha", "network", "start", "m_final"))
    basin = read_table(snakemake.input.basin, required=("N", "alpha", "m0", "network", "start", "t", "m"))
    dyn = read_table(snakemake.input.dynamics, required=("N", "alpha", "m0", "network", "start", "t", "m"))
    fractions, capacity, replicates = capacity_tables(
        cap, p["retrieval_threshold"], p["bootstrap"], p["seed"]
    )
    write_table(fractions, snakemake.output.fractions)
    write_table(capacity, snakemake.output.capacity)
    write_table(extrapolate(capacity, replicates), snakemake.output.extrapolation)
    write_table(
        basin_tables(basin, p["retrieval_threshold"], p["theory_steps"], p["bootstrap"], p["seed"]),
        snakemake.output.basin,
    )
    write_table(dynamics_table(dyn), snakemake.output.dynamics)
