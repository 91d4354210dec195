"""Adapter: MNIST into resources/ (local folder or download), verified, with checksum/count tables."""

from conceptdyn.core.provenance import stage
from conceptdyn.core.tables import write_table
from conceptdyn.data import mnist

with stage(snakemake) as p:
    raw = mnist.prepare_mnist(p["root"], local_dir=snakemake.config["mnist"]["local_dir"])
    write_table(mnist.checksum_table(raw), snakemake.output.checksums)
    write_table(mnist.count_table(p["root"]), snakemake.output.counts)
    write_table(mnist.sample_table(p["root"], p["samples_per_digit"]), snakemake.output.samples)
