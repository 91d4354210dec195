"""Repeated inference (Nagano, Karakida & Okada 2020): concepts as class means of the encoder, chains
x -> z -> x, their distances to the concepts, and the tables of the VAE stage.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch

from conceptdyn.vae.training import load_split


def encoder_means(model, x, batch_size: int = 2000):
    out = []
    model.eval()
    with torch.no_grad():
        for i in range(0, len(x), batch_size):
            out.append(model.encode(x[i : i + batch_size])[0])
    return torch.cat(out)


def concepts(model, x, labels, n_classes: int = 10):
    """``xi_bar_d``: mean of the encoder means over the images of class d; shape ``(n_classes, latent)``."""
    mu = encoder_means(model, x)
    labels = torch.as_tensor(labels, device=mu.device)
    return torch.stack([mu[labels == d].mean(0) for d in range(n_classes)])


def corrupt(x, noise: float, generator):
    """Replace a fraction ``noise`` of the pixels by uniform random values."""
    if noise <= 0:
        return x
    mask = torch.rand(x.shape, generator=generator, device=x.device) < noise
    return torch.where(mask, torch.rand(x.shape, generator=generator, device=x.device), x)


def repeated_inference(model, x0, steps: int, generator):
    """Ancestral chain ``z(0) ~ q(z|x0)``, ``x(t+1) ~ p(x|z(t))``, ``z(t+1) ~ q(z|x(t+1))``.

    Returns the sampled latent states ``z`` and the encoder means ``mu`` (each ``(steps + 1, n,
    latent)``) and the decoder means ``(steps + 1, n, 784)`` (for image strips).
    """
    model.eval()
    zs, mus, xs = [], [], []
    with torch.no_grad():
        x = x0
        for t in range(steps + 1):
            mu, logvar = model.encode(x)
            z = mu + torch.randn(mu.shape, generator=generator, device=mu.device) * torch.exp(0.5 * logvar)
            zs.append(z)
            mus.append(mu)
            p = torch.sigmoid(model.decode(z))
            xs.append(p)
            if t < steps:
                x = torch.bernoulli(p, generator=generator)
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


def _pixels(kind: str, rows: np.ndarray, labels) -> pd.DataFrame:
    head = pd.DataFrame({"kind": kind, "index": np.arange(len(rows)), "digit": labels})
    return pd.concat([head, pd.DataFrame(np.round(rows, 4), columns=[f"p{i}" for i in range(784)])], axis=1)


def image_table(model, root, seed: int, device, n: int = 10) -> pd.DataFrame:
    """Test images and their reconstructions (decoder means), samples from the prior, decoded concepts."""
    import torch

    x, y = load_split(root, False, device)
    xtr, ytr = load_split(root, True, device)
    g = torch.Generator(device=device).manual_seed(seed)
    with torch.no_grad():
        idx = torch.cat([torch.nonzero(y == d)[0] for d in range(10)])[:n]
        recon = torch.sigmoid(model.decode(model.encode(x[idx])[0]))
        prior = torch.sigmoid(model.decode(torch.randn((n, model.latent), generator=g, device=device)))
        cvec = concepts(model, xtr, ytr)
        cimg = torch.sigmoid(model.decode(cvec))
    return pd.concat(
        [
            _pixels("original", x[idx].cpu().numpy(), y[idx].cpu().numpy()),
            _pixels("reconstruction", recon.cpu().numpy(), y[idx].cpu().numpy()),
            _pixels("sample", prior.cpu().numpy(), np.full(n, -1)),
            _pixels("concept", cimg.cpu().numpy(), np.arange(10)),
        ],
        ignore_index=True,
    )


def _distances(z, labels, cvec, centre):
    """Distances of every chain to its own concept, to the other concepts (mean) and to the centre."""
    import torch

    n = z.shape[1]
    d = concept_distances(z, labels, cvec)  # (T+1, n, 10)
    own = d[:, np.arange(n), labels]
    mask = np.ones(d.shape[1:], bool)
    mask[np.arange(n), labels] = False
    other = d[:, mask].reshape(d.shape[0], n, 9).mean(2)
    glob = torch.linalg.vector_norm(z - centre, dim=-1).cpu().numpy()
    return own, other, glob


def inference_sweep(
    models: dict,
    root,
    noises,
    chains: int,
    steps: int,
    seed: int,
    device,
    strip_latent: int | None = None,
    strip_chains: int = 4,
    strip_every: int = 10,
):
    """Repeated inference for every (latent size, input noise): distance tables, summary and strips.

    ``models`` maps latent size -> model.  Chains start from the first ``chains`` test images (in test
    order, all digits).  Distances are to each chain's own digit concept, to the other concepts (mean),
    and to the global centre (mean of all training encoder means), the most global cluster.
    """
    import torch

    x, y = load_split(root, False, device)
    xtr, ytr = load_split(root, True, device)
    x0_all, labels = x[:chains], y[:chains].cpu().numpy()
    dist_rows, summary_rows, strips = [], [], []
    for latent, model in models.items():
        cvec = concepts(model, xtr, ytr)
        centre = encoder_means(model, xtr).mean(0, keepdim=True)
        for noise in noises:
            g = torch.Generator(device=device).manual_seed(seed + 7919 * latent + round(noise * 1000))
            x0 = corrupt(x0_all, noise, g)
            z, mu, p = repeated_inference(model, x0, steps, g)
            own, other, glob = _distances(z, labels, cvec, centre)
            own_mu, other_mu, glob_mu = _distances(mu, labels, cvec, centre)
            for t in range(steps + 1):
                dist_rows.append(
                    {
                        "t": t,
                        "distance_own_mean": own[t].mean(),
                        "distance_own_std": own[t].std(),
                        "distance_other_mean": other[t].mean(),
                        "distance_global_mean": glob[t].mean(),
                        "mu_distance_own_mean": own_mu[t].mean(),
                        "mu_distance_own_std": own_mu[t].std(),
                        "mu_distance_other_mean": other_mu[t].mean(),
                        "mu_distance_global_mean": glob_mu[t].mean(),
                        "noise": noise,
                        "latent": latent,
                        "chains": chains,
                        "main_model": latent == (strip_latent or max(models)),
                    }
                )
            summary = trajectory_summary(own.mean(1))
            summary.update(
                {
                    "noise": noise,
                    "latent": latent,
                    "distance_own_start": float(own[0].mean()),
                    "distance_global_min": float(glob.mean(1).min()),
                    "own_minus_global_at_min": float(
                        own.mean(1)[summary["t_min"]] - glob.mean(1)[summary["t_min"]]
                    ),
                }
            )
            summary_rows.append(summary)
            if latent == (strip_latent or max(models)) and noise == noises[0]:
                for c in range(min(strip_chains, chains)):
                    for t in range(0, steps + 1, max(1, min(strip_every, steps // 5))):
                        strips.append(
                            _pixels("strip", p[t, c : c + 1].cpu().numpy(), [labels[c]]).assign(chain=c, t=t)
                        )
    return (
        pd.DataFrame(dist_rows),
        pd.DataFrame(summary_rows),
        pd.concat(strips, ignore_index=True) if strips else pd.DataFrame(),
    )
