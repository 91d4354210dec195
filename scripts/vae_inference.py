"""Adapter: the default run's inference tables from its models' own (vae_inference_model), the models
table and the main model's image table."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.runtime import pick_device
from conceptdyn.core.tables import read_table, write_table
from conceptdyn.vae.inference import SWEEP_TABLES, gather_tables, image_table
from conceptdyn.vae.model import load_model
from conceptdyn.vae.training import attach_training, model_table

with stage(snakemake) as p:
    # a model without rows of a table (strips: all but the main model) wrote an empty one
    parts = {name: [read_table(f, allow_empty=True) for f in snakemake.input[name]] for name in SWEEP_TABLES}
    dist, summary, strips, units, hierarchy = gather_tables(parts)
    trained = model_table(snakemake.input.trainings, units)
    write_table(dist, snakemake.output.distance)
    write_table(attach_training(summary, trained), snakemake.output.summary)
    write_table(units, snakemake.output.units)
    write_table(trained, snakemake.output.models)
    write_table(hierarchy, snakemake.output.hierarchy)
    write_table(strips, snakemake.output.strips)
    device = pick_device(p["device"])
    main, _ = load_model(snakemake.input.main, device)
    write_table(image_table(main, p["root"], p["seed"], device), snakemake.output.images)
