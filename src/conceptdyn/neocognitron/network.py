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
import functools
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


def blur_matrix(sigma: float, size: int, n_in: int):
    """The C-layer's blur and stride-2 subsampling along one axis as a matrix ``(n_out, n_in)``: row ``i``
    holds the normalised 1-D Gaussian centred on input ``2 i`` (zero padding of ``size // 2``), so that
    ``A X A^T`` is the depthwise convolution of a plane ``X`` with :func:`gaussian_kernel` (its outer
    product), stride 2."""
    k = gaussian_kernel(sigma, size)
    g = k.sum(1)  # the normalised 1-D factor: k = g g^T
    pad = size // 2
    n_out = (n_in + 2 * pad - size) // 2 + 1
    rows = torch.arange(n_out)[:, None].expand(n_out, size)
    cols = 2 * rows - pad + torch.arange(size)
    inside = (cols >= 0) & (cols < n_in)
    a = torch.zeros(n_out, n_in)
    a[rows[inside], cols[inside]] = g.expand(n_out, size)[inside]
    return a


def build_c_layer(planes: int, max_sigma: float):
    """A C-layer: fixed depthwise Gaussian blur (no learned weights), stride-2 subsampling, saturation
    ``x / (1 + x)``.  ``set_width(sigma)`` changes the blur.

    The blur is separable, so it runs as matrix products with :func:`blur_matrix` instead of a
    depthwise convolution: along both axes at once (a Kronecker product) on small planes, one axis
    after the other on large ones (1.8 and 1.8 times faster than the convolution, forward and backward,
    on the 28 x 28 and 14 x 14 planes of a batch of 16; benchmarks/RESULTS.md).  The values agree
    with the convolution to float rounding (tests/test_neocognitron.py)."""
    from torch import nn

    size = 2 * math.ceil(2 * max_sigma) + 1

    class CLayer(nn.Module):
        def __init__(self):
            super().__init__()
            self.planes, self.size, self.max_sigma = planes, size, max_sigma
            self.sigma = 0.0
            self._blur = {}  # (rows, columns, device, dtype) of the input -> its blur matrices at this sigma

        @property
        def kernel(self):
            """The blur as a depthwise convolution kernel ``(planes, 1, size, size)``."""
            return gaussian_kernel(self.sigma, self.size).expand(self.planes, 1, -1, -1)

        def set_width(self, sigma: float) -> None:
            if sigma > self.max_sigma + 1e-9:
                raise ValueError(f"C-cell width {sigma} exceeds the maximum {self.max_sigma} of this layer")
            if float(sigma) != self.sigma:
                self.sigma = float(sigma)
                self._blur = {}

        def _matrices(self, x):
            h, w = x.shape[-2:]
            key = (h, w, x.device, x.dtype)
            if key not in self._blur:
                mats = _blur_operands(self.sigma, self.size, h, w)
                self._blur[key] = tuple(None if a is None else a.to(x) for a in mats)
            return self._blur[key]

        def forward(self, x):
            b, p, h, w = x.shape
            ah_t, aw_t, both = self._matrices(x)
            if both is not None:
                y = (x.reshape(b * p, h * w) @ both).view(b, p, ah_t.shape[1], aw_t.shape[1])
            else:
                t = (x.reshape(-1, w) @ aw_t).view(b, p, h, -1).transpose(2, 3).reshape(-1, h)
                y = (t @ ah_t).view(b, p, aw_t.shape[1], ah_t.shape[1]).transpose(2, 3)
            return y / (1.0 + y)

    return CLayer()


SMALL_PLANE = 256  # planes up to 16 x 16 are blurred by one Kronecker matrix, larger ones axis by axis


@functools.lru_cache(maxsize=4096)
def _blur_operands(sigma: float, size: int, h: int, w: int):
    """``(A_h^T, A_w^T, (A_h kron A_w)^T or None)`` of a C-layer at width ``sigma`` on ``h x w`` planes
    (CPU, read only).  Cached: a widening schedule sets a new width every iteration, and every run of
    the stage passes through the same widths."""
    ah, aw = blur_matrix(sigma, size, h), blur_matrix(sigma, size, w)
    both = torch.kron(ah, aw).T.contiguous() if h * w <= SMALL_PLANE else None
    return ah.T.contiguous(), aw.T.contiguous(), both


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
            if x.shape[-2:] == self.out.weight.shape[-2:]:  # one output per cell: a linear layer
                # (the same weights; 3x faster than the convolution at batch 16)
                return torch.sigmoid(
                    torch.nn.functional.linear(x.flatten(1), self.out.weight.flatten(1), self.out.bias)
                )
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
