"""Shared by every stage: run context (device, seeds, threads, progress), provenance, tables, typed
settings from the config, and the figure style."""
