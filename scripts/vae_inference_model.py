"""Adapter: one model of the default run -- repeated inference over input noise (every noise kind and
chain kind of vae.inference); its rows of the stage's five inference tables."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.runtime import pick_device
from conceptdyn.core.tables import write_table
from conceptdyn.vae.inference import SWEEP_TABLES, inference_sweep
from conceptdyn.vae.model import load_model

with stage(snakemake) as p:
    device = pick_device(p["device"])
    model, cfg = load_model(snakemake.input.model, device)
    c = p["cfg"]
    tables = inference_sweep(
        [({**cfg.key.columns(), "main": p["main"]}, model)],
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
    for name, table in zip(SWEEP_TABLES, tables, strict=True):
        write_table(table, snakemake.output[name])
