"""Adapter: seeded synthetic face-cell recording (NWB), its stimulus catalogue and ground truth."""

from conceptdyn.provenance import stage
from conceptdyn.spikes import GeneratorConfig, generate, write_nwb
from conceptdyn.tables import write_table

with stage(snakemake) as p:
    cfg = GeneratorConfig(**p["synthetic"])
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
