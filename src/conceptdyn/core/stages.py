"""The stages of the pipeline in lecture order, with their report titles.

A stage's name is the same everywhere: its subpackage ``conceptdyn.<stage>``, its rule file
``rules/<stage>.smk``, its config section, its results folder and its figures.  A stage may own a
``claims`` module (its scorecard claims) and a ``checks`` module (its config checks that the schema
cannot express); :func:`stage_modules` finds them, so nothing shared lists what a stage has.
"""

from __future__ import annotations

import importlib
import importlib.util

# lecture order: the scorecard's rows and the report's categories follow it
STAGES = {
    "data": "Data",
    "hopfield": "Associative memory",
    "concepts": "Concept formation",
    "facecells": "Face cells",
    "vae": "VAE",
    "neocognitron": "Neocognitron",
    "scaling": "Associative memory at scale",
    "seeds": "Verdicts across seeds",
}


def stage_modules(kind: str) -> dict:
    """``{stage: module}`` of every stage that has a module ``conceptdyn.<stage>.<kind>``, in lecture
    order."""
    found = {}
    for stage in STAGES:
        name = f"conceptdyn.{stage}.{kind}"
        if importlib.util.find_spec(name) is not None:
            found[stage] = importlib.import_module(name)
    return found
