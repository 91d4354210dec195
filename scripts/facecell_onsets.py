"""Adapter: the key table, onsets of global and fine information for every source."""

import pandas as pd

from conceptdyn.core.provenance import stage
from conceptdyn.core.tables import read_table, write_table

with stage(snakemake):
    columns = ("source", "information", "onset_ms", "true_onset_ms")
    df = pd.concat([read_table(path, columns) for path in snakemake.input.onsets], ignore_index=True)
    write_table(df[list(columns)], snakemake.output.table)
