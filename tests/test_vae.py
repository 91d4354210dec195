"""The VAE: loss formula, training, concepts and repeated inference on small synthetic data."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
import torch

from conceptdyn.core.settings import defaults
from conceptdyn.vae import inference as vae_inference
from conceptdyn.vae import keys as vae_keys
from conceptdyn.vae import model as vae_model
from conceptdyn.vae import training as vae_training


def toy_data(n=512, seed=0):
    """Two blurry 'digits' (stripes and a square) on 28x28, as float images in [0, 1]."""
    g = torch.Generator().manual_seed(seed)
    img = torch.zeros(n, 28, 28)
    labels = torch.arange(n) % 2
    img[labels == 0, :, 10:18] = 1.0
    img[labels == 1, 6:22, 6:22] = 1.0
    img = (img * 0.8 + 0.1 * torch.rand(img.shape, generator=g)).clamp(0, 1)
    return img.reshape(n, -1), labels


def test_negative_elbo_matches_hand_computation():
    x = torch.tensor([[0.0, 1.0, 0.5]])
    logits = torch.tensor([[0.3, -0.2, 1.0]])
    mu = torch.tensor([[0.5, -1.0]])
    logvar = torch.tensor([[0.2, -0.4]])
    p = torch.sigmoid(logits)
    bce = -(x * torch.log(p) + (1 - x) * torch.log(1 - p)).sum()
    kl = 0.5 * (mu**2 + logvar.exp() - 1 - logvar).sum()  # KL(N(mu, s^2) || N(0, 1)), Appendix B
    assert float(vae_model.negative_elbo(logits, x, mu, logvar)) == pytest.approx(float(bce + kl), rel=1e-6)
    assert float(vae_model.negative_elbo(logits, x, mu, logvar, beta=0.0)) == pytest.approx(
        float(bce), rel=1e-6
    )


def test_model_init_is_seeded_and_leaves_global_rng_alone():
    state = torch.random.get_rng_state()
    a, b = vae_model.build_vae(784, 8, 3, seed=4), vae_model.build_vae(784, 8, 3, seed=4)
    assert torch.equal(torch.random.get_rng_state(), state)
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(pa, pb)


def test_training_lowers_the_loss_and_is_deterministic():
    x, _ = toy_data()
    cfg = defaults(vae_keys.VAEConfig, "vae", hidden=64, latent=2, epochs=4, batch_size=64, lr=3e-3)
    _, hist = vae_training.train_vae(x, x[:128], cfg, seed=1)
    losses = [h["test_loss"] for h in hist]
    assert losses[-1] < 0.8 * losses[0]
    untrained = vae_training.evaluate(vae_model.build_vae(784, 64, 2, seed=1), x[:128], seed=4)
    assert losses[-1] < untrained
    _, hist2 = vae_training.train_vae(x, x[:128], cfg, seed=1)
    assert [h["test_loss"] for h in hist2] == losses


def test_images_to_tensor_equals_to_tensor_scaling():
    imgs = torch.randint(0, 256, (5, 28, 28), dtype=torch.uint8)
    x = vae_model.images_to_tensor(imgs)
    assert x.shape == (5, 784) and x.dtype == torch.float32
    assert torch.allclose(x, imgs.reshape(5, -1).float() / 255)


def test_concepts_are_class_means_of_encoder_means():
    x, y = toy_data(64)
    model = vae_model.build_vae(784, 16, 3, seed=0)
    c = vae_inference.concepts(model, x, y, n_classes=2)
    mu = model.encode(x)[0].detach()
    assert torch.allclose(c[1], mu[y == 1].mean(0), atol=1e-6)


def test_repeated_inference_shapes_and_distances():
    x, y = toy_data(32)
    model = vae_model.build_vae(784, 16, 3, seed=0)
    g = torch.Generator().manual_seed(0)
    z, mu, p = vae_inference.repeated_inference(model, x, 5, g)
    assert z.shape == (6, 32, 3) and mu.shape == (6, 32, 3) and p.shape == (6, 32, 784)
    assert torch.all((p >= 0) & (p <= 1))
    c = vae_inference.concepts(model, x, y, n_classes=2)
    d = vae_inference.concept_distances(z, y.numpy(), c)
    assert d.shape == (6, 32, 2)
    np.testing.assert_allclose(d[2, 3, 1], float(torch.linalg.vector_norm(z[2, 3] - c[1])), rtol=1e-5)


def test_trajectory_summary():
    own = np.array([5.0, 3.0, 2.0, 2.5, 3.0, 3.5])
    s = vae_inference.trajectory_summary(own)
    assert s["t_min"] == 2 and s["min_over_start"] == pytest.approx(0.4)
    assert s["escape_rate"] == pytest.approx(0.5)


def test_corrupt_replaces_the_requested_fraction():
    x = torch.zeros(200, 784)
    out = vae_inference.corrupt(x, 0.3, torch.Generator().manual_seed(0))
    assert (out != 0).float().mean().item() == pytest.approx(0.3, abs=0.01)
    assert vae_inference.corrupt(x, 0.0, None) is x


def test_vae_class_encode_reparameterize_decode():
    """The named model: encode gives (mu, log sigma^2); reparameterize draws mu + sigma eps from the
    generator; decode gives logits and decode_mean their sigmoid; forward chains the three."""
    import torch

    model = vae_model.build_vae(784, 16, 3, seed=0)
    assert isinstance(model, vae_model.VAE)
    x = torch.rand(5, 784)
    mu, logvar = model.encode(x)
    assert mu.shape == logvar.shape == (5, 3)
    g1, g2 = torch.Generator().manual_seed(7), torch.Generator().manual_seed(7)
    z = model.reparameterize(mu, logvar, g1)
    eps = torch.randn(mu.shape, generator=g2)
    torch.testing.assert_close(z, mu + eps * torch.exp(0.5 * logvar))
    torch.testing.assert_close(model.decode_mean(z), torch.sigmoid(model.decode(z)))
    logits, mu2, _ = model(x, generator=torch.Generator().manual_seed(7))
    torch.testing.assert_close(logits, model.decode(z))
    torch.testing.assert_close(mu2, mu)


def test_noise_kinds_do_what_they_say():
    g = torch.Generator().manual_seed(3)
    x = torch.rand(200, 784, generator=g)
    flipped = vae_inference.corrupt(x, 0.3, g, "flip")
    binary = (x > 0.5).float()
    assert set(torch.unique(flipped).tolist()) <= {0.0, 1.0}
    assert float((flipped != binary).float().mean()) == pytest.approx(0.3, abs=0.01)
    gauss = vae_inference.corrupt(x, 0.8, g, "gaussian")
    assert float(gauss.min()) >= 0 and float(gauss.max()) <= 1 and not torch.equal(gauss, x)
    occluded = vae_inference.corrupt(torch.ones(5, 784), 0.25, g, "occlusion")
    assert torch.all((occluded == 0).sum(1) == 14 * 14)  # a 14 x 14 square: a quarter of the image
    assert torch.equal(vae_inference.corrupt(x, 0.0, g, "flip"), x)
    with pytest.raises(ValueError, match="noise kind"):
        vae_inference.corrupt(x, 0.1, g, "salt")


def test_mean_chain_is_deterministic_and_follows_the_means():
    model = vae_model.build_vae(784, 16, 3, seed=0)
    x0 = torch.rand(6, 784, generator=torch.Generator().manual_seed(1))
    a = vae_inference.repeated_inference(model, x0, 4, torch.Generator().manual_seed(1), "mean")
    b = vae_inference.repeated_inference(model, x0, 4, torch.Generator().manual_seed(99), "mean")
    assert all(torch.equal(u, v) for u, v in zip(a, b, strict=True))
    z, mu, _ = a
    assert torch.equal(z, mu)  # no posterior sampling
    torch.testing.assert_close(mu[1], model.encode(model.decode_mean(mu[0]))[0])  # x(1) = decoder mean


def test_depth_interval_by_hand():
    """Chains whose distance falls from 1 to 0.8 at t = 2 and rises by 0.01 per step after: depth 0.2,
    t_min 2, slope 0.01; identical chains give a zero-width interval; noisy ones an interval around it."""
    t = np.arange(12)
    curve = np.where(t <= 2, 1 - 0.1 * t, 0.8 + 0.01 * (t - 2))
    same = np.repeat(curve[:, None], 50, axis=1)
    r = vae_inference.depth_interval(same, seed=0)
    assert r["t_min"] == 2 and r["depth"] == pytest.approx(0.2)
    assert r["depth_ci_low"] == pytest.approx(0.2) and r["depth_ci_high"] == pytest.approx(0.2)
    assert r["slope_after_min"] == pytest.approx(0.01)
    noisy = same * np.random.default_rng(1).uniform(0.9, 1.1, size=(1, 50))  # per-chain scale
    r2 = vae_inference.depth_interval(noisy, seed=0)
    assert r2["depth_ci_low"] <= 0.2 <= r2["depth_ci_high"] and r2["depth"] == pytest.approx(0.2)


def test_dynamic_binarisation_trains_on_fresh_binary_batches():
    x, _ = toy_data(seed=5)
    grey = defaults(vae_keys.VAEConfig, "vae", hidden=32, latent=2, epochs=2, batch_size=64, lr=3e-3)
    binar = defaults(
        vae_keys.VAEConfig, "vae", hidden=32, latent=2, epochs=2, batch_size=64, lr=3e-3, data="binarized"
    )
    _, h_grey = vae_training.train_vae(x, x[:100], grey, seed=1)
    _, h_bin = vae_training.train_vae(x, x[:100], binar, seed=1)
    _, h_bin2 = vae_training.train_vae(x, x[:100], binar, seed=1)
    assert [r["test_loss"] for r in h_bin] == [r["test_loss"] for r in h_bin2]  # seeded
    assert h_bin[-1]["test_loss"] != h_grey[-1]["test_loss"]
    assert binar.binarize and not grey.binarize and grey.data == "grey"


def test_a_model_is_named_by_its_key_and_the_default_run_s_models_by_role():
    vae = {
        "beta": 1.0,
        "latent": 20,
        "data": "grey",
        "sweep_latents": [2, 20, 5],
        "data_latents": [20],
        "variant_betas": [1.0, 4.0],
    }
    roles = vae_keys.default_models(vae)
    key = vae_keys.ModelKey
    assert roles["main"] == [key(1.0, 20, "grey")] and vae_keys.main_key(vae) == key(1.0, 20, "grey")
    assert roles["sweep"] == [key(1.0, 2, "grey"), key(1.0, 5, "grey")]  # the main size once, as main
    assert roles["data"] == [key(1.0, 20, "binarized")] and roles["variants"] == [key(4.0, 20, "grey")]
    assert vae_keys.other_data("binarized") == "grey" and key(2.0, 5, "grey").columns() == {
        "beta": 2.0,
        "data": "grey",
        "latent": 5,
    }
    with pytest.raises(ValueError, match="expected one of"):
        key(1.0, 20, "colour")


def test_a_checkpoint_from_when_the_data_was_a_flag_loads_with_its_data_name(tmp_path):
    cfg = defaults(vae_keys.VAEConfig, "vae", hidden=8, latent=2, epochs=1, batch_size=8, lr=1e-3)
    model = vae_model.build_vae(784, 8, 2)
    old = {k: v for k, v in vars(cfg).items() if k != "data"} | {"binarize": True}
    torch.save({"state_dict": model.state_dict(), "config": old}, tmp_path / "old.pt")
    _, loaded = vae_model.load_model(tmp_path / "old.pt", "cpu")
    assert loaded.data == "binarized" and loaded.key == vae_keys.ModelKey(cfg.beta, 2, "binarized")


def test_nearest_memory_is_the_brute_force_minimum():
    g = torch.Generator().manual_seed(0)
    z, mem = torch.randn(7, 3, generator=g), torch.randn(25, 3, generator=g)
    labels = torch.arange(25) % 10
    d, lab = vae_inference.nearest_memory(z, mem, labels, chunk=4)
    full = torch.cdist(z, mem)
    np.testing.assert_allclose(d, full.min(1).values.numpy(), rtol=1e-6)
    assert (lab == labels[full.argmin(1)].numpy()).all()


@pytest.mark.parametrize("latent", [2, 20])
def test_nearest_memory_gives_the_same_bits_for_any_chunk(latent):
    """The chunk is a speed setting only: the default run's shape (500 states, many memories)."""
    g = torch.Generator().manual_seed(latent)
    z, mem = 1.2 * torch.randn(500, latent, generator=g), torch.randn(12000, latent, generator=g)
    labels = torch.arange(12000) % 10
    ref = vae_inference.nearest_memory(z, mem, labels, chunk=12000)
    for chunk in (10000, 1000, 700):
        d, lab = vae_inference.nearest_memory(z, mem, labels, chunk=chunk)
        assert np.array_equal(d, ref[0]) and np.array_equal(lab, ref[1]), chunk


def test_latent_units_kl_and_activity_by_hand():
    model = vae_model.build_vae(784, 16, 3, seed=0)
    x = toy_data(seed=2)[0][:50]
    units = vae_inference.latent_units(model, x, threshold=1e-4)
    with torch.no_grad():
        mu, logvar = model.encode(x)
    # KL from torch.distributions (not the closed form the code writes), activity from numpy
    posterior = torch.distributions.Normal(mu, (0.5 * logvar).exp())
    prior = torch.distributions.Normal(torch.zeros_like(mu), torch.ones_like(mu))
    kl = torch.distributions.kl_divergence(posterior, prior).mean(0).numpy()
    np.testing.assert_allclose(units["kl"], kl, rtol=1e-5)
    np.testing.assert_allclose(units["activity"], np.var(mu.numpy().astype(float), axis=0, ddof=1), rtol=1e-5)
    assert list(units["active"]) == list(units["activity"] > 1e-4)


def test_depth_interval_has_the_spread_of_the_chains():
    """Chains that fall from 1 to 0.9 or to 0.7 at t = 1 (half each) and stay: depth 0.2, and the
    bootstrap interval over chains has the width of the standard error of the mean (sd 0.1 over
    sqrt(n) chains) — a bootstrap that does not resample chains, or resamples time steps, gives
    another width."""
    n = 400
    drop = np.where(np.arange(n) % 2 == 0, 0.1, 0.3)
    own = np.ones((6, n))
    own[1:] -= drop
    r = vae_inference.depth_interval(own, seed=3, resamples=2000)
    assert r["t_min"] == 1 and r["depth"] == pytest.approx(0.2)
    se = 0.1 / np.sqrt(n)
    assert r["depth_ci_low"] < 0.2 < r["depth_ci_high"]
    assert r["depth_ci_high"] - r["depth_ci_low"] == pytest.approx(2 * 1.96 * se, rel=0.15)


def test_cluster_radii_and_normalised_distances_by_hand():
    """Digit 0's encodings at (1, 0) and (-1, 0) around the concept (0, 0): radius 1; digit 1's at
    (3, 3) +- (0, 2): radius 2.  A chain of digit 1 at distance 4 from its concept is 2 radii away;
    its nearest concept is its own until it crosses the midpoint."""
    mu = torch.tensor([[1.0, 0.0], [-1.0, 0.0], [3.0, 5.0], [3.0, 1.0]])
    labels = torch.tensor([0, 0, 1, 1])
    cvec = vae_inference.concepts(None, None, labels, n_classes=2, mu=mu)
    radii = vae_inference.cluster_radii(mu, labels, cvec)
    assert torch.allclose(cvec, torch.tensor([[0.0, 0.0], [3.0, 3.0]]))
    assert torch.allclose(radii, torch.tensor([1.0, 2.0]))
    own = np.array([[4.0, 1.0], [2.0, 0.5]])  # (T+1, chains): chain 0 of digit 1, chain 1 of digit 0
    np.testing.assert_allclose(vae_inference.normalised_own(own, [1, 0], radii), [[2.0, 1.0], [1.0, 0.5]])
    z = torch.tensor([[[3.0, 2.0], [0.5, 0.0]], [[1.0, 1.0], [2.9, 3.0]]])  # (T+1, chains, latent)
    d = vae_inference.concept_distances(z, [1, 0], cvec)
    np.testing.assert_array_equal(vae_inference.nearest_is_own(d, [1, 0]), [[True, True], [False, False]])


def test_median_depth_and_the_share_of_chains_that_fall_then_rise():
    """Three chains: two fall 20 % at t = 2 then rise 10 % per step (fall and rise), one stays flat:
    the median curve is the falling one (depth 0.2 at t = 2); the share that falls then rises is 2/3;
    a chain that only falls (never rises again) does not count."""
    t = np.arange(8)
    dip = np.where(t <= 2, 1 - 0.1 * t, 0.8 + 0.1 * (t - 2))
    flat = np.ones_like(dip)
    curves = np.stack([dip, dip, flat], axis=1)
    r = vae_inference.median_depth(curves, seed=0)
    assert r["t_min"] == 2 and r["depth"] == pytest.approx(0.2) and r["slope_after_min"] == pytest.approx(0.1)
    assert r["share_fall_rise"] == pytest.approx(2 / 3)
    falls = np.stack([np.maximum(1 - 0.1 * t, 0.3)] * 3, axis=1)
    assert vae_inference.median_depth(falls, seed=0)["share_fall_rise"] == 0.0
    # chains of depths spread over [0.1, 0.3] at the same t_min: the interval has the spread of the
    # median's sampling (a bootstrap that resampled nothing would give zero width)
    depths = np.random.default_rng(2).uniform(0.1, 0.3, size=200)
    ramp = np.minimum(t, 2) / 2
    spread = 1 - depths[None, :] * ramp[:, None] + 0.05 * np.maximum(t - 2, 0)[:, None]
    r2 = vae_inference.median_depth(spread, seed=0)
    assert r2["depth"] == pytest.approx(np.median(depths), abs=1e-9)
    assert r2["depth_ci_low"] < r2["depth"] < r2["depth_ci_high"]
    assert 0.005 < r2["depth_ci_high"] - r2["depth_ci_low"] < 0.05


@pytest.mark.parametrize("n", [1, 2, 7, 500])
def test_partial_sort_median_is_numpys_median(n):
    x = np.random.default_rng(n).random((3, 4, n))
    np.testing.assert_array_equal(vae_inference._median_last(x), np.median(x, axis=-1))


def test_concept_hierarchy_and_the_nearest_level_by_hand():
    """Four concepts on a line at 0, 1, 10, 11 (two training encodings each, +-0.5 around them): the
    average linkage merges {0, 1} and {2, 3} first, then all; a state at a concept is nearest level 0;
    a state at the midpoint of 0 and 1 is nearest their pair (level 1 or 2, the pair's centre is
    there); one at the middle of everything is nearest the top level."""
    pos = torch.tensor([0.0, 1.0, 10.0, 11.0])
    mu = torch.stack(
        [torch.stack([p - 0.5, torch.tensor(0.0)]) for p in pos]
        + [torch.stack([p + 0.5, torch.tensor(0.0)]) for p in pos]
    )
    labels = torch.tensor([0, 1, 2, 3, 0, 1, 2, 3])
    cvec = vae_inference.concepts(None, None, labels, n_classes=4, mu=mu)
    tree = vae_inference.concept_hierarchy(cvec)
    assert list(tree["members"]) == ["0-1", "2-3", "0-1-2-3"] and list(tree["size"]) == [2, 2, 4]
    assert list(tree["distance"]) == pytest.approx([1.0, 1.0, 10.0])
    centres, radii = vae_inference.level_centres(tree, mu, labels, n_classes=4)
    assert centres.shape == (4, 4, 2) and torch.allclose(centres[3, 0], torch.tensor([5.5, 0.0]))
    assert torch.allclose(radii[0], torch.full((4,), 0.5))
    z = torch.tensor([[[0.0, 0.0], [0.5, 0.0], [5.5, 0.0]]])  # (T+1 = 1, chains, latent)
    level = vae_inference.nearest_level(z, [0, 0, 0], centres, radii)
    assert level[0, 0] == 0 and level[0, 1] in (1, 2) and level[0, 2] == 3


def test_pixel_distance_to_the_decoded_own_concept_by_hand():
    """Two chains of digits 1 and 0, two steps, 4-pixel images: the MSE to the own decoded concept."""
    concept_images = torch.tensor([[0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0]])
    images = torch.tensor(
        [[[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]], [[1.0, 1.0, 1.0, 1.0], [0.5, 0.5, 0.5, 0.5]]]
    )
    got = vae_inference.pixel_distance(images, [1, 0], concept_images)
    np.testing.assert_allclose(got, [[0.5, 0.0], [0.0, 0.25]])


def test_stopping_rule_compares_the_best_of_the_last_window_with_the_best_before():
    c = vae_training.converged
    assert not c([10.0, 9.0, 8.0], window=5, min_improvement=0.3)  # too few epochs
    assert not c([10.0, 9.0, 8.0, 7.0], window=2, min_improvement=0.3)  # 9.0 -> 7.0: 2 nats
    assert c([10.0, 9.0, 8.9, 8.8], window=2, min_improvement=0.3)  # 9.0 -> 8.8: 0.2 nats
    assert c([10.0, 8.0, 8.5, 8.6], window=2, min_improvement=0.3)  # a rise is no improvement
    assert not c([10.0, 9.0, 8.9, 8.8], window=0, min_improvement=0.3)  # rule off


def test_training_stops_by_the_rule_and_says_why():
    x, _ = toy_data()
    cfg = defaults(vae_keys.VAEConfig, "vae", hidden=16, latent=2, epochs=6, batch_size=64, lr=3e-3)
    huge = dataclasses.replace(cfg, stop_window=1, stop_improvement=1e9)  # converged after epoch 2
    _, hist = vae_training.train_vae(x, x[:64], huge, seed=1, val_x=x[64:128])
    assert len(hist) == 2 and hist[-1]["stop"] == "converged" and hist[0]["stop"] == ""
    assert all(h["validation_loss"] == h["validation_loss"] for h in hist)
    never = dataclasses.replace(cfg, stop_window=1, stop_improvement=-1e9)
    _, hist = vae_training.train_vae(x, x[:64], never, seed=1, val_x=x[64:128])
    assert len(hist) == 6 and hist[-1]["stop"] == "cap"
    _, hist = vae_training.train_vae(x, x[:64], huge, seed=1)  # no validation split: no rule
    assert len(hist) == 6 and hist[-1]["validation_loss"] != hist[-1]["validation_loss"]


def test_validation_split_is_the_end_of_the_training_set():
    x = torch.arange(100.0)[:, None]
    train_x, val = vae_training.split_validation(x, 10, subset=20)
    assert torch.equal(val[:, 0], torch.arange(90.0, 100.0)) and torch.equal(
        train_x[:, 0], torch.arange(20.0)
    )
    train_x, val = vae_training.split_validation(x, 0)
    assert val is None and len(train_x) == 100
    with pytest.raises(ValueError, match=r"vae\.validation"):
        vae_training.split_validation(x, 100)


def test_model_table_reads_epochs_stop_and_gain(tmp_path):
    h = pd.DataFrame(
        {
            "epoch": range(1, 8),
            "train_loss": 0.0,
            "validation_loss": [20.0, 15, 13, 12, 11.5, 11.2, 11.0],
            "test_loss": 1.0,
            "stop": [""] * 6 + ["converged"],
            "latent": 5,
            "data": "grey",
            "beta": 1.0,
        }
    )
    h.to_csv(tmp_path / "t.csv", index=False)
    units = pd.DataFrame(
        {"latent": 5, "data": "grey", "unit": range(5), "active": [True, True, False, True, False]}
    )
    row = vae_training.model_table([tmp_path / "t.csv"], units).iloc[0]
    assert row["epochs"] == 7 and row["stop"] == "converged" and row["active_units"] == 3
    assert row["validation_gain_last_5"] == pytest.approx(15 - 11.0)


def test_fall_rise_null_removes_time_structure():
    t = np.arange(41)[:, None]
    dip = 1 - 0.5 * np.exp(-((t - 5) ** 2) / 4.0) + 0.02 * t  # every chain falls, then rises
    curves = np.repeat(dip, 300, axis=1)
    assert vae_inference.fall_rise(curves).all()
    flat = np.ones((41, 300))
    assert not vae_inference.fall_rise(flat).any()
    r = vae_inference.median_depth(curves, seed=0)
    assert r["share_fall_rise"] == 1.0
    # shuffled in time a chain still dips somewhere unless its start is its minimum: the null is the
    # share that does so by chance, below the structured curves' share
    assert r["share_fall_rise_null"] < 1.0


def test_other_digit_is_never_the_own_and_covers_the_rest():
    labels = np.repeat(np.arange(10), 200)
    other = vae_inference.other_digit(labels, seed=3)
    assert (other != labels).all() and set(other[labels == 4]) == set(range(10)) - {4}
    np.testing.assert_array_equal(other, vae_inference.other_digit(labels, seed=3))


def test_strips_show_input_the_approach_and_the_concept():
    assert vae_inference.strip_times(100, 7) == [0, 1, 2, 5, 7, 10, 20, 50, 100]
    assert vae_inference.strip_times(3, 1) == [0, 1, 2, 3]
    p = torch.rand(4, 3, 784)
    x0, concept = torch.rand(3, 784), torch.rand(10, 784)
    df = vae_inference.strip_rows(p, x0, np.array([2, 5, 7]), concept, t_min=1, n=2)
    assert list(df["chain"].unique()) == [0, 1]
    one = df[df["chain"] == 1]
    assert list(one["role"]) == ["input", "x(t)", "x(t)", "x(t)", "x(t)", "concept"]
    assert one["at_t_min"].sum() == 1 and int(one.loc[one["at_t_min"], "t"].iloc[0]) == 1
    pix = [f"p{i}" for i in range(784)]
    np.testing.assert_allclose(
        one[one["role"] == "concept"][pix].to_numpy()[0], concept[5].numpy(), atol=1e-4
    )
    np.testing.assert_allclose(one[one["role"] == "input"][pix].to_numpy()[0], x0[1].numpy(), atol=1e-4)


def test_search_table_judges_every_row_by_the_scorecard_rule_and_marks_the_default():
    from conceptdyn.vae import search

    base = {
        "arch": "pytorch",
        "seed": 3,
        "chain": "sample",
        "noise": 0.0,
        "mu_depth_ci_low": 0.01,
        "mu_slope_after_min": 0.01,
        "norm_own_at_norm_min": 0.9,
        "norm_other_at_norm_min": 1.2,
    }
    summary = pd.DataFrame(
        [
            {**base, "beta": 1.0, "data": "grey", "latent": 20, "mu_t_min": 0},  # minimum at the start
            {**base, "beta": 4.0, "data": "grey", "latent": 20, "mu_t_min": 2},  # an approach
            {**base, "beta": 4.0, "data": "grey", "latent": 5, "mu_t_min": 2, "norm_own_at_norm_min": 1.3},
            {**base, "arch": "chainer", "beta": 1.0, "data": "grey", "latent": 20, "mu_t_min": 2},
        ]
    )
    models = pd.DataFrame(
        {
            "arch": ["pytorch"] * 3 + ["chainer"],
            "seed": 3,
            "beta": [1.0, 4.0, 4.0, 1.0],
            "data": "grey",
            "latent": [20, 20, 5, 20],
            "epochs": [10, 7, 10, 9],
            "stop": "cap",
        }
    )
    default = {"arch": "pytorch", "beta": 1, "data": "grey", "latent": 20}
    t = search.search_table(summary, models, default, max_t_min=50)
    # sorted by architecture, beta, data, latent; the same key on another architecture is not the default
    assert list(t["arch"]) == ["chainer", "pytorch", "pytorch", "pytorch"]
    assert list(t["approach"]) == [True, False, False, True]
    assert list(t["default"]) == [False, True, False, False] and list(t["epochs"]) == [9, 10, 10, 7]
    # a summary that carries the model's epochs already (gather) gets them once, not twice
    again = search.search_table(summary.merge(models), models, default, max_t_min=50)
    assert list(again.columns) == list(t.columns) and list(again["epochs"]) == [9, 10, 10, 7]


def test_attach_training_names_each_rows_model_and_refuses_a_model_twice():
    summary = pd.DataFrame(
        {"latent": [20, 20, 5], "data": "grey", "beta": [1.0, 4.0, 1.0], "noise": [0.0, 0.0, 0.4]}
    )
    models = pd.DataFrame(
        {
            "latent": [5, 20, 20],
            "data": "grey",
            "beta": [1.0, 1.0, 4.0],
            "epochs": [7, 30, 38],
            "stop": ["converged", "converged", "cap"],
        }
    )
    out = vae_training.attach_training(summary, models)
    assert out["epochs"].tolist() == [30, 38, 7] and out["stop"].tolist() == ["converged", "cap", "converged"]
    assert out[["latent", "beta", "noise"]].equals(summary[["latent", "beta", "noise"]])
    with pytest.raises(ValueError, match="twice"):
        vae_training.attach_training(summary, pd.concat([models, models.iloc[:1]]))
    # without the training columns the summary is returned as it is
    assert vae_training.attach_training(summary, models.drop(columns="stop")).equals(summary)


def test_compare_models_sets_runs_side_by_side_with_the_test_gain():
    def run(epochs, stop, test):
        return pd.DataFrame(
            {
                "latent": [20, 5],
                "data": "grey",
                "beta": 1.0,
                "epochs": epochs,
                "stop": stop,
                "validation_loss": 0.0,
                "test_loss": test,
            }
        )

    out = vae_training.compare_models(
        {
            "default": run([10, 10], ["cap", "cap"], [105.0, 120.0]),
            "converged": run([30, 12], ["converged"] * 2, [103.0, 119.5]),
        }
    )
    assert out["latent"].tolist() == [5, 20]  # sorted by model
    assert out["epochs_default"].tolist() == [10, 10] and out["epochs_converged"].tolist() == [12, 30]
    assert out["test_gain_converged"].tolist() == pytest.approx([0.5, 2.0])


def test_share_interval_is_wilsons_score_interval():
    # 8 of 10: Wilson's 95 % interval by hand (z = 1.96): centre (0.8 + 0.192) / 1.384, half-width
    # 1.96 * sqrt(0.016 + 0.009604) / 1.384
    out = vae_inference.share_interval([True] * 8 + [False] * 2)
    z = 1.959963984540054
    centre = (0.8 + z * z / 20) / (1 + z * z / 10)
    half = z * np.sqrt(0.8 * 0.2 / 10 + z * z / 400) / (1 + z * z / 10)
    assert out["share"] == 0.8
    assert out["ci_low"] == pytest.approx(centre - half) and out["ci_high"] == pytest.approx(centre + half)
    assert out["ci_low"] == pytest.approx(0.4902, abs=1e-4) and out["ci_high"] == pytest.approx(
        0.9433, abs=1e-4
    )
    # all or none: the interval stays inside [0, 1] and excludes the far end
    assert vae_inference.share_interval([True] * 50)["ci_high"] == pytest.approx(1.0)
    assert vae_inference.share_interval([False] * 50)["ci_high"] < 0.08
    assert np.isnan(vae_inference.share_interval([])["share"])


def test_the_summary_columns_are_declared_once_and_the_docs_table_is_that_list():
    """docs/vae.md's column table is rendered from SUMMARY_COLUMNS; the search's columns are among them."""
    from pathlib import Path

    from conceptdyn.vae import search

    docs = (Path(__file__).resolve().parents[1] / "docs" / "vae.md").read_text()
    assert vae_inference.summary_column_table() in docs
    # the search's rows are the summary's, keyed by the summary's model columns and the architecture
    assert set(search.SETTING) - {"arch"} <= set(vae_inference.SUMMARY_COLUMNS)


def test_gathered_per_model_tables_write_the_bytes_of_one_sweep(tmp_path):
    """The default run infers each model in its own job and joins their tables: after the round trip
    through the CSV files (a KL weight of 1 read back as an integer, a column of one model only, empty
    strips of a model), the joined tables write exactly what one sweep over all models wrote."""
    from conceptdyn.core.tables import read_table, write_table

    def rows(latent, beta, main):
        out = []
        for t in range(3):
            row = {"t": t, "latent": latent, "data": "grey", "beta": beta, "d": np.float32(0.1 * t + latent)}
            row["memory"] = (t == 2) if main else None
            row["label"] = 7 if (main and t == 0) else None
            out.append(row)
        return out

    models = [(20, 1.0, True), (5, 1.0, False), (20, 4.0, False)]
    joint = pd.DataFrame([r for m in models for r in rows(*m)])
    parts = {name: [] for name in vae_inference.SWEEP_TABLES}
    for i, m in enumerate(models):
        for name in vae_inference.SWEEP_TABLES:
            path = tmp_path / f"{name}{i}.csv"
            table = pd.DataFrame(rows(*m)) if name != "strips" or m[2] else pd.DataFrame()
            write_table(table, path)
            parts[name].append(read_table(path, allow_empty=True))
    gathered = vae_inference.gather_tables(parts)
    write_table(joint, tmp_path / "joint.csv")
    for name, table in zip(vae_inference.SWEEP_TABLES, gathered, strict=True):
        write_table(table, tmp_path / f"{name}.csv")
        expected = pd.DataFrame(rows(*models[0])) if name == "strips" else joint
        write_table(expected, tmp_path / "expected.csv")
        assert (tmp_path / f"{name}.csv").read_bytes() == (tmp_path / "expected.csv").read_bytes(), name


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_bootstrap_step_by_step_gives_the_bits_of_the_whole_array(dtype):
    """The depth bootstraps resample one step at a time; their means and medians are bit for bit those
    of the whole (steps, resamples, chains) array they replaced, so the tables did not move."""
    rng = np.random.default_rng(4)
    curves = rng.gamma(2.0, 1.0, (31, 500)).astype(dtype)
    idx = rng.integers(0, 500, (1000, 500))
    whole = curves[:, idx]
    by_step = np.stack([vae_inference._resampled_mean(step[idx]) for step in curves])
    np.testing.assert_array_equal(by_step, whole.mean(-1))
    medians = np.stack([vae_inference._median_last(step[idx[:200]]) for step in curves])
    np.testing.assert_array_equal(medians, vae_inference._median_last(curves[:, idx[:200]]))
