"""Which package modules a job runs: the imports of its adapter script, followed inside the package.

Snakemake does not track the modules a script imports.  :func:`module_inputs` reads the adapter's
source (statically, with :mod:`ast`: nothing is imported), collects every ``import conceptdyn...`` and
``from conceptdyn... import ...`` (also those inside functions), and follows them transitively through
the package.  A rule lists the result as inputs, so editing a module reruns exactly the rules whose
scripts reach it.  Imports the code makes by name at run time (``importlib``) are invisible here: a
rule names those modules as extra roots.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

PACKAGE = "conceptdyn"


def _module_file(src: Path, dotted: str) -> Path | None:
    """The file of module ``dotted`` (``conceptdyn.a.b``) under ``src``: ``a/b.py`` or ``a/b/__init__.py``."""
    base = src.joinpath(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported(tree: ast.AST, package: str | None) -> set[str]:
    """Dotted names of the package's modules that ``tree`` imports, with every parent package.

    ``from conceptdyn.x import y`` imports ``conceptdyn.x`` and, where ``y`` is a module, ``conceptdyn.x.y``;
    relative imports are resolved against ``package`` (the importing module's package)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.split(".")[0] == PACKAGE)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if package is None:
                    continue
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, node.module] if node.module else parts)
            else:
                base = node.module or ""
            if base.split(".")[0] != PACKAGE:
                continue
            names.add(base)
            names.update(f"{base}.{a.name}" for a in node.names if a.name != "*")
    out = set()
    for name in names:
        parts = name.split(".")
        out.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return out


@functools.cache
def _closure(src: str, roots: tuple[str, ...]) -> tuple[str, ...]:
    src_path = Path(src)
    seen: dict[str, Path] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = _module_file(src_path, name)
        if path is None:  # ``from conceptdyn.x import name`` where name is not a module
            continue
        seen[name] = path
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        todo.extend(_file_imports(str(path), package) - seen.keys())
    return tuple(sorted(str(p) for p in seen.values()))


@functools.cache
def _file_imports(path: str, package: str | None) -> frozenset[str]:
    """:func:`_imported` of one module file, read once per process (a workflow and its modules ask for
    the same files many times while Snakemake parses them)."""
    return frozenset(_imported(ast.parse(Path(path).read_text(), path), package))


def module_inputs(script: str | Path, src: str | Path, extra: tuple[str, ...] = ()) -> list[str]:
    """The package files (under ``src``, the folder holding ``conceptdyn/``) that ``script`` reaches
    through its imports, plus those reached from the ``extra`` modules (dotted names or
    ``stage/module`` paths), sorted."""
    script = Path(script)
    if not script.is_file():
        raise FileNotFoundError(f"adapter script {script} does not exist")
    roots = set(_file_imports(str(script), None))
    roots |= {e if e.startswith(f"{PACKAGE}.") else f"{PACKAGE}." + e.replace("/", ".") for e in extra}
    for name in roots:
        if name != PACKAGE and _module_file(Path(src), name) is None and "." in name:
            parent = name.rpartition(".")[0]
            if _module_file(Path(src), parent) is None:
                raise ModuleNotFoundError(f"{script} imports {name}, which is not under {src}")
    return list(_closure(str(Path(src)), tuple(sorted(roots))))
