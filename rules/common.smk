import os
import sys
import time
from pathlib import Path

from snakemake.exceptions import WorkflowError

# The package lives in src/; make it importable for every script job, also without `pip install`.
SRC = str(Path(workflow.basedir) / "src")
_pythonpath = os.environ.get("PYTHONPATH", "")
if SRC not in _pythonpath.split(os.pathsep):
    os.environ.update(PYTHONPATH=os.pathsep.join(p for p in (SRC, _pythonpath) if p))

# OpenMP threads sleep while they wait instead of spinning: on a machine shared with other work a
# spinning pool waits for its descheduled threads many times longer than the work takes (torch's
# VAE training step: 3.3x slower beside one busy process with spinning, 1.1x with sleeping;
# benchmarks/loaded_machine.py, benchmarks/RESULTS.md). Jobs inherit it; a user's own setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from conceptdyn.core.checks import ConfigError, check_config
from conceptdyn.core.codeinputs import module_inputs
from conceptdyn.core.jobmode import module_needed, target_job_rules
from conceptdyn.core.stages import STAGES as STAGE_TITLES


def code(script, *extra):
    """The package modules a job runs, as its inputs: those its adapter ``scripts/<script>.py``
    imports, followed inside the package (plus the ``extra`` modules, ``<stage>/<module>``, that it
    imports by name at run time).  Editing one reruns exactly the rules that reach it.
    """
    base = Path(workflow.basedir)
    paths = module_inputs(base / "scripts" / f"{script}.py", base / "src", extra)
    return [here(p) for p in paths]


def here(path):
    """A file of the workflow (``path`` relative to its folder, or absolute) as a path relative to the
    working directory: the workflow's folder, unless ``--directory`` or ``-s`` from elsewhere say
    otherwise."""
    return os.path.relpath(Path(workflow.basedir) / path, Path.cwd())


# this workflow itself, not a run it defines as a module (a seed run, the converged VAE run): Snakemake
# names a module's globals after the module, the top-level workflow's __name__ is None
TOP_LEVEL = __name__ is None

# the rules this process runs when it runs single jobs (a cluster job): the seed and converged runs'
# modules are declared only where they are needed (core/jobmode.py)
JOB_RULES = target_job_rules(sys.argv) if workflow.exec_mode.name != "DEFAULT" else None


def prov(rule_name):
    return f"results/provenance/{rule_name}.json"


# resources of the jobs that run on CUDA when the config asks for it
GPU = 1 if config["device"] == "cuda" else 0


def mnist_root(wildcards, input):
    """The torchvision root holding MNIST/raw, from a job's MNIST inputs."""
    return str(Path(input.mnist[0]).parents[2])


try:
    check_config(config)
except ConfigError as err:
    raise WorkflowError(str(err)) from None

# Filled by the stage files: what `rule all` builds and `rule archive` packs.
FINAL_OUTPUTS = []
# Stages with their own target, outside the default run (stage -> its outputs, figures included).
OPTIONAL_OUTPUTS = {}
# Figures of a default stage that belong to one of those targets instead (figure -> target).
OPTIONAL_FIGURES = {}
# Filled by the stage files: stage -> figure name -> {table name: path}; rules/figures.smk makes the
# plot rules from it.
FIGURES = {}
# Filled by the stage files: table name -> path of every stage table a scorecard claim may read
# (src/conceptdyn/<stage>/claims.py names them); the scorecard rule takes those its claims read.
CLAIM_TABLES = {}


def source_tables(stage, sources, *names):
    """Figure inputs of a stage with several sources: each named table of each source, keyed
    ``<name>_<key>`` for ``sources = {key: source folder}``."""
    return {
        f"{name}_{key}": f"results/{stage}/{source}/{name}.csv"
        for name in names
        for key, source in sources.items()
    }


def figure_tables(stage):
    """Input function: the tables of one figure of ``stage``; a figure the stage does not draw (a typo
    in a target) is refused with the list of those it does."""

    def tables(wildcards):
        if wildcards.figure not in FIGURES[stage]:
            raise WorkflowError(
                f"results/figures/{wildcards.figure}.png: stage {stage} draws no figure "
                f"{wildcards.figure!r}; its figures are: {', '.join(sorted(FIGURES[stage]))}"
            )
        return FIGURES[stage][wildcards.figure]

    return tables


# when this Snakemake process started: the jobs it ran are those with a benchmark written since
RUN_STARTED = time.time()


def print_times():
    """Where this run's time went, per stage, from its jobs' benchmark files."""
    from conceptdyn.core import timing

    patterns = {
        r.name: (Path(r.snakefile).stem, str(r.benchmark))
        for r in workflow.rules
        if r.benchmark
    }
    jobs = timing.job_times(patterns, since=RUN_STARTED)
    if len(jobs):
        stages = timing.stage_times(jobs, list(STAGE_TITLES))
        print(f"\n{timing.render(stages, time.time() - RUN_STARTED)}", end="")
