"""Adapter: critical initial overlap from simulation and from both dynamical theories."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.tables import read_table, write_table
from conceptdyn.hopfield.compare import compare_basin

with stage(snakemake) as p:
    sim = read_table(snakemake.input.sim, required=("N", "alpha", "m0", "trial", "m_final"))
    fractions, boundary = compare_basin(sim, p["retrieval_threshold"], p["theory_steps"])
    write_table(fractions, snakemake.output.fractions)
    write_table(boundary, snakemake.output.boundary)
