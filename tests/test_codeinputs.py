"""Module inputs derived from imports: a script importing a module that imports another lists both; a
module it does not import is absent."""

from pathlib import Path

from conceptdyn.core.codeinputs import module_inputs


def _tree(tmp_path: Path) -> tuple[Path, Path]:
    pkg = tmp_path / "src" / "conceptdyn"
    (pkg / "a").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a" / "__init__.py").write_text("")
    (pkg / "a" / "one.py").write_text("from conceptdyn.a import two\n")
    (pkg / "a" / "two.py").write_text("def f():\n    from .three import g\n")
    (pkg / "a" / "three.py").write_text("import numpy\n")
    (pkg / "a" / "unused.py").write_text("")
    script = tmp_path / "script.py"
    script.write_text("from conceptdyn.a.one import x\n")
    return script, tmp_path / "src"


def test_imports_are_followed_transitively_and_lazily(tmp_path):
    script, src = _tree(tmp_path)
    names = {Path(p).relative_to(src / "conceptdyn").as_posix() for p in module_inputs(script, src)}
    assert names == {"__init__.py", "a/__init__.py", "a/one.py", "a/two.py", "a/three.py"}


def test_extra_roots_add_modules_imported_by_name(tmp_path):
    script, src = _tree(tmp_path)
    names = {Path(p).name for p in module_inputs(script, src, ("a/unused",))}
    assert "unused.py" in names


def test_the_vae_training_adapter_does_not_reach_inference():
    root = Path(__file__).resolve().parents[1]
    names = {
        Path(p).relative_to(root / "src").as_posix()
        for p in module_inputs(root / "scripts/train_vae.py", root / "src")
    }
    assert "conceptdyn/vae/training.py" in names and "conceptdyn/vae/inference.py" not in names
