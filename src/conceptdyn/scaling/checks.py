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


def memory(cfg) -> list[tuple[str, int, str]]:
    """The memory of one network at each section's largest size and load."""
    from conceptdyn.core.checks import network_bytes

    found = []
    for section, part in cfg["scaling"].items():
        if not isinstance(part, dict) or "N" not in part:
            continue
        n, alpha = max(part["N"]), max(part["alphas"])
        k = part["starts"] * len(part.get("m0", [1]))
        what = f"one network of {max(1, round(alpha * n)):,} patterns at alpha {alpha:g}"
        found.append((f"scaling.{section}.N = {n}", network_bytes(n, alpha, k), what))
    return found
