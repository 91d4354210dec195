"""Config checks that the JSON schema cannot express, gathered from the stages.

Each stage with such checks has ``conceptdyn/<stage>/checks.py`` with ``check(cfg) -> list[str]`` (one
message per problem, naming the key and the fix); :func:`check_config` runs them all, and the
scorecard criteria against the claims, before any rule runs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping


def increasing(values, key: str) -> list[str]:
    """A problem if ``values`` is not strictly increasing."""
    return [] if list(values) == sorted(set(values)) else [f"{key} must be strictly increasing, got {values}"]


def _leaves(value, key: str = ""):
    """``(dotted key, value)`` of every leaf of a nested config."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield from _leaves(v, f"{key}.{k}" if key else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, f"{key}[{i}]")
    else:
        yield key, value


def non_finite(cfg: Mapping) -> list[str]:
    """A problem for every number of the config that is NaN or infinite (JSON-Schema bounds never
    reject NaN, and NaN fails every comparison silently)."""
    return [
        f"{key} is {value}: every number of the config must be finite"
        for key, value in _leaves(cfg)
        if isinstance(value, float) and not math.isfinite(value)
    ]


def braces(cfg: Mapping) -> list[str]:
    """A problem for every string of the config with a brace: Snakemake reads braces in a path as
    wildcards, so a file named with them cannot be an input."""
    return [
        f"{key} = {value!r} contains a brace: Snakemake reads {{...}} in paths as wildcards; "
        "rename the file or folder"
        for key, value in _leaves(cfg)
        if isinstance(value, str) and ("{" in value or "}" in value)
    ]


def machine_memory() -> int:
    """Bytes of physical memory of this machine."""
    import os

    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def network_bytes(n: int, alpha: float, states: int) -> int:
    """Memory of the smallest batch the engine can run: one network of ``p = alpha N`` patterns of
    ``n`` neurons and ``states`` states with their fields, float32 (the engine never builds couplings)."""
    return 4 * n * (max(1, round(alpha * n)) + 2 * states)


def memory_problems(cfg: Mapping, available: int | None = None) -> list[str]:
    """A problem for every size whose memory estimate (each stage's ``checks.memory(cfg)``: ``(key,
    bytes, what)``) exceeds this machine's memory: refused before any job, instead of an allocation
    error late in the run (or a shared host taken down)."""
    from conceptdyn.core.stages import stage_modules

    available = machine_memory() if available is None else available
    found = []
    for module in stage_modules("checks").values():
        for key, nbytes, what in getattr(module, "memory", lambda cfg: [])(cfg):
            if nbytes > available:
                found.append(
                    f"{key} needs about {nbytes / 2**30:.1f} GiB ({what}), more than this machine's "
                    f"{available / 2**30:.1f} GiB; lower it"
                )
    return found


def problems(cfg: Mapping) -> list[str]:
    """Non-finite numbers and braces anywhere, every stage's problems with ``cfg`` (the validated
    config), then the scorecard's."""
    from conceptdyn.core import scorecard
    from conceptdyn.core.stages import stage_modules

    found = non_finite(cfg) + braces(cfg)
    found += [p for module in stage_modules("checks").values() for p in module.check(cfg)]
    found += memory_problems(cfg)
    return found + scorecard.check_criteria(cfg["scorecard"])


class ConfigError(ValueError):
    """The configuration is invalid; the message lists every problem."""


def check_config(cfg: Mapping) -> None:
    """Raise :class:`ConfigError` listing every problem of ``cfg``."""
    found = problems(cfg)
    if found:
        raise ConfigError("Invalid configuration:\n  " + "\n  ".join(found))
