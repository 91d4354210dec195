import os
from pathlib import Path

from snakemake.exceptions import WorkflowError

# The package lives in src/; make it importable for every script job, also without `pip install`.
SRC = str(Path(workflow.basedir) / "src")
_pythonpath = os.environ.get("PYTHONPATH", "")
if SRC not in _pythonpath.split(os.pathsep):
    os.environ.update(PYTHONPATH=os.pathsep.join(p for p in (SRC, _pythonpath) if p))

# Modules every stage imports (rule context, seeds, device).
CORE_MODULES = ("runtime", "provenance", "tables")


def pkg(*modules):
    """Package modules used by a rule, as its inputs: editing one reruns exactly the rules listing it."""
    return [f"src/conceptdyn/{m}.py" for m in (*modules, *CORE_MODULES)]


def prov(rule_name):
    return f"results/provenance/{rule_name}.json"


def check_config(cfg):
    """Checks that the JSON schema cannot express."""
    problems = []
    for section in ("capacity", "basin"):
        alphas = cfg["hopfield"][section]["alphas"]
        if list(alphas) != sorted(set(alphas)):
            problems.append(
                f"hopfield.{section}.alphas must be strictly increasing, got {alphas}"
            )
    m0 = cfg["hopfield"]["basin"]["m0"]
    if list(m0) != sorted(set(m0)):
        problems.append(f"hopfield.basin.m0 must be strictly increasing, got {m0}")
    if (
        cfg["hopfield"]["rule"] == "sequential"
        and cfg["hopfield"]["dynamics"]["N"] > 20000
    ):
        problems.append(
            "hopfield.rule = sequential loops over neurons in Python; use N <= 20000"
        )
    neo = cfg["neocognitron"]
    if neo["narrow"] > neo["final"]:
        problems.append(
            f"neocognitron.narrow ({neo['narrow']}) must not exceed neocognitron.final ({neo['final']})"
        )
    if problems:
        raise WorkflowError("Invalid configuration:\n  " + "\n  ".join(problems))


check_config(config)

# Filled by the stage files: what `rule all` builds and `rule archive` packs.
FINAL_OUTPUTS = []
