"""Training the VAE: the whole data set as one tensor on the device, shuffled index batches from a
seeded ``torch.Generator`` (no DataLoader), the test loss per image after every epoch.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pandas as pd
import torch

from conceptdyn.data import mnist
from conceptdyn.vae.model import VAEConfig, build_vae, images_to_tensor, negative_elbo

log = logging.getLogger(__name__)


def evaluate(model, x, batch_size: int = 1000, seed: int = 0, beta: float = 1.0) -> float:
    """Mean negative ELBO per image (nats), with z sampled from a fixed-seed generator."""
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

    ``cfg.binarize``: dynamic binarisation, the usual companion of a Bernoulli decoder -- every batch is
    drawn anew as ``x ~ Bernoulli(pixel intensity)``; the test loss is then on one fixed (seeded)
    binarisation of the test images.
    """
    if cfg.epochs < 1 or cfg.batch_size < 1:
        raise ValueError("epochs and batch_size must be >= 1")
    device = train_x.device
    model = build_vae(train_x.shape[1], cfg.hidden, cfg.latent, seed).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    g_shuffle = torch.Generator(device="cpu").manual_seed(seed + 1)
    g_noise = torch.Generator(device=device).manual_seed(seed + 2)
    if cfg.binarize:
        test_x = torch.bernoulli(test_x, generator=torch.Generator(device=device).manual_seed(seed + 4))
    history = []
    epochs = range(1, cfg.epochs + 1)
    for epoch in progress(epochs, "VAE epochs") if progress else epochs:
        model.train()
        t0 = time.perf_counter()
        order = torch.randperm(len(train_x), generator=g_shuffle).to(device)
        total = 0.0
        for i in range(0, len(order), cfg.batch_size):
            xb = train_x[order[i : i + cfg.batch_size]]
            if cfg.binarize:
                xb = torch.bernoulli(xb, generator=g_noise)
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


def load_split(root: str | Path, train: bool, device):
    images, labels = mnist.load_mnist(root, train=train)
    return images_to_tensor(images, device), labels.to(device)


def train(root, cfg: VAEConfig, seed: int, device, progress=None, subset: int | None = None):
    """Train on the 60,000 training images (or the first ``subset``); test loss on the 10,000 test images."""
    x, _ = load_split(root, True, device)
    if subset is not None:
        x = x[:subset]
    xt, _ = load_split(root, False, device)
    model, history = train_vae(x, xt, cfg, seed, progress=progress)
    # wall-clock seconds per epoch go to the log (and the rule's benchmark file), not into the table,
    # so that the same config gives the same table
    df = pd.DataFrame(history).drop(columns="seconds")
    df["latent"] = cfg.latent
    df["data"] = data_name(cfg.binarize)
    return model, df


def data_name(binarize: bool) -> str:
    """How a model saw MNIST: ``binarized`` (dynamically) or ``grey`` (pixel intensities)."""
    return "binarized" if binarize else "grey"
