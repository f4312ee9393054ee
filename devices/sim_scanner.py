"""A serial barcode scanner simulated on a pseudo-terminal, for tests, demos and benches
without hardware.

The application opens the simulator exactly as it opens a real USB-CDC scanner: by a path,
through pyserial. Nothing in the application knows it is talking to a simulator. The path is
a stable symlink (like ``/dev/serial/by-id/...``) to the current ``/dev/pts/N``, so that
``unplug()`` and ``replug()`` behave like pulling the cable and plugging it back: the reader
sees the same error as on a real unplug, the link disappears, and after a replug a new
pseudo-terminal answers at the same path.

``packbench sim scanner`` is ``run_simulated_scanner``.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import sys
import termios
import time
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import TextIO

from app.domain.scans import unescape_gs
from devices.console import typed_lines
from devices.pty_link import PtyLink

_AIM = re.compile(r"\][A-Za-z][0-9A-Za-z]")
_POLL_S = 0.02
_OPEN_SETTLE_S = 0.25
LINGER_S = 0.5
"""How long ``run_simulated_scanner`` stays plugged in after the application read the end."""


class ScannerUnplugged(RuntimeError):
    """A scan was asked of a simulated scanner that is not plugged in."""


class SimulatedScanner:
    """A pseudo-terminal pair behaving as a serial scanner that can be unplugged.

    ``path`` is what the application opens. Scans are written to the master side; the
    simulator keeps no slave descriptor open itself, so it can tell whether the application
    has the port open (``wait_for_reader``) and how much it has not read yet (``drain``).
    With no ``link`` given, the link lives in a new temporary directory removed by ``close``.
    """

    def __init__(self, link: Path | None = None) -> None:
        self._pty = PtyLink(link, prefix="packbench-scanner-")
        self._pty.plug()

    @property
    def path(self) -> str:
        """The stable path to give the application."""
        return self._pty.path

    @property
    def device(self) -> str | None:
        """The pseudo-terminal behind ``path`` now (None while unplugged)."""
        return self._pty.device

    @property
    def plugged(self) -> bool:
        return self._pty.plugged

    def scan(self, text: str, aim: str | None = None, suffix: str = "\r", prefix: str = "") -> None:
        """Send one code as the scanner would: prefix, AIM identifier, code, suffix."""
        if aim is not None and not (len(aim) == 3 and _AIM.match(aim)):
            raise ValueError(f"{aim!r} is not an AIM identifier like ]C1")
        self.write(f"{prefix}{aim or ''}{text}{suffix}".encode())

    def write(self, data: bytes) -> None:
        """Send raw bytes (half a code, garbage, several codes at once)."""
        if self._pty.master is None:
            raise ScannerUnplugged(f"the simulated scanner at {self.path} is unplugged")
        view = memoryview(data)
        while view:
            view = view[os.write(self._pty.master, view) :]

    def wait_for_reader(self, timeout: float | None = None) -> bool:
        """Wait until someone has the port open; False if ``timeout`` passed first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._pty.master is not None:
            poller = select.poll()
            poller.register(self._pty.master, select.POLLHUP)
            # The master reports a hang-up for as long as no slave side is open.
            if not any(events & select.POLLHUP for _, events in poller.poll(0)):
                # pyserial empties the input queue (tcflush) at the end of its open(), a
                # moment after the port appears open here: what is sent before that is lost.
                time.sleep(_OPEN_SETTLE_S)
                return True
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(_POLL_S)
        return False

    def drain(self, timeout: float = 2.0) -> bool:
        """Wait until the reader has read everything sent; False if ``timeout`` passed first.

        Closing a pseudo-terminal throws away what the other side has not read yet, unlike a
        real scanner whose last code is on the wire already, so call this before unplugging
        when the last scan matters.
        """
        if self._pty.device is None:
            return False
        deadline = time.monotonic() + timeout
        probe = os.open(self._pty.device, os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
        try:
            quiet = 0
            # Bytes reach the reader's queue a moment after the write: one empty look is
            # not enough to say it has read everything.
            while quiet < 3:
                if time.monotonic() >= deadline:
                    return False
                quiet = quiet + 1 if _unread(probe) == 0 else 0
                time.sleep(_POLL_S)
            return True
        finally:
            os.close(probe)

    def unplug(self) -> None:
        """Pull the cable: the reader's next read fails and ``path`` disappears."""
        self._pty.unplug()

    def replug(self) -> None:
        """Plug back in: a new pseudo-terminal answers at the same ``path``."""
        self._pty.plug()

    def close(self) -> None:
        self._pty.close()

    def __enter__(self) -> SimulatedScanner:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def run_simulated_scanner(
    *,
    file: Path | None = None,
    interval: float = 0.0,
    aim: str | None = None,
    prefix: str = "",
    suffix: str = "\r",
    link: Path | None = None,
    stdin: TextIO,
    out: TextIO,
    err: TextIO | None = None,
) -> int:
    r"""``packbench sim scanner``: a simulated scanner fed from stdin or a file.

    Prints the path to open on ``out`` first, then sends each non-blank line as a scan: the
    lines of ``file`` (``interval`` seconds apart), or else the lines typed on ``stdin``
    until it ends (Ctrl+D). ``\x1d`` or ``<GS>`` in a line is sent as the GS byte. A line is
    sent only while the application has the port open, so nothing is lost to start-up order:
    lines wait for the application. At the end the scanner stays plugged in until the
    application has read everything (at most 2 s) and half a second more, then the
    pseudo-terminal closes. Ctrl+C stops at once.

    Returns 0, or 2 when the file cannot be read (said on ``err``, stderr by default).
    """
    lines: Iterable[str]
    if file is not None:
        try:
            # Not splitlines(): it also splits at GS, which is data here.
            lines = file.read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError) as error:
            print(f"packbench: cannot read {file}: {error}", file=err or sys.stderr)
            return 2
    else:
        lines = typed_lines(stdin)
    with SimulatedScanner(link) as scanner:
        print(scanner.path, file=out, flush=True)
        sent = 0
        for line in lines:
            code = line.rstrip("\r\n")
            if not code.strip():
                continue
            if sent and file is not None and interval > 0:
                time.sleep(interval)
            scanner.wait_for_reader()
            scanner.scan(unescape_gs(code), aim=aim, suffix=suffix, prefix=prefix)
            sent += 1
        # What the reader took may still sit in its own buffer: a pyserial read waiting
        # for more bytes loses it all if the port vanishes before its timeout.
        if scanner.drain(timeout=2.0):
            time.sleep(LINGER_S)
    return 0


def _unread(fd: int) -> int:
    """Bytes waiting on the slave side of a pseudo-terminal, not yet read by anyone."""
    count: int = struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]
    return count
