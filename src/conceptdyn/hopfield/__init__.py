"""Associative memory (lecture part 2): the ±1 engine (``engine``), statistical-neurodynamics and
replica theory (``theory``), the sweeps and their comparison tables (``sweeps``), figures."""
