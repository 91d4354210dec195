"""Distorted test digits: what wide C-cells are for (tolerance to shifts and deformations).

Both sets are fixed by a seed: ``shifted`` moves each image by whole pixels, uniformly in
``[-shift_px, shift_px]`` in x and y (zeros shifted in); ``elastic`` applies a smooth random
displacement field (Simard, Steinkraus & Platt 2003: uniform(-1, 1) fields smoothed by a Gaussian of
width ``sigma`` pixels and scaled by ``alpha``), sampled bilinearly.
"""

from __future__ import annotations

import torch


def shifted(images, shift_px: int, seed: int):
    """``images`` ``(n, 1, H, W)`` each moved by (dx, dy) ~ U{-shift_px..shift_px}^2."""
    g = torch.Generator().manual_seed(seed)
    n, _, h, w = images.shape
    d = torch.randint(-shift_px, shift_px + 1, (n, 2), generator=g)
    pad = torch.nn.functional.pad(images, (shift_px,) * 4)
    out = torch.empty_like(images)
    for i in range(n):
        dx, dy = int(d[i, 0]), int(d[i, 1])
        out[i] = pad[i, :, shift_px - dy : shift_px - dy + h, shift_px - dx : shift_px - dx + w]
    return out


def elastic(images, alpha: float, sigma: float, seed: int):
    """``images`` ``(n, 1, H, W)`` under smooth random displacement fields (pixels), bilinear."""
    from conceptdyn.neocognitron.network import gaussian_kernel

    g = torch.Generator().manual_seed(seed)
    n, _, h, w = images.shape
    field = torch.rand((n, 2, h, w), generator=g) * 2 - 1
    size = 2 * int(3 * sigma) + 1
    k = gaussian_kernel(sigma, size).to(images.dtype)[None, None].expand(2, 1, -1, -1)
    field = torch.nn.functional.conv2d(field, k, padding=size // 2, groups=2) * alpha
    ys, xs = torch.meshgrid(
        torch.arange(h, dtype=images.dtype), torch.arange(w, dtype=images.dtype), indexing="ij"
    )
    gx = (xs + field[:, 0]) / (w - 1) * 2 - 1
    gy = (ys + field[:, 1]) / (h - 1) * 2 - 1
    grid = torch.stack([gx, gy], dim=-1)
    return torch.nn.functional.grid_sample(
        images, grid, mode="bilinear", padding_mode="zeros", align_corners=True
    )
