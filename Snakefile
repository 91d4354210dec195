# conceptdyn: the lecture on neural dynamics of higher visual cortex, recomputed figure by figure.
#   snakemake --cores all                      full reproduction (config/config.yaml)
#   snakemake --cores all --configfile config/smoke.yaml   tiny sizes, about a minute
#   snakemake --cores all archive              results tarball with config and provenance
from snakemake.utils import min_version, validate

min_version("9.0")


configfile: "config/config.yaml"


validate(config, "config/schema.yaml", set_default=True)


report: "report/workflow.rst"


include: "rules/common.smk"
include: "rules/data.smk"
include: "rules/hopfield.smk"
include: "rules/concepts.smk"
include: "rules/facecells.smk"
include: "rules/vae.smk"
include: "rules/neocognitron.smk"
include: "rules/figures.smk"
include: "rules/report.smk"


rule all:
    default_target: True
    input:
        FINAL_OUTPUTS,
