"""Adapter: seeded synthetic face-cell recording (NWB), its stimulus catalogue and ground truth."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.settings import from_section
from conceptdyn.core.tables import write_table
from conceptdyn.facecells.generator import GeneratorConfig, generate
from conceptdyn.facecells.nwb import write_nwb

with stage(snakemake) as p:
    cfg = from_section(GeneratorConfig, {**p["synthetic"], **p["session"]}, "facecells.synthetic")
    data = generate(cfg, p["categories"], p["seed"])
    write_nwb(
        snakemake.output.nwb,
        data.trials,
        data.spike_times,
        description="synthetic face-responsive IT neurons (conceptdyn generator)",
        identifier=f"conceptdyn-synthetic-seed{p['seed']}",
        unit_columns=data.neurons.drop(columns="neuron"),
    )
    write_table(data.catalogue, snakemake.output.stimuli)
    write_table(data.neurons, snakemake.output.neurons)
