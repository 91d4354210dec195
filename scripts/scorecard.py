"""Adapter: the reproduction scorecard (results/scorecard.csv and a text rendering) from the stage
tables, and the documents rendered from it (results/reproduction.md, the report's front page)."""

from pathlib import Path

from conceptdyn.core.provenance import stage
from conceptdyn.core.reproduction import render_front_page, render_markdown
from conceptdyn.core.scorecard import render, scorecard
from conceptdyn.core.stages import STAGES, stage_modules
from conceptdyn.core.tables import read_table, write_table

INPUTS = ("code", "intro")

with stage(snakemake) as p:
    names = [n for n in snakemake.input.keys() if n not in INPUTS]
    paths = {n: snakemake.input[n] for n in names}
    card = scorecard({n: read_table(paths[n]) for n in names}, paths, p["criteria"])
    claims = {s: m.CLAIMS for s, m in stage_modules("claims").items()}
    write_table(card, snakemake.output.table)
    Path(snakemake.output.text).write_text(render(card))
    Path(snakemake.output.reproduction).write_text(render_markdown(card, claims, STAGES, p["seed"]))
    intro = Path(snakemake.input.intro).read_text()
    Path(snakemake.output.front_page).write_text(render_front_page(card, claims, STAGES, intro))
