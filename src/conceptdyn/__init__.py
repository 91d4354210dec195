"""conceptdyn: neural dynamics of higher visual cortex, recomputed figure by figure.

Modules: :mod:`hopfield` (associative-memory engine), :mod:`theory` (macroscopic theory),
:mod:`hopfield_analysis` (tables), :mod:`hierarchy` and :mod:`concept_analysis` (correlated patterns,
concept formation), :mod:`spikes` (face-cell generator, NWB I/O), :mod:`population` and
:mod:`facecell_analysis` (population analysis), :mod:`facemodel` (associative-memory model of face
cells), :mod:`mnist` (data), :mod:`vae` and :mod:`vae_analysis`, :mod:`neocognitron`, :mod:`plotting`
(figures), :mod:`provenance` (records, rule context, archive), :mod:`runtime` (device, seeds, progress),
:mod:`tables` (CSV I/O).
"""

__version__ = "0.1.0"
