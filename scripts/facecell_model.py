"""Adapter: the hierarchical associative-memory model recorded like the monkey (NWB)."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.runtime import pick_device
from conceptdyn.core.settings import from_section
from conceptdyn.core.tables import read_table, write_table
from conceptdyn.facecells.model import ModelConfig, simulate, with_setting
from conceptdyn.facecells.nwb import write_nwb

with stage(snakemake) as p:
    catalogue = read_table(snakemake.input.stimuli, ("stimulus_id", "global_label", "fine_label"))
    cfg = from_section(ModelConfig, {**p["model"], **p["session"]}, "facecells.model")
    if "choice" in snakemake.input.keys():  # facecells_scale: the chosen window setting at the largest N
        choice = read_table(snakemake.input.choice).iloc[0]
        cfg = with_setting(cfg, choice, N=int(choice["N"]), trials=p["scale_trials"])
    run = simulate(cfg, catalogue, p["seed"], device=pick_device(p["device"]))
    write_nwb(
        snakemake.output.nwb,
        run.trials,
        run.spike_times,
        description="hierarchical associative-memory model driven by stimulus cues (conceptdyn)",
        identifier=f"conceptdyn-model-seed{p['seed']}",
    )
    write_table(run.overlaps, snakemake.output.overlaps)
