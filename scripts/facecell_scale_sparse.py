"""Adapter: the sparse (0/1) tree theory's scan and its window beside the ±1 theory's."""

from types import SimpleNamespace

from conceptdyn.core.provenance import stage
from conceptdyn.core.runtime import progress
from conceptdyn.core.settings import from_section
from conceptdyn.core.tables import read_table, write_table
from conceptdyn.facecells import regimes, scale
from conceptdyn.facecells.catalogue import CATALOGUE_COLUMNS, check_catalogue

with stage(snakemake) as p:
    catalogue = read_table(snakemake.input.stimuli, CATALOGUE_COLUMNS).astype(str)
    check_catalogue(catalogue, snakemake.input.stimuli)
    # the model's clock and coding level (the settings the scan varies are its own)
    base = SimpleNamespace(**p["model"], **p["session"])
    grid = from_section(scale.SparseGrid, p["sparse"], "facecells.scale.sparse")
    window = tuple(p["regimes"]["theory"]["plateau_steps"])
    clock = regimes.theory_clock(base)
    retrieved, margin = p["regimes"]["retrieved"], p["regimes"]["margin"]
    sparse = scale.sparse_scan(grid, base.a, catalogue, clock, retrieved, margin, window, progress=progress)
    pm1 = read_table(snakemake.input.theory)
    write_table(sparse, snakemake.output.theory)
    write_table(scale.window_comparison({"pm1": pm1, "sparse": sparse}), snakemake.output.comparison)
