"""Adapter: the face-cell model's regime map and the default chosen from it."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.runtime import pick_device, progress
from conceptdyn.core.settings import from_section
from conceptdyn.core.tables import read_table, write_table
from conceptdyn.facecells import regimes
from conceptdyn.facecells.analysis import AnalysisConfig
from conceptdyn.facecells.catalogue import CATALOGUE_COLUMNS, check_catalogue

with stage(snakemake) as p:
    catalogue = read_table(snakemake.input.stimuli, CATALOGUE_COLUMNS).astype(str)
    check_catalogue(catalogue, snakemake.input.stimuli)
    grid = from_section(regimes.RegimeGrid, p["regimes"], "facecells.regimes")
    base = regimes.base_config({**p["model"], **p["session"]}, grid)
    analysis = from_section(
        AnalysisConfig, {**p["analysis"], **p["regimes"]["analysis"]}, "facecells.regimes.analysis"
    )
    theory = from_section(regimes.TheoryGrid, p["regimes"]["theory"], "facecells.regimes.theory")
    scan = regimes.theory_scan(theory, base, grid, catalogue)
    device = pick_device(p["device"])
    run = dict(device=device, progress=progress, workers=snakemake.threads)
    table = regimes.regime_table(
        base, grid, catalogue, analysis, p["seed"], dense=regimes.dense_settings(scan), **run
    )
    confirmed = regimes.confirm_candidates(table, base, grid, catalogue, analysis, p["seed"], **run)
    write_table(scan, snakemake.output.theory)
    write_table(table, snakemake.output.table)
    write_table(regimes.theory_agreement(table), snakemake.output.agreement)
    write_table(confirmed, snakemake.output.confirm)
    write_table(regimes.choose_regime(table, grid.min_gap_ms, confirmed), snakemake.output.choice)
