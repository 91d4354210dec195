"""Adapter: one window setting of the tree theory at one network size, every trial's overlaps per step."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.runtime import pick_device
from conceptdyn.core.settings import from_section
from conceptdyn.core.tables import read_table, write_table
from conceptdyn.facecells import scale
from conceptdyn.facecells.catalogue import CATALOGUE_COLUMNS, check_catalogue
from conceptdyn.facecells.model import ModelConfig, setting_of

with stage(snakemake) as p:
    catalogue = read_table(snakemake.input.stimuli, CATALOGUE_COLUMNS).astype(str)
    check_catalogue(catalogue, snakemake.input.stimuli)
    sc = from_section(scale.ScaleConfig, p["scale"], "facecells.scale")
    picked = scale.pick_settings(read_table(snakemake.input.theory), sc.settings)
    k, n = int(snakemake.wildcards.setting), int(snakemake.wildcards.n)
    if k >= len(picked):  # the window holds fewer settings than asked: this job has none
        table = scale.empty_run()
    else:
        setting = setting_of(picked.iloc[k])
        base = from_section(
            ModelConfig, {**p["model"], **p["session"], **setting, "N": n, "trials": sc.trials}
        )
        table = scale.trial_overlaps(
            base, setting, n, sc.trials, catalogue, p["seed"], pick_device(p["device"])
        )
        table.insert(0, "setting", k)
    write_table(table, snakemake.output.table)
