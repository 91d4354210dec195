"""Where the time of a run went: the benchmark files of its jobs (``results/benchmarks/*.tsv``, one per
job, written by Snakemake's ``benchmark:``), summed per stage and printed at the end of the run."""

from __future__ import annotations

import glob
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd


def benchmark_glob(pattern: str) -> str:
    """A rule's benchmark path with its wildcards as ``*``."""
    return re.sub(r"\{[^}]*\}", "*", pattern)


def job_times(patterns: Mapping[str, tuple[str, str]], since: float = 0.0) -> pd.DataFrame:
    """One row per benchmark file written at or after ``since`` (seconds since the epoch):
    ``rule, stage, file, seconds, cpu_seconds, max_rss_mb``.  ``patterns``: rule -> (stage, path
    pattern of its benchmark files)."""
    rows = []
    for rule, (stage, pattern) in patterns.items():
        for path in sorted(glob.glob(benchmark_glob(pattern))):
            if Path(path).stat().st_mtime < since:
                continue
            b = pd.read_csv(path, sep="\t")
            if b.empty:
                continue
            last = b.iloc[-1]
            rows.append(
                {
                    "rule": rule,
                    "stage": stage,
                    "file": path,
                    "seconds": float(last["s"]),
                    "cpu_seconds": float(last.get("cpu_time", float("nan"))),
                    "max_rss_mb": float(last.get("max_rss", float("nan"))),
                }
            )
    cols = ["rule", "stage", "file", "seconds", "cpu_seconds", "max_rss_mb"]
    return pd.DataFrame(rows, columns=cols).drop_duplicates("file")


def stage_times(jobs: pd.DataFrame, order: Iterable[str] = ()) -> pd.DataFrame:
    """Per stage: jobs, the sum of their wall seconds and CPU seconds, and the largest peak memory;
    stages in ``order`` first, then the rest by name."""
    per = jobs.groupby("stage").agg(
        jobs=("file", "size"),
        seconds=("seconds", "sum"),
        cpu_seconds=("cpu_seconds", "sum"),
        max_rss_mb=("max_rss_mb", "max"),
    )
    first = [s for s in order if s in per.index]
    return per.loc[first + sorted(set(per.index) - set(first))].reset_index()


def render(stages: pd.DataFrame, wall_seconds: float | None = None) -> str:
    """The table printed at the end of a run."""
    lines = [
        "Where the time went (job benchmarks of this run, results/benchmarks/):",
        f"  {'stage':<14}{'jobs':>5}{'job s':>9}{'CPU s':>9}{'peak MB':>9}",
    ]
    for r in stages.itertuples():
        lines.append(f"  {r.stage:<14}{r.jobs:>5}{r.seconds:>9.0f}{r.cpu_seconds:>9.0f}{r.max_rss_mb:>9.0f}")
    total_s, total_cpu = stages["seconds"].sum(), stages["cpu_seconds"].sum()
    lines.append(f"  {'all':<14}{stages['jobs'].sum():>5}{total_s:>9.0f}{total_cpu:>9.0f}")
    if wall_seconds:
        lines.append(
            f"  run wall {wall_seconds:.0f} s; CPU / wall {total_cpu / wall_seconds:.2f} cores busy on "
            f"average; job time / wall {total_s / wall_seconds:.2f} jobs at once"
        )
    return "\n".join(lines) + "\n"
