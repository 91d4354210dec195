"""Adapter: MNIST into resources/ (local folder or download), verified, with checksum/count tables."""

from conceptdyn import mnist
from conceptdyn.provenance import stage
from conceptdyn.tables import write_table

with stage(snakemake) as p:
    raw = mnist.prepare_mnist(p["root"], local_dir=p["local_dir"])
    write_table(mnist.checksum_table(raw), snakemake.output.checksums)
    write_table(mnist.count_table(p["root"]), snakemake.output.counts)
    write_table(mnist.sample_table(p["root"], p["samples_per_digit"]), snakemake.output.samples)
