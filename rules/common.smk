import os
from pathlib import Path

from snakemake.exceptions import WorkflowError

# The package lives in src/; make it importable for every script job, also without `pip install`.
SRC = str(Path(workflow.basedir) / "src")
_pythonpath = os.environ.get("PYTHONPATH", "")
if SRC not in _pythonpath.split(os.pathsep):
    os.environ.update(PYTHONPATH=os.pathsep.join(p for p in (SRC, _pythonpath) if p))

# Modules every job imports (rule context, provenance, seeds, device, tables, typed settings).
CORE_MODULES = ("core/runtime", "core/provenance", "core/tables", "core/settings")


def pkg(*modules):
    """Package modules (``<stage>/<module>``) that a job imports, as its inputs: editing one reruns exactly
    the rules listing it."""
    return [f"src/conceptdyn/{m}.py" for m in (*modules, *CORE_MODULES)]


def prov(rule_name):
    return f"results/provenance/{rule_name}.json"


def off_grid(an, starts, key, where):
    """A problem if any window start is not on the analysis grid first_start_ms + k * step_ms."""
    off = [
        s
        for s in starts
        if (s - an["first_start_ms"]) % an["step_ms"]
        or not an["first_start_ms"] <= s <= an["last_start_ms"]
    ]
    if not off:
        return []
    return [
        f"{key} {off} are not on the {where} windows (first_start_ms + k * step_ms up to last_start_ms)"
    ]


def check_facecells(fc):
    problems = []
    if fc["recording"] is not None:
        if fc["stimuli"] is None:
            problems.append(
                "facecells.recording needs facecells.stimuli: a CSV with columns "
                "stimulus_id,global_label,fine_label (one row per stimulus)"
            )
        for key in ("recording", "stimuli"):
            if fc[key] is not None and not Path(fc[key]).is_file():
                problems.append(f"facecells.{key}: file {fc[key]} does not exist")
    an = fc["analysis"]
    if an["last_start_ms"] < an["first_start_ms"]:
        problems.append("facecells.analysis.last_start_ms must be >= first_start_ms")
    problems += off_grid(
        an, an["snapshots"], "facecells.analysis.snapshots", "facecells.analysis"
    )
    problems += off_grid(
        {**an, **fc["regimes"]["analysis"]},
        fc["regimes"]["split_windows"],
        "facecells.regimes.split_windows",
        "facecells.regimes.analysis",
    )
    for key in ("multiples_every_ms", "mixture_every_ms"):
        if an[key] % an["step_ms"]:
            problems.append(
                f"facecells.analysis.{key} ({an[key]}) must be a multiple of step_ms ({an['step_ms']})"
            )
    for part in ("synthetic", "model"):
        if fc[part]["trials"] < an["folds"]:
            problems.append(
                f"facecells.{part}.trials ({fc[part]['trials']}) must be >= facecells.analysis.folds ({an['folds']})"
            )
    if fc["model"]["neurons"] > fc["model"]["N"]:
        problems.append("facecells.model.neurons must not exceed facecells.model.N")
    if fc["model"]["neurons"] > fc["regimes"]["N"]:
        problems.append("facecells.model.neurons must not exceed facecells.regimes.N")
    for key in ("trials", "confirm_trials"):
        if fc["regimes"][key] < fc["regimes"]["analysis"]["folds"]:
            problems.append(
                f"facecells.regimes.{key} ({fc['regimes'][key]}) must be >= "
                f"facecells.regimes.analysis.folds ({fc['regimes']['analysis']['folds']})"
            )
    return problems


def check_scaling(sc):
    problems = []
    for part in ("capacity", "basin", "dynamics"):
        c = sc[part]
        if len(c["networks"]) != len(c["N"]):
            problems.append(
                f"scaling.{part}.networks needs one count per size in scaling.{part}.N "
                f"({len(c['N'])} sizes, {len(c['networks'])} counts)"
            )
        for key in ("N", "alphas", "m0"):
            if key in c and list(c[key]) != sorted(set(c[key])):
                problems.append(
                    f"scaling.{part}.{key} must be strictly increasing, got {c[key]}"
                )
    return problems


MNIST_GZ = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)


def check_mnist(local_dir):
    """A configured MNIST folder must hold the four original files (their MD5s are checked by the job,
    which verifies all four before copying any)."""
    if local_dir is None:
        return []
    folder = Path(local_dir)
    if not folder.is_dir():
        return [
            f"mnist.local_dir = {local_dir} is not a folder: point it at the folder holding {', '.join(MNIST_GZ)} "
            "(or set it to null to download)"
        ]
    missing = [name for name in MNIST_GZ if not (folder / name).is_file()]
    if missing:
        return [f"mnist.local_dir = {local_dir} lacks {', '.join(missing)}"]
    return []


def check_config(cfg):
    """Checks that the JSON schema cannot express."""
    problems = check_mnist(cfg["mnist"]["local_dir"])
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
    if "final" not in neo["schedules"] and len(neo["schedules"]) > 1:
        problems.append(
            "neocognitron.schedules must include final: every schedule is compared with the fixed final width"
        )
    problems += check_scaling(cfg["scaling"])
    problems += check_facecells(cfg["facecells"])
    if problems:
        raise WorkflowError("Invalid configuration:\n  " + "\n  ".join(problems))


# The face-cell data source: the synthetic recording, or a real one when facecells.recording is set.
FC_DATA = "recording" if config["facecells"]["recording"] else "synthetic"


def facecell_nwb(wildcards):
    """The NWB file of a face-cell source: the configured recording or one the pipeline writes."""
    if wildcards.source == "recording":
        return config["facecells"]["recording"]
    return f"results/data/facecells_{wildcards.source}.nwb"


def facecell_tables(*names):
    """Figure inputs: each named table of the data source and of the model."""
    out = {}
    for name in names:
        out[f"{name}_data"] = f"results/facecells/{FC_DATA}/{name}.csv"
        out[f"{name}_model"] = f"results/facecells/model/{name}.csv"
    return out


check_config(config)

# Filled by the stage files: what `rule all` builds and `rule archive` packs.
FINAL_OUTPUTS = []
# Stages with their own target, outside the default run (stage -> its outputs, figures included).
OPTIONAL_OUTPUTS = {}
# Filled by the stage files: stage -> figure name -> {table name: path}; rules/figures.smk makes the
# plot rules from it.
FIGURES = {}
# report categories of the stages
STAGE_TITLES = {
    "data": "Data",
    "hopfield": "Associative memory",
    "concepts": "Concept formation",
    "facecells": "Face cells",
    "vae": "VAE",
    "neocognitron": "Neocognitron",
    "scaling": "Associative memory at scale",
}


def figure_tables(stage):
    """Input function: the tables of one figure of ``stage``."""
    return lambda wildcards: FIGURES[stage][wildcards.figure]
