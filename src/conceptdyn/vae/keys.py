"""What tells the VAE stage's models apart, without torch: the training config, the data names and the
model key, and the default run's models by role (the workflow reads these while it parses, where
importing torch would cost every job a second and a half)."""

from __future__ import annotations

from dataclasses import dataclass, replace


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
    activation: str = (
        "relu"  # of both hidden layers: relu (the PyTorch example) or tanh (the Chainer example)
    )

    def __post_init__(self):
        check_data(self.data)
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"vae activation {self.activation!r}: expected one of {ACTIVATIONS}")

    @property
    def binarize(self) -> bool:
        """Whether training draws every batch anew as Bernoulli(pixel) (dynamic binarisation)."""
        return self.data == "binarized"

    @property
    def key(self) -> ModelKey:
        return ModelKey(beta=float(self.beta), latent=int(self.latent), data=self.data)


# The hidden layers' nonlinearity: the PyTorch example's ReLU, the Chainer example's tanh
ACTIVATIONS = ("relu", "tanh")

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


# the tables of one model's repeated inference (inference.inference_sweep returns them in this order):
# one job per model writes its own, inference.gather_tables joins them
SWEEP_TABLES = ("distance", "summary", "strips", "units", "hierarchy")
