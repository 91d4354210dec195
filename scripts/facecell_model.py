"""Adapter: the hierarchical associative-memory model recorded like the monkey (NWB)."""

from conceptdyn.facemodel import ModelConfig, simulate
from conceptdyn.provenance import stage
from conceptdyn.runtime import pick_device
from conceptdyn.spikes import write_nwb
from conceptdyn.tables import read_table, write_table

with stage(snakemake) as p:
    catalogue = read_table(snakemake.input.stimuli, ("stimulus_id", "global_label", "fine_label"))
    run = simulate(ModelConfig(**p["model"]), catalogue, p["seed"], device=pick_device(p["device"]))
    write_nwb(
        snakemake.output.nwb,
        run.trials,
        run.spike_times,
        description="hierarchical associative-memory model driven by stimulus cues (conceptdyn)",
        identifier=f"conceptdyn-model-seed{p['seed']}",
    )
    write_table(run.overlaps, snakemake.output.overlaps)
