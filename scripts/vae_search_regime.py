"""Adapter: every setting of the VAE search judged by every VAE claim (the master seed's settings and
the reseeded group's on every seed of the reseeding): claims.csv, holds.csv (claims held per setting),
regime.csv (search.REGIME_RULE on the reseeded settings), pairs.csv (which claims exclude each other)
and summary.md (the answer in words)."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.tables import atomic_output, read_table, write_table
from conceptdyn.vae.search import claims_table, gather, holds_table, pair_table, regime_table, render_summary

with stage(snakemake) as p:
    summary, _ = gather(
        [read_table(f) for f in snakemake.input.summaries], [read_table(f) for f in snakemake.input.models]
    )
    claims = claims_table(summary, p["criteria"], p["seed"])
    holds = holds_table(claims)
    write_table(claims, snakemake.output.claims)
    write_table(holds, snakemake.output.holds)
    regime = regime_table(holds, p["seeds"])
    pairs = pair_table(holds[holds["seed"] == p["seed"]])
    write_table(regime, snakemake.output.regime)
    write_table(pairs, snakemake.output.pairs)
    with atomic_output(snakemake.output.summary) as tmp:
        tmp.write_text(render_summary(claims, holds, regime, pairs, p["seed"]))
