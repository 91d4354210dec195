"""Adapter: the validated configuration (defaults filled in) and the software environment."""

import yaml

from conceptdyn.core.provenance import environment_summary, write_json
from conceptdyn.core.runtime import setup_logging
from conceptdyn.core.tables import write_text

setup_logging(snakemake.log[0])
write_text(snakemake.output.config, yaml.safe_dump(dict(snakemake.params.config), sort_keys=False))
write_json(snakemake.output.environment, environment_summary())
