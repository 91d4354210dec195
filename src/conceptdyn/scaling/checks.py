"""Config checks of the scaling stage that the schema cannot express."""

from __future__ import annotations

from conceptdyn.core.checks import increasing


def check(cfg) -> list[str]:
    sc = cfg["scaling"]
    problems = []
    for part in ("capacity", "basin", "dynamics"):
        c = sc[part]
        if len(c["networks"]) != len(c["N"]):
            problems.append(
                f"scaling.{part}.networks needs one count per size in scaling.{part}.N "
                f"({len(c['N'])} sizes, {len(c['networks'])} counts)"
            )
        for key in ("N", "alphas", "m0"):
            if key in c:
                problems += increasing(c[key], f"scaling.{part}.{key}")
    return problems
