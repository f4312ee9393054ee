"""A real full disk for tests: a tiny tmpfs, mounted where the test wants one.

Mounting needs root (or a user namespace a test process cannot enter halfway); elsewhere the
test that asks is skipped with one line saying why. ``fill`` takes every free byte, ``free``
gives them back.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def tiny_disk(path: Path, size_kb: int = 8192) -> Iterator[Path]:
    """A tmpfs of ``size_kb`` at ``path`` for the duration; skips the test where none can be."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a full disk is simulated with a tmpfs mount, which needs root here")
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0755", "tmpfs", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"no tmpfs could be mounted for a full disk: {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(disk: Path) -> Path:
    """Take every free byte of ``disk``; the file holding them, to ``free`` later."""
    filler = disk / "filler.bin"
    with filler.open("wb", buffering=0) as out:
        for size in (1 << 20, 1 << 12, 1):
            try:
                while out.write(b"\0" * size) == size:
                    pass
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
    return filler


def free(filler: Path) -> None:
    filler.unlink()
