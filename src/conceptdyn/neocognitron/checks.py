"""Config checks of the neocognitron that the schema cannot express."""

from __future__ import annotations


def check(cfg) -> list[str]:
    neo = cfg["neocognitron"]
    problems = []
    if neo["narrow"] > neo["final"]:
        problems.append(
            f"neocognitron.narrow ({neo['narrow']}) must not exceed neocognitron.final ({neo['final']})"
        )
    if "final" not in neo["schedules"] and len(neo["schedules"]) > 1:
        problems.append(
            "neocognitron.schedules must include final: every schedule is compared with the fixed final width"
        )
    return problems
