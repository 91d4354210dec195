"""Verdicts across master seeds (the ``seeds`` target): the scorecard recomputed for several seeds,
how many seeds each verdict holds on (``robustness``), figure."""
