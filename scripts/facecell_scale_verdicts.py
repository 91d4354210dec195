"""Adapter: the face-cell model's claims judged at the largest N from a noisy stimulus, beside the
default (coarse-start) model's, with the scorecard's own judges."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.tables import read_table, write_table
from conceptdyn.facecells import scale
from conceptdyn.facecells.claims import MODEL_CLAIMS
from conceptdyn.facecells.model import classify_route

with stage(snakemake) as p:
    default = {
        "onsets": read_table(snakemake.input.onsets),
        "mixture_model": read_table(snakemake.input.mixture_model),
        "regimes": read_table(snakemake.input.regimes),
    }
    choice = read_table(snakemake.input.choice)
    at_scale = []
    for seed, onsets, mixture, overlaps in zip(
        p["seeds"],
        snakemake.input.scale_onsets,
        snakemake.input.scale_mixture,
        snakemake.input.scale_overlaps,
        strict=True,
    ):
        route = classify_route(read_table(overlaps), p["retrieved"], p["margin"])["route"]
        at_scale.append(
            {
                "seed": seed,
                "N": int(choice["N"].iloc[0]),
                "input": choice["input"].iloc[0],
                "route": route,
                "onsets": read_table(onsets).assign(source="model"),
                "mixture_model": read_table(mixture),
            }
        )
    table = scale.verdict_table(default, p["default_N"], p["seed"], at_scale, p["criteria"], MODEL_CLAIMS)
    write_table(table, snakemake.output.verdicts)
