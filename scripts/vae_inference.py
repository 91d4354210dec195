"""Adapter: concepts, repeated inference over input noise and latent size, image tables."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.runtime import pick_device
from conceptdyn.core.tables import write_table
from conceptdyn.vae.inference import image_table, inference_sweep
from conceptdyn.vae.keys import ModelKey
from conceptdyn.vae.model import load_model
from conceptdyn.vae.training import attach_training, model_table

with stage(snakemake) as p:
    device = pick_device(p["device"])
    main_key = ModelKey(**p["main"])
    models = []
    for path in snakemake.input.models:
        model, cfg = load_model(path, device)
        models.append(({**cfg.key.columns(), "main": cfg.key == main_key}, model))
    main = next(model for tags, model in models if tags["main"])
    c = p["cfg"]
    dist, summary, strips, units, hierarchy = inference_sweep(
        models,
        p["root"],
        c["noises"],
        c["chains"],
        c["steps"],
        p["seed"],
        device,
        noise_kinds=c["noise_kinds"],
        chain_kinds=c["chain_kinds"],
        memory_steps=c["memory_steps"],
        active_threshold=c["active_threshold"],
    )
    trained = model_table(snakemake.input.trainings, units)
    write_table(dist, snakemake.output.distance)
    write_table(attach_training(summary, trained), snakemake.output.summary)
    write_table(units, snakemake.output.units)
    write_table(trained, snakemake.output.models)
    write_table(hierarchy, snakemake.output.hierarchy)
    write_table(strips, snakemake.output.strips)
    write_table(image_table(main, p["root"], p["seed"], device), snakemake.output.images)
