"""Adapter: the routes of the window settings against N beside the theory's, their extrapolation to
N -> infinity and the setting analysed like the data at the largest N."""

import pandas as pd

from conceptdyn.core.provenance import stage
from conceptdyn.core.settings import from_section
from conceptdyn.core.tables import read_table, write_table
from conceptdyn.facecells import scale

with stage(snakemake) as p:
    sc = from_section(scale.ScaleConfig, p["scale"], "facecells.scale")
    picked = scale.pick_settings(read_table(snakemake.input.theory), sc.settings)
    runs = [r for r in (read_table(path, scale.RUN_COLUMNS) for path in snakemake.input.runs) if len(r)]
    if not runs:
        raise ValueError(
            "the tree theory's window holds no setting (results/facecells/regime_theory.csv, in_window): "
            "widen facecells.regimes.theory (plateau_steps, the grids) to give facecells_scale settings"
        )
    regimes = p["regimes"]
    runs = pd.concat(runs, ignore_index=True)
    routes, replicates = scale.route_table(
        runs, picked, regimes["retrieved"], regimes["margin"], sc.bootstrap, p["seed"], sc.confidence
    )
    write_table(routes, snakemake.output.routes)
    write_table(scale.extrapolation_table(routes, replicates, sc.confidence), snakemake.output.extrapolation)
    write_table(scale.agreement_table(routes), snakemake.output.agreement)
    write_table(scale.mean_trajectories(runs), snakemake.output.trajectories)
    write_table(scale.choose_setting(routes), snakemake.output.choice)
