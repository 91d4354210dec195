"""Adapter: the sparse network's mixed state (exact few-pattern map) and m1(t), m2(t) from the parent."""

from conceptdyn.concepts.analysis import sparse_fixed_points_table, sparse_retrieval_dynamics
from conceptdyn.core.provenance import stage
from conceptdyn.core.runtime import pick_device
from conceptdyn.core.tables import write_table

with stage(snakemake) as p:
    c = p["cfg"]
    write_table(
        sparse_fixed_points_table(c["s"], c["b"], c["temperatures"], c["a"]), snakemake.output.fixed_points
    )
    r = c["retrieval"]
    df = sparse_retrieval_dynamics(
        r["s"],
        r["b"],
        r["temperature"],
        c["a"],
        r["N"],
        r["trials"],
        r["steps"],
        p["seed"],
        device=pick_device(p["device"]),
    )
    write_table(df, snakemake.output.retrieval)
