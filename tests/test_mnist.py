"""MNIST preparation: local folder, verification, clear refusals."""

import shutil

import pytest

from conceptdyn.data import mnist


def test_prepare_from_local_folder(tmp_path, mnist_dir):
    raw = mnist.prepare_mnist(tmp_path / "res", local_dir=mnist_dir, download=False)
    images, labels = mnist.load_mnist(tmp_path / "res", train=False)
    assert images.shape == (10000, 28, 28) and labels.shape == (10000,)
    counts = mnist.count_table(tmp_path / "res")
    assert counts.groupby("split")["count"].sum().to_dict() == {"test": 10000, "train": 60000}
    sums = mnist.checksum_table(raw)
    assert dict(zip(sums["file"], sums["md5"], strict=True)) == mnist.expected_files()
    samples = mnist.sample_table(tmp_path / "res", 2)
    assert len(samples) == 20 and sorted(samples["digit"].unique()) == list(range(10))


def test_load_mnist_gives_torchvisions_tensors(tmp_path, mnist_dir):
    """The IDX reader returns exactly what torchvision's MNIST dataset holds (values and dtypes)."""
    import torch
    from torchvision.datasets import MNIST

    mnist.prepare_mnist(tmp_path / "res", local_dir=mnist_dir, download=False)
    for train in (True, False):
        images, labels = mnist.load_mnist(tmp_path / "res", train=train)
        ds = MNIST(str(tmp_path / "res"), train=train, download=False)
        assert images.dtype == ds.data.dtype and labels.dtype == ds.targets.dtype
        assert torch.equal(images, ds.data) and torch.equal(labels, ds.targets)


def test_a_bad_unpacked_file_is_refused_by_name(tmp_path, mnist_dir):
    raw = mnist.prepare_mnist(tmp_path / "res", local_dir=mnist_dir, download=False)
    labels = raw / "t10k-labels-idx1-ubyte"
    labels.write_bytes(labels.read_bytes()[:-7])
    with pytest.raises(mnist.MNISTError, match=r"t10k-labels-idx1-ubyte holds 9993 bytes"):
        mnist.load_mnist(tmp_path / "res", train=False)
    images = raw / "t10k-images-idx3-ubyte"
    images.write_bytes(b"\x00\x00\x08\x01" + images.read_bytes()[4:])  # a labels magic number
    with pytest.raises(mnist.MNISTError, match=r"t10k-images-idx3-ubyte is not an MNIST IDX file"):
        mnist.load_mnist(tmp_path / "res", train=False)
    images.unlink()
    with pytest.raises(mnist.MNISTError, match=r"lacks t10k-images-idx3-ubyte.*prepare_mnist"):
        mnist.load_mnist(tmp_path / "res", train=False)


def test_truncated_file_is_refused(tmp_path, mnist_dir):
    src = tmp_path / "src"
    shutil.copytree(mnist_dir, src)
    victim = src / "t10k-labels-idx1-ubyte.gz"
    victim.write_bytes(victim.read_bytes()[:-100])
    with pytest.raises(mnist.MNISTError, match=r"t10k-labels-idx1-ubyte\.gz.*corrupt or truncated"):
        mnist.prepare_mnist(tmp_path / "res", local_dir=src, download=False)


def test_missing_files_are_named(tmp_path):
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(b"")
    with pytest.raises(mnist.MNISTError, match=r"lacks train-labels-idx1-ubyte\.gz") as err:
        mnist.prepare_mnist(tmp_path / "res", local_dir=tmp_path, download=False)
    assert "local_dir" in str(err.value)  # the message says how to fix it


def test_not_a_folder_and_no_download(tmp_path):
    with pytest.raises(mnist.MNISTError, match="is not a folder"):
        mnist.prepare_mnist(tmp_path / "res", local_dir=tmp_path / "nope")
    with pytest.raises(mnist.MNISTError, match="download is off"):
        mnist.prepare_mnist(tmp_path / "res", download=False)


def test_failed_download_says_how_to_provide_the_files(tmp_path, monkeypatch):
    import torchvision.datasets.utils as tv_utils

    def offline(*args, **kwargs):
        raise OSError("network is unreachable")

    monkeypatch.setattr(tv_utils, "download_url", offline)
    with pytest.raises(mnist.MNISTError, match="could not download") as err:
        mnist.prepare_mnist(tmp_path / "res")
    assert "network is unreachable" in str(err.value) and "local_dir" in str(err.value)
