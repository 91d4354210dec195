"""The package stays readable: no function longer than a reader can hold in mind."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "conceptdyn"
MAX_LINES = 80  # docstring included


def long_functions(root: Path, limit: int = MAX_LINES) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > limit:
                    found.append(f"{path.relative_to(root.parent)}:{node.lineno} {node.name} ({lines} lines)")
    return found


def test_no_function_in_the_package_is_longer_than_80_lines():
    assert long_functions(SRC) == []


def test_the_length_check_finds_a_long_function(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES))
    (tmp_path / "m.py").write_text(f"def long():\n{body}\n")
    assert long_functions(tmp_path) == [f"{tmp_path.name}/m.py:1 long ({MAX_LINES + 1} lines)"]
