"""Adapter for every figure: read the named input tables, draw params.figure, save PNG and PDF."""

from conceptdyn.plotting import draw, save_figure
from conceptdyn.provenance import stage
from conceptdyn.tables import read_table

with stage(snakemake) as p:
    tables = {name: read_table(path) for name, path in snakemake.input.items() if name != "code"}
    save_figure(draw(p["figure"], tables), snakemake.output.png, snakemake.output.pdf)
