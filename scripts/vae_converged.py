"""Adapter: the VAE claims judged on the default run and on the converged run (vae_converged target)
side by side, and the two runs' models (epochs, how training stopped, losses)."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.scorecard import scorecard
from conceptdyn.core.tables import read_table, write_table
from conceptdyn.vae.claims import CLAIMS, compare_runs
from conceptdyn.vae.training import compare_models

with stage(snakemake) as p:
    cards, models = {}, {}
    for run in ("default", "converged"):
        path = snakemake.input[run]
        cards[run] = scorecard(
            {"inference_summary": read_table(path)}, {"inference_summary": path}, p["criteria"], claims=CLAIMS
        )
        models[run] = read_table(snakemake.input[f"{run}_models"])
    write_table(compare_runs(cards), snakemake.output.verdicts)
    write_table(compare_models(models), snakemake.output.training)
