import os
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]

os.environ.setdefault("CONCEPTDYN_PROGRESS", "0")


def shared_mnist_dir() -> Path | None:
    """MNIST folder for offline runs: $CONCEPTDYN_MNIST_DIR, else ../shared/data/mnist if present."""
    env = os.environ.get("CONCEPTDYN_MNIST_DIR")
    if env:
        return Path(env)
    candidate = ROOT.parent / "shared" / "data" / "mnist"
    return candidate if candidate.is_dir() else None


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.fixture(scope="session")
def cpu():
    import torch

    return torch.device("cpu")
