"""Adapter: closed-form overlaps of the mixed state beside sampled patterns."""

from conceptdyn.concepts.analysis import mixed_state_overlaps
from conceptdyn.core.provenance import stage
from conceptdyn.core.tables import write_table

with stage(snakemake) as p:
    c = p["cfg"]
    write_table(mixed_state_overlaps(c["s"], c["b"], c["N"], c["trials"], p["seed"]), snakemake.output.table)
