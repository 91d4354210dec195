import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

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

# Rules (besides every stage's plot rule) whose jobs take seconds: local jobs under a cluster executor
# (the Snakefile)
LIGHT_RULES = {
    "scorecard",
    "reproduction",
    "effective_config",
    "archive",
    "seed_robustness",
    "vae_converged_verdicts",
}


# The stage registry: each rule file declares what its stage adds through register_stage; the readers
# (rules/figures.smk: the plot rules; rules/report.smk: the scorecard and the archive; the Snakefile:
# one rule per target) come after every stage file.
DEFAULT_RUN = "all"
REGISTRY = SimpleNamespace(
    targets={DEFAULT_RUN: []},  # target -> the files it builds (`all`: the default run)
    figures={},  # stage -> figure name -> {table name: path}
    figure_targets={},  # figure name -> the target that draws it
    claim_tables={},  # table name -> path of every table a scorecard claim may read
)


def register_stage(
    stage,
    *,
    outputs=(),
    target=DEFAULT_RUN,
    figures=None,
    figure_targets=None,
    claim_tables=None,
):
    """Declare what ``stage`` adds: ``outputs`` to ``target`` (the default run, or a target of its own
    outside it, e.g. ``scaling``); ``figures`` (figure -> {table name: path}) drawn by ``plot_<stage>``
    and built by ``target``, or by the target ``figure_targets`` names for a figure; ``claim_tables``
    (name -> path, the names the stage's claims read: src/conceptdyn/<stage>/claims.py). A stage may
    call it more than once (a target of its own, outputs that depend on the config)."""
    REGISTRY.targets.setdefault(target, []).extend(outputs)
    stage_figures = REGISTRY.figures.setdefault(stage, {}) if figures else {}
    for name, tables in (figures or {}).items():
        if name in stage_figures:
            raise WorkflowError(f"stage {stage} registers the figure {name} twice")
        stage_figures[name] = tables
        REGISTRY.figure_targets[name] = (figure_targets or {}).get(name, target)
        REGISTRY.targets.setdefault(REGISTRY.figure_targets[name], [])
    for name, path in (claim_tables or {}).items():
        if REGISTRY.claim_tables.get(name, path) != path:
            raise WorkflowError(
                f"claim table {name} registered as {REGISTRY.claim_tables[name]} and {path}"
            )
        REGISTRY.claim_tables[name] = path


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
        drawn = REGISTRY.figures[stage]
        if wildcards.figure not in drawn:
            raise WorkflowError(
                f"results/figures/{wildcards.figure}.png: stage {stage} draws no figure "
                f"{wildcards.figure!r}; its figures are: {', '.join(sorted(drawn))}"
            )
        return drawn[wildcards.figure]

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


def optional_claim_tables(wildcards):
    """The tables of targets outside the default run that a claim reads once they have run (the
    top-level run's alone: a seed run judges its own seed's tables)."""
    from conceptdyn.core.scorecard import table_names

    if not TOP_LEVEL:
        return {}
    return {
        name: REGISTRY.claim_tables[name]
        for name in table_names(optional=True)
        if Path(REGISTRY.claim_tables[name]).is_file()
    }


# The VAE stage's input and param functions (rules/vae.smk; its globals VAE_* are defined there)
def vae_arch(value):
    """Param function: one value (hidden, activation, batch_size) of the architecture of the model a job
    trains, by its wildcard ``arch`` (the default run's rules: the vae section's own).
    """
    return lambda w: VAE_ARCHS[getattr(w, "arch", VAE_ARCH)][value]


def vae_seed(w):
    """Param function: the training seed of a model (wildcard ``seed``; else the master seed)."""
    return int(getattr(w, "seed", config["seed"]))


def vae_key(key):
    """A model's search key: a ModelKey is the default run's (its architecture, the master seed)."""
    if isinstance(key, SearchKey):
        return key
    return SearchKey(VAE_ARCH, int(config["seed"]), key)


def vae_files(keys, what):
    """The output ``what`` (model, training, provenance) of the rule that trains each VAE of ``keys``
    (ModelKey or SearchKey): the default run's rule for its model (VAE_TRAINED_BY), train_vae_search
    for any other, so that no setting is trained twice."""
    out = []
    for k in map(vae_key, keys):
        default = k.arch == VAE_ARCH and k.seed == int(config["seed"])
        trainer = (
            VAE_TRAINED_BY.get(k.model) if default else None
        ) or "train_vae_search"
        out.append(getattr(rules, trainer).output[what].format(**k.wildcards()))
    return out


def vae_search_files(keys, what):
    """The per-model tables (summary, curves, model) of vae_search_model for each SearchKey of ``keys``."""
    return [VAE_SEARCH_MODEL.format(what=what, **k.wildcards()) for k in keys]


def vae_inference_parts(what):
    """The per-model outputs ``what`` (a table, or ``provenance``) of vae_inference_model for the
    default run's models, the main one first."""
    path = VAE_INFERENCE_PROVENANCE if what == "provenance" else VAE_INFERENCE_MODEL
    return [
        path.format(what=what, **vae_key(k).wildcards()) for k in VAE_DEFAULT_MODELS
    ]


def vae_inference_key(w):
    """The default run's model of a vae_inference_model job (its architecture, the master seed)."""
    return vae_key(ModelKey(beta=float(w.beta), latent=int(w.latent), data=w.data))


def vae_search_key(w):
    return SearchKey(
        w.arch,
        int(w.seed),
        ModelKey(beta=float(w.beta), latent=int(w.latent), data=w.data),
    )


def vae_search_reseeded(what):
    """Input function: the per-model tables ``what`` of the master seed's settings and of the group
    vae_search_claims chose (choice.csv) on the other seeds of the reseeding."""

    def inputs(w):
        import pandas as pd

        choice = pd.read_csv(checkpoints.vae_search_claims.get().output.choice)
        groups = choice[choice["chosen"]][["arch", "beta", "data"]].to_numpy().tolist()
        keys = list(VAE_SEARCH_KEYS)
        for seed in VAE_SEARCH_SEEDS[1:]:
            keys += search_keys(VAE_SEARCH, seed, groups)
        return vae_search_files(keys, what)

    return inputs
