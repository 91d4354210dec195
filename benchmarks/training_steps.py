"""One training step of the VAE and of the neocognitron, in the forms the package uses and in the
forms it used before (prints one row per form; one thread unless told).

    python benchmarks/training_steps.py [--steps 300] [--threads 1]

VAE (784-400-20-400-784, batch 128): the batch gathered by indexing or by ``index_select`` (the same
rows); Adam's per-tensor loop (used) or its fused kernel (faster, but it rounds differently, and a
VAE's training amplifies that like a new seed: not used, shown for reference).

Neocognitron (planes 8, 16, batch 16, plain SGD): the C-layers as depthwise convolutions with the
layer's Gaussian kernel or as matrix products (:func:`conceptdyn.neocognitron.network.blur_matrix`),
the output cells as a convolution or as a linear layer.  Every form computes the same function; the
printed loss after the timed steps shows how far float rounding has moved it.
"""

from __future__ import annotations

import argparse
import time

import torch


def vae_step_time(fused: bool, index_select: bool, steps: int) -> tuple[float, float]:
    from conceptdyn.vae.model import build_vae, negative_elbo

    model = build_vae(784, 400, 20, seed=0)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, fused=fused)
    x = torch.rand(55000, 784, generator=torch.Generator().manual_seed(1))
    g = torch.Generator().manual_seed(2)

    def step():
        idx = torch.randint(0, len(x), (128,), generator=g)
        xb = torch.index_select(x, 0, idx) if index_select else x[idx]
        logits, mu, logvar = model(xb, generator=g)
        loss = negative_elbo(logits, xb, mu, logvar)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return float(loss.detach())

    for _ in range(30):
        step()
    t = time.perf_counter()
    for _ in range(steps):
        loss = step()
    return (time.perf_counter() - t) / steps * 1e3, loss


def neocognitron_step_time(matrices: bool, steps: int, schedule: str = "widening") -> tuple[float, float]:
    from conceptdyn.neocognitron.network import NeocognitronConfig, build_neocognitron
    from conceptdyn.neocognitron.training import width_schedule

    model = build_neocognitron(NeocognitronConfig((8, 16), 5, 2.0, "relu"), 0)
    opt = torch.optim.SGD(model.parameters(), lr=2.0)
    x = torch.rand(10000, 1, 28, 28, generator=torch.Generator().manual_seed(1))
    target = torch.nn.functional.one_hot(torch.arange(10000) % 10, 10).float()
    g = torch.Generator().manual_seed(2)
    F = torch.nn.functional

    def convolutions(xb):  # the forms used before: depthwise convolutions, output cells as a convolution
        h = xb
        for s, c in zip(model.s_layers, model.c_layers, strict=True):
            h = torch.relu(s(h))
            h = F.conv2d(h, c.kernel, stride=2, padding=c.size // 2, groups=c.planes)
            h = h / (1 + h)
        return torch.sigmoid(model.out(h).flatten(1))

    forward = model if matrices else convolutions

    def step(it):
        model.set_width(width_schedule(schedule, it, steps + 30, 0.5, 2.0))
        idx = torch.randint(0, len(x), (16,), generator=g)
        loss = torch.mean((forward(x[idx]) - target[idx]) ** 2)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return float(loss.detach())

    for it in range(30):
        step(it)
    t = time.perf_counter()
    for it in range(30, 30 + steps):
        loss = step(it)
    return (time.perf_counter() - t) / steps * 1e3, loss


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    print(f"{'form':<62} {'ms/step':>8} {'loss':>14}")
    for fused, sel in [(False, False), (False, True), (True, True)]:
        ms, loss = vae_step_time(fused, sel, args.steps)
        name = (
            "VAE: " + ("fused Adam" if fused else "Adam loop") + (", index_select" if sel else ", indexing")
        )
        print(f"{name:<62} {ms:8.2f} {loss:14.4f}")
    for matrices in (False, True):
        for schedule in ("final", "widening"):
            ms, loss = neocognitron_step_time(matrices, args.steps, schedule)
            form = "C-layers as matrices, linear output" if matrices else "C-layers, output as convolutions"
            print(f"{'neocognitron (' + schedule + '): ' + form:<62} {ms:8.2f} {loss:14.6f}")


if __name__ == "__main__":
    main()
