"""One source of defaults: the schema types, config/config.yaml holds every value."""

from pathlib import Path

import yaml

from conceptdyn.core.checks import problems
from conceptdyn.core.settings import default_config

ROOT = Path(__file__).resolve().parents[1]


def _has_default(node) -> bool:
    if isinstance(node, dict):
        return "default" in node or any(_has_default(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_default(v) for v in node)
    return False


def test_schema_holds_no_values_and_the_config_every_key():
    schema = yaml.safe_load((ROOT / "config/schema.yaml").read_text())
    assert not _has_default(schema)
    cfg = yaml.safe_load((ROOT / "config/config.yaml").read_text())

    def walk(sch, c, path):
        for key, sub in sch.get("properties", {}).items():
            assert key in c, f"{'.'.join([*path, key])} is in the schema but not in config/config.yaml"
            if isinstance(c[key], dict) and "properties" in sub:
                walk(sub, c[key], [*path, key])

    walk(schema, cfg, [])


def test_the_default_config_passes_every_stage_check():
    assert problems(default_config()) == []


def test_stage_checks_name_the_key():
    cfg = default_config()
    cfg["hopfield"]["basin"]["alphas"] = [0.1, 0.05]
    cfg["neocognitron"]["narrow"] = 3.0
    cfg["facecells"]["analysis"]["snapshots"] = [1000]
    found = "\n".join(problems(cfg))
    assert "hopfield.basin.alphas must be strictly increasing" in found
    assert "neocognitron.narrow (3.0) must not exceed" in found
    assert "facecells.analysis.snapshots [1000]" in found


def test_config_sections_follow_the_lecture_in_every_config_file():
    """config.yaml, schema.yaml and smoke.yaml list their sections in one order: the run's settings,
    the data, the stages in lecture order (core.stages.STAGES), the scorecard."""
    from conceptdyn.core.stages import STAGES

    order = ["seed", "device", "threads", "mnist", *(s for s in STAGES if s != "data"), "scorecard"]
    files = {
        "config.yaml": yaml.safe_load((ROOT / "config/config.yaml").read_text()),
        "schema.yaml": yaml.safe_load((ROOT / "config/schema.yaml").read_text())["properties"],
        "smoke.yaml": yaml.safe_load((ROOT / "config/smoke.yaml").read_text()),
    }
    for name, cfg in files.items():
        keys = list(cfg)
        assert set(keys) <= set(order), (name, set(keys) - set(order))
        assert keys == [k for k in order if k in keys], (name, keys)
