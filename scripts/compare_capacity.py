"""Adapter: capacity summary and estimate beside the replica-symmetric (AGS) theory."""

from conceptdyn.hopfield_analysis import ags_curve, compare_capacity
from conceptdyn.provenance import stage
from conceptdyn.tables import read_table, write_table

with stage(snakemake) as p:
    sim = read_table(snakemake.input.sim, required=("N", "alpha", "trial", "m_final"))
    summary, estimates = compare_capacity(sim, p["retrieval_threshold"])
    write_table(summary, snakemake.output.summary)
    write_table(ags_curve(float(sim["alpha"].max())), snakemake.output.theory)
    write_table(estimates, snakemake.output.estimates)
