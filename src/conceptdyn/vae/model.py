"""The VAE of Kingma & Welling (2014) on MNIST: an MLP encoder ``784 -> hidden -> (mu, log sigma^2)``
and a Bernoulli decoder ``latent -> hidden -> 784 logits``; its loss (negative ELBO, Appendix B) and
checkpoints.
"""

from __future__ import annotations

import torch
from torch import nn

from conceptdyn.core.tables import atomic_output
from conceptdyn.vae.keys import DATA, VAEConfig


class VAE(nn.Module):
    """MLP VAE: encoder ``x -> act(hidden) -> (mu, log sigma^2)``, Bernoulli decoder
    ``z -> act(hidden) -> logits``, ``act`` ReLU (the PyTorch example) or tanh (the Chainer example).
    ``decode`` returns logits; ``decode_mean`` the pixel means."""

    def __init__(self, input_dim: int, hidden: int, latent: int, activation: str = "relu"):
        super().__init__()
        self.act = {"relu": torch.relu, "tanh": torch.tanh}[activation]
        self.enc = nn.Linear(input_dim, hidden)
        self.mu = nn.Linear(hidden, latent)
        self.logvar = nn.Linear(hidden, latent)
        self.dec1 = nn.Linear(latent, hidden)
        self.dec2 = nn.Linear(hidden, input_dim)
        self.latent = latent

    def encode(self, x):
        """Posterior parameters ``(mu, log sigma^2)`` of q(z | x)."""
        h = self.act(self.enc(x))
        return self.mu(h), self.logvar(h)

    def reparameterize(self, mu, logvar, generator=None):
        """One sample ``z = mu + sigma * eps``, eps ~ N(0, I) from ``generator`` (Kingma & Welling)."""
        eps = torch.randn(mu.shape, generator=generator, device=mu.device, dtype=mu.dtype)
        return mu + eps * torch.exp(0.5 * logvar)

    def decode(self, z):
        """Bernoulli logits of p(x | z)."""
        return self.dec2(self.act(self.dec1(z)))

    def decode_mean(self, z):
        """Pixel means sigmoid(logits) of p(x | z)."""
        return torch.sigmoid(self.decode(z))

    def forward(self, x, generator=None):
        mu, logvar = self.encode(x)
        return self.decode(self.reparameterize(mu, logvar, generator)), mu, logvar


def build_vae(input_dim: int, hidden: int, latent: int, seed: int = 0, activation: str = "relu") -> VAE:
    """A :class:`VAE` with weights initialised from ``seed`` (the global torch RNG is left untouched)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return VAE(input_dim, hidden, latent, activation)


def negative_elbo(logits, x, mu, logvar, beta: float = 1.0):
    """Summed over the batch: BCE (Bernoulli decoder) + beta * KL (Kingma & Welling, Appendix B)."""
    bce = torch.nn.functional.binary_cross_entropy_with_logits(logits, x, reduction="sum")
    kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + beta * kl


def images_to_tensor(images, device=None):
    """uint8 ``(n, 28, 28)`` -> float32 ``(n, 784)`` in [0, 1] (what ToTensor gives, done at once)."""
    x = torch.as_tensor(images).reshape(len(images), -1).to(torch.float32).div_(255.0)
    return x.to(device) if device is not None else x


def save_model(model, cfg: VAEConfig, path) -> None:
    with atomic_output(path) as tmp:
        torch.save({"state_dict": model.state_dict(), "config": vars(cfg)}, tmp)


def load_model(path, device):
    ckpt = torch.load(path, map_location=device, weights_only=True)
    saved = dict(ckpt["config"])
    # checkpoints from before the options, and from when the data was a flag
    if "binarize" in saved:
        saved["data"] = DATA[int(bool(saved.pop("binarize")))]
    old = {"data": "grey", "validation": 0, "stop_window": 5, "stop_improvement": 0.3, "activation": "relu"}
    cfg = VAEConfig(**{**old, **saved})
    model = build_vae(784, cfg.hidden, cfg.latent, activation=cfg.activation).to(device)
    model.load_state_dict(ckpt["state_dict"])
    model.eval()
    return model, cfg
