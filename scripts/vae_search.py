"""Adapter: the VAE search -- repeated inference for every model of vae.search, judged by the
scorecard's approach rule; one table over the settings, the per-step curves, the models."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.runtime import pick_device
from conceptdyn.core.tables import write_table
from conceptdyn.vae.inference import inference_sweep
from conceptdyn.vae.model import load_model
from conceptdyn.vae.search import CURVE_COLUMNS, search_table
from conceptdyn.vae.training import model_table

with stage(snakemake) as p:
    device = pick_device(p["device"])
    models = []
    for path in snakemake.input.models:
        model, cfg = load_model(path, device)
        models.append(({**cfg.key.columns(), "main": False}, model))
    s, c = p["search"], p["cfg"]
    dist, summary, _, units, _ = inference_sweep(
        models,
        p["root"],
        s["noises"],
        s["chains"],
        s["steps"],
        p["seed"],
        device,
        noise_kinds=["flip"],
        chain_kinds=["mean", "sample"],
        memory_steps=[],
        active_threshold=c["active_threshold"],
    )
    trained = model_table(snakemake.input.trainings, units)
    write_table(search_table(summary, trained, p["default"], p["max_t_min"]), snakemake.output.search)
    write_table(dist[CURVE_COLUMNS], snakemake.output.curves)
    write_table(trained, snakemake.output.models)
