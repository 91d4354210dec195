"""The VAE search (target ``vae_search``): the regime where the papers' claims hold together.

Settings are architecture (named in ``vae.search.architectures``: hidden units, activation, batch size)
x KL weight x training data x latent size.  Every setting is judged by every VAE claim with the
scorecard's own judges (:mod:`conceptdyn.vae.claims`) on both chain kinds: approach from clean and from
noisy digits, the more global level, the data-space match and "then a memory" per setting; the
latent-size trend per (architecture, KL weight, data) over its latent sizes.

The rules, fixed in code before the search first ran:

- :data:`REGIME_RULE` -- what counts as "the regime where the papers' claims hold": every claim of
  :data:`CLAIM_ORDER` yes on the lecture's chain (ancestral sampling) on every seed of the reseeding;
- :data:`RESEED_RULE` -- which group of settings is rerun on further master seeds.

The search reports, it does not move the defaults (the lecture's formula beta = 1, the PyTorch example's
architecture); a regime it finds goes beside the lecture's rows, never in their place.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from conceptdyn.vae.claims import CLAIMS, _approach
from conceptdyn.vae.keys import ModelKey

# a setting of the search, and the group over which the latent-size trend is judged
SETTING = ["arch", "beta", "data", "latent"]
GROUP = ["arch", "beta", "data"]
LECTURE_CHAIN = "sample"  # the lecture's procedure; the chain of means is a labelled variant beside it
CHAINS = ("sample", "mean")
# claims judged on one setting (its own model) and the one judged on a group of latent sizes
SETTING_CLAIMS = (
    "vae_approach_clean",
    "vae_approach_noisy",
    "vae_noise_global",
    "vae_data_space",
    "vae_then_memory",
)
GROUP_CLAIM = "vae_latent_size"
CLAIM_ORDER = (*SETTING_CLAIMS, GROUP_CLAIM)
SHORT = {
    "vae_approach_clean": "approach, clean",
    "vae_approach_noisy": "approach, noisy",
    "vae_noise_global": "noisier: more global",
    "vae_data_space": "data-space match",
    "vae_then_memory": "then a memory",
    "vae_latent_size": "latent-size trend",
}
JUDGES = {c.claim_id: c.judge for c in CLAIMS}

REGIME_RULE = (
    "a setting is the regime where the papers' claims hold together when every one of its six claims "
    "(approach from clean digits, approach from noisy digits, noisier inputs nearer a more global cluster, "
    "the data-space match, then a memory, and its group's latent-size trend) is yes on the lecture's chain "
    "(ancestral sampling), on every seed of the reseeding (the master seed and the next seeds of "
    "seeds.master_seeds: unanimous)"
)
RESEED_RULE = (
    "rerun on further seeds: the (architecture, KL weight, data) group with the most settings holding all "
    "six claims on the lecture's chain at the master seed; ties (none holding all six included) by the "
    "group's total of yes verdicts on the lecture's chain, then the smaller KL weight (nearer the ELBO), "
    "then the architecture's order in vae.search.architectures, then the data's"
)


@dataclass(frozen=True)
class SearchKey:
    """One model of the search: its architecture's name, its training seed and its model key."""

    arch: str
    seed: int
    model: ModelKey

    def columns(self) -> dict:
        return {"arch": self.arch, "seed": int(self.seed), **self.model.columns()}

    def wildcards(self) -> dict:
        """The values of the search rules' wildcards (rules/vae.smk)."""
        m = self.model
        return {
            "arch": self.arch,
            "seed": self.seed,
            "beta": f"{m.beta:g}",
            "latent": m.latent,
            "data": m.data,
        }


ARCH_KEYS = ("hidden", "activation", "batch_size")


def architectures(search: dict) -> dict[str, dict]:
    """The search's architectures by name (config: a list of ``{name, hidden, activation, batch_size}``)."""
    return {a["name"]: {k: a[k] for k in ARCH_KEYS} for a in search["architectures"]}


def default_arch(vae: dict) -> str | None:
    """The name of the search's architecture that is the ``vae`` section's own (same hidden units,
    activation and batch size): its models at the master seed are the default run's; None if none is."""
    own = {k: vae[k] for k in ARCH_KEYS}
    for name, a in architectures(vae["search"]).items():
        if a == own:
            return name
    return None


def search_keys(search: dict, seed: int, groups=None) -> list[SearchKey]:
    """Every setting of the search section at ``seed``, in a fixed order (``groups``: only those of the
    given ``(arch, beta, data)`` groups)."""
    keys = [
        SearchKey(arch, int(seed), ModelKey(beta=float(b), latent=int(z), data=d))
        for arch in architectures(search)
        for b in search["betas"]
        for d in search["data"]
        for z in search["latents"]
    ]
    if groups is None:
        return keys
    wanted = {(a, float(b), d) for a, b, d in groups}
    return [k for k in keys if (k.arch, k.model.beta, k.model.data) in wanted]


def reseed_seeds(master_seed: int, master_seeds: list, n: int) -> list[int]:
    """The seeds of the reseeding: the master seed, then the next of ``seeds.master_seeds``, ``n`` in all
    (fewer when there are fewer: the config check refuses that where the search can run)."""
    out = [int(master_seed)] + [int(s) for s in master_seeds if int(s) != int(master_seed)]
    return out[:n]


def search_table(summary: pd.DataFrame, models: pd.DataFrame, default: dict, max_t_min: int) -> pd.DataFrame:
    """One row per setting, seed, chain kind and noise level: the inference summary's measures, the
    scorecard's approach verdict on that row (``approach``), whether it is the default setting, and the
    model's epochs, stop, test loss and active units."""
    s = summary.copy()
    s["approach"] = [_approach(row, max_t_min) for _, row in s.iterrows()]
    s["default"] = (
        (s["arch"] == default["arch"])
        & (s["beta"] == float(default["beta"]))
        & (s["data"] == default["data"])
        & (s["latent"] == int(default["latent"]))
    )
    keys = [*SETTING, "seed"]
    # the model's columns the summary does not carry already (gather() gave it epochs and stop)
    out = s.merge(models[[c for c in models if c in keys or c not in s]], on=keys, how="left")
    lead = [*keys, "chain", "noise", "default", "approach"]
    return (
        out[lead + [c for c in out.columns if c not in lead]]
        .sort_values([*keys, "chain", "noise"])
        .reset_index(drop=True)
    )


def _verdict(claim: str, chain: str, judged, group: dict) -> dict:
    measure, value, rule, ok = judged
    return {
        **group,
        "claim": claim,
        "chain": chain,
        "value": value,
        "verdict": "yes" if ok else "no",
        "criterion": rule,
        "measure": measure,
    }


def judge_setting(rows: pd.DataFrame, criteria: dict, chain: str) -> list[dict]:
    """The per-setting claims of one model's summary rows (one setting, one seed) on ``chain``, each with
    the scorecard's judge and criterion (``criteria``: the config's ``scorecard`` section; the chain kind
    replaced by ``chain``)."""
    t = {"inference_summary": rows.assign(main_model=True)}
    key = rows.iloc[0]
    ident = {k: key[k] for k in (*SETTING, "seed")}
    return [_verdict(c, chain, JUDGES[c](t, {**criteria[c], "chain": chain}), ident) for c in SETTING_CLAIMS]


def judge_group(rows: pd.DataFrame, criteria: dict, chain: str) -> dict:
    """The latent-size trend of one group (one architecture, KL weight, data and seed, every latent size)
    on ``chain``, with the scorecard's judge; ``latent`` is -1 (the row is the group's)."""
    key = rows.iloc[0]
    ident = {**{k: key[k] for k in GROUP}, "latent": -1, "seed": key["seed"]}
    t = {"inference_summary": rows.assign(main_model=True)}
    return _verdict(
        GROUP_CLAIM, chain, JUDGES[GROUP_CLAIM](t, {**criteria[GROUP_CLAIM], "chain": chain}), ident
    )


def trend_interval(rows: pd.DataFrame, seed: int, resamples: int = 1000, confidence: float = 0.95) -> tuple:
    """A 95 % interval of the latent-size trend's Spearman rho: each latent size's depth drawn from a
    normal with its bootstrap interval (``norm_depth_ci_low/high``, read as +-1.96 sd), rho recomputed on
    every draw (rows: one group's clean-input rows of one chain kind)."""
    from scipy import stats

    r = rows.sort_values("latent")
    if r["latent"].nunique() < 3:
        return float("nan"), float("nan")
    sd = (r["norm_depth_ci_high"] - r["norm_depth_ci_low"]).to_numpy() / (2 * 1.959964)
    draws = np.random.default_rng(seed).normal(r["norm_depth"].to_numpy(), sd, size=(resamples, len(r)))
    rho = np.array([stats.spearmanr(r["latent"], d).statistic for d in draws])
    lo, hi = np.nanquantile(rho, [(1 - confidence) / 2, (1 + confidence) / 2])
    return float(lo), float(hi)


CLAIM_COLUMNS = [*SETTING, "seed", "claim", "chain", "value", "verdict", "criterion", "measure"]


def claims_table(summary: pd.DataFrame, criteria: dict, seed: int) -> pd.DataFrame:
    """Every setting x claim x chain kind (``summary``: the search's summary rows, every seed): the
    scorecard's value and verdict; the latent-size rows (``latent`` -1) per group and seed carry
    ``rho_ci_low``/``rho_ci_high`` (:func:`trend_interval`)."""
    rows = []
    for chain in CHAINS:
        s = summary[
            (summary["chain"] == chain) & (summary["noise_kind"] == criteria[GROUP_CLAIM]["noise_kind"])
        ]
        if s.empty:
            continue
        for _, g in s.groupby([*SETTING, "seed"], sort=True):
            rows += judge_setting(g, criteria, chain)
        for _, g in s.groupby([*GROUP, "seed"], sort=True):
            row = judge_group(g, criteria, chain)
            lo, hi = trend_interval(g[g["noise"] == 0], seed)
            rows.append({**row, "rho_ci_low": lo, "rho_ci_high": hi})
    out = pd.DataFrame(rows)
    order = {c: i for i, c in enumerate(CLAIM_ORDER)}
    out = out.assign(_c=out["claim"].map(order), _k=out["chain"].map({c: i for i, c in enumerate(CHAINS)}))
    out = out.sort_values(["seed", "_k", *SETTING, "_c"]).drop(columns=["_c", "_k"]).reset_index(drop=True)
    return out[[*CLAIM_COLUMNS, "rho_ci_low", "rho_ci_high"]]


def holds_table(claims: pd.DataFrame) -> pd.DataFrame:
    """Per setting, seed and chain kind: each claim's verdict (the group's latent-size trend given to every
    setting of its group), the number of the six claims that hold (``held``) and ``all``."""
    per = claims[claims["latent"] >= 0].pivot_table(
        index=[*SETTING, "seed", "chain"], columns="claim", values="verdict", aggfunc="first"
    )
    per = per.reset_index()
    trend = claims[claims["claim"] == GROUP_CLAIM][[*GROUP, "seed", "chain", "verdict"]]
    per = per.merge(trend.rename(columns={"verdict": GROUP_CLAIM}), on=[*GROUP, "seed", "chain"], how="left")
    per[GROUP_CLAIM] = per[GROUP_CLAIM].fillna("no")
    yes = per[list(CLAIM_ORDER)] == "yes"
    per["held"] = yes.sum(axis=1).astype(int)
    per["all"] = yes.all(axis=1)
    return (
        per[[*SETTING, "seed", "chain", *CLAIM_ORDER, "held", "all"]]
        .sort_values(["seed", "chain", *SETTING])
        .reset_index(drop=True)
    )


def choose_group(holds: pd.DataFrame, search: dict, n: int = 1) -> pd.DataFrame:
    """:data:`RESEED_RULE` on the master seed's lecture-chain rows of :func:`holds_table`: the ``n``
    groups to rerun, with the counts the rule read (``rank`` 1 first)."""
    h = holds[holds["chain"] == LECTURE_CHAIN]
    g = h.groupby(GROUP, sort=False).agg(
        settings_all=("all", "sum"), yes=("held", "sum"), settings=("all", "size")
    )
    g = g.reset_index()
    archs = list(architectures(search))
    datas = list(search["data"])
    g["_arch"] = g["arch"].map(archs.index)
    g["_data"] = g["data"].map(datas.index)
    g = g.sort_values(
        ["settings_all", "yes", "beta", "_arch", "_data"], ascending=[False, False, True, True, True]
    )
    g = g.drop(columns=["_arch", "_data"]).reset_index(drop=True)
    g["rank"] = np.arange(1, len(g) + 1)
    g["chosen"] = g["rank"] <= n
    g["rule"] = RESEED_RULE
    return g


def regime_table(holds: pd.DataFrame, seeds: list[int]) -> pd.DataFrame:
    """:data:`REGIME_RULE` on the reseeded settings: per setting, on the lecture's chain, the claims held on
    each seed (``held_<seed>``), the seeds on which all six hold, and ``regime``."""
    h = holds[(holds["chain"] == LECTURE_CHAIN) & holds["seed"].isin(seeds)]
    counts = h.groupby(SETTING)["seed"].nunique()
    full = counts[counts == len(seeds)].index
    h = h.set_index(SETTING).loc[list(full)].reset_index() if len(full) else h.iloc[:0]
    held = h.pivot_table(index=SETTING, columns="seed", values="held", aggfunc="first")
    held = held[[s for s in seeds if s in held.columns]]  # the master seed first
    held.columns = [f"held_{int(s)}" for s in held.columns]
    every = h.groupby(SETTING)["all"].sum().rename("seeds_all")
    out = held.join(every).reset_index()
    out["seeds"] = len(seeds)
    out["regime"] = out["seeds_all"] == len(seeds)
    out["rule"] = REGIME_RULE
    return out


def pair_table(holds: pd.DataFrame) -> pd.DataFrame:
    """Which claims exclude each other: per chain kind and pair of claims, at the master seed's settings,
    how many settings hold each and how many hold both (a pair held together by no setting, though each
    is held by some, is a pair the search finds exclusive)."""
    rows = []
    for chain, h in holds.groupby("chain", sort=False):
        yes = h[list(CLAIM_ORDER)] == "yes"
        for a, b in combinations(CLAIM_ORDER, 2):
            rows.append(
                {
                    "chain": chain,
                    "claim_a": a,
                    "claim_b": b,
                    "settings": len(h),
                    "hold_a": int(yes[a].sum()),
                    "hold_b": int(yes[b].sum()),
                    "hold_both": int((yes[a] & yes[b]).sum()),
                }
            )
    out = pd.DataFrame(rows)
    out["exclusive"] = (out["hold_both"] == 0) & (out["hold_a"] > 0) & (out["hold_b"] > 0)
    return out


def gather(summaries: list[pd.DataFrame], models: list[pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The per-model tables of the search in one summary and one model table; every summary row carries
    its model's ``epochs`` and ``stop`` (so each verdict's measure says how its model was trained)."""
    keys = [*SETTING, "seed"]
    model = pd.concat(models, ignore_index=True).sort_values(keys).reset_index(drop=True)
    model = model[keys + [c for c in model.columns if c not in keys]]
    if model.duplicated(keys).any():
        raise ValueError("the VAE search lists a model twice")
    summary = pd.concat(summaries, ignore_index=True)
    summary = summary.merge(model[[*keys, "epochs", "stop"]], on=keys, how="left")
    return summary, model


def _held_line(h: pd.DataFrame) -> str:
    n = len(h)
    parts = [f"{SHORT[c]} {int((h[c] == 'yes').sum())}" for c in CLAIM_ORDER]
    return f"of {n} settings, each claim held by: " + "; ".join(parts)


def _chain_lines(
    claims: pd.DataFrame, h: pd.DataFrame, pairs: pd.DataFrame, chain: str, seed: int
) -> list[str]:
    """The summary's section of one chain kind at the master seed (``h``: its rows of the holds table)."""
    label = (
        "the lecture's chain (ancestral sampling)"
        if chain == LECTURE_CHAIN
        else "the chain of means (variant)"
    )
    best = h.sort_values(["held", "beta"], ascending=[False, True]).head(5)
    excl = pairs[(pairs["chain"] == chain) & pairs["exclusive"]]
    never = [SHORT[c] for c in CLAIM_ORDER if (h[c] == "yes").sum() == 0]
    trend = claims[(claims["claim"] == GROUP_CLAIM) & (claims["chain"] == chain) & (claims["seed"] == seed)]
    return [
        f"## {label}, master seed {seed}",
        "",
        f"- {_held_line(h)}",
        f"- settings holding all six: {int(h['all'].sum())}; "
        f"the most claims held by one setting: {int(h['held'].max())}",
        "- the settings holding the most: "
        + "; ".join(
            f"{r.arch} beta {r.beta:g} latent {r.latent} ({r.held}: "
            + " / ".join(SHORT[c] for c in CLAIM_ORDER if getattr(r, c) == "yes")
            + ")"
            for r in best.itertuples()
        ),
        "- pairs of claims no setting holds together (each held by some): "
        + (
            "; ".join(f"{SHORT[a]} + {SHORT[b]}" for a, b in excl[["claim_a", "claim_b"]].to_numpy())
            or "none"
        ),
        "- claims no setting holds: " + ("; ".join(never) or "none"),
        "- latent-size trend (Spearman rho [95 % interval], rule >= 0.8) per group: "
        + "; ".join(
            f"{r.arch} beta {r.beta:g} {r.value:.2f} [{r.rho_ci_low:.2f}, {r.rho_ci_high:.2f}] {r.verdict}"
            for r in trend.itertuples()
        ),
        "",
    ]


def _regime_lines(regime: pd.DataFrame) -> list[str]:
    """The summary's section on the reseeded settings and the regime rule's answer."""
    lines = ["## The regime rule on the reseeded settings (lecture's chain)", ""]
    if regime.empty:
        return [*lines, "No settings were reseeded."]
    seeds = [c.removeprefix("held_") for c in regime.columns if c.startswith("held_")]
    lines += [f"Seeds: {', '.join(seeds)}. Claims held per seed:", ""]
    for r in regime.itertuples():
        held = ", ".join(str(int(getattr(r, f"held_{s}"))) for s in seeds)
        lines.append(
            f"- {r.arch} beta {r.beta:g} latent {r.latent}: {held}" + (" -- the regime" if r.regime else "")
        )
    found = regime[regime["regime"]]
    answer = (
        "the regime exists: "
        + "; ".join(f"{r.arch} beta {r.beta:g} latent {r.latent}" for r in found.itertuples())
        if len(found)
        else "no setting holds all six claims together on every seed of the reseeding."
    )
    return [*lines, "", "**Answer:** " + answer]


def render_summary(
    claims: pd.DataFrame, holds: pd.DataFrame, regime: pd.DataFrame, pairs: pd.DataFrame, seed: int
) -> str:
    """``results/vae/search/summary.md``: the search's answer in words, rendered from its tables (the
    master seed ``seed``): the claims each setting holds, the best settings, the regime rule's answer on the
    reseeded settings, the pairs of claims no setting holds together, and the latent-size trends."""
    master = holds[holds["seed"] == seed]
    lines = [
        "# The VAE search: is there a regime where the papers' claims hold together?",
        "",
        "Rendered by the pipeline from `results/vae/search/{claims,holds,regime,pairs}.csv`; the rules are "
        "`conceptdyn.vae.search.REGIME_RULE` and `RESEED_RULE` (docs/vae.md).",
        "",
    ]
    for chain in CHAINS:
        h = master[master["chain"] == chain]
        if not h.empty:
            lines += _chain_lines(claims, h, pairs, chain, seed)
    return "\n".join(lines + _regime_lines(regime)) + "\n"
