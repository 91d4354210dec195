"""Config checks that the JSON schema cannot express, gathered from the stages.

Each stage with such checks has ``conceptdyn/<stage>/checks.py`` with ``check(cfg) -> list[str]`` (one
message per problem, naming the key and the fix); :func:`check_config` runs them all, and the
scorecard criteria against the claims, before any rule runs.
"""

from __future__ import annotations

from collections.abc import Mapping


def increasing(values, key: str) -> list[str]:
    """A problem if ``values`` is not strictly increasing."""
    return [] if list(values) == sorted(set(values)) else [f"{key} must be strictly increasing, got {values}"]


def problems(cfg: Mapping) -> list[str]:
    """Every stage's problems with ``cfg`` (the validated config), then the scorecard's."""
    from conceptdyn.core import scorecard
    from conceptdyn.core.stages import stage_modules

    found = [p for module in stage_modules("checks").values() for p in module.check(cfg)]
    return found + scorecard.check_criteria(cfg["scorecard"])


class ConfigError(ValueError):
    """The configuration is invalid; the message lists every problem."""


def check_config(cfg: Mapping) -> None:
    """Raise :class:`ConfigError` listing every problem of ``cfg``."""
    found = problems(cfg)
    if found:
        raise ConfigError("Invalid configuration:\n  " + "\n  ".join(found))
