"""Adapter: the reproduction scorecard (results/scorecard.csv) from the stage tables."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.scorecard import scorecard
from conceptdyn.core.tables import read_table, write_table

with stage(snakemake) as p:
    names = [n for n in snakemake.input.keys() if n != "code"]
    paths = {n: snakemake.input[n] for n in names}
    card = scorecard({n: read_table(paths[n]) for n in names}, paths, p["criteria"])
    write_table(card, snakemake.output.table)
