"""Adapter: the validated configuration (defaults filled in) and the software environment."""

import yaml

from conceptdyn.core.provenance import environment_summary, write_json
from conceptdyn.core.runtime import setup_logging

setup_logging(snakemake.log[0])
with open(snakemake.output.config, "w") as f:
    yaml.safe_dump(dict(snakemake.params.config), f, sort_keys=False)
write_json(snakemake.output.environment, environment_summary())
