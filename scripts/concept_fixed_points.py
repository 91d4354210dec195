"""Adapter: fixed points of the few-pattern map, their stability, and the mixed state's bifurcation."""

from conceptdyn.concepts.analysis import bifurcation_table, fixed_points_table
from conceptdyn.core.provenance import stage
from conceptdyn.core.tables import write_table

with stage(snakemake) as p:
    fx, bif = p["fixed"], p["bifurcation"]
    write_table(fixed_points_table(fx["s"], fx["b"], fx["temperatures"]), snakemake.output.fixed_points)
    write_table(bifurcation_table(bif["s"], bif["temperatures"]), snakemake.output.bifurcation)
