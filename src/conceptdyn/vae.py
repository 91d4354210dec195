"""Variational autoencoder on MNIST (Kingma & Welling 2014) and repeated inference (Nagano et al. 2020).

The model is an MLP encoder ``784 -> hidden -> (mu, log sigma^2)`` and a Bernoulli decoder
``latent -> hidden -> 784 logits``.  The loss per image is the negative ELBO of Kingma & Welling,
Appendix B: ``BCE(x, decoder(z)) + beta * KL(q(z|x) || N(0, I))`` with
``-KL = 1/2 sum_j (1 + log sigma_j^2 - mu_j^2 - sigma_j^2)``, one sample of z per image.

Training keeps the whole data set as one float tensor on the device and draws shuffled index batches
from a seeded ``torch.Generator``: no DataLoader, no per-sample transforms.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)


def _torch():
    import torch

    return torch


def build_vae(input_dim: int = 784, hidden: int = 400, latent: int = 20, seed: int = 0):
    """The MLP VAE; weights initialised from ``seed`` (the global torch RNG is left untouched)."""
    torch = _torch()
    from torch import nn

    class VAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.Linear(input_dim, hidden)
            self.mu = nn.Linear(hidden, latent)
            self.logvar = nn.Linear(hidden, latent)
            self.dec1 = nn.Linear(latent, hidden)
            self.dec2 = nn.Linear(hidden, input_dim)
            self.latent = latent

        def encode(self, x):
            h = torch.relu(self.enc(x))
            return self.mu(h), self.logvar(h)

        def decode_logits(self, z):
            return self.dec2(torch.relu(self.dec1(z)))

        def forward(self, x, generator=None):
            mu, logvar = self.encode(x)
            eps = torch.randn(mu.shape, generator=generator, device=mu.device, dtype=mu.dtype)
            z = mu + eps * torch.exp(0.5 * logvar)
            return self.decode_logits(z), mu, logvar

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return VAE()


def negative_elbo(logits, x, mu, logvar, beta: float = 1.0):
    """Summed over the batch: BCE (Bernoulli decoder) + beta * KL (Kingma & Welling, Appendix B)."""
    torch = _torch()
    bce = torch.nn.functional.binary_cross_entropy_with_logits(logits, x, reduction="sum")
    kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + beta * kl


@dataclass
class VAEConfig:
    hidden: int = 400
    latent: int = 20
    beta: float = 1.0
    epochs: int = 10
    batch_size: int = 128
    lr: float = 1e-3


def images_to_tensor(images, device=None):
    """uint8 ``(n, 28, 28)`` -> float32 ``(n, 784)`` in [0, 1] (what ToTensor gives, done at once)."""
    torch = _torch()
    x = torch.as_tensor(images).reshape(len(images), -1).to(torch.float32).div_(255.0)
    return x.to(device) if device is not None else x


def evaluate(model, x, batch_size: int = 1000, seed: int = 0, beta: float = 1.0) -> float:
    """Mean negative ELBO per image (nats), with z sampled from a fixed-seed generator."""
    torch = _torch()
    g = torch.Generator(device=x.device).manual_seed(seed)
    total = 0.0
    model.eval()
    with torch.no_grad():
        for i in range(0, len(x), batch_size):
            xb = x[i : i + batch_size]
            logits, mu, logvar = model(xb, generator=g)
            total += float(negative_elbo(logits, xb, mu, logvar, beta))
    return total / len(x)


def train_vae(train_x, test_x, cfg: VAEConfig, seed: int, progress=None):
    """Train with Adam; returns ``(model, history)`` with one dict per epoch.

    ``history`` rows: ``epoch, train_loss, test_loss, seconds`` (losses in nats per image; the train
    loss is the running mean over the epoch's batches, as the PyTorch example reports it).
    """
    torch = _torch()
    if cfg.epochs < 1 or cfg.batch_size < 1:
        raise ValueError("epochs and batch_size must be >= 1")
    device = train_x.device
    model = build_vae(train_x.shape[1], cfg.hidden, cfg.latent, seed).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    g_shuffle = torch.Generator(device="cpu").manual_seed(seed + 1)
    g_noise = torch.Generator(device=device).manual_seed(seed + 2)
    history = []
    epochs = range(1, cfg.epochs + 1)
    for epoch in progress(epochs, "VAE epochs") if progress else epochs:
        model.train()
        t0 = time.perf_counter()
        order = torch.randperm(len(train_x), generator=g_shuffle).to(device)
        total = 0.0
        for i in range(0, len(order), cfg.batch_size):
            xb = train_x[order[i : i + cfg.batch_size]]
            logits, mu, logvar = model(xb, generator=g_noise)
            loss = negative_elbo(logits, xb, mu, logvar, cfg.beta)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += float(loss.detach())
        seconds = time.perf_counter() - t0
        test_loss = evaluate(model, test_x, seed=seed + 3, beta=cfg.beta)
        history.append(
            {"epoch": epoch, "train_loss": total / len(train_x), "test_loss": test_loss, "seconds": seconds}
        )
        log.info(
            "epoch %d: train %.2f, test %.2f nats/image (%.1f s)",
            epoch,
            history[-1]["train_loss"],
            test_loss,
            seconds,
        )
    return model, history


# ---------------------------------------------------------------------------------------------
# Concepts and repeated inference
# ---------------------------------------------------------------------------------------------
def encoder_means(model, x, batch_size: int = 2000):
    torch = _torch()
    out = []
    model.eval()
    with torch.no_grad():
        for i in range(0, len(x), batch_size):
            out.append(model.encode(x[i : i + batch_size])[0])
    return torch.cat(out)


def concepts(model, x, labels, n_classes: int = 10):
    """``xi_bar_d``: mean of the encoder means over the images of class d; shape ``(n_classes, latent)``."""
    torch = _torch()
    mu = encoder_means(model, x)
    labels = torch.as_tensor(labels, device=mu.device)
    return torch.stack([mu[labels == d].mean(0) for d in range(n_classes)])


def corrupt(x, noise: float, generator):
    """Replace a fraction ``noise`` of the pixels by uniform random values."""
    torch = _torch()
    if noise <= 0:
        return x
    mask = torch.rand(x.shape, generator=generator, device=x.device) < noise
    return torch.where(mask, torch.rand(x.shape, generator=generator, device=x.device), x)


def repeated_inference(model, x0, steps: int, generator):
    """Ancestral chain ``z(0) ~ q(z|x0)``, ``x(t+1) ~ p(x|z(t))``, ``z(t+1) ~ q(z|x(t+1))``.

    Returns the sampled latent states ``z`` and the encoder means ``mu`` (each ``(steps + 1, n,
    latent)``) and the decoder means ``(steps + 1, n, 784)`` (for image strips).
    """
    torch = _torch()
    model.eval()
    zs, mus, xs = [], [], []
    with torch.no_grad():
        x = x0
        for t in range(steps + 1):
            mu, logvar = model.encode(x)
            z = mu + torch.randn(mu.shape, generator=generator, device=mu.device) * torch.exp(0.5 * logvar)
            zs.append(z)
            mus.append(mu)
            p = torch.sigmoid(model.decode_logits(z))
            xs.append(p)
            if t < steps:
                x = torch.bernoulli(p, generator=generator)
    return torch.stack(zs), torch.stack(mus), torch.stack(xs)


def concept_distances(z, labels, concept_vectors) -> np.ndarray:
    """``||z(t) - xi_bar_d||`` for every chain and class: ``(T+1, n, n_classes)``."""
    torch = _torch()
    return torch.cdist(z, concept_vectors.unsqueeze(0).expand(z.shape[0], -1, -1)).cpu().numpy()


def trajectory_summary(own: np.ndarray) -> dict:
    """Time to the minimum, minimum relative to the start, and escape rate after it (per step).

    ``own`` is the mean distance to the chain's own concept over time.
    """
    t_min = int(np.argmin(own))
    after = own[t_min:]
    rate = float(np.polyfit(np.arange(len(after)), after, 1)[0]) if len(after) > 2 else float("nan")
    return {"t_min": t_min, "min_over_start": float(own[t_min] / own[0]), "escape_rate": rate}
