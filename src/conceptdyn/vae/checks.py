"""Config checks of the VAE stage that the schema cannot express."""

from __future__ import annotations


def check(cfg) -> list[str]:
    s = cfg["vae"]["search"]
    problems = []
    if 0 not in s["noises"] or max(s["noises"]) <= 0:
        problems.append(
            f"vae.search.noises = {s['noises']}: must hold 0 (clean digits) and a level above 0 (noisy "
            "digits): the search judges both"
        )
    if len(s["latents"]) < 3:
        problems.append(
            f"vae.search.latents = {s['latents']}: give at least 3 latent sizes (the latent-size trend is a "
            "rank correlation over them)"
        )
    seeds = {int(cfg["seed"]), *map(int, cfg["seeds"]["master_seeds"])}
    # (a seed run's or another module's config has no master seeds of its own: it runs no search)
    if cfg["seeds"]["master_seeds"] and s["seeds"] > len(seeds):
        problems.append(
            f"vae.search.seeds = {s['seeds']}: the master seed and seeds.master_seeds give only {len(seeds)} "
            "seeds; lower it or add seeds"
        )
    names = [a["name"] for a in s["architectures"]]
    if len(set(names)) < len(names):
        problems.append(f"vae.search.architectures: names {names} must differ from each other")
    groups = len(s["architectures"]) * len(s["betas"]) * len(s["data"])
    if s["reseed_groups"] > groups:
        problems.append(
            f"vae.search.reseed_groups = {s['reseed_groups']}: the search has only {groups} groups "
            "(architecture x KL weight x data)"
        )
    return problems
