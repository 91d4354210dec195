"""Adapter: arrival at, stay near and escape from the mixed state, per run and for the theory."""

from conceptdyn.concepts.analysis import plateau_table
from conceptdyn.core.provenance import stage
from conceptdyn.core.tables import read_table, write_table

with stage(snakemake) as p:
    traj = read_table(
        snakemake.input.traj, required=("t", "m1", "m2", "m_parent", "b", "N", "source", "trial")
    )
    write_table(plateau_table(traj, p["arrive_tol"], p["escape_gap"]), snakemake.output.table)
