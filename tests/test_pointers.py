"""Every pointer in the config, the docs, docstrings and messages names a place that exists.

A pointer is a repository path (``docs/…``, ``scripts/…``, ``benchmarks/…``, …), a results path
(``results/…``, which some rule, script or package module must declare), a section of the README or of a
doc (``README, *Section*``, ``docs/x.md, Section``), or a bare "see README" / "(README)", which names
no section and is always stale.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FOLDERS = "docs|benchmarks|scripts|src|config|tests|report|profiles|envs|rules"
FILE = re.compile(rf"(?<![\w/.-])((?:{FOLDERS})/[A-Za-z0-9_./-]*[A-Za-z0-9_])(?![\w/<])")
RESULT = re.compile(r"(?<![\w/.{-])(results/[A-Za-z0-9_./<>*{}-]*[A-Za-z0-9_/>*}])")
SECTION = re.compile(r"(README|docs/[a-z_]+\.md),? (?:\*([^*]+)\*|([A-Z][a-z]+(?: [a-z]+)*))")
BARE = re.compile(r"\(README\)|see README(?!,)")
# files that scripts write on their own (ignored by git): named as outputs by the script that writes them
SCRIPT_OUTPUTS = "benchmarks/results/"


def texts(root: Path) -> list[Path]:
    globs = [
        "config/*.yaml",
        "docs/*.md",
        "src/conceptdyn/**/*.py",
        "rules/*.smk",
        "scripts/*.py",
        "benchmarks/*",
    ]
    found = [
        p for g in globs for p in root.glob(g) if p.is_file() and p.suffix in {".yaml", ".md", ".py", ".smk"}
    ]
    return sorted({*found, root / "README.md", root / "Snakefile"})


def declared_results(root: Path) -> list[list[re.Pattern]]:
    """Every ``results/…`` string of the workflow's code, as a list of per-component patterns
    (``{wildcard}`` matches any text); a folder string (``results/vae/converged/``, a module's
    prefix) ends in a pattern that matches any rest."""
    code = [
        *root.glob("rules/*.smk"),
        root / "Snakefile",
        *root.glob("src/conceptdyn/**/*.py"),
        *root.glob("scripts/*.py"),
    ]
    out = []
    for p in code:
        for m in re.finditer(r"""["'](results/[^"'\s]*)["']""", p.read_text()):
            parts = [c for c in m[1].split("/") if c]
            pats = [re.compile(re.sub(r"\\\{[^}]*\\\}", ".+", re.escape(c))) for c in parts]
            if m[1].endswith("/") and len(parts) > 1:
                pats.append(re.compile(ANY_REST))
            out.append(pats)
    return out


ANY_REST = ".+(/.+)*"


def result_exists(pointer: str, declared: list[list[re.Pattern]]) -> bool:
    """A results file is a declared output; a folder (no extension) lies on the way to one."""
    parts = [c for c in pointer.split("/") if c]
    is_file = "." in parts[-1]
    for d in declared:
        if d[-1].pattern == ANY_REST and len(parts) >= len(d):  # under a module's folder
            if all(pat.fullmatch(c) for pat, c in zip(d[:-1], parts, strict=False)):
                return True
            continue
        if (len(d) == len(parts) if is_file else len(d) > len(parts)) and all(
            pat.fullmatch(c) for pat, c in zip(d, parts, strict=False)
        ):
            return True
    return False


def headings(path: Path) -> set[str]:
    return {line.lstrip("#").strip() for line in path.read_text().splitlines() if line.startswith("#")}


def section_exists(root: Path, doc: str, title: str) -> bool:
    path = root / ("README.md" if doc == "README" else doc)
    return path.is_file() and any(
        h == title or h.startswith(f"{title} ") or title in h for h in headings(path)
    )


def stale_pointers(root: Path) -> list[str]:
    declared = declared_results(root)
    bad = []
    for path in texts(root):
        for i, line in enumerate(path.read_text().splitlines(), 1):
            where = f"{path.relative_to(root)}:{i}"
            for m in BARE.finditer(line):
                bad.append(f"{where}: {m[0]!r} names no section")
            for m in FILE.finditer(line):
                target = m[1].rstrip(".")
                if target.startswith(SCRIPT_OUTPUTS):
                    writers = [p for p in root.glob("benchmarks/*.py") if target in p.read_text()]
                    if not writers:
                        bad.append(f"{where}: {target} is written by no benchmark script")
                elif not (root / target).exists():
                    bad.append(f"{where}: {target} does not exist")
            for m in RESULT.finditer(line):
                target = m[1]
                if any(c in target for c in "<*{"):
                    continue  # a pattern, not a pointer
                if not result_exists(target, declared):
                    bad.append(f"{where}: {target} is made by no rule")
            for m in SECTION.finditer(line):
                title = m[2] or m[3]
                if not section_exists(root, m[1], title):
                    bad.append(f"{where}: {m[1]} has no section {title!r}")
    return bad


def test_every_pointer_names_a_place_that_exists():
    assert stale_pointers(ROOT) == []


def test_the_pointer_check_finds_stale_pointers(tmp_path):
    for name in ("README.md", "Snakefile"):
        (tmp_path / name).write_text("# Quick start\n")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules/x.smk").write_text('rule a:\n    output: "results/vae/{latent}/models.csv"\n')
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/x.md").write_text(
        "# X\n## Model\nsee README for more; (README); docs/y.md; results/vae/nothing.csv;\n"
        "results/vae/z20/models.csv; README, *Quick start*; README, *Cluster*; docs/x.md, Model\n"
    )
    found = stale_pointers(tmp_path)
    assert len(found) == 5, found
    assert any("docs/y.md does not exist" in f for f in found)
    assert any("results/vae/nothing.csv is made by no rule" in f for f in found)
    assert any("no section 'Cluster'" in f for f in found)
