"""MNIST: fetch (through torchvision) or copy, verify (MD5), unpack, load as tensors (an IDX reader).

Layout is torchvision's: ``<root>/MNIST/raw/<file>.gz`` and the unpacked ``<file>``.  A configured
local folder holding the four original ``.gz`` files is used without network; otherwise torchvision
downloads them.  Either way every file is checked against torchvision's MD5 before use, so a corrupt
or truncated file is refused with a message that says which file and what to do.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

# the four original files, unpacked names (the downloads and a local folder hold them as <name>.gz)
FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)
GZ_FILES = tuple(f"{name}.gz" for name in FILES)

HOW_TO_PROVIDE = (
    f"Either allow network access so torchvision can download MNIST, or download the four original "
    f"files ({', '.join(GZ_FILES)}) into one folder and set `mnist: local_dir: <that folder>` in the config "
    "(or pass --config 'mnist={local_dir: <folder>}')."
)


class MNISTError(RuntimeError):
    """MNIST files are missing, corrupt or cannot be fetched."""


def expected_files() -> dict[str, str]:
    """File name -> MD5, as torchvision checks them."""
    from torchvision.datasets import MNIST

    return dict(MNIST.resources)


def md5sum(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.md5()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def _verify(path: Path, md5: str, origin: str) -> None:
    got = md5sum(path)
    if got != md5:
        raise MNISTError(
            f"{path} ({origin}) is corrupt or truncated: MD5 {got}, expected {md5} "
            f"({path.stat().st_size} bytes). Replace it with the original file. {HOW_TO_PROVIDE}"
        )


def _unpack(gz: Path) -> Path:
    out = gz.with_suffix("")
    tmp = out.with_name(out.name + ".part")
    try:
        with gzip.open(gz, "rb") as src, open(tmp, "wb") as dst:
            shutil.copyfileobj(src, dst)
    except (OSError, EOFError) as err:
        tmp.unlink(missing_ok=True)
        raise MNISTError(f"{gz} cannot be unpacked ({err}). {HOW_TO_PROVIDE}") from err
    tmp.replace(out)
    return out


def prepare_mnist(root: str | Path, local_dir: str | Path | None = None, download: bool = True) -> Path:
    """Make ``<root>/MNIST/raw`` hold the four verified files, unpacked; return that folder."""
    raw = Path(root) / "MNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    files = expected_files()
    if local_dir is not None:
        src_dir = Path(local_dir)
        if not src_dir.is_dir():
            raise MNISTError(f"mnist.local_dir = {src_dir} is not a folder. {HOW_TO_PROVIDE}")
        missing = [name for name in files if not (src_dir / name).is_file()]
        if missing:
            raise MNISTError(f"mnist.local_dir = {src_dir} lacks {', '.join(missing)}. {HOW_TO_PROVIDE}")
        for name, md5 in files.items():  # every file verified before any is copied
            _verify(src_dir / name, md5, "from mnist.local_dir")
        for name in files:
            tmp = raw / (name + ".part")
            shutil.copyfile(src_dir / name, tmp)
            tmp.replace(raw / name)
    else:
        absent = [n for n, md5 in files.items() if not ((raw / n).is_file() and md5sum(raw / n) == md5)]
        if absent:
            if not download:
                raise MNISTError(f"{raw} lacks {', '.join(absent)} and download is off. {HOW_TO_PROVIDE}")
            from torchvision.datasets import MNIST
            from torchvision.datasets.utils import download_url

            for name in absent:
                errors = []
                for mirror in MNIST.mirrors:
                    try:
                        download_url(mirror + name, root=str(raw), filename=name, md5=files[name])
                        break
                    except Exception as err:  # network errors differ by platform
                        errors.append(f"{mirror}: {err}")
                else:
                    raise MNISTError(f"could not download {name} ({'; '.join(errors)}). {HOW_TO_PROVIDE}")
    for name, md5 in files.items():
        _verify(raw / name, md5, "in resources")
        _unpack(raw / name)
    for train in (True, False):  # the IDX headers and sizes
        load_mnist(root, train=train)
    return raw


def _read_idx(path: Path, magic: int, dims: int) -> np.ndarray:
    """An unpacked IDX file of unsigned bytes (``magic``: 2051 images, 2049 labels): big-endian header
    of the magic number and ``dims`` sizes, then the data, which must fill the rest of the file."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise MNISTError(f"{path} cannot be read ({err}). {HOW_TO_PROVIDE}") from err
    head = 4 * (1 + dims)
    if len(raw) < head or int.from_bytes(raw[:4], "big") != magic:
        raise MNISTError(f"{path} is not an MNIST IDX file (magic number {magic} expected). {HOW_TO_PROVIDE}")
    shape = tuple(int.from_bytes(raw[4 * i : 4 * i + 4], "big") for i in range(1, dims + 1))
    if len(raw) - head != int(np.prod(shape)):
        raise MNISTError(
            f"{path} holds {len(raw) - head} bytes of data, its header says {shape}. {HOW_TO_PROVIDE}"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=head).reshape(shape)


def load_mnist(root: str | Path, train: bool = True):
    """Images ``(n, 28, 28)`` uint8 and labels ``(n,)`` int64 as torch tensors (no per-sample work).

    Read from the unpacked files of ``<root>/MNIST/raw`` (:func:`prepare_mnist`) by :func:`_read_idx`:
    the tensors torchvision's ``MNIST`` dataset holds, without importing torchvision (2 s per job)."""
    import torch

    raw = Path(root) / "MNIST" / "raw"
    prefix = "train" if train else "t10k"
    files = [raw / f"{prefix}-{kind}" for kind in ("images-idx3-ubyte", "labels-idx1-ubyte")]
    missing = [f.name for f in files if not f.is_file()]
    if missing:
        raise MNISTError(
            f"MNIST not found under {root}: {raw} lacks {', '.join(missing)} (run the prepare_mnist "
            f"rule, which makes them). {HOW_TO_PROVIDE}"
        )
    images = torch.from_numpy(_read_idx(files[0], 2051, 3).copy())
    labels = torch.from_numpy(_read_idx(files[1], 2049, 1).astype(np.int64))
    expected = 60000 if train else 10000
    if images.shape != (expected, 28, 28) or labels.shape != (expected,):
        raise MNISTError(
            f"MNIST {'train' if train else 'test'} split under {root} has shape "
            f"{tuple(images.shape)}; expected ({expected}, 28, 28). {HOW_TO_PROVIDE}"
        )
    return images, labels


def checksum_table(raw: str | Path) -> pd.DataFrame:
    """``file, bytes, md5`` of the verified ``.gz`` files (for provenance)."""
    raw = Path(raw)
    return pd.DataFrame(
        [{"file": n, "bytes": (raw / n).stat().st_size, "md5": md5sum(raw / n)} for n in expected_files()]
    )


def count_table(root: str | Path) -> pd.DataFrame:
    """``split, digit, count``: images per class in each split."""
    rows = []
    for split, train in (("train", True), ("test", False)):
        _, labels = load_mnist(root, train=train)
        counts = np.bincount(labels.numpy(), minlength=10)
        rows += [{"split": split, "digit": d, "count": int(c)} for d, c in enumerate(counts)]
    return pd.DataFrame(rows)


def sample_table(root: str | Path, per_digit: int) -> pd.DataFrame:
    """The first ``per_digit`` training images of each digit: ``digit, index, p0..p783``."""
    images, labels = load_mnist(root, train=True)
    labels = labels.numpy()
    idx = np.concatenate([np.flatnonzero(labels == d)[:per_digit] for d in range(10)])
    pixels = images.numpy()[idx].reshape(len(idx), -1)
    head = pd.DataFrame({"digit": labels[idx], "index": idx})
    return pd.concat([head, pd.DataFrame(pixels, columns=[f"p{i}" for i in range(784)])], axis=1)
