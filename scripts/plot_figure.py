"""Adapter for every figure: read the named input tables, draw params.figure, save PNG and PDF.

A named input that lists several files (e.g. one table per sweep model) becomes ``<name>_0``,
``<name>_1``, ...
"""

from conceptdyn.core.figures import draw, save_figure
from conceptdyn.core.provenance import stage
from conceptdyn.core.tables import read_table

with stage(snakemake) as p:
    tables = {}
    for name, value in snakemake.input.items():
        if name == "code":
            continue
        if isinstance(value, str):
            tables[name] = read_table(value)
        else:
            tables.update({f"{name}_{i}": read_table(path) for i, path in enumerate(value)})
    save_figure(draw(p["stage"], p["figure"], tables), snakemake.output.png, snakemake.output.pdf)
