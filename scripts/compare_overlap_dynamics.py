"""Adapter: simulated m(t) summarised beside the Amari-Maginu and Okada-type theories."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.tables import read_table, write_table
from conceptdyn.hopfield.compare import compare_overlap_dynamics

with stage(snakemake):
    sim = read_table(snakemake.input.sim, required=("alpha", "m0", "trial", "t", "m"))
    table, deviation = compare_overlap_dynamics(sim)
    write_table(table, snakemake.output.table)
    write_table(deviation, snakemake.output.deviation)
