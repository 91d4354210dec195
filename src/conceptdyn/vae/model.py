"""The VAE of Kingma & Welling (2014) on MNIST: an MLP encoder ``784 -> hidden -> (mu, log sigma^2)``
and a Bernoulli decoder ``latent -> hidden -> 784 logits``; its loss (negative ELBO, Appendix B) and
checkpoints.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch
from torch import nn

from conceptdyn.core.tables import atomic_output


@dataclass(frozen=True)
class VAEConfig:
    """Architecture and training of one VAE (config section ``vae``; defaults in config/config.yaml)."""

    hidden: int
    latent: int
    beta: float
    epochs: int  # the cap: training stops earlier when the stopping rule says the model has converged
    batch_size: int
    lr: float
    data: str  # grey: pixel intensities as Bernoulli targets; binarized: each batch drawn as Bernoulli(pixel)
    validation: int  # the last n training images, held out for the stopping rule (0: no rule, train `epochs`)
    stop_window: int  # the rule: stop when the validation loss improved by less than
    stop_improvement: float  # `stop_improvement` nats per image over the last `stop_window` epochs

    def __post_init__(self):
        check_data(self.data)

    @property
    def binarize(self) -> bool:
        """Whether training draws every batch anew as Bernoulli(pixel) (dynamic binarisation)."""
        return self.data == "binarized"

    @property
    def key(self) -> ModelKey:
        return ModelKey(beta=float(self.beta), latent=int(self.latent), data=self.data)


# How a model saw MNIST: pixel intensities as Bernoulli targets, or dynamically binarised digits
DATA = ("grey", "binarized")


def check_data(data: str) -> None:
    """Refuse a training-data name that is not one of :data:`DATA`."""
    if data not in DATA:
        raise ValueError(f"vae data {data!r}: expected one of {DATA}")


@dataclass(frozen=True)
class ModelKey:
    """What tells the VAE stage's models apart: KL weight, latent size and training data. Every table,
    claim and figure names a model by these three columns, and rules/vae.smk picks its training rule from
    the sets of :func:`default_models`."""

    beta: float
    latent: int
    data: str

    def __post_init__(self):
        check_data(self.data)

    def columns(self) -> dict:
        """The model's identifying columns, as tables carry them."""
        return {"beta": self.beta, "data": self.data, "latent": self.latent}


def other_data(data: str) -> str:
    """The other way of seeing MNIST than ``data`` (the training-data comparison's models)."""
    return DATA[1 - DATA.index(data)]


def main_key(vae: dict) -> ModelKey:
    """The main model: the ``vae`` section's KL weight, latent size and data."""
    return ModelKey(beta=float(vae["beta"]), latent=int(vae["latent"]), data=vae["data"])


def default_models(vae: dict) -> dict[str, list[ModelKey]]:
    """The default run's models by role: ``main``; ``sweep`` (the other sizes of ``sweep_latents``);
    ``data`` (the sizes of ``data_latents`` on the other data); ``variants`` (the other KL weights of
    ``variant_betas``, main size and data)."""
    main = main_key(vae)
    return {
        "main": [main],
        "sweep": [replace(main, latent=int(z)) for z in sorted(set(vae["sweep_latents"]) - {main.latent})],
        "data": [replace(main, latent=int(z), data=other_data(main.data)) for z in vae["data_latents"]],
        "variants": [replace(main, beta=float(b)) for b in vae["variant_betas"] if float(b) != main.beta],
    }


class VAE(nn.Module):
    """MLP VAE: encoder ``x -> relu(hidden) -> (mu, log sigma^2)``, Bernoulli decoder
    ``z -> relu(hidden) -> logits``.  ``decode`` returns logits; ``decode_mean`` the pixel means."""

    def __init__(self, input_dim: int, hidden: int, latent: int):
        super().__init__()
        self.enc = nn.Linear(input_dim, hidden)
        self.mu = nn.Linear(hidden, latent)
        self.logvar = nn.Linear(hidden, latent)
        self.dec1 = nn.Linear(latent, hidden)
        self.dec2 = nn.Linear(hidden, input_dim)
        self.latent = latent

    def encode(self, x):
        """Posterior parameters ``(mu, log sigma^2)`` of q(z | x)."""
        h = torch.relu(self.enc(x))
        return self.mu(h), self.logvar(h)

    def reparameterize(self, mu, logvar, generator=None):
        """One sample ``z = mu + sigma * eps``, eps ~ N(0, I) from ``generator`` (Kingma & Welling)."""
        eps = torch.randn(mu.shape, generator=generator, device=mu.device, dtype=mu.dtype)
        return mu + eps * torch.exp(0.5 * logvar)

    def decode(self, z):
        """Bernoulli logits of p(x | z)."""
        return self.dec2(torch.relu(self.dec1(z)))

    def decode_mean(self, z):
        """Pixel means sigmoid(logits) of p(x | z)."""
        return torch.sigmoid(self.decode(z))

    def forward(self, x, generator=None):
        mu, logvar = self.encode(x)
        return self.decode(self.reparameterize(mu, logvar, generator)), mu, logvar


def build_vae(input_dim: int, hidden: int, latent: int, seed: int = 0) -> VAE:
    """A :class:`VAE` with weights initialised from ``seed`` (the global torch RNG is left untouched)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return VAE(input_dim, hidden, latent)


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
    old = {"data": "grey", "validation": 0, "stop_window": 5, "stop_improvement": 0.3}
    cfg = VAEConfig(**{**old, **saved})
    model = build_vae(784, cfg.hidden, cfg.latent).to(device)
    model.load_state_dict(ckpt["state_dict"])
    model.eval()
    return model, cfg
