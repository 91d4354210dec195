"""The reproduction scorecard: one row per claim of the lecture, each verdict computed from a stage table.

The claims live with their stages (``conceptdyn/<stage>/claims.py``, a list ``CLAIMS``); this module
holds what they share: the :class:`Claim` type, their collection in lecture order
(:func:`collect`), the check of their criteria against the config (:func:`check_criteria`), the table
(:func:`scorecard`) and its rendering (:func:`render`).

A judge is a small function ``(tables, criterion) -> (measure, value, rule, verdict)`` reading the
tables this run wrote and the claim's criterion from the config section ``scorecard`` (thresholds with
their source).  A claim that is not reproduced gets ``no``; a claim whose table cannot answer (too few
rows, say) also gets ``no`` with the value ``nan`` -- rows are never dropped.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

COLUMNS = ["claim_id", "part", "claim", "measure", "value", "criterion", "verdict", "table", "source"]

# a criterion's value types: a Python type, or a tuple of the strings it may be
Kind = type | tuple[str, ...]


@dataclass(frozen=True)
class Claim:
    claim_id: str
    part: str
    claim: str
    tables: tuple[str, ...]  # names of the stage tables it reads (the scorecard rule's inputs)
    judge: Callable[[dict, dict], tuple[str, float, str, bool]]
    criterion: Mapping[str, Kind] = field(default_factory=dict)  # its keys and their types, but source
    figure: str = ""  # the figure that shows it, ``<stage>_<name>`` (results/figures/<figure>.png)
    # tables of targets outside the default run that the judge reads once they exist (the scorecard
    # rule takes them as inputs only then); without them the judge answers from ``tables``
    optional_tables: tuple[str, ...] = ()


def nan_no(measure: str, rule: str):
    """The answer of a judge whose tables cannot answer."""
    return measure, math.nan, rule, False


def collect() -> list[Claim]:
    """Every stage's claims, in lecture order (the stages' ``claims.CLAIMS``)."""
    from conceptdyn.core.stages import stage_modules

    claims = [c for module in stage_modules("claims").values() for c in module.CLAIMS]
    ids = [c.claim_id for c in claims]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise ValueError(f"claim ids {dup} are defined twice")
    return claims


def _kind_problem(value, kind: Kind) -> str | None:
    if isinstance(kind, tuple):
        return None if value in kind else f"one of {list(kind)}"
    if kind is float:
        ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
        return None if ok else "a finite number"
    if kind is int:
        return None if isinstance(value, int) and not isinstance(value, bool) else "an integer"
    if kind is bool:
        return None if isinstance(value, bool) else "true or false"
    if kind is str:
        return None if isinstance(value, str) and value else "a non-empty string"
    raise TypeError(f"unknown criterion type {kind!r}")


def check_criteria(criteria: Mapping, claims: list[Claim] | None = None) -> list[str]:
    """Problems of the config section ``scorecard`` against the claims' declared criteria: a claim
    without an entry, an entry without a claim, a key the claim does not read, a missing key, a value of
    the wrong type (numbers must be finite)."""
    claims = collect() if claims is None else claims
    problems = []
    known = {c.claim_id: c for c in claims}
    for cid in criteria:
        if cid not in known:
            problems.append(f"scorecard.{cid}: no such claim (claims: {', '.join(known)})")
    for c in claims:
        crit = criteria.get(c.claim_id)
        if not isinstance(crit, Mapping):
            problems.append(
                f"scorecard.{c.claim_id}: missing; add its criterion ({', '.join([*c.criterion, 'source'])})"
            )
            continue
        kinds = {**c.criterion, "source": str}
        for key in crit:
            if key not in kinds:
                problems.append(f"scorecard.{c.claim_id}.{key}: unknown key (known: {', '.join(kinds)})")
        for key, kind in kinds.items():
            if key not in crit:
                problems.append(f"scorecard.{c.claim_id}.{key}: missing")
            elif (want := _kind_problem(crit[key], kind)) is not None:
                problems.append(f"scorecard.{c.claim_id}.{key} = {crit[key]!r}: must be {want}")
    return problems


def table_names(claims: list[Claim] | None = None, optional: bool = False) -> list[str]:
    """The tables the claims read, each once, in order of first use (``optional``: the tables they read
    only when present, :attr:`Claim.optional_tables`)."""
    claims = collect() if claims is None else claims
    return list(dict.fromkeys(name for c in claims for name in (c.optional_tables if optional else c.tables)))


def scorecard(
    tables: dict[str, pd.DataFrame],
    paths: dict[str, str],
    criteria: dict,
    claims: list[Claim] | None = None,
) -> pd.DataFrame:
    """One row per claim; ``criteria[claim_id]`` holds its thresholds and ``source``."""
    claims = collect() if claims is None else claims
    problems = check_criteria(criteria, claims)
    if problems:
        raise ValueError("scorecard criteria: " + "; ".join(problems))
    rows = []
    for claim in claims:
        crit = criteria[claim.claim_id]
        measure, value, rule, ok = claim.judge(tables, crit)
        rows.append(
            {
                "claim_id": claim.claim_id,
                "part": claim.part,
                "claim": claim.claim,
                "measure": measure,
                "value": value,
                "criterion": rule,
                "verdict": "yes" if ok else "no",
                "table": " ".join(paths[name] for name in claim.tables),
                "source": crit["source"],
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def render(card: pd.DataFrame) -> str:
    """A short text rendering: verdict, claim and value, grouped by lecture part.  With a column
    ``holds`` (the seeds target's "k of n seeds"), it is shown beside each verdict."""
    lines = [
        f"Reproduction scorecard: {int((card['verdict'] == 'yes').sum())} of {len(card)} claims reproduced"
    ]
    for part, g in card.groupby("part", sort=False):
        lines.append(f"  {part}")
        for r in g.to_dict("records"):
            value = "nan" if pd.isna(r["value"]) else f"{r['value']:.4g}"
            seeds = f" [holds on {r['holds']} seeds]" if isinstance(r.get("holds"), str) else ""
            lines.append(f"    [{r['verdict']:>3}] {r['claim']}  ({value}; {r['criterion']}){seeds}")
    return "\n".join(lines) + "\n"


def coerce_criteria(criteria: Mapping, claims: list[Claim] | None = None) -> dict:
    """Criteria with strings read as YAML where the claim declares a number or boolean (nested
    ``--config "scorecard={...}"`` overrides arrive as strings); what YAML cannot read is left for
    :func:`check_criteria` to refuse by name."""
    import yaml

    kinds = {c.claim_id: c.criterion for c in (collect() if claims is None else claims)}
    out = {}
    for cid, crit in criteria.items():
        if not isinstance(crit, Mapping) or cid not in kinds:
            out[cid] = crit
            continue
        out[cid] = dict(crit)
        for key, value in crit.items():
            if isinstance(value, str) and kinds[cid].get(key) in (float, int, bool):
                try:
                    out[cid][key] = yaml.safe_load(value)
                except yaml.YAMLError:
                    pass
    return out
