"""Adapter: train one VAE on MNIST; checkpoint and per-epoch losses."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.runtime import pick_device, progress
from conceptdyn.core.settings import from_section
from conceptdyn.core.tables import write_table
from conceptdyn.vae.keys import VAEConfig
from conceptdyn.vae.model import save_model
from conceptdyn.vae.training import train

with stage(snakemake) as p:
    cfg = from_section(VAEConfig, p, "vae")
    model, history = train(
        p["root"], cfg, p["seed"], pick_device(p["device"]), progress=progress, subset=p["train_subset"]
    )
    save_model(model, cfg, snakemake.output.model)
    write_table(history, snakemake.output.training)
