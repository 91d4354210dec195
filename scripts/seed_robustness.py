"""Adapter: the scorecards of several master seeds side by side (scorecard_seeds.csv), per claim how
many seeds it holds on (robustness.csv), and a text rendering with the default run's verdicts."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.tables import read_table, write_table, write_text
from conceptdyn.seeds.robustness import render, robustness, scorecard_seeds

with stage(snakemake) as p:
    seeds = [int(s) for s in p["seeds"]]
    cards = {seed: read_table(path) for seed, path in zip(seeds, snakemake.input.cards, strict=True)}
    long = scorecard_seeds(cards)
    robust = robustness(long, p["default_seed"])
    write_table(long, snakemake.output.seeds)
    write_table(robust, snakemake.output.robustness)
    write_text(snakemake.output.text, render(robust, seeds))
