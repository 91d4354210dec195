"""Repeated inference (Nagano, Karakida & Okada 2020): concepts as class means of the encoder, chains
x -> z -> x, their distances to the concepts, and the tables of the VAE stage.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import torch

from conceptdyn.core.runtime import child_rng, child_seed
from conceptdyn.vae.keys import DATA, SWEEP_TABLES
from conceptdyn.vae.training import load_split


def encoder_means(model, x, batch_size: int = 2000):
    out = []
    model.eval()
    with torch.no_grad():
        for i in range(0, len(x), batch_size):
            out.append(model.encode(x[i : i + batch_size])[0])
    return torch.cat(out)


def concepts(model, x, labels, n_classes: int = 10, mu=None):
    """``xi_bar_d``: mean of the encoder means over the images of class d; shape ``(n_classes, latent)``.
    ``mu``: the encoder means of ``x`` when they are at hand already."""
    mu = encoder_means(model, x) if mu is None else mu
    labels = torch.as_tensor(labels, device=mu.device)
    return torch.stack([mu[labels == d].mean(0) for d in range(n_classes)])


NOISE_KINDS = ("uniform", "flip", "gaussian", "occlusion")
CHAIN_KINDS = ("sample", "mean")


def corrupt(x, noise: float, generator, kind: str = "uniform"):
    """A noisy copy of images ``x`` (``(n, 784)`` in [0, 1]) at level ``noise``:

    ``uniform``: a fraction ``noise`` of the pixels replaced by uniform random values; ``flip``: the image
    binarised at 0.5 and a fraction ``noise`` of its pixels flipped; ``gaussian``: additive N(0, noise^2),
    clipped to [0, 1]; ``occlusion``: a square covering a fraction ``noise`` of the image, at a random
    place, set to 0.
    """
    if kind not in NOISE_KINDS:
        raise ValueError(f"noise kind must be one of {NOISE_KINDS}, got {kind!r}")
    if noise <= 0:
        return x
    if kind == "uniform":
        mask = torch.rand(x.shape, generator=generator, device=x.device) < noise
        return torch.where(mask, torch.rand(x.shape, generator=generator, device=x.device), x)
    if kind == "flip":
        xb = (x > 0.5).to(x.dtype)
        mask = torch.rand(x.shape, generator=generator, device=x.device) < noise
        return torch.where(mask, 1 - xb, xb)
    if kind == "gaussian":
        return (x + noise * torch.randn(x.shape, generator=generator, device=x.device)).clamp(0, 1)
    side = max(1, round(28 * noise**0.5))
    corner = torch.randint(0, 28 - side + 1, (len(x), 2), generator=generator, device=x.device)
    r = torch.arange(28, device=x.device)
    rows = (r[None, :] >= corner[:, :1]) & (r[None, :] < corner[:, :1] + side)
    cols = (r[None, :] >= corner[:, 1:]) & (r[None, :] < corner[:, 1:] + side)
    hole = (rows[:, :, None] & cols[:, None, :]).reshape(len(x), 784)
    return torch.where(hole, torch.zeros_like(x), x)


def repeated_inference(model, x0, steps: int, generator, chain: str = "sample"):
    """``chain = "sample"``: the ancestral chain ``z(0) ~ q(z|x0)``, ``x(t+1) ~ p(x|z(t))``,
    ``z(t+1) ~ q(z|x(t+1))``; ``chain = "mean"``: the deterministic chain of means, ``z = mu(x)``,
    ``x(t+1) = sigmoid(decoder(z(t)))`` (no sampling noise at all).

    Returns the sampled latent states ``z`` and the encoder means ``mu`` (each ``(steps + 1, n,
    latent)``) and the decoder means ``(steps + 1, n, 784)`` (for image strips).
    """
    if chain not in CHAIN_KINDS:
        raise ValueError(f"chain must be one of {CHAIN_KINDS}, got {chain!r}")
    model.eval()
    zs, mus, xs = [], [], []
    with torch.no_grad():
        x = x0
        for t in range(steps + 1):
            mu, logvar = model.encode(x)
            z = mu if chain == "mean" else model.reparameterize(mu, logvar, generator)
            zs.append(z)
            mus.append(mu)
            p = model.decode_mean(z)
            xs.append(p)
            if t < steps:
                x = p if chain == "mean" else torch.bernoulli(p, generator=generator)
    return torch.stack(zs), torch.stack(mus), torch.stack(xs)


def concept_distances(z, labels, concept_vectors) -> np.ndarray:
    """``||z(t) - xi_bar_d||`` for every chain and class: ``(T+1, n, n_classes)``."""
    return torch.cdist(z, concept_vectors.unsqueeze(0).expand(z.shape[0], -1, -1)).cpu().numpy()


def trajectory_summary(own: np.ndarray) -> dict:
    """Time to the minimum, minimum relative to the start, and escape rate after it (per step).

    ``own`` is the mean distance to the chain's own concept over time.
    """
    t_min = int(np.argmin(own))
    after = own[t_min:]
    rate = float(np.polyfit(np.arange(len(after)), after, 1)[0]) if len(after) > 2 else float("nan")
    return {"t_min": t_min, "min_over_start": float(own[t_min] / own[0]), "escape_rate": rate}


def depth_interval(own: np.ndarray, seed: int, resamples: int = 1000) -> dict:
    """The approach to the concept, from per-chain distances ``own`` ``(T+1, chains)``:
    ``t_min`` of the mean curve, ``depth = 1 - d(t_min) / d(0)``, its bootstrap 95 % interval over chains
    (chains resampled with replacement, the minimum found anew each time; seeded), and the slope of the
    mean curve after its minimum (per step; a rising distance is a departure)."""
    return _bootstrap_depth(own, seed, resamples, lambda x: x.mean(-1), _resampled_mean)


def _resampled_mean(values: np.ndarray) -> np.ndarray:
    """The mean over the last axis of one step's resampled chains ``(resamples, chains)``, summed chain
    after chain with the resamples side by side: the order in which NumPy sums the last axis of the
    whole ``(T+1, resamples, chains)`` array, so the values are those bits (tests/test_vae.py)."""
    return np.ascontiguousarray(values.T).mean(0)


def _bootstrap_depth(curves: np.ndarray, seed: int, resamples: int, centre, resampled=None) -> dict:
    """``t_min``, depth, bootstrap interval and slope after the minimum of the curve ``centre(curves)``
    (``centre`` reduces the last axis, the chains: mean or median), chains resampled with replacement.
    ``resampled``: ``centre`` of one step's resampled chains (default ``centre``); the bootstrap runs one
    step at a time, so that a step's ``(resamples, chains)`` values stay in the cache (several times
    faster than the whole ``(T+1, resamples, chains)`` array at 101 steps, 1,000 x 500)."""
    curve = centre(curves)
    t_min = int(np.argmin(curve))
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, curves.shape[1], (resamples, curves.shape[1]))
    one_step = resampled or centre
    boot = np.stack([one_step(step[idx]) for step in curves])  # (T+1, resamples)
    depths = 1 - boot.min(0) / boot[0]
    after = curve[t_min:]
    slope = float(np.polyfit(np.arange(len(after)), after, 1)[0]) if len(after) > 2 else float("nan")
    return {
        "t_min": t_min,
        "depth": float(1 - curve[t_min] / curve[0]),
        "depth_ci_low": float(np.quantile(depths, 0.025)),
        "depth_ci_high": float(np.quantile(depths, 0.975)),
        "slope_after_min": slope,
    }


def cluster_radii(mu_train, labels, concept_vectors) -> torch.Tensor:
    """Per digit d: the RMS distance of its training encodings (encoder means) to its concept, the
    scale on which a distance to that concept is small or large whatever the latent size."""
    labels = torch.as_tensor(labels, device=mu_train.device)
    return torch.stack(
        [
            (mu_train[labels == d] - concept_vectors[d]).pow(2).sum(1).mean().sqrt()
            for d in range(len(concept_vectors))
        ]
    )


def normalised_own(own: np.ndarray, labels, radii) -> np.ndarray:
    """Distances to the own concept ``(T+1, chains)`` in units of that digit's cluster radius."""
    return own / np.asarray(radii.cpu() if hasattr(radii, "cpu") else radii)[np.asarray(labels)][None]


def nearest_is_own(distances: np.ndarray, labels) -> np.ndarray:
    """Per step and chain: is the nearest concept the chain's own digit? From the distances to every
    concept (:func:`concept_distances`, ``(T+1, chains, classes)``); ``(T+1, chains)``."""
    return distances.argmin(-1) == np.asarray(labels)[None]


def concept_hierarchy(concept_vectors) -> pd.DataFrame:
    """Agglomerative clustering of the concepts (average linkage, Euclidean, scipy): one row per merge
    in scipy's linkage layout (``left, right``: cluster ids, the digits are 0..9 and merge k makes id
    10 + k; ``distance``; ``size``) with ``level`` = k + 1 and ``members``, the digits of the new
    cluster.  Level 0 is every digit alone, the last level all digits together (the global cluster)."""
    from scipy.cluster.hierarchy import linkage

    c = np.asarray(concept_vectors.cpu() if hasattr(concept_vectors, "cpu") else concept_vectors, float)
    z = linkage(c, method="average", metric="euclidean")
    members = {i: [i] for i in range(len(c))}
    rows = []
    for k, (left, right, dist, size) in enumerate(z):
        members[len(c) + k] = sorted(members[int(left)] + members[int(right)])
        rows.append(
            {
                "level": k + 1,
                "left": int(left),
                "right": int(right),
                "distance": float(dist),
                "size": int(size),
                "members": "-".join(map(str, members[len(c) + k])),
            }
        )
    return pd.DataFrame(rows, columns=["level", "left", "right", "distance", "size", "members"])


def level_centres(hierarchy: pd.DataFrame, mu_train, labels, n_classes: int = 10):
    """Per level of the hierarchy and digit: the centre of the digit's cluster at that level (mean of
    the training encodings of its digits) and its radius (RMS distance of them to the centre); shapes
    ``(levels + 1, n_classes, latent)`` and ``(levels + 1, n_classes)``."""
    labels = torch.as_tensor(labels, device=mu_train.device)
    group = list(range(n_classes))  # digit -> its cluster's id at the current level
    ids = {d: [d] for d in range(n_classes)}
    centres, radii = [], []
    for level in range(len(hierarchy) + 1):
        if level:
            row = hierarchy.iloc[level - 1]
            new = n_classes + level - 1
            ids[new] = ids.pop(int(row["left"])) + ids.pop(int(row["right"]))
            for d in ids[new]:
                group[d] = new
        c_l, r_l = [], []
        for d in range(n_classes):
            pts = mu_train[torch.isin(labels, torch.as_tensor(ids[group[d]], device=labels.device))]
            centre = pts.mean(0)
            c_l.append(centre)
            r_l.append((pts - centre).pow(2).sum(1).mean().sqrt())
        centres.append(torch.stack(c_l))
        radii.append(torch.stack(r_l))
    return torch.stack(centres), torch.stack(radii)


def nearest_level(z, labels, centres, radii) -> np.ndarray:
    """Per state (``z``: ``(..., chains, latent)``): the level of the hierarchy whose cluster of the
    chain's digit has its centre nearest, in units of that cluster's radius (0: the digit's own
    concept ... last: all digits); shape ``z.shape[:-1]``."""
    lab = torch.as_tensor(np.asarray(labels), device=z.device)
    c = centres[:, lab]  # (levels, chains, latent)
    r = radii[:, lab]  # (levels, chains)
    d = torch.linalg.vector_norm(z.unsqueeze(-3) - c, dim=-1) / r  # (..., levels, chains)
    return d.argmin(-2).cpu().numpy()


def pixel_distance(images, labels, concept_images) -> np.ndarray:
    """Per step and chain: the per-pixel mean squared difference between the decoded image (decoder
    mean, ``(T+1, chains, 784)``) and the decoded concept of the chain's own digit (the lecture's
    comparison in data space)."""
    lab = torch.as_tensor(np.asarray(labels), device=images.device)
    return (images - concept_images[lab].unsqueeze(0)).pow(2).mean(-1).cpu().numpy()


def _median_last(x: np.ndarray) -> np.ndarray:
    """``np.median(x, axis=-1)`` by one partial sort (the bootstrap's hot spot)."""
    n = x.shape[-1]
    mid = n // 2
    part = np.partition(x, [mid - 1, mid] if n % 2 == 0 and n > 1 else [mid], axis=-1)
    return 0.5 * (part[..., mid - 1] + part[..., mid]) if n % 2 == 0 and n > 1 else part[..., mid]


def fall_rise(curves: np.ndarray) -> np.ndarray:
    """Per chain of ``curves`` ``(T+1, chains)``: does it fall by at least 5 % below its start and then
    rise by at least 5 % above its own minimum?"""
    low = curves.min(0)
    k = curves.argmin(0)
    later = np.arange(len(curves))[:, None] >= k[None, :]
    rises = np.where(later, curves, -np.inf).max(0)  # each chain's largest value from its minimum on
    return (low <= 0.95 * curves[0]) & (rises >= low / 0.95) & (k > 0)


def median_depth(curves: np.ndarray, seed: int, resamples: int = 200) -> dict:
    """The approach on the median curve of per-chain curves ``(T+1, chains)``: ``t_min`` of the
    median, ``depth = 1 - median(t_min) / median(0)``, its bootstrap 95 % interval over chains
    (resampled with replacement, the minimum found anew; seeded), the slope of the median after its
    minimum, the share of chains that fall then rise (:func:`fall_rise`) and that share's null: the
    same share when every chain's steps are put in a random order (seeded), which keeps each chain's
    values and removes any time structure -- a share that does not exceed its null is no evidence of
    an approach, since sampling noise alone makes chains dip."""
    out = _bootstrap_depth(curves, seed, resamples, _median_last)
    shuffled = child_rng(seed, "vae.inference.shuffle_null").permuted(curves, axis=0)
    return {
        **out,
        "share_fall_rise": float(fall_rise(curves).mean()),
        "share_fall_rise_null": float(fall_rise(shuffled).mean()),
    }


def share_interval(flags) -> dict:
    """The share of true ``flags`` (one per chain) with its Wilson score 95 % interval: how sure the
    per-chain count is, e.g. of chains nearer their own concept than a random other at the approach
    (paired per chain, so stricter than comparing the two medians)."""
    flags = np.asarray(flags, dtype=bool)
    n = flags.size
    if n == 0:
        return {"share": np.nan, "ci_low": np.nan, "ci_high": np.nan}
    p, z = flags.mean(), 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return {"share": float(p), "ci_low": float(centre - half), "ci_high": float(centre + half)}


def other_digit(labels, seed: int, n_classes: int = 10) -> np.ndarray:
    """For every chain a digit other than its own, uniformly at random (seeded): the chance reference
    of the distance to the own concept."""
    labels = np.asarray(labels)
    shift = np.random.default_rng(seed).integers(1, n_classes, len(labels))
    return (labels + shift) % n_classes


def _pixels(kind: str, rows: np.ndarray, labels) -> pd.DataFrame:
    head = pd.DataFrame({"kind": kind, "index": np.arange(len(rows)), "digit": labels})
    return pd.concat([head, pd.DataFrame(np.round(rows, 4), columns=[f"p{i}" for i in range(784)])], axis=1)


def image_table(model, root, seed: int, device, n: int = 10) -> pd.DataFrame:
    """Test images and their reconstructions (decoder means), samples from the prior, decoded concepts."""
    x, y = load_split(root, False, device)
    xtr, ytr = load_split(root, True, device)
    g = torch.Generator(device=device).manual_seed(child_seed(seed, "vae.images.prior"))
    with torch.no_grad():
        idx = torch.cat([torch.nonzero(y == d)[0] for d in range(10)])[:n]
        recon = model.decode_mean(model.encode(x[idx])[0])
        prior = model.decode_mean(torch.randn((n, model.latent), generator=g, device=device))
        cvec = concepts(model, xtr, ytr)
        cimg = model.decode_mean(cvec)
    return pd.concat(
        [
            _pixels("original", x[idx].cpu().numpy(), y[idx].cpu().numpy()),
            _pixels("reconstruction", recon.cpu().numpy(), y[idx].cpu().numpy()),
            _pixels("sample", prior.cpu().numpy(), np.full(n, -1)),
            _pixels("concept", cimg.cpu().numpy(), np.arange(10)),
        ],
        ignore_index=True,
    )


def strip_times(steps: int, t_min: int) -> list[int]:
    """The steps an image strip shows: the start, the approach ``t_min`` and a few later steps."""
    return sorted({t for t in (0, 1, t_min, 2, 5, 10, 20, 50, steps) if 0 <= t <= steps})


def strip_rows(p, x0, labels, concept_images, t_min: int, n: int) -> pd.DataFrame:
    """Image strips of the first ``n`` chains: the input x0, the decoder mean at :func:`strip_times`,
    and the chain's decoded own concept (``t = -1``); ``at_t_min`` marks the approach."""
    n = min(n, len(labels))
    steps = p.shape[0] - 1
    rows = []
    for c in range(n):
        images = [("input", 0, x0[c])]
        images += [("x(t)", t, p[t, c]) for t in strip_times(steps, t_min)]
        images.append(("concept", -1, concept_images[int(labels[c])]))
        for role, t, img in images:
            rows.append(
                _pixels("strip", img[None].cpu().numpy(), [labels[c]]).assign(
                    chain=c, t=t, role=role, at_t_min=role == "x(t)" and t == t_min
                )
            )
    return pd.concat(rows, ignore_index=True)


def _distances(z, labels, cvec, centre):
    """Distances of every chain to its own concept, to the other concepts (mean), to the centre, and to
    every concept ``(T+1, n, n_classes)``."""
    n = z.shape[1]
    d = concept_distances(z, labels, cvec)  # (T+1, n, 10)
    own = d[:, np.arange(n), labels]
    mask = np.ones(d.shape[1:], bool)
    mask[np.arange(n), labels] = False
    other = d[:, mask].reshape(d.shape[0], n, 9).mean(2)
    glob = torch.linalg.vector_norm(z - centre, dim=-1).cpu().numpy()
    return own, other, glob, d


def nearest_memory(z, memories, memory_labels, chunk: int = 1000):
    """Distance from each state ``z`` ``(n, latent)`` to the nearest of ``memories`` ``(m, latent)`` (the
    encoder means of the training images: the stored "memories") and that memory's label.

    ``chunk`` memories at a time: 500 states by 1,000 memories keep the distances in the cache (1.3-1.7x
    faster than 10,000 at latent sizes 2-100; every chunk size gives the same bits, tests/test_vae.py)."""
    best = torch.full((len(z),), float("inf"), device=z.device)
    which = torch.zeros(len(z), dtype=torch.long, device=z.device)
    for i in range(0, len(memories), chunk):
        d = torch.cdist(z, memories[i : i + chunk])
        m, j = d.min(1)
        better = m < best
        best = torch.where(better, m, best)
        which = torch.where(better, j + i, which)
    return best.cpu().numpy(), torch.as_tensor(memory_labels, device=z.device)[which].cpu().numpy()


def latent_units(model, x, threshold: float) -> pd.DataFrame:
    """Per latent unit: mean KL(q(z_u|x) || N(0, 1)) over the images ``x`` (nats), the activity
    ``Var_x(E_q[z_u])`` and whether it exceeds ``threshold`` (active units, Burda, Grosse &
    Salakhutdinov 2016).  An inactive unit's posterior is the prior: it carries no information and adds
    its full sampling noise to z."""
    mu, logvar = [], []
    model.eval()
    with torch.no_grad():
        for i in range(0, len(x), 2000):
            m, lv = model.encode(x[i : i + 2000])
            mu.append(m)
            logvar.append(lv)
    mu, logvar = torch.cat(mu), torch.cat(logvar)
    kl = (0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar)).mean(0).cpu().numpy()
    activity = mu.var(0).cpu().numpy()
    return pd.DataFrame(
        {"unit": np.arange(len(kl)), "kl": kl, "activity": activity, "active": activity > threshold}
    )


def inference_sweep(
    models,
    root,
    noises,
    chains: int,
    steps: int,
    seed: int,
    device,
    strip_chains: int = 4,
    noise_kinds=("uniform",),
    chain_kinds=("sample",),
    memory_steps=(),
    active_threshold: float = 0.01,
):
    """Repeated inference for every model (latent size, training data), chain kind, noise kind and noise
    level: distance tables, summary, strips and the latent units of every model.

    ``models`` is a list of ``(tags, model)`` with ``tags = {"beta": .., "data": .., "latent": ..,
    "main": bool}`` (a model's key and whether it is the main model).
    Chains start from the first ``chains`` test images (in test order, all digits).  Distances are to each
    chain's own digit concept, to the other concepts (mean), and to the global centre (mean of all
    training encoder means), the most global cluster; on the sampled states z (columns ``distance_*``) and
    on the encoder means (``mu_distance_*``: free of the posterior noise of inactive latent units); on the
    encoder means also to the chain's own starting encoding (every step) and, at ``memory_steps``, to the
    nearest memory (encoder mean of the nearest training image) with the fraction of chains whose nearest
    memory shows their own digit.  The summary's depth and its interval are on the encoder means.
    """
    x, y = load_split(root, False, device)
    xtr, ytr = load_split(root, True, device)
    plan = SimpleNamespace(
        x0=x[:chains],
        labels=y[:chains].cpu().numpy(),
        chains=chains,
        noises=noises,
        steps=steps,
        seed=seed,
        noise_kinds=noise_kinds,
        chain_kinds=chain_kinds,
        memory_at=sorted(t for t in set(memory_steps) if t <= steps),
        strip_chain="sample" if "sample" in chain_kinds else chain_kinds[0],  # the lecture's chain
        strip_chains=strip_chains,
    )
    dist_rows, summary_rows, strips, unit_tables, hierarchies = [], [], [], [], []
    for tags, model in models:
        geo = _model_geometry(model, x, xtr, ytr, active_threshold)
        key = {k: tags[k] for k in MODEL_COLUMNS}
        hierarchies.append(geo.tree.assign(**key))
        unit_tables.append(geo.units.assign(**key))
        d, s, st = _model_settings(model, geo, key, bool(tags["main"]), plan)
        dist_rows += d
        summary_rows += s
        strips += st
    return _tables(dist_rows, summary_rows, strips, unit_tables, hierarchies)


# the model's key as the per-model tables lead with it
MODEL_COLUMNS = ("latent", "data", "beta")


def gather_tables(parts: dict[str, list[pd.DataFrame]]) -> tuple[pd.DataFrame, ...]:
    """The tables of :func:`inference_sweep` over several models from those of each model alone
    (``parts[name]``: one table per model, in the models' order; a model without strips has an empty
    one).  Every row depends only on its own model, so they are the tables of one sweep over all."""
    # the key's types as the sweep makes them (a table read back gives a KL weight of 1 as int)
    types = {"latent": int, "data": str, "beta": float}
    out = []
    for name in SWEEP_TABLES:
        tables = [t for t in parts[name] if len(t.columns)]
        table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
        out.append(table.astype({k: t for k, t in types.items() if k in table.columns}))
    return tuple(out)


def _tables(dist_rows, summary_rows, strips, unit_tables, hierarchies):
    """The sweep's five tables from its rows, the per-model tables led by the model's key."""
    units = pd.concat(unit_tables, ignore_index=True)
    units = units[[*MODEL_COLUMNS, "unit", "kl", "activity", "active"]]
    hierarchy = pd.concat(hierarchies, ignore_index=True)
    hierarchy = hierarchy[[*MODEL_COLUMNS, *[c for c in hierarchy.columns if c not in MODEL_COLUMNS]]]
    return (
        pd.DataFrame(dist_rows),
        pd.DataFrame(summary_rows),
        pd.concat(strips, ignore_index=True) if strips else pd.DataFrame(),
        units,
        hierarchy,
    )


def _model_geometry(model, x, xtr, ytr, active_threshold):
    """What every chain of one model is measured against: the training encoder means, the digit
    concepts, the global centre, the clusters' radii, the concept hierarchy with its levels' centres,
    the decoded concepts and the latent units."""
    mu_train = encoder_means(model, xtr)  # one pass over the training set for concepts and centre
    cvec = concepts(model, xtr, ytr, mu=mu_train)
    centre = mu_train.mean(0, keepdim=True)
    radii = cluster_radii(mu_train, ytr, cvec)
    tree = concept_hierarchy(cvec)
    centres, level_radii = level_centres(tree, mu_train, ytr)
    with torch.no_grad():
        concept_images = model.decode_mean(cvec)  # (10, 784): the decoded concepts
    units = latent_units(model, x, active_threshold)
    return SimpleNamespace(
        mu_train=mu_train,
        ytr=ytr,
        cvec=cvec,
        centre=centre,
        radii=radii,
        tree=tree,
        centres=centres,
        level_radii=level_radii,
        concept_images=concept_images,
        units=units,
    )


def _model_settings(model, geo, key, main, plan):
    """One model's rows over every chain kind, noise kind and noise level: the per-step rows, the
    summary rows and (main model, the lecture's chain, first noise kind, lowest and highest level) the
    strips.  A setting's chains are seeded by the model's latent size and data, the chain kind, the
    noise kind and level -- not by the KL weight, so variants of one size are compared on common noise."""
    dist_rows, summary_rows, strips = [], [], []
    for ci, chain in enumerate(plan.chain_kinds):
        for ki, kind in enumerate(plan.noise_kinds):
            for noise in plan.noises:
                keys = (key["latent"], DATA.index(key["data"]), ci, ki, round(noise * 1000))
                setting = (chain, kind, noise)
                m = _chain_measures(model, geo, plan, setting, keys)
                tag = {"chain": chain, "noise_kind": kind, "noise": noise, **key}
                dist_rows += _step_rows(m, tag, plan.labels, plan.memory_at, plan.chains, main)
                summary_rows.append(_summary_row(m, tag, plan.labels, plan.memory_at, plan.seed, keys, main))
                ends = (plan.noises[0], plan.noises[-1])
                if main and chain == plan.strip_chain and ki == 0 and noise in ends:
                    strip = strip_rows(
                        m.p, m.x0, plan.labels, geo.concept_images, m.norm_min, plan.strip_chains
                    )
                    strips.append(strip.assign(noise_kind=kind, noise=noise, chain_kind=chain))
    return dist_rows, summary_rows, strips


def _chain_measures(model, geo, plan, setting, keys):
    """One setting's chains (``setting = (chain kind, noise kind, noise level)``, seeded by ``keys``)
    and every per-chain, per-step measure of them (``plan``: the sweep's inputs, :func:`inference_sweep`)."""
    x0_all, labels, steps, seed, memory_at = plan.x0, plan.labels, plan.steps, plan.seed, plan.memory_at
    chain, kind, noise = setting
    g = torch.Generator(device=x0_all.device)
    g.manual_seed(child_seed(seed, "vae.inference.chains", *keys))
    x0 = corrupt(x0_all, noise, g, kind)
    z, mu, p = repeated_inference(model, x0, steps, g, chain)
    m = SimpleNamespace(x0=x0, p=p)
    m.own, m.other, m.glob, _ = _distances(z, labels, geo.cvec, geo.centre)
    m.own_mu, m.other_mu, m.glob_mu, d_mu = _distances(mu, labels, geo.cvec, geo.centre)
    m.drift = torch.linalg.vector_norm(mu - mu[:1], dim=-1).cpu().numpy()
    m.norm_own = normalised_own(m.own_mu, labels, geo.radii)
    other_label = other_digit(labels, child_seed(seed, "vae.inference.other_digit", *keys))
    m.norm_other = normalised_own(d_mu[:, np.arange(len(labels)), other_label], other_label, geo.radii)
    m.own_nearest = nearest_is_own(d_mu, labels)
    m.level = nearest_level(mu, labels, geo.centres, geo.level_radii)  # (T+1, chains)
    m.norm = median_depth(m.norm_own, child_seed(seed, "vae.inference.median_bootstrap", *keys))
    m.norm_min = m.norm["t_min"]
    m.pixel = pixel_distance(p, labels, geo.concept_images)  # (T+1, chains)
    m.memory = {t: nearest_memory(mu[t], geo.mu_train, geo.ytr) for t in {*memory_at, m.norm_min}}
    return m


def _step_rows(m, tag, labels, memory_at, chains, main) -> list[dict]:
    """The rows of ``concept_distance.csv`` of one setting: chain means and medians per step."""
    rows = []
    for t in range(len(m.own)):
        mem_d, mem_label = m.memory.get(t, (None, None)) if t in memory_at else (None, None)
        rows.append(
            {
                "t": t,
                "distance_own_mean": m.own[t].mean(),
                "distance_own_std": m.own[t].std(),
                "distance_other_mean": m.other[t].mean(),
                "distance_global_mean": m.glob[t].mean(),
                "mu_distance_own_mean": m.own_mu[t].mean(),
                "mu_distance_own_std": m.own_mu[t].std(),
                "mu_distance_other_mean": m.other_mu[t].mean(),
                "mu_distance_global_mean": m.glob_mu[t].mean(),
                "mu_distance_start_mean": m.drift[t].mean(),
                "mu_norm_own_median": float(np.median(m.norm_own[t])),
                "mu_norm_own_mean": float(m.norm_own[t].mean()),
                "mu_norm_other_median": float(np.median(m.norm_other[t])),
                "mu_nearest_own_share": float(m.own_nearest[t].mean()),
                "mu_nearest_level_mean": float(m.level[t].mean()),
                "pixel_concept_mse_mean": float(m.pixel[t].mean()),
                "mu_distance_memory_mean": np.nan if mem_d is None else mem_d.mean(),
                "mu_memory_own_digit": np.nan if mem_d is None else (mem_label == labels).mean(),
                **tag,
                "chains": chains,
                "main_model": main,
            }
        )
    return rows


# The columns of inference_summary.csv, in table order, with what each holds: declared once here; every
# summary row is checked against them (:func:`_summary_row`) and docs/vae.md's column table is this list
# (tests/test_vae.py).  ``epochs`` and ``stop`` come from the model's training table (attach_training).
SUMMARY_COLUMNS = {
    "t_min": "step of the minimum of the mean distance to the own concept (sampled z)",
    "min_over_start": "that minimum over the distance at t = 0 (sampled z)",
    "escape_rate": "slope of the mean distance after its minimum, per step (sampled z)",
    "chain": "chain kind: sample (the lecture's ancestral chain) or mean",
    "noise_kind": "how the input digit was corrupted: flip, uniform, gaussian, occlusion",
    "noise": "the corruption's level",
    "latent": "the model's latent size",
    "data": "the model's training data: grey or binarized",
    "beta": "the model's KL weight",
    "distance_own_start": "mean distance of z to the own concept at t = 0",
    "distance_global_min": "minimum over steps of the mean distance of z to the global centre",
    "own_minus_global_at_min": "own-concept minus global-centre distance at t_min (sampled z)",
    "mu_t_min": "step of the minimum of the mean distance of the encoder means to the own concept",
    "mu_depth": "1 - d(mu_t_min)/d(0) on the encoder means",
    "mu_depth_ci_low": "bootstrap 95 % interval of mu_depth over chains, low end",
    "mu_depth_ci_high": "bootstrap 95 % interval of mu_depth over chains, high end",
    "mu_slope_after_min": "slope of the encoder means' mean distance after its minimum, per step",
    "norm_t_min": "step of the minimum of the median distance in cluster radii (the approach)",
    "norm_depth": "1 - median(norm_t_min)/median(0), distances in cluster radii",
    "norm_depth_ci_low": "bootstrap 95 % interval of norm_depth over chains, low end",
    "norm_depth_ci_high": "bootstrap 95 % interval of norm_depth over chains, high end",
    "norm_slope_after_min": "slope of the median normalised distance after its minimum, per step",
    "norm_share_fall_rise": "share of chains 5 % below their start, then 5 % above their minimum",
    "norm_share_fall_rise_null": "the same share with each chain's steps in a random order (its null)",
    "norm_own_at_norm_min": "median distance to the own concept at the approach, in its cluster radii",
    "norm_other_at_norm_min": "median distance to a random other digit's concept there, in its radii",
    "own_nearer_share": "share of chains nearer their own concept than the other digit's at the approach",
    "own_nearer_ci_low": "95 % interval of own_nearer_share, low end",
    "own_nearer_ci_high": "95 % interval of own_nearer_share, high end",
    "nearest_own_start": "share of chains whose nearest concept is their own digit at t = 0",
    "nearest_own_at_norm_min": "the same share at the approach",
    "level_start": "mean level of the nearest cluster of the concept hierarchy at t = 0 (0: digit)",
    "level_at_norm_min": "the same level at the approach",
    "level_end": "the same level at the last step",
    "pixel_mse_start": "per-pixel MSE of the decoded image to the decoded own concept at t = 0",
    "pixel_mse_at_norm_min": "the same MSE at the approach",
    "pixel_mse_end": "the same MSE at the last step",
    "mu_distance_own_start": "mean distance of the encoder means to the own concept at t = 0",
    "mu_distance_own_end": "the same at the last step",
    "mu_distance_global_end": "mean distance of the encoder means to the global centre at the last step",
    "mu_distance_other_end": "mean distance of the encoder means to the other concepts at the last step",
    "mu_distance_start_end": "mean distance of the encoder means to the chain's own start at the last step",
    "mu_distance_memory_start": "mean distance to the nearest memory (training encoding) at t = 0",
    "mu_distance_memory_end": "the same at the last of memory_steps",
    "memory_step_end": "that last memory step (-1: none)",
    "memory_distance_at_norm_min": "mean distance to the nearest memory at the approach",
    "memory_own_at_norm_min": "share of chains whose nearest memory shows their own digit at the approach",
    "memory_own_end": "the same share at the last memory step",
    "main_model": "whether the row is the main model's",
    "epochs": "epochs the model trained (models.csv)",
    "stop": "how its training stopped: converged or cap (models.csv)",
}
# the columns attach_training adds from the model table, and those of a summary row before it
TRAINING_COLUMNS = ("epochs", "stop")
ROW_COLUMNS = [c for c in SUMMARY_COLUMNS if c not in TRAINING_COLUMNS]


def summary_column_table() -> str:
    """docs/vae.md's table of the summary's columns, rendered from :data:`SUMMARY_COLUMNS`."""
    rows = ["| column | what it holds |", "|---|---|"]
    rows += [f"| `{c}` | {what} |" for c, what in SUMMARY_COLUMNS.items()]
    return "\n".join(rows) + "\n"


def _summary_row(m, tag, labels, memory_at, seed, keys, main) -> dict:
    """The row of ``inference_summary.csv`` of one setting."""
    own, glob, own_mu, memory, at = m.own, m.glob, m.own_mu, m.memory, m.norm_min
    summary = trajectory_summary(own.mean(1))
    last = memory_at[-1] if memory_at else None
    bootstrap = depth_interval(own_mu, child_seed(seed, "vae.inference.mean_bootstrap", *keys))
    nearer = share_interval(m.norm_own[at] < m.norm_other[at])
    summary.update(
        {
            **tag,
            "distance_own_start": float(own[0].mean()),
            "distance_global_min": float(glob.mean(1).min()),
            "own_minus_global_at_min": float(own.mean(1)[summary["t_min"]] - glob.mean(1)[summary["t_min"]]),
            **{f"mu_{k}": v for k, v in bootstrap.items()},
            **{f"norm_{k}": v for k, v in m.norm.items()},
            "norm_own_at_norm_min": float(np.median(m.norm_own[at])),
            "norm_other_at_norm_min": float(np.median(m.norm_other[at])),
            **{f"own_nearer_{k}": v for k, v in nearer.items()},
            "nearest_own_start": float(m.own_nearest[0].mean()),
            "nearest_own_at_norm_min": float(m.own_nearest[at].mean()),
            "level_start": float(m.level[0].mean()),
            "level_at_norm_min": float(m.level[at].mean()),
            "level_end": float(m.level[-1].mean()),
            "pixel_mse_start": float(m.pixel[0].mean()),
            "pixel_mse_at_norm_min": float(m.pixel[at].mean()),
            "pixel_mse_end": float(m.pixel[-1].mean()),
            "mu_distance_own_start": float(own_mu[0].mean()),
            "mu_distance_own_end": float(own_mu[-1].mean()),
            "mu_distance_global_end": float(m.glob_mu[-1].mean()),
            "mu_distance_other_end": float(m.other_mu[-1].mean()),
            "mu_distance_start_end": float(m.drift[-1].mean()),
            "mu_distance_memory_start": float(memory[0][0].mean()) if 0 in memory else np.nan,
            "mu_distance_memory_end": float(memory[last][0].mean()) if last is not None else np.nan,
            "memory_step_end": last if last is not None else -1,
            "memory_distance_at_norm_min": float(memory[at][0].mean()),
            "memory_own_at_norm_min": float((memory[at][1] == labels).mean()),
            "memory_own_end": float((memory[last][1] == labels).mean()) if last is not None else np.nan,
            "main_model": main,
        }
    )
    if list(summary) != ROW_COLUMNS:
        raise RuntimeError(f"summary row columns {list(summary)} differ from SUMMARY_COLUMNS {ROW_COLUMNS}")
    return summary
