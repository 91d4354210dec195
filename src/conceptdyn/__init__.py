"""conceptdyn: neural dynamics of higher visual cortex, recomputed figure by figure.

Modules: :mod:`hopfield` (associative-memory engine), :mod:`theory` (macroscopic theory),
:mod:`hopfield_analysis` (tables), :mod:`mnist` (data), :mod:`plotting` (figures),
:mod:`provenance` (records, rule context, archive), :mod:`runtime` (device, seeds, progress).
"""

__version__ = "0.1.0"
