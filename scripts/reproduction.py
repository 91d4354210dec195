"""Adapter: the scorecard as documents (the text printed at the end of a run, results/reproduction.md,
the report's front page), with the seeds it holds on once the seeds target has run."""

from pathlib import Path

from conceptdyn.core.provenance import stage
from conceptdyn.core.reproduction import render_front_page, render_markdown
from conceptdyn.core.scorecard import render
from conceptdyn.core.stages import STAGES, stage_modules
from conceptdyn.core.tables import read_table, write_text
from conceptdyn.seeds.robustness import with_holds

with stage(snakemake) as p:
    card = read_table(snakemake.input.card)
    if snakemake.input.robustness:
        card = with_holds(card, read_table(snakemake.input.robustness[0]))
    claims = {s: m.CLAIMS for s, m in stage_modules("claims").items()}
    write_text(snakemake.output.text, render(card))
    write_text(snakemake.output.reproduction, render_markdown(card, claims, STAGES, p["seed"]))
    intro = Path(snakemake.input.intro).read_text()
    write_text(snakemake.output.front_page, render_front_page(card, claims, STAGES, intro))
