"""Adapter: one tarball with figures, tables, the effective config and all provenance records."""

from conceptdyn.core.provenance import build_archive
from conceptdyn.core.runtime import setup_logging

setup_logging(snakemake.log[0])
names = build_archive(snakemake.output[0], snakemake.input)
print(f"archived {len(names)} files into {snakemake.output[0]}")
