"""Adapter: train one VAE on MNIST; checkpoint and per-epoch losses."""

from conceptdyn.provenance import stage
from conceptdyn.runtime import pick_device, progress
from conceptdyn.tables import write_table
from conceptdyn.vae import VAEConfig
from conceptdyn.vae_analysis import save_model, train

with stage(snakemake) as p:
    cfg = VAEConfig(
        hidden=p["hidden"],
        latent=p["latent"],
        beta=p["beta"],
        epochs=p["epochs"],
        batch_size=p["batch_size"],
        lr=p["lr"],
    )
    model, history = train(
        p["root"], cfg, p["seed"], pick_device(p["device"]), progress=progress, subset=p["train_subset"]
    )
    save_model(model, cfg, snakemake.output.model)
    write_table(history, snakemake.output.training)
