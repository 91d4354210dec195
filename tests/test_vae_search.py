"""The VAE search: its rules (reseeding, regime, exclusive pairs) on hand-made verdicts, the latent-size
trend's interval, the judges it shares with the scorecard, its config checks and the tanh architecture."""

import numpy as np
import pandas as pd
import pytest
import torch

from conceptdyn.core.checks import problems
from conceptdyn.core.settings import default_config
from conceptdyn.vae import search
from conceptdyn.vae.claims import CLAIMS
from conceptdyn.vae.keys import ModelKey, VAEConfig
from conceptdyn.vae.model import build_vae, load_model, save_model

SEARCH = {"architectures": [{"name": "a"}, {"name": "b"}], "data": ["grey"], "reseed_groups": 1}
for _a in SEARCH["architectures"]:
    _a.update(hidden=8, activation="relu", batch_size=10)


def holds(rows):
    """A holds table from ``(arch, beta, latent, seed, chain, held)``: the first ``held`` claims yes."""
    out = []
    for arch, beta, latent, seed, chain, held in rows:
        verdicts = {c: "yes" if i < held else "no" for i, c in enumerate(search.CLAIM_ORDER)}
        out.append(
            {
                "arch": arch,
                "beta": beta,
                "data": "grey",
                "latent": latent,
                "seed": seed,
                "chain": chain,
                **verdicts,
                "held": held,
                "all": held == len(search.CLAIM_ORDER),
            }
        )
    return pd.DataFrame(out)


def test_reseeding_prefers_settings_holding_every_claim_then_the_count_then_the_smaller_kl_weight():
    h = holds(
        [
            ("a", 1.0, 2, 0, "sample", 5),
            ("a", 1.0, 5, 0, "sample", 5),  # 10 yes, none all six
            ("b", 4.0, 2, 0, "sample", 6),
            ("b", 4.0, 5, 0, "sample", 0),  # one setting holds all six
            ("a", 2.0, 2, 0, "sample", 5),
            ("a", 2.0, 5, 0, "sample", 5),  # ties with beta 1
            ("b", 1.0, 2, 0, "mean", 6),
            ("b", 1.0, 5, 0, "mean", 6),  # mean chain: not read
        ]
    )
    choice = search.choose_group(h, SEARCH, n=2)
    assert choice[["arch", "beta"]].to_numpy().tolist()[:3] == [["b", 4.0], ["a", 1.0], ["a", 2.0]]
    assert choice["chosen"].tolist() == [True, True, False]
    assert (choice["rule"] == search.RESEED_RULE).all()


def test_the_regime_needs_every_claim_on_every_seed_of_the_reseeding():
    h = holds(
        [
            ("a", 1.0, 2, 0, "sample", 6),
            ("a", 1.0, 2, 1, "sample", 6),
            ("a", 1.0, 2, 2, "sample", 6),
            ("a", 1.0, 5, 0, "sample", 6),
            ("a", 1.0, 5, 1, "sample", 6),
            ("a", 1.0, 5, 2, "sample", 5),
            ("a", 2.0, 5, 0, "sample", 6),  # not reseeded: no row
            ("a", 1.0, 5, 2, "mean", 6),
        ]
    )
    r = search.regime_table(h, [0, 1, 2])
    assert r[["latent", "seeds_all", "regime"]].to_numpy().tolist() == [[2, 3, True], [5, 2, False]]
    assert r[["held_0", "held_1", "held_2"]].to_numpy().tolist() == [[6, 6, 6], [6, 6, 5]]


def test_pairs_no_setting_holds_together_are_flagged():
    h = holds([("a", 1.0, 2, 0, "sample", 1), ("a", 1.0, 5, 0, "sample", 0)])
    h.loc[1, "vae_approach_noisy"] = "yes"  # the second holds only the second claim
    p = search.pair_table(h).set_index(["claim_a", "claim_b"])
    first = p.loc[("vae_approach_clean", "vae_approach_noisy")]
    assert (first["hold_a"], first["hold_b"], first["hold_both"], first["exclusive"]) == (1, 1, 0, True)
    assert not p.loc[("vae_approach_clean", "vae_data_space"), "exclusive"]  # the second held by none


def test_the_trend_interval_collapses_on_exact_depths_and_widens_with_their_intervals():
    rows = pd.DataFrame({"latent": [2, 5, 10, 20], "norm_depth": [0.0, 0.1, 0.2, 0.3]})
    exact = rows.assign(norm_depth_ci_low=rows["norm_depth"], norm_depth_ci_high=rows["norm_depth"])
    assert search.trend_interval(exact, seed=1) == (1.0, 1.0)
    wide = rows.assign(
        norm_depth_ci_low=rows["norm_depth"] - 0.5, norm_depth_ci_high=rows["norm_depth"] + 0.5
    )
    lo, hi = search.trend_interval(wide, seed=1)
    assert -1 <= lo < 0 < hi <= 1
    assert np.isnan(search.trend_interval(exact.iloc[:2], seed=1)[0])


def summary_rows(latents, depth_by_latent, arch="a", seed=0):
    """Summary rows a judge reads, one model per latent size, clean and noisy input, both chains."""
    rows = []
    for z in latents:
        for chain in ("sample", "mean"):
            for noise in (0.0, 0.4):
                d = depth_by_latent(z)
                rows.append(
                    {
                        "arch": arch,
                        "beta": 1.0,
                        "data": "grey",
                        "latent": z,
                        "seed": seed,
                        "chain": chain,
                        "noise_kind": "flip",
                        "noise": noise,
                        "mu_t_min": 3,
                        "mu_depth": d,
                        "mu_depth_ci_low": d - 0.01,
                        "mu_depth_ci_high": d + 0.01,
                        "mu_slope_after_min": 0.01,
                        "norm_own_at_norm_min": 1.0,
                        "norm_other_at_norm_min": 2.0,
                        "norm_t_min": 3,
                        "norm_depth": d,
                        "norm_depth_ci_low": d - 0.01,
                        "norm_depth_ci_high": d + 0.01,
                        "level_at_norm_min": 1.0 + noise,
                        "pixel_mse_start": 0.05,
                        "pixel_mse_at_norm_min": 0.04,
                        "memory_distance_at_norm_min": 2.0,
                        "mu_distance_memory_end": 1.5,
                        "main_model": False,
                    }
                )
    return pd.DataFrame(rows)


def test_every_setting_is_judged_by_the_scorecards_own_judges():
    crit = default_config()["scorecard"]
    s = summary_rows([2, 5, 10], lambda z: 0.02 * z)
    claims = search.claims_table(s, crit, seed=0)
    per = claims[claims["latent"] >= 0]
    assert len(per) == 3 * 2 * len(search.SETTING_CLAIMS)
    assert len(claims[claims["claim"] == search.GROUP_CLAIM]) == 2  # one trend per chain kind
    # the same verdict as the scorecard's judge on that model's rows
    judges = {c.claim_id: c.judge for c in CLAIMS}
    one = s[s["latent"] == 5].assign(main_model=True)
    for cid in search.SETTING_CLAIMS:
        _, value, _, ok = judges[cid]({"inference_summary": one}, crit[cid])
        row = per[(per["latent"] == 5) & (per["claim"] == cid) & (per["chain"] == "sample")].iloc[0]
        assert row["verdict"] == ("yes" if ok else "no") and row["value"] == pytest.approx(value)
    h = search.holds_table(claims)
    assert h[h["chain"] == "sample"]["all"].all()  # every claim made to hold, the rising trend too
    falling = search.holds_table(
        search.claims_table(summary_rows([2, 5, 10], lambda z: 0.5 - 0.02 * z), crit, 0)
    )
    assert (falling["vae_latent_size"] == "no").all() and not falling["all"].any()


def test_search_keys_and_seeds():
    s = {**SEARCH, "betas": [1.0, 4.0], "latents": [2, 5]}
    keys = search.search_keys(s, 7)
    assert len(keys) == 2 * 2 * 2 and {k.seed for k in keys} == {7}
    assert search.search_keys(s, 8, groups=[["b", 4.0, "grey"]]) == [
        search.SearchKey("b", 8, ModelKey(4.0, z, "grey")) for z in (2, 5)
    ]
    assert search.reseed_seeds(5, [5, 1, 2, 3], 3) == [5, 1, 2]
    cfg = default_config()
    assert search.default_arch(cfg["vae"]) == "pytorch"
    assert search.default_arch({**cfg["vae"], "hidden": 401}) is None


def test_config_checks_of_the_search_name_the_key():
    cfg = default_config()
    s = cfg["vae"]["search"]
    s["noises"] = [0.2, 0.4]
    s["latents"] = [2, 5]
    s["seeds"] = 9
    s["reseed_groups"] = 1000
    s["architectures"] = [s["architectures"][0], s["architectures"][0]]
    found = "\n".join(problems(cfg))
    for text in (
        "vae.search.noises",
        "vae.search.latents",
        "vae.search.seeds = 9",
        "vae.search.reseed_groups",
        "vae.search.architectures: names",
    ):
        assert text in found


def test_the_tanh_architecture_trains_and_reloads(tmp_path):
    relu, tanh = build_vae(784, 8, 2, seed=3), build_vae(784, 8, 2, seed=3, activation="tanh")
    x = torch.rand(4, 784)
    assert torch.equal(relu.enc.weight, tanh.enc.weight)  # the same initial weights, another nonlinearity
    assert torch.allclose(tanh.encode(x)[0], tanh.mu(torch.tanh(tanh.enc(x))))
    assert not torch.allclose(relu.encode(x)[0], tanh.encode(x)[0])
    cfg = VAEConfig(8, 2, 1.0, 1, 10, 1e-3, "grey", 0, 5, 0.3, activation="tanh")
    save_model(tanh, cfg, tmp_path / "m.pt")
    back, back_cfg = load_model(tmp_path / "m.pt", "cpu")
    assert back_cfg.activation == "tanh" and torch.allclose(back.encode(x)[0], tanh.encode(x)[0])
    with pytest.raises(ValueError, match="activation"):
        VAEConfig(8, 2, 1.0, 1, 10, 1e-3, "grey", 0, 5, 0.3, activation="sigmoid")
