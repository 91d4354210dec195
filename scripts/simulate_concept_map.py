"""Adapter: where finite networks end, over starts, b, s, temperature and extra load."""

from conceptdyn.concepts.analysis import concept_map
from conceptdyn.core.provenance import stage
from conceptdyn.core.runtime import pick_device
from conceptdyn.core.tables import write_table

with stage(snakemake) as p:
    c = p["cfg"]
    thresholds = {k: c[k] for k in ("child_gap", "mixed_spread", "mixed_min")}
    df = concept_map(
        c["N"],
        c["s"],
        c["b"],
        c["temperatures"],
        c["extra_loads"],
        c["starts"],
        c["noise_overlap"],
        c["trials"],
        c["steps"],
        p["seed"],
        thresholds,
        device=pick_device(p["device"]),
    )
    write_table(df, snakemake.output.table)
