"""Adapter: m1(t), m2(t), m_parent(t) from finite-N simulation and from the few-pattern map."""

from conceptdyn.concepts.analysis import retrieval_dynamics
from conceptdyn.core.provenance import stage
from conceptdyn.core.runtime import pick_device
from conceptdyn.core.tables import write_table

with stage(snakemake) as p:
    c = p["cfg"]
    df = retrieval_dynamics(
        c["s"],
        c["b"],
        c["temperature"],
        c["N"],
        c["trials"],
        c["steps"],
        c["start"],
        c["noise_overlap"],
        p["seed"],
        device=pick_device(p["device"]),
    )
    write_table(df, snakemake.output.table)
