"""Adapter: vector field and fixed points in the plane m1 vs m2 = ... = ms."""

from conceptdyn.concepts.analysis import portrait_tables
from conceptdyn.core.provenance import stage
from conceptdyn.core.tables import write_table

with stage(snakemake) as p:
    field, points = portrait_tables(p["s"], p["b"], p["temperature"])
    write_table(field, snakemake.output.field)
    write_table(points, snakemake.output.points)
