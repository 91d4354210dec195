"""Associative memory at scale: finite-size scaling of capacity, basin and m(t) (``analysis``), figures."""
