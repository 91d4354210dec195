"""Adapter: capacity summary and estimate beside the replica-symmetric (AGS) theory."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.tables import read_table, write_table
from conceptdyn.hopfield.compare import ags_curve, compare_capacity

with stage(snakemake) as p:
    sim = read_table(snakemake.input.sim, required=("N", "alpha", "network", "m_final"))
    summary, estimates = compare_capacity(sim, p["retrieval_threshold"])
    write_table(summary, snakemake.output.summary)
    write_table(ags_curve(float(sim["alpha"].max())), snakemake.output.theory)
    write_table(estimates, snakemake.output.estimates)
