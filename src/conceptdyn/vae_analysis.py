"""Tables for the VAE stage: training, images, concepts, repeated inference and its sweeps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import mnist, vae
from .tables import atomic_output


def load_split(root: str | Path, train: bool, device):
    images, labels = mnist.load_mnist(root, train=train)
    return vae.images_to_tensor(images, device), labels.to(device)


def train(root, cfg: vae.VAEConfig, seed: int, device, progress=None, subset: int | None = None):
    """Train on the 60,000 training images (or the first ``subset``); test loss on the 10,000 test images."""
    x, _ = load_split(root, True, device)
    if subset is not None:
        x = x[:subset]
    xt, _ = load_split(root, False, device)
    model, history = vae.train_vae(x, xt, cfg, seed, progress=progress)
    # wall-clock seconds per epoch go to the log (and the rule's benchmark file), not into the table,
    # so that the same config gives the same table
    df = pd.DataFrame(history).drop(columns="seconds")
    df["latent"] = cfg.latent
    return model, df


def save_model(model, cfg: vae.VAEConfig, path) -> None:
    import torch

    with atomic_output(path) as tmp:
        torch.save({"state_dict": model.state_dict(), "config": vars(cfg)}, tmp)


def load_model(path, device):
    import torch

    ckpt = torch.load(path, map_location=device, weights_only=True)
    cfg = vae.VAEConfig(**ckpt["config"])
    model = vae.build_vae(784, cfg.hidden, cfg.latent).to(device)
    model.load_state_dict(ckpt["state_dict"])
    model.eval()
    return model, cfg


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
        recon = torch.sigmoid(model.decode_logits(model.encode(x[idx])[0]))
        prior = torch.sigmoid(model.decode_logits(torch.randn((n, model.latent), generator=g, device=device)))
        cvec = vae.concepts(model, xtr, ytr)
        cimg = torch.sigmoid(model.decode_logits(cvec))
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
    d = vae.concept_distances(z, labels, cvec)  # (T+1, n, 10)
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
        cvec = vae.concepts(model, xtr, ytr)
        centre = vae.encoder_means(model, xtr).mean(0, keepdim=True)
        for noise in noises:
            g = torch.Generator(device=device).manual_seed(seed + 7919 * latent + round(noise * 1000))
            x0 = vae.corrupt(x0_all, noise, g)
            z, mu, p = vae.repeated_inference(model, x0, steps, g)
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
            summary = vae.trajectory_summary(own.mean(1))
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
