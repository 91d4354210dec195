"""The scorecard as documents: ``results/reproduction.md`` (one section per stage, each claim with
its value, verdict, table and figure) and the front page of the HTML report.

Both are rendered from the scorecard table of the run, so the numbers they quote are the run's own
and cannot go stale; the prose documents (``docs/<stage>.md``) point here instead of typing numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from conceptdyn.core.scorecard import Claim


def _value(value) -> str:
    return "nan" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.4g}"


def _sections(card: pd.DataFrame, claims: Mapping[str, Sequence[Claim]]):
    """``(stage, [(row, claim)])`` in lecture order, for the stages with a row in ``card``."""
    rows = {r["claim_id"]: r for r in card.to_dict("records")}
    for stage, stage_claims in claims.items():
        found = [(rows[c.claim_id], c) for c in stage_claims if c.claim_id in rows]
        if found:
            yield stage, found


def _headline(card: pd.DataFrame) -> str:
    return f"{int((card['verdict'] == 'yes').sum())} of {len(card)} claims reproduced"


def _holds(row) -> str:
    holds = row.get("holds")
    return holds if isinstance(holds, str) else ""


def render_markdown(
    card: pd.DataFrame, claims: Mapping[str, Sequence[Claim]], titles: Mapping[str, str], seed: int
) -> str:
    """``results/reproduction.md``: the run's scorecard, one section per stage.  ``claims`` maps each
    stage to its claims (lecture order); links are relative to ``results/``."""
    seeds = "holds" in card.columns and card["holds"].map(lambda h: isinstance(h, str)).any()
    lines = [
        "# Reproduction",
        "",
        f"Rendered by the pipeline from `results/scorecard.csv` (master seed {seed}): "
        f"**{_headline(card)}**. Each verdict is computed from the table named in its row, by the "
        "judge in `src/conceptdyn/<stage>/claims.py`, with the criterion of the config section "
        "`scorecard`; the model and the searches behind each stage are in `docs/<stage>.md`.",
    ]
    if seeds:
        lines += ["", "*seeds*: on how many of the seeds target's seeds the verdict is `yes`."]
    for stage, found in _sections(card, claims):
        lines += [
            "",
            f"## {titles.get(stage, stage)}",
            "",
            f"Model and choices: [docs/{stage}.md](../docs/{stage}.md)",
            "",
        ]
        head = "| verdict | claim | value | criterion | table | figure |"
        rule = "|---|---|---|---|---|---|"
        if seeds:
            head, rule = head + " seeds |", rule + "---|"
        lines += [head, rule]
        for row, claim in found:
            tables = " ".join(
                f"[{p.removeprefix('results/')}]({p.removeprefix('results/')})" for p in row["table"].split()
            )
            figure = f"[{claim.figure}](figures/{claim.figure}.png)" if claim.figure else ""
            cells = [
                f"**{row['verdict']}**",
                row["claim"],
                f"{row['measure']} = {_value(row['value'])}",
                row["criterion"],
                tables,
                figure,
            ]
            if seeds:
                cells.append(_holds(row))
            lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _rst_cell(text: str) -> str:
    return str(text).replace("*", "\\*").replace("`", "'").replace("|", "\\|")


def render_front_page(
    card: pd.DataFrame, claims: Mapping[str, Sequence[Claim]], titles: Mapping[str, str], intro: str
) -> str:
    """The HTML report's front page (reStructuredText): ``intro``, then the scorecard, one table per
    stage, each claim linked to its figure in the report."""
    lines = [intro.rstrip(), "", f"**Scorecard: {_headline(card)}** (``results/scorecard.csv``).", ""]
    for stage, found in _sections(card, claims):
        title = titles.get(stage, stage)
        lines += [title, "~" * len(title), "", ".. list-table::", "   :header-rows: 1", ""]
        lines += ["   * - verdict", "     - claim", "     - value", "     - figure"]
        for row, claim in found:
            figure = f"{claim.figure}.png_" if claim.figure else ""
            lines += [
                f"   * - **{row['verdict']}**",
                f"     - {_rst_cell(row['claim'])}",
                f"     - {_rst_cell(row['measure'])} = {_value(row['value'])}",
                f"     - {figure}",
            ]
        lines.append("")
    return "\n".join(lines)
