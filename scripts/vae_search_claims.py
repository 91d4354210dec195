"""Adapter: the VAE search at the master seed -- every setting's rows (search.csv, with the approach
rule on each), the per-step curves and the models; every setting judged by every VAE claim, and the
group the reseeding reruns (choice.csv, by search.RESEED_RULE)."""

import pandas as pd

from conceptdyn.core.provenance import stage
from conceptdyn.core.tables import read_table, write_table
from conceptdyn.vae.search import choose_group, claims_table, gather, holds_table, search_table

with stage(snakemake) as p:
    summary, models = gather(
        [read_table(f) for f in snakemake.input.summaries], [read_table(f) for f in snakemake.input.models]
    )
    write_table(search_table(summary, models, p["default"], p["max_t_min"]), snakemake.output.search)
    write_table(pd.concat([read_table(f) for f in snakemake.input.curves]), snakemake.output.curves)
    write_table(models, snakemake.output.models)
    holds = holds_table(claims_table(summary, p["criteria"], p["seed"]))
    write_table(choose_group(holds, p["search"], p["search"]["reseed_groups"]), snakemake.output.choice)
