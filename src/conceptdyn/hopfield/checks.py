"""Config checks of associative memory that the schema cannot express."""

from __future__ import annotations

from conceptdyn.core.checks import increasing

# the sequential rule loops over neurons in Python
MAX_SEQUENTIAL_N = 20000


def check(cfg) -> list[str]:
    hop = cfg["hopfield"]
    problems = []
    for section in ("capacity", "basin"):
        problems += increasing(hop[section]["alphas"], f"hopfield.{section}.alphas")
    problems += increasing(hop["basin"]["m0"], "hopfield.basin.m0")
    if hop["rule"] == "sequential" and hop["dynamics"]["N"] > MAX_SEQUENTIAL_N:
        problems.append(
            f"hopfield.rule = sequential loops over neurons in Python; use N <= {MAX_SEQUENTIAL_N}"
        )
    return problems
