"""Reading and writing the tidy tables (CSV) that every figure is drawn from, and atomic outputs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` (``<stem>.part<suffix>``, so writers that insist on a
    suffix accept it); on success it replaces ``path``, on failure it is removed: no partial output."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".part" + path.suffix)
    try:
        yield tmp
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path: str | Path, text: str) -> None:
    """Write ``text`` atomically (a reader, or a rerun after a crash, never sees half a file)."""
    with atomic_output(path) as tmp:
        tmp.write_text(text)


def write_table(df: pd.DataFrame, path: str | Path) -> None:
    """Write ``df`` as CSV atomically, with a fixed float format so equal data give equal files."""
    with atomic_output(path) as tmp:
        df.to_csv(tmp, index=False, float_format="%.10g")


def read_table(path: str | Path, required: tuple[str, ...] = (), allow_empty: bool = False) -> pd.DataFrame:
    """Read a CSV table and check that it has the ``required`` columns; with ``allow_empty`` a file
    :func:`write_table` wrote from a table without columns reads back as one."""
    try:
        df = pd.read_csv(path)
    except pd.errors.EmptyDataError:
        if not allow_empty:
            raise
        df = pd.DataFrame()
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise ValueError(f"{path} lacks columns {missing}; it has {list(df.columns)}")
    return df
