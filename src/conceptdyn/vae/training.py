"""Training the VAE: the whole data set as one tensor on the device, shuffled index batches from a
seeded ``torch.Generator`` (no DataLoader), the validation and test loss per image after every epoch,
and one stopping rule for every model of the comparison (:func:`converged`).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pandas as pd
import torch

from conceptdyn.core.runtime import child_seed
from conceptdyn.data import mnist
from conceptdyn.vae.keys import VAEConfig
from conceptdyn.vae.model import build_vae, images_to_tensor, negative_elbo

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


def converged(validation_losses, window: int, min_improvement: float) -> bool:
    """The stopping rule: the best validation loss of the last ``window`` epochs is less than
    ``min_improvement`` nats below the best one before them (a rise counts as no improvement).  Needs
    more than ``window`` epochs; ``window < 1`` switches the rule off."""
    v = list(validation_losses)
    if window < 1 or len(v) <= window:
        return False
    return min(v[:-window]) - min(v[-window:]) < min_improvement


def train_vae(train_x, test_x, cfg: VAEConfig, seed: int, progress=None, val_x=None):
    """Train with Adam; returns ``(model, history)`` with one dict per epoch.

    ``history`` rows: ``epoch, train_loss, validation_loss, test_loss, stop, seconds`` (losses in nats
    per image; the train loss is the running mean over the epoch's batches, as the PyTorch example
    reports it).  With ``val_x`` training stops after the first epoch at which :func:`converged` holds
    (``stop = "converged"`` on the last row) and at the latest after ``cfg.epochs`` (``stop = "cap"``);
    without it, after ``cfg.epochs`` and the validation loss is NaN.

    ``cfg.data == "binarized"``: dynamic binarisation, the usual companion of a Bernoulli decoder --
    every batch is drawn anew as ``x ~ Bernoulli(pixel intensity)``; the test loss is then on one fixed
    (seeded) binarisation of the test images.
    """
    if cfg.epochs < 1 or cfg.batch_size < 1:
        raise ValueError("epochs and batch_size must be >= 1")
    device = train_x.device

    def generator(stream_seed: int, on=device):
        return torch.Generator(device=on).manual_seed(stream_seed)

    model = build_vae(
        train_x.shape[1], cfg.hidden, cfg.latent, child_seed(seed, "vae.training.init"), cfg.activation
    )
    model = model.to(device)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    g_shuffle = generator(child_seed(seed, "vae.training.shuffle"), "cpu")
    g_noise = generator(child_seed(seed, "vae.training.noise"))
    if cfg.binarize:
        test_x = torch.bernoulli(test_x, generator=generator(child_seed(seed, "vae.training.test_binarize")))
        if val_x is not None:
            val_x = torch.bernoulli(
                val_x, generator=generator(child_seed(seed, "vae.training.validation_binarize"))
            )
    test_seed = child_seed(seed, "vae.training.test_elbo")
    val_seed = child_seed(seed, "vae.training.validation_elbo")
    history, stop = [], "cap"
    epochs = range(1, cfg.epochs + 1)
    for epoch in progress(epochs, "VAE epochs") if progress else epochs:
        model.train()
        t0 = time.perf_counter()
        order = torch.randperm(len(train_x), generator=g_shuffle).to(device)
        total = 0.0
        for i in range(0, len(order), cfg.batch_size):
            xb = torch.index_select(train_x, 0, order[i : i + cfg.batch_size])  # x[idx], twice as fast
            if cfg.binarize:
                xb = torch.bernoulli(xb, generator=g_noise)
            logits, mu, logvar = model(xb, generator=g_noise)
            loss = negative_elbo(logits, xb, mu, logvar, cfg.beta)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += float(loss.detach())
        seconds = time.perf_counter() - t0
        test_loss = evaluate(model, test_x, seed=test_seed, beta=cfg.beta)
        val_loss = float("nan") if val_x is None else evaluate(model, val_x, seed=val_seed, beta=cfg.beta)
        history.append(
            {
                "epoch": epoch,
                "train_loss": total / len(train_x),
                "validation_loss": val_loss,
                "test_loss": test_loss,
                "stop": "",
                "seconds": seconds,
            }
        )
        log.info(
            "epoch %d: train %.2f, validation %.2f, test %.2f nats/image (%.1f s)",
            epoch,
            history[-1]["train_loss"],
            val_loss,
            test_loss,
            seconds,
        )
        if val_x is not None and converged(
            [h["validation_loss"] for h in history], cfg.stop_window, cfg.stop_improvement
        ):
            stop = "converged"
            break
    history[-1]["stop"] = stop
    return model, history


def load_split(root: str | Path, train: bool, device):
    images, labels = mnist.load_mnist(root, train=train)
    return images_to_tensor(images, device), labels.to(device)


def split_validation(x, validation: int, subset: int | None = None):
    """``(train, validation)``: the last ``validation`` training images are held out (none when 0); the
    model trains on the others, or on the first ``subset`` of them."""
    if not 0 <= validation < len(x):
        raise ValueError(
            f"vae.validation = {validation} must lie in [0, {len(x)}) (the number of training images)"
        )
    val = x[len(x) - validation :] if validation else None
    train_x = x[: len(x) - validation]
    return (train_x[:subset] if subset is not None else train_x), val


def train(root, cfg: VAEConfig, seed: int, device, progress=None, subset: int | None = None):
    """Train on the 60,000 training images less the validation split (or the first ``subset`` of them);
    validation loss on the held-out images, test loss on the 10,000 test images."""
    x, _ = load_split(root, True, device)
    x, val = split_validation(x, cfg.validation, subset)
    xt, _ = load_split(root, False, device)
    model, history = train_vae(x, xt, cfg, seed, progress=progress, val_x=val)
    # wall-clock seconds per epoch go to the log (and the rule's benchmark file), not into the table,
    # so that the same config gives the same table
    df = pd.DataFrame(history).drop(columns="seconds")
    df["latent"] = cfg.latent
    df["data"] = cfg.data
    df["beta"] = cfg.beta
    return model, df


def model_table(training_paths, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per trained model from its ``training.csv``: latent size, data, KL weight, epochs
    trained, how training stopped, final validation and test loss, the validation loss's improvement
    over the last 5 epochs, and (from ``units``, the latent-units table) the number of active units."""
    rows = []
    for path in training_paths:
        h = pd.read_csv(path)
        last = h.iloc[-1]
        v = h["validation_loss"].to_numpy() if "validation_loss" in h else None
        rows.append(
            {
                "latent": int(last["latent"]),
                "data": last["data"],
                "beta": float(last.get("beta", 1.0)),
                "epochs": int(last["epoch"]),
                "stop": last.get("stop", "cap"),
                "validation_loss": float(last["validation_loss"]) if v is not None else float("nan"),
                "test_loss": float(last["test_loss"]),
                "validation_gain_last_5": float(v[-6] - v[-1])
                if v is not None and len(v) > 5
                else float("nan"),
            }
        )
    out = pd.DataFrame(rows)
    if units is not None and len(out):
        keys = [k for k in ("latent", "data", "beta") if k in units]
        active = units.groupby(keys)["active"].sum().rename("active_units").reset_index()
        out = out.merge(active, on=keys, how="left")
    return out


MODEL_KEYS = ["latent", "data", "beta"]


def attach_training(summary: pd.DataFrame, models: pd.DataFrame) -> pd.DataFrame:
    """The inference summary with each row's model's ``epochs`` and ``stop`` (from :func:`model_table`),
    so that a verdict can say which models it was judged on."""
    cols = [*MODEL_KEYS, "epochs", "stop"]
    if models.empty or not set(cols) <= set(models) or not set(MODEL_KEYS) <= set(summary):
        return summary
    if models.duplicated(MODEL_KEYS).any():
        raise ValueError("attach_training: a model is listed twice in the models table")
    return summary.merge(models[cols], on=MODEL_KEYS, how="left")


def compare_models(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The models of several runs (``{run: model_table}``) side by side, one row per model (latent,
    data, KL weight): per run its epochs, how it stopped and its final validation and test loss
    (columns ``<field>_<run>``); ``test_gain_<run>`` is the first run's test loss minus that run's."""
    fields = ["epochs", "stop", "validation_loss", "test_loss"]
    out = None
    for run, t in tables.items():
        part = t[[*MODEL_KEYS, *fields]].rename(columns={f: f"{f}_{run}" for f in fields})
        out = part if out is None else out.merge(part, on=MODEL_KEYS, how="outer")
    if out is None:
        return pd.DataFrame(columns=MODEL_KEYS)
    first = next(iter(tables))
    for run in list(tables)[1:]:
        out[f"test_gain_{run}"] = out[f"test_loss_{first}"] - out[f"test_loss_{run}"]
    return out.sort_values(MODEL_KEYS).reset_index(drop=True)
