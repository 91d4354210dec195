"""Named random streams: one registry (core.runtime.STREAMS), one call site per stream, no seed
arithmetic.  Two things drawn from one stream are correlated; this test is what stops the next
collision."""

import ast
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from conceptdyn.core import runtime
from conceptdyn.core.runtime import MAX_SEED, STREAMS, child_rng, child_seed, stream_key

PACKAGE = Path(runtime.__file__).resolve().parents[1]
SEEDING = {"child_rng", "child_seed"}
SEEDED = {"manual_seed", "default_rng", "child_rng", "child_seed", "SeedSequence"}


def _name(func) -> str:
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _calls(tree):
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def stream_call_sites(root: Path = PACKAGE) -> dict[str, list[str]]:
    """Registered stream name -> the call sites (``file:line``) that draw from it; a call whose stream
    is not a literal name, or names an unregistered stream, raises."""
    sites = defaultdict(list)
    for path in sorted(root.rglob("*.py")):
        for call in _calls(ast.parse(path.read_text(), str(path))):
            if _name(call.func) not in SEEDING or path.name == "runtime.py":
                continue
            where = f"{path.relative_to(root)}:{call.lineno}"
            stream = call.args[1] if len(call.args) > 1 else None
            if not (isinstance(stream, ast.Constant) and isinstance(stream.value, str)):
                raise AssertionError(f"{where}: the stream must be a literal name of STREAMS")
            if stream.value not in STREAMS:
                raise AssertionError(f"{where}: stream {stream.value!r} is not registered in STREAMS")
            sites[stream.value].append(where)
    return dict(sites)


def test_every_stream_is_drawn_at_exactly_one_call_site():
    sites = stream_call_sites()
    shared = {name: where for name, where in sites.items() if len(where) > 1}
    assert not shared, f"streams drawn at several call sites (correlated draws): {shared}"
    assert set(sites) == set(STREAMS), f"registered but never drawn: {sorted(set(STREAMS) - set(sites))}"


def test_the_check_fails_on_a_second_call_site_and_on_bare_numbers(tmp_path):
    twice, bare = tmp_path / "twice", tmp_path / "bare"
    twice.mkdir(), bare.mkdir()
    (twice / "a.py").write_text('child_rng(seed, "facecells.model.trials")\n')
    (twice / "b.py").write_text('rng = child_rng(seed, "facecells.model.trials", 2)\n')
    assert stream_call_sites(twice) == {"facecells.model.trials": ["a.py:1", "b.py:1"]}
    (bare / "c.py").write_text("rng = child_rng(seed, 0)\n")
    with pytest.raises(AssertionError, match="literal name"):
        stream_call_sites(bare)


def test_no_seed_arithmetic():
    """``seed + 1`` as a second stream is the collision by number this registry replaces."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for call in _calls(ast.parse(path.read_text())):
            if _name(call.func) in SEEDED and call.args and isinstance(call.args[0], ast.BinOp):
                found.append(f"{path.relative_to(PACKAGE)}:{call.lineno}")
    assert not found, f"seeds computed by arithmetic (name a stream instead): {found}"


def test_stream_keys_are_distinct_and_streams_independent():
    keys = [stream_key(name) for name in STREAMS]
    assert len(set(keys)) == len(keys)
    a = child_rng(1, "hopfield.patterns", 3).random(4)
    assert np.array_equal(a, child_rng(1, "hopfield.patterns", 3).random(4))
    assert not np.array_equal(a, child_rng(1, "hopfield.patterns", 4).random(4))
    assert not np.array_equal(a, child_rng(1, "hopfield.starts", 3).random(4))
    assert not np.array_equal(a, child_rng(2, "hopfield.patterns", 3).random(4))


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((1, 0), TypeError, "must be a name"),
        ((1, "no.such.stream"), KeyError, "not registered"),
        ((-1, "hopfield.patterns"), ValueError, "seed must be an integer"),
        ((MAX_SEED + 1, "hopfield.patterns"), ValueError, "seed must be an integer"),
        ((1, "hopfield.patterns", -2), ValueError, "non-negative"),
    ],
)
def test_bad_streams_and_seeds_are_refused(args, error, message):
    with pytest.raises(error, match=message):
        child_rng(*args)


def test_child_seeds_fit_every_library():
    seeds = [child_seed(MAX_SEED, "vae.training.init", k) for k in range(50)]
    assert all(0 <= s < 2**31 for s in seeds) and len(set(seeds)) == 50
