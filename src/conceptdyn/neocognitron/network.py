"""A neocognitron-style network trained by backpropagation, with C-cells of scheduled width.

After Okada & Fukushima (1990): S-layers are learned convolutions (rectified, or sigmoid as an
option); C-layers are a *fixed*
spatial blur of each S-plane (a normalised Gaussian of width sigma, no learned weights), subsampling
by 2 and a saturating output ``x / (1 + x)``.  The last S-layer is a set of 10 output cells, trained
with the mean squared error against one-hot targets.  The C-cell width can change during training
(:func:`width_schedule`): narrow at first and widened gradually is the paper's remedy for neighbouring
S-cells that receive nearly the same error signal and are reinforced together.

A LeNet-5-style CNN with max pooling (learned convolutions, no fixed blur) is the modern reference,
trained with the same loss, optimiser and data.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass

import torch


def gaussian_kernel(sigma: float, size: int):
    """Normalised 2-D Gaussian ``(size, size)``; ``sigma = 0`` gives the identity (a single 1)."""
    if size % 2 == 0 or size < 1:
        raise ValueError(f"kernel size must be odd and positive, got {size}")
    if sigma < 0:
        raise ValueError(f"sigma must be >= 0, got {sigma}")
    r = torch.arange(size, dtype=torch.float32) - size // 2
    if sigma == 0:
        g = (r == 0).float()
    else:
        g = torch.exp(-(r**2) / (2 * sigma**2))
    k = g[:, None] * g[None, :]
    return k / k.sum()


def build_c_layer(planes: int, max_sigma: float):
    """A C-layer: fixed depthwise Gaussian blur (buffer, not a parameter), stride-2 subsampling,
    saturation ``x / (1 + x)``.  ``set_width(sigma)`` changes the blur in place."""
    from torch import nn

    size = 2 * math.ceil(2 * max_sigma) + 1

    class CLayer(nn.Module):
        def __init__(self):
            super().__init__()
            self.planes, self.size, self.max_sigma = planes, size, max_sigma
            self.register_buffer("kernel", torch.zeros(planes, 1, size, size))
            self.sigma = 0.0
            self.set_width(0.0)

        def set_width(self, sigma: float) -> None:
            if sigma > self.max_sigma + 1e-9:
                raise ValueError(f"C-cell width {sigma} exceeds the maximum {self.max_sigma} of this layer")
            self.sigma = float(sigma)
            self.kernel.copy_(gaussian_kernel(sigma, self.size).expand(self.planes, 1, -1, -1))

        def forward(self, x):
            y = torch.nn.functional.conv2d(
                x, self.kernel, stride=2, padding=self.size // 2, groups=self.planes
            )
            return y / (1.0 + y)

    return CLayer()


ACTIVATIONS = ("relu", "sigmoid")


@dataclass
class NeocognitronConfig:
    planes: tuple[int, ...]  # S-planes of S1, S2
    kernel: int  # S-cell receptive field
    max_sigma: float  # largest C-cell width the layers are built for
    activation: str  # S-cell output: relu, or sigmoid (the analogue units of the 1990 network)

    def __post_init__(self):
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"neocognitron.activation must be one of {ACTIVATIONS}, got {self.activation!r}")


@contextlib.contextmanager
def seeded_init(seed: int):
    """Initial weights of the run ``seed`` (its own stream: the batch order draws from another), with
    the global torch RNG restored afterwards."""
    from conceptdyn.core.runtime import child_seed

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(child_seed(seed, "neocognitron.init"))
        yield


def build_neocognitron(cfg: NeocognitronConfig, seed: int):
    from torch import nn

    class Neocognitron(nn.Module):
        def __init__(self):
            super().__init__()
            chans = [1, *cfg.planes]
            self.s_layers = nn.ModuleList(
                nn.Conv2d(chans[i], chans[i + 1], cfg.kernel, padding=cfg.kernel // 2)
                for i in range(len(cfg.planes))
            )
            self.c_layers = nn.ModuleList(build_c_layer(p, cfg.max_sigma) for p in cfg.planes)
            side = 28 // 2 ** len(cfg.planes)
            self.out = nn.Conv2d(chans[-1], 10, side)  # 10 output S-cells, each sees the whole plane
            self.s1_output = None

        def set_width(self, sigma: float) -> None:
            for c in self.c_layers:
                c.set_width(sigma)

        def forward(self, x):
            act = torch.relu if cfg.activation == "relu" else torch.sigmoid
            for i, (s, c) in enumerate(zip(self.s_layers, self.c_layers, strict=True)):
                x = act(s(x))
                if i == 0:
                    self.s1_output = x
                x = c(x)
            return torch.sigmoid(self.out(x).flatten(1))

    with seeded_init(seed):
        return Neocognitron()


def build_lenet(seed: int):
    """LeNet-5-style reference: conv-ReLU-maxpool twice, then 120-84-10, sigmoid outputs."""
    from torch import nn

    with seeded_init(seed):
        return nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120),
            nn.ReLU(),
            nn.Linear(120, 84),
            nn.ReLU(),
            nn.Linear(84, 10),
            nn.Sigmoid(),
        )
