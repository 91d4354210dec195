"""Typed settings from the validated config: one function, no defaults of its own.

Defaults live only in ``config/config.yaml`` (``config/schema.yaml`` types them and has none, tested);
Snakemake validates the config before any rule runs.  A stage's settings dataclass declares its fields without
defaults, and :func:`from_section` builds it from the config section (plus any values the rule fixes),
so a field that the config does not provide is an error here instead of a silent second default.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def from_section(cls: type[T], section: Mapping[str, Any], where: str = "config", **fixed: Any) -> T:
    """Build dataclass ``cls`` from the config ``section`` and the ``fixed`` values.

    Keys of the section that are not fields of ``cls`` are left out (a section may also carry keys
    that another part of its stage reads; the schema refuses unknown keys).  Lists become tuples for
    tuple-typed fields, so settings stay hashable and equal configs give equal objects.
    """
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls!r} is not a dataclass")
    values = {**section, **fixed}
    hints = typing.get_type_hints(cls)
    kwargs, missing = {}, []
    for f in dataclasses.fields(cls):
        if f.name not in values:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                missing.append(f.name)
            continue
        v = values[f.name]
        if isinstance(v, list) and typing.get_origin(hints[f.name]) is tuple:
            v = tuple(v)
        kwargs[f.name] = v
    if missing:
        raise ValueError(
            f"{where} lacks {missing} for {cls.__name__}; add them to config/config.yaml (the default) "
            "and config/schema.yaml (the type)"
        )
    return cls(**kwargs)


@functools.cache
def _default_config_text() -> str:
    from pathlib import Path

    import yaml
    from snakemake.utils import validate

    root = Path(__file__).resolve().parents[3]
    cfg = yaml.safe_load((root / "config" / "config.yaml").read_text())
    validate(cfg, str(root / "config" / "schema.yaml"), set_default=True)
    return yaml.safe_dump(cfg)


def default_config() -> dict:
    """The default configuration of this checkout (``config/config.yaml``, validated), for tests,
    benchmarks and notebooks that run stage code outside Snakemake.  Read and validated once per
    process; every call returns a fresh copy."""
    import yaml

    return yaml.safe_load(_default_config_text())


def defaults(cls: type[T], *sections: str, **fixed: Any) -> T:
    """``cls`` from the default config's ``sections`` (dotted paths, merged in order) and ``fixed``."""
    cfg, merged = default_config(), {}
    for dotted in sections:
        part = cfg
        for key in dotted.split("."):
            part = part[key]
        merged.update(part)
    return from_section(cls, merged, " + ".join(sections), **fixed)


def coerce_overrides(value: Any, schema: Mapping, root: Mapping | None = None) -> Any:
    """Read the strings of nested ``--config`` overrides as YAML would, where the schema asks for a
    non-string: Snakemake passes ``--config "vae={epochs: 2}"`` on as the string ``'2'``, and
    ``recording: null`` as ``'null'``.  A whole-number float where the schema asks for an integer
    (``seed: 7.0``, from a file or the command line) becomes that integer; 7.5 is left for the
    validator to refuse by key.  Values the schema allows to be strings stay strings (but for a
    literal ``null`` where null is allowed); what YAML cannot read is left for the validator to refuse.
    """
    import yaml

    root = root if root is not None else schema
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part]
        schema = target
    types = schema.get("type", [])
    types = [types] if isinstance(types, str) else list(types)
    if isinstance(value, float) and "integer" in types and "number" not in types and value.is_integer():
        # JSON Schema counts 7.0 as an integer, but torch, range() and numpy's sizes do not: a job
        # would fail late without naming the key.  Read it as the integer it is (same params as 7).
        return int(value)
    if isinstance(value, str):
        if "null" in types and value.strip() in ("null", "~", "Null", "NULL"):
            return None
        if types and "string" not in types:
            try:
                parsed = yaml.safe_load(value)
            except yaml.YAMLError:
                return value
            if isinstance(parsed, str) and "number" in types:
                try:  # YAML 1.1 reads 1e-3 as a string; a number is meant
                    return float(value)
                except ValueError:
                    return value
            return value if isinstance(parsed, str) else coerce_overrides(parsed, schema, root)
        return value
    if isinstance(value, Mapping) and "properties" in schema:
        props = schema["properties"]
        return {k: coerce_overrides(v, props[k], root) if k in props else v for k, v in value.items()}
    if isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        return [coerce_overrides(v, schema["items"], root) for v in value]
    return value


# config keys that hold paths of the user's files: ``~`` is expanded in them, as a shell would
PATH_KEYS = (("mnist", "local_dir"), ("facecells", "recording"), ("facecells", "stimuli"))


def expand_user_paths(cfg: dict) -> dict:
    """``cfg`` with ``~`` and ``~user`` expanded in every path key (:data:`PATH_KEYS`)."""
    for section, key in PATH_KEYS:
        part = cfg.get(section)
        if isinstance(part, dict) and isinstance(part.get(key), str):
            part[key] = str(Path(part[key]).expanduser())
    return cfg


def duplicate_keys(path: str | Path) -> list[str]:
    """The keys that a YAML config file gives twice in one mapping (YAML loaders keep the last one
    silently), each as a message naming the file, the key and both lines."""
    import yaml

    found: list[str] = []

    # the C parser where PyYAML has it (the workflow reads its config files at every Snakemake start)
    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        pass

    def mapping(loader, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if key in seen:
                found.append(
                    f"{path}: key {key!r} is given twice (lines {seen[key]} and {line}); YAML keeps only "
                    "the last, so remove one"
                )
            else:
                seen[key] = line
        return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    with open(path) as fh:
        yaml.load(fh, Loader=Loader)
    return found


def canonical(value: Any) -> Any:
    """The config with every mapping's keys in sorted order: a section passed to a rule as params then
    compares equal whatever the order in which files and overrides supplied its keys, so an override
    that sets a value to what it already is reruns nothing."""
    if isinstance(value, Mapping):
        return {k: canonical(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, list):
        return [canonical(v) for v in value]
    return value
