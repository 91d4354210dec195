"""Adapter: population vectors, PCA, decoding with onsets and mixture clustering of one recording."""

import logging

import numpy as np

from conceptdyn.core.provenance import stage
from conceptdyn.core.runtime import progress
from conceptdyn.core.settings import from_section
from conceptdyn.core.tables import atomic_output, read_table, write_table
from conceptdyn.facecells import analysis as fa
from conceptdyn.facecells.catalogue import check_catalogue
from conceptdyn.facecells.nwb import inspect, read_nwb

with stage(snakemake) as p:
    source = snakemake.wildcards.source
    catalogue = read_table(snakemake.input.stimuli).astype(str)
    check_catalogue(catalogue, snakemake.input.stimuli)
    cfg = from_section(fa.AnalysisConfig, p["analysis"], "facecells.analysis")
    # both refuse bad files (columns, spike times, unknown stimuli) before any work
    rec = read_nwb(snakemake.input.nwb)
    for line in inspect(snakemake.input.nwb):  # NWB best practices: the findings go to the log
        logging.getLogger("nwbinspector").info(line)
    d = fa.prepare(rec, catalogue, cfg, snakemake.input.nwb)
    info = fa.information_table(d, cfg, p["seed"], progress=progress)
    tables = {
        "pca": fa.pca_table(d, cfg),
        "information": info,
        "mixture": fa.mixture_table(d, cfg, p["seed"]),
        "onsets": fa.onsets_table(info, cfg, source, p["truth"]),
    }
    for name, df in tables.items():
        if "source" not in df:
            df.insert(0, "source", source)
        write_table(df, snakemake.output[name])
    ids = catalogue["stimulus_id"].to_numpy(str)
    with atomic_output(snakemake.output.vectors) as tmp:
        np.savez_compressed(tmp, vectors=d.vectors, window_starts=d.starts, stimulus_id=ids)
