"""VAE training: reference quality and throughput against the usual DataLoader loop (prints figures).

    python benchmarks/bench_vae.py --mnist-dir ../shared/data/mnist

1. conceptdyn's training (whole data set as one tensor, seeded index batches) of the PyTorch example
   configuration (784-400-20-400-784, ReLU, Adam 1e-3, batch 128, BCE summed + KL) for --epochs epochs:
   test loss per epoch (nats per image; reference 127.2, 115.5, ..., 105.4 after 10) and seconds per epoch.
2. The same model and loss trained "the usual way": torchvision MNIST with per-sample ToTensor and a
   shuffling DataLoader (batch 128), for --reference-epochs epochs; seconds per epoch and test loss, and
   the per-epoch time ratio.
"""

from __future__ import annotations

import argparse
import tempfile
import time

import torch

from conceptdyn.core.runtime import set_threads
from conceptdyn.core.settings import defaults
from conceptdyn.data import mnist
from conceptdyn.vae import model as vae_model
from conceptdyn.vae import training as vae_training
from conceptdyn.vae.keys import VAEConfig

REFERENCE = [127.2, 115.5, 111.7, 109.7, 108.3, 107.5, 106.7, 106.3, 106.0, 105.4]


def reference_loop(root: str, epochs: int, seed: int) -> list[dict]:
    from torch.utils.data import DataLoader
    from torchvision import datasets, transforms

    torch.manual_seed(seed)
    train = datasets.MNIST(root, train=True, download=False, transform=transforms.ToTensor())
    test = datasets.MNIST(root, train=False, download=False, transform=transforms.ToTensor())
    loader = DataLoader(train, batch_size=128, shuffle=True)
    model = vae_model.build_vae(784, 400, 20, seed=seed)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    rows = []
    for epoch in range(1, epochs + 1):
        model.train()
        t0 = time.perf_counter()
        for xb, _ in loader:
            xb = xb.view(-1, 784)
            logits, mu, logvar = model(xb)
            loss = vae_model.negative_elbo(logits, xb, mu, logvar)
            opt.zero_grad()
            loss.backward()
            opt.step()
        sec = time.perf_counter() - t0
        model.eval()
        total = 0.0
        with torch.no_grad():
            for xb, _ in DataLoader(test, batch_size=128):
                xb = xb.view(-1, 784)
                logits, mu, logvar = model(xb)
                total += float(vae_model.negative_elbo(logits, xb, mu, logvar))
        rows.append({"epoch": epoch, "seconds": sec, "test_loss": total / len(test)})
        print(f"  reference epoch {epoch}: {sec:.1f} s, test {rows[-1]['test_loss']:.2f}", flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mnist-dir", required=True, help="folder with the four MNIST .gz files")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--reference-epochs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    set_threads(args.threads)
    root = tempfile.mkdtemp(prefix="mnist-")
    mnist.prepare_mnist(root, local_dir=args.mnist_dir, download=False)

    xi, _ = mnist.load_mnist(root, True)
    xt, _ = mnist.load_mnist(root, False)
    x, x_test = vae_model.images_to_tensor(xi), vae_model.images_to_tensor(xt)
    _, hist = vae_training.train_vae(
        x, x_test, defaults(VAEConfig, "vae", epochs=args.epochs), seed=args.seed
    )
    print("conceptdyn training (784-400-20-400-784, Adam 1e-3, batch 128):")
    for row, ref in zip(hist, REFERENCE, strict=False):
        print(
            f"  epoch {row['epoch']}: {row['seconds']:.1f} s, test {row['test_loss']:.2f} (reference {ref})"
        )
    if args.reference_epochs:
        print("reference loop (torchvision dataset, per-sample ToTensor, DataLoader):")
        ref = reference_loop(root, args.reference_epochs, args.seed)
        k = min(len(ref), len(hist))
        ours_sec = sum(r["seconds"] for r in hist[:k]) / k
        ref_sec = sum(r["seconds"] for r in ref[:k]) / k
        ours_loss, ref_loss = hist[k - 1]["test_loss"], ref[k - 1]["test_loss"]
        print(
            f"per-epoch seconds over the first {k} epochs: conceptdyn {ours_sec:.1f}, reference {ref_sec:.1f}"
        )
        print(
            f"ratio {ref_sec / ours_sec:.2f}x; test loss after epoch {k}: conceptdyn {ours_loss:.2f}, "
            f"reference {ref_loss:.2f}"
        )


if __name__ == "__main__":
    main()
