# conceptdyn: the lecture on neural dynamics of higher visual cortex, recomputed figure by figure.
#   snakemake --cores all                      full reproduction (config/config.yaml)
#   snakemake --cores all --configfile config/smoke.yaml   tiny sizes, about a minute
#   snakemake --cores all archive              results tarball with config and provenance
#   snakemake --cores all scaling              associative memory at scale (own target, ~15 min)
#   snakemake --cores all seeds                the scorecard on several master seeds (own target)
#   snakemake --cores all vae_converged        the VAE stage, every model trained by the stopping rule up to vae.converged_epochs
import sys
from pathlib import Path

import yaml
from snakemake.exceptions import WorkflowError
from snakemake.utils import min_version, validate

min_version("9.0")


# the default config of this workflow's own folder, also when Snakemake runs elsewhere (--directory,
# -s path/to/Snakefile)
configfile: str(Path(workflow.basedir) / "config" / "config.yaml")


# nested --config overrides arrive as strings ("vae={epochs: 2}" gives '2'): read them as YAML would
# where the schema asks for a number, boolean or null, then validate
sys.path.insert(0, str(Path(workflow.basedir) / "src"))
from conceptdyn.core.scorecard import coerce_criteria
from conceptdyn.core.settings import (
    canonical,
    coerce_overrides,
    duplicate_keys,
    expand_user_paths,
)

# a key given twice in a config file would be last-wins without a word
DUPLICATES = [msg for path in workflow.configfiles for msg in duplicate_keys(path)]
if DUPLICATES:
    raise WorkflowError("Invalid configuration:\n  " + "\n  ".join(DUPLICATES))
SCHEMA = Path(workflow.basedir) / "config" / "schema.yaml"
config.update(
    coerce_overrides(
        dict(config),
        yaml.load(SCHEMA.read_text(), getattr(yaml, "CSafeLoader", yaml.SafeLoader)),
    )
)
expand_user_paths(config)  # "~/mnist" as a shell would read it
config["scorecard"] = coerce_criteria(config.get("scorecard", {}))
validate(config, str(SCHEMA), set_default=True)
# keys in sorted order: params compare equal whatever order files and overrides gave them in
CANONICAL = canonical(config)
config.clear()
config.update(CANONICAL)


# the report's front page: the scorecard once a run has rendered it (rule scorecard), else the intro
FRONT_PAGE = Path("results/report_front.rst")


report: str(FRONT_PAGE) if FRONT_PAGE.is_file() else "report/workflow.rst"


include: "rules/common.smk"
include: "rules/data.smk"
include: "rules/hopfield.smk"
include: "rules/concepts.smk"
include: "rules/facecells.smk"
include: "rules/vae.smk"
include: "rules/neocognitron.smk"
include: "rules/scaling.smk"
include: "rules/seeds.smk"
include: "rules/figures.smk"
include: "rules/report.smk"


# at the end of a successful run: where the time went (print_times, rules/common.smk), which of the
# lecture's claims this run reproduced (results/scorecard.csv), and, when this run made it, on how many
# seeds each holds (results/seeds/robustness.csv)
onsuccess:
    print_times()
    card = Path("results/scorecard.txt")
    if card.is_file():
        print(f"\n{card.read_text()}(table: results/scorecard.csv)")
    robust = Path("results/seeds/robustness.txt")
    if robust.is_file() and robust.stat().st_mtime >= RUN_STARTED:
        print(
            f"\n{robust.read_text()}(tables: results/seeds/robustness.csv, scorecard_seeds.csv)"
        )


# Jobs of seconds -- the figures, the scorecard and its documents, the effective config, the archive, the
# seeds' summary -- run where Snakemake runs, also under a cluster profile: a queue slot each would cost
# more than the job (the top-level workflow's rules; a seed run's are submitted like its other jobs).
workflow.localrules(
    *(
        r.name
        for r in workflow.rules
        if r.name.startswith("plot_") or r.name in LIGHT_RULES
    )
)


# one rule per target, from the registry (rules/common.smk): `all` (the default run) and each stage's
# own (scaling, seeds, vae_search, vae_converged); a seed run or the converged VAE run defines none
for target, target_outputs in REGISTRY.targets.items() if TOP_LEVEL else []:

    rule:
        name:
            target
        default_target: target == DEFAULT_RUN
        input:
            target_outputs,
