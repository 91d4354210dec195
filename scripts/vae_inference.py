"""Adapter: concepts, repeated inference over input noise and latent size, image tables."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.runtime import pick_device
from conceptdyn.core.tables import write_table
from conceptdyn.vae.inference import image_table, inference_sweep
from conceptdyn.vae.model import load_model

with stage(snakemake) as p:
    device = pick_device(p["device"])
    main, _ = load_model(snakemake.input.main, device)
    models = {main.latent: main}
    for path in snakemake.input.sweep:
        model, _ = load_model(path, device)
        models[model.latent] = model
    c = p["cfg"]
    dist, summary, strips = inference_sweep(
        models,
        p["root"],
        c["noises"],
        c["chains"],
        c["steps"],
        p["seed"],
        device,
        strip_latent=main.latent,
        noise_kinds=c["noise_kinds"],
        chain_kinds=c["chain_kinds"],
    )
    write_table(dist, snakemake.output.distance)
    write_table(summary, snakemake.output.summary)
    write_table(strips, snakemake.output.strips)
    write_table(image_table(main, p["root"], p["seed"], device), snakemake.output.images)
