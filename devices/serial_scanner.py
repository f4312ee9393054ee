"""Serial scanners (USB-CDC or RS-232): bytes from a port, framed into scans, on a thread.

A scanner in serial mode sends each code exactly (GS, AIM identifier and all) followed by its
suffix, so no focus or keyboard layout gets in the way. What needs care is everything around
the bytes: reads that cut a code in two or carry three codes at once, a scanner unplugged in
the middle of a shift, and the same scanner plugged back a minute later. ``SerialScanner``
reads on a daemon thread, turns bytes into ``Scan`` values in order, and reopens the port by
itself, so the bench never needs a restart for a loose cable.

The port is a pyserial URL (``/dev/serial/by-id/...``, ``/dev/ttyACM0``, ``socket://``,
``rfc2217://``, ``loop://``), which is also how the simulator on a pseudo-terminal is reached.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from enum import StrEnum
from typing import Any

import serial

from app.domain.scans import MAX_SCAN_TEXT, Scan
from devices.serial_ports import RECONNECT_EVERY_S, close_quietly, is_missing, open_failure

log = logging.getLogger(__name__)

READ_TIMEOUT_S = 0.1
"""How long one read waits: the bound on stop() latency and on idle wake-ups."""

SUFFIXES = {"enter": "\r", "tab": "\t", "none": ""}
"""The ``[scanner] suffix`` setting as the bytes a serial scanner sends."""

_AIM = re.compile(r"\][A-Za-z][0-9A-Za-z]")


class ScannerState(StrEnum):
    """Where a serial scanner stands, as the Devices workspace and the status bar show it."""

    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    STOPPED = "stopped"


class ScanFramer:
    """Cut a byte stream into frames at the scanner's suffix.

    Bytes are kept until their suffix arrives, so a code split across reads is joined and
    several codes in one read come out one by one, in order. Carriage return and line feed
    are lenient with each other, because scanners are often set to CR LF when the bench
    expects CR or the other way round: with a CR (or CR LF) suffix a frame ends at CR and a
    line feed right after it is dropped; with an LF suffix a CR before it is dropped. With
    no suffix at all, a frame ends when the line falls silent (``end_of_burst``). Empty frames
    (a scanner sending only its suffix) are dropped.

    No frame grows past ``max_length + 1`` bytes: a scanner that streams without its suffix
    (stuck, or set up wrongly) has the rest of that frame dropped until the suffix comes,
    and the frame it ends is delivered cut, longer than any code, for ``decode`` to refuse.
    """

    def __init__(self, suffix: str, max_length: int = MAX_SCAN_TEXT) -> None:
        raw = suffix.encode("latin-1")
        self._separator = b"\r" if raw == b"\r\n" else raw
        if len(self._separator) > 1:
            raise ValueError(f"a scanner suffix is one character (or CR LF), not {suffix!r}")
        self._limit = max_length + 1
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[bytes]:
        if not self._separator:
            self._gather(data)
            return []
        *ended, rest = data.split(self._separator)
        frames = []
        for part in ended:
            self._gather(part)
            frame = self._trim(bytes(self._buffer))
            self._buffer.clear()
            if frame:
                frames.append(frame)
        self._gather(rest)
        return frames

    def end_of_burst(self) -> list[bytes]:
        """The line went quiet: with no suffix configured, what is buffered is one code."""
        if self._separator or not self._buffer:
            return []
        frame, self._buffer = bytes(self._buffer), bytearray()
        return [frame]

    def clear(self) -> None:
        """Forget a partial code (the scanner went away in the middle of it)."""
        self._buffer.clear()

    def _gather(self, part: bytes) -> None:
        room = self._limit - len(self._buffer)
        if room > 0:
            self._buffer += part[:room]

    def _trim(self, frame: bytes) -> bytes:
        if self._separator == b"\r" and frame.startswith(b"\n"):
            return frame[1:]
        if self._separator == b"\n" and frame.endswith(b"\r"):
            return frame[:-1]
        return frame


def decode_frame(frame: bytes, prefix: str = "") -> tuple[str, str | None]:
    """Text and AIM symbology identifier of one frame, the configured prefix removed.

    Scanners send prefix, then AIM identifier, then the code; GS (0x1D) stays in the text.
    Bytes are UTF-8 when they decode as such (QR codes with accents), else Latin-1, which
    never fails and is what 8-bit symbologies carry.
    """
    try:
        text = frame.decode("utf-8")
    except UnicodeDecodeError:
        text = frame.decode("latin-1")
    if prefix and text.startswith(prefix):
        text = text[len(prefix) :]
    if _AIM.match(text):
        return text[3:], text[:3]
    return text, None


class SerialScanner:
    """Read scans from one serial port on a background thread, reconnecting by itself.

    ``on_scan`` and ``on_state`` are called ON THE READER THREAD, never the caller's: they
    must be quick and thread-safe. The ui layer passes callables that emit Qt signals, so
    the scans reach widgets queued on the GUI thread. A callback that raises is logged and
    the reading goes on.

    ``on_state`` receives the new state and a sentence a person at the bench understands
    ("scanner unplugged (/dev/ttyACM0)"). While disconnected the port is tried again every
    ``reconnect_every_s``; the same reason is not repeated on every try.
    """

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        bytesize: int = serial.EIGHTBITS,
        parity: str = serial.PARITY_NONE,
        stopbits: float = serial.STOPBITS_ONE,
        prefix: str = "",
        suffix: str = "\r",
        source: str | None = None,
        on_scan: Callable[[Scan], None],
        on_state: Callable[[ScannerState, str], None],
        reconnect_every_s: float = RECONNECT_EVERY_S,
        open_port: Callable[..., serial.SerialBase] | None = None,
    ) -> None:
        self.port = port
        self.source = source if source is not None else f"serial:{port}"
        self._settings: dict[str, Any] = {
            "baudrate": baudrate,
            "bytesize": bytesize,
            "parity": parity,
            "stopbits": stopbits,
            "timeout": READ_TIMEOUT_S,
            "exclusive": True,
        }
        self._prefix = prefix
        self._suffix = suffix
        self._on_scan = on_scan
        self._on_state = on_state
        self._reconnect_every_s = reconnect_every_s
        self._open_port: Callable[..., serial.SerialBase] = open_port or serial.serial_for_url
        self._state = ScannerState.STOPPED
        self._reason = ""
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def state(self) -> ScannerState:
        return self._state

    @property
    def reason(self) -> str:
        """The sentence that came with the last state change."""
        return self._reason

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError(f"scanner on {self.port} already started")
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name=f"scanner {self.port}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 1.0) -> None:
        """Stop reading, close the port and wait for the thread (at most ``timeout``)."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stopping.set()
        thread.join(timeout)
        if thread.is_alive():
            log.warning("scanner thread on %s did not stop within %.1f s", self.port, timeout)

    def __enter__(self) -> SerialScanner:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run(self) -> None:
        self._report(ScannerState.CONNECTING, f"opening {self.port}")
        try:
            while not self._stopping.is_set():
                handle = self._connect()
                if handle is None:
                    self._stopping.wait(self._reconnect_every_s)
                    continue
                try:
                    lost = self._read_until_lost(handle)
                finally:
                    # At once, before saying so: an open handle can keep the device node
                    # busy and make the replugged scanner come back under a new name.
                    close_quietly(handle)
                if lost:
                    self._report(ScannerState.DISCONNECTED, f"scanner unplugged ({self.port})")
        finally:
            self._report(ScannerState.STOPPED, "stopped")

    def _connect(self) -> serial.SerialBase | None:
        try:
            handle = self._open_port(self.port, **self._settings)
        except (serial.SerialException, OSError, ValueError) as error:
            reason = open_failure(self.port, error, "plug it in or fix [scanner] port")
            # After an unplug the port is missing until it comes back: that is not news.
            if not (self._reason.startswith("scanner unplugged") and is_missing(error)):
                self._report(ScannerState.DISCONNECTED, reason)
            return None
        self._report(ScannerState.CONNECTED, f"connected ({self.port})")
        return handle

    def _read_until_lost(self, handle: serial.SerialBase) -> bool:
        """Deliver scans until the port fails (True) or the scanner is stopped (False)."""
        framer = ScanFramer(self._suffix)
        while not self._stopping.is_set():
            try:
                data: bytes = handle.read(max(1, handle.in_waiting))
            except (serial.SerialException, OSError) as error:
                log.info("scanner on %s lost: %s", self.port, error)
                return True
            arrived = time.monotonic()
            frames = framer.feed(data) if data else framer.end_of_burst()
            for frame in frames:
                text, symbology = decode_frame(frame, self._prefix)
                self._deliver(Scan(text, symbology, source=self.source, at=arrived))
        return False

    def _deliver(self, scan: Scan) -> None:
        try:
            self._on_scan(scan)
        except Exception:
            log.exception("on_scan failed for a scan from %s", self.port)

    def _report(self, state: ScannerState, reason: str) -> None:
        if (state, reason) == (self._state, self._reason):
            return
        self._state, self._reason = state, reason
        try:
            self._on_state(state, reason)
        except Exception:
            log.exception("on_state failed for %s", self.port)
