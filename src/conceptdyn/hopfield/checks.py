"""Config checks of associative memory that the schema cannot express."""

from __future__ import annotations

from conceptdyn.core.checks import increasing, network_bytes

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


def memory(cfg) -> list[tuple[str, int, str]]:
    """The memory of one network at each section's largest size and load (the engine's smallest batch)."""
    hop = cfg["hopfield"]
    states = {
        "dynamics": len(hop["dynamics"]["m0"]),
        "capacity": hop["capacity"]["starts"],
        "basin": len(hop["basin"]["m0"]),
    }
    found = []
    for section, k in states.items():
        sizes = hop[section]["N"]
        n = max(sizes) if isinstance(sizes, list) else sizes
        alpha = max(hop[section]["alphas"])
        what = f"one network of {max(1, round(alpha * n)):,} patterns at alpha {alpha:g}"
        found.append((f"hopfield.{section}.N = {n}", network_bytes(n, alpha, k), what))
    return found
