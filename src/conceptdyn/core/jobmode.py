"""Which rules a Snakemake process runs when it runs single jobs (a cluster job, ``--target-jobs``).

The seeds target and the converged VAE run are modules that read the whole workflow once more each;
a process that runs one job of another rule has no use for them.  Declaring them only where they are
needed halves the time every cluster job spends reading the workflow (docs/seeds.md).
"""

from __future__ import annotations

from collections.abc import Sequence


def target_job_rules(argv: Sequence[str]) -> frozenset[str] | None:
    """The rule names of ``--target-jobs rule:wildcards ...`` on a command line, or None when it has
    none (the main Snakemake process, which plans every job and needs every rule)."""
    argv = list(argv)
    if "--target-jobs" not in argv:
        return None
    start = argv.index("--target-jobs") + 1
    specs = []
    for item in argv[start:]:
        if item.startswith("--"):
            break
        specs.append(item)
    rules = frozenset(spec.split(":", 1)[0] for spec in specs)
    return rules or None


def module_needed(job_rules: frozenset[str] | None, prefix: str) -> bool:
    """Whether a module whose rules are named ``prefix...`` must be declared: always in the main
    process, in a job process only when one of its jobs is the module's."""
    return job_rules is None or any(name.startswith(prefix) for name in job_rules)
