"""A pseudo-terminal behind a stable symlink, which a simulated device plugs and unplugs.

Real serial devices are best reached by a name that survives replugging
(``/dev/serial/by-id/...``), while the pseudo-terminal behind it changes every time. A
``PtyLink`` gives a simulator the same shape: ``path`` is a symlink that always names the
current ``/dev/pts/N``; ``unplug()`` closes the master side, so the application's next read
fails exactly as on a pulled cable, and removes the link; ``plug()`` makes a new
pseudo-terminal and points the link at it.

The link keeps no slave descriptor open itself, so only the application holds the port open.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import tty
from pathlib import Path


class PtyLink:
    """A stable path to the pseudo-terminal a simulator currently answers on.

    With no ``link`` given, the link lives in a new temporary directory (named after
    ``prefix``) that ``close`` removes. A given ``link`` may replace an old symlink, never a
    real file. Not thread-safe: the simulator owning it serialises plug, unplug and its own
    use of ``master``.
    """

    def __init__(self, link: Path | None = None, *, prefix: str = "packbench-device-") -> None:
        self._own_dir: Path | None = None
        if link is None:
            self._own_dir = Path(tempfile.mkdtemp(prefix=prefix))
            link = self._own_dir / "ttyPB0"
        elif link.exists() and not link.is_symlink():
            raise FileExistsError(f"{link} exists and is not a link: choose another path")
        self._link = link
        self._master: int | None = None
        self._device: str | None = None

    @property
    def path(self) -> str:
        """The stable path to give the application."""
        return str(self._link)

    @property
    def device(self) -> str | None:
        """The pseudo-terminal behind ``path`` now (None while unplugged)."""
        return self._device

    @property
    def master(self) -> int | None:
        """The simulator's side of the pseudo-terminal (None while unplugged)."""
        return self._master

    @property
    def plugged(self) -> bool:
        return self._master is not None

    def plug(self) -> int:
        """Open a new pseudo-terminal, point ``path`` at it and return its master side."""
        self.unplug()
        master, slave = os.openpty()
        try:
            # Raw, so CR stays CR and nothing is echoed back, before anyone opens the port.
            tty.setraw(master)
            device = os.ttyname(slave)
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        # Replaced in one step, so the path never names a missing or half-made device.
        staged = self._link.with_name(f".{self._link.name}.new")
        staged.unlink(missing_ok=True)
        staged.symlink_to(device)
        staged.replace(self._link)
        self._master, self._device = master, device
        return master

    def unplug(self) -> None:
        """Pull the cable: the reader's next read fails and ``path`` disappears."""
        if self._master is None:
            return
        master, self._master, self._device = self._master, None, None
        # The path goes first: a reader that reopens at once on its error finds nothing
        # there, as after a real unplug, rather than the dead pseudo-terminal.
        self._link.unlink(missing_ok=True)
        os.close(master)

    def close(self) -> None:
        """Unplug and remove the temporary directory, if this link made one."""
        self.unplug()
        if self._own_dir is not None:
            shutil.rmtree(self._own_dir, ignore_errors=True)
            self._own_dir = None
