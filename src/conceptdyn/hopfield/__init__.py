"""Associative memory (lecture part 2): the ±1 engine (``engine``), statistical-neurodynamics and
replica theory (``theory``), the simulation sweeps (``sweeps``), their comparison with theory
(``compare``), figures."""
