"""Config checks of the data stage: a configured MNIST folder must hold the four original files (their
MD5s are checked by the job, which verifies all four before copying any)."""

from __future__ import annotations

from pathlib import Path

from conceptdyn.data.mnist import GZ_FILES


def check(cfg) -> list[str]:
    local_dir = cfg["mnist"]["local_dir"]
    if local_dir is None:
        return []
    folder = Path(local_dir)
    if not folder.is_dir():
        return [
            f"mnist.local_dir = {local_dir} is not a folder: point it at the folder holding "
            f"{', '.join(GZ_FILES)} (or set it to null to download)"
        ]
    missing = [name for name in GZ_FILES if not (folder / name).is_file()]
    return [f"mnist.local_dir = {local_dir} lacks {', '.join(missing)}"] if missing else []
