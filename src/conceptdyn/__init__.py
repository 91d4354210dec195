"""conceptdyn: neural dynamics of higher visual cortex, recomputed figure by figure.

One subpackage per stage of the pipeline, named as its rule file, config section, results folder and
figure files are: :mod:`~conceptdyn.data` (MNIST), :mod:`~conceptdyn.hopfield` (associative memory,
lecture part 2), :mod:`~conceptdyn.concepts` (concept formation, part 3), :mod:`~conceptdyn.facecells`
(face-responsive neurons), :mod:`~conceptdyn.vae` (part 4), :mod:`~conceptdyn.neocognitron` (part 5);
and :mod:`~conceptdyn.core`, what every stage shares (run context, provenance, tables, typed settings,
figure style).  Each stage's figures are drawn in ``<stage>/figures.py``.
"""

__version__ = "0.1.0"
