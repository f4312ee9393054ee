"""A ZPL label printer simulated on 127.0.0.1, for tests, demos and benches without hardware.

The application reaches it exactly as it reaches a networked Zebra printer: raw TCP, as
``[printer] transport = "tcp"``. Nothing in the application knows it is talking to a
simulator. What it simulates is what the bench has to cope with:

* ``~HS`` anywhere in the stream is answered at once (tilde commands jump the queue on a
  real printer too) with the current flags: paper out, head open, paused, ribbon out.
* While out of paper, with the head open, out of ribbon or paused, labels are held in the
  buffer and come out, each exactly once and in order, when the fault is cleared.
* ``silent_when_faulted`` makes it keep quiet about ``~HS`` while out of paper or ribbon or
  with the head open, as Zebra documents its printers may; only a pause is still answered.
* ``offline`` closes the port, so connecting is refused; back online it listens on the SAME
  port, as a printer switched off and on again keeps its address.
* ``drop`` closes the connection the moment a whole label has arrived: ``"lose"`` loses the
  label too (a printer that restarts), ``"print"`` prints it first (a network that fails
  after the printer got the bytes). The sender sees the same thing both times.
* ``print_seconds`` is how long a label takes to come out. Until it has, ``~HS`` counts it,
  as a Zebra printer does: "formats in receive buffer" for labels waiting their turn or held
  by a fault, "labels remaining in batch" for the one being printed, and the "partial
  format" flag while a label is half received. Bytes are taken in the order they arrive, so
  a ``~HS`` sent after a label is answered once the label is counted.

Each printed label is kept as bytes in ``printed`` and as ``label-0001.zpl`` ... in
``directory``. There is no picture of the label: no offline ZPL renderer could be found on
PyPI or in Debian (the Python ZPL packages preview through the online Labelary service), so
labels are checked structurally, by their bytes, instead.

``packbench sim printer`` is ``run_simulated_printer``.
"""

from __future__ import annotations

import logging
import re
import selectors
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TextIO

from devices.console import typed_lines
from devices.label_printer import HOST_STATUS_QUERY, PrinterStatus, host_status_reply

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
LABEL_START = b"^XA"
LABEL_END = b"^XZ"
_POLL_S = 0.05
_SSCC = (
    re.compile(rb">;>800(\d{18})"),  # ^BC with FNC1 spelled out: subset C, >8, AI 00
    re.compile(rb"\^FD\(00\)\s*(\d{18})"),  # ^BC in UCC/EAN mode with the AI in brackets
)


DROPS = ("lose", "print")


@dataclass(frozen=True)
class ReceivedLabel:
    """One label as it arrived: its number (1, 2, ...), its bytes, whether it waits, and
    whether the printer lost it (``drop = "lose"``)."""

    number: int
    data: bytes
    held: bool
    reason: str | None = None
    lost: bool = False

    @property
    def sscc(self) -> str | None:
        """The SSCC of a GS1-128 barcode in the label, if it has one."""
        return find_sscc(self.data)


def find_sscc(label: bytes) -> str | None:
    """The 18-digit SSCC that a ZPL label encodes as GS1-128, or None."""
    for pattern in _SSCC:
        match = pattern.search(label)
        if match:
            return match[1].decode("ascii")
    return None


class SimulatedPrinter:
    """A ZPL printer on ``127.0.0.1:port`` whose faults can be switched on and off.

    ``port`` 0 picks a free port on ``start()``; ``port`` and ``address`` say which. One
    daemon thread serves every connection. ``on_label`` is called ON THAT THREAD for each
    label received (held or printed at once); it must be quick, and if it raises, the error
    is logged and the printer carries on. Without ``directory``, labels go to a temporary
    directory that ``close()`` removes.
    """

    def __init__(
        self,
        port: int = 0,
        directory: Path | None = None,
        *,
        silent_when_faulted: bool = False,
        print_seconds: float = 0.0,
        on_label: Callable[[ReceivedLabel], None] | None = None,
    ) -> None:
        self._own_dir: Path | None = None
        if directory is None:
            directory = self._own_dir = Path(tempfile.mkdtemp(prefix="packbench-printer-"))
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.silent_when_faulted = silent_when_faulted
        self._on_label = on_label
        self._port = port
        self._changed = threading.Condition()
        self._paper_out = False
        self._head_open = False
        self._paused = False
        self._ribbon_out = False
        self._offline = False
        self._drop: str | None = None
        self.print_seconds = print_seconds
        self._started = False
        self._received = 0
        self._arrived: list[bytes] = []
        self._lost: list[bytes] = []
        self._printed: list[bytes] = []
        self._held: list[tuple[int, bytes]] = []  # received, not started: faults, or its turn
        self._printing: tuple[int, bytes, float] | None = None  # (number, data, done at)
        self._serving: tuple[threading.Thread, threading.Event] | None = None

    # Where it listens

    @property
    def port(self) -> int:
        """The port it listens on (0 until the first ``start()`` when a free one is picked)."""
        return self._port

    @property
    def address(self) -> str:
        """``127.0.0.1:PORT``, as ``[printer] address`` wants it."""
        return f"{HOST}:{self._port}"

    def start(self) -> None:
        """Listen (unless ``offline``); raises ``OSError`` when the port is taken."""
        if self._started:
            return
        self._started = True
        if not self._offline:
            try:
                self._listen()
            except BaseException:
                self._started = False
                raise

    def stop(self) -> None:
        """Stop listening and drop every connection; ``start()`` listens again."""
        self._started = False
        self._hang_up()

    def close(self) -> None:
        """Stop, and remove the label directory if the simulator made it."""
        self.stop()
        if self._own_dir is not None:
            shutil.rmtree(self._own_dir, ignore_errors=True)
            self._own_dir = None

    def __enter__(self) -> SimulatedPrinter:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # State

    @property
    def offline(self) -> bool:
        return self._offline

    @offline.setter
    def offline(self, value: bool) -> None:
        """Offline, connections are refused; back online it listens on the same port again."""
        if value == self._offline:
            return
        self._offline = value
        if not self._started:
            return
        if value:
            self._hang_up()
            return
        try:
            self._listen()
        except BaseException:
            self._offline = True
            raise

    @property
    def paper_out(self) -> bool:
        return self._paper_out

    @paper_out.setter
    def paper_out(self, value: bool) -> None:
        with self._changed:
            self._paper_out = value
            self._advance()

    @property
    def head_open(self) -> bool:
        return self._head_open

    @head_open.setter
    def head_open(self, value: bool) -> None:
        with self._changed:
            self._head_open = value
            self._advance()

    @property
    def paused(self) -> bool:
        return self._paused

    @paused.setter
    def paused(self, value: bool) -> None:
        with self._changed:
            self._paused = value
            self._advance()

    @property
    def ribbon_out(self) -> bool:
        return self._ribbon_out

    @ribbon_out.setter
    def ribbon_out(self, value: bool) -> None:
        with self._changed:
            self._ribbon_out = value
            self._advance()

    @property
    def drop(self) -> str | None:
        """None, or how a connection is dropped once a label arrives: "lose" or "print"."""
        return self._drop

    @drop.setter
    def drop(self, value: str | None) -> None:
        if value is not None and value not in DROPS:
            raise ValueError(f"drop must be None or one of {DROPS}, not {value!r}")
        self._drop = value

    def ready(self) -> int:
        """Clear every fault, stop dropping, come back online; how many held labels printed."""
        with self._changed:
            before = len(self._printed)
            self._paper_out = self._head_open = self._paused = self._ribbon_out = False
            self._drop = None
            self._advance()
            printed = len(self._printed) - before
        self.offline = False
        return printed

    @property
    def fault(self) -> str | None:
        """Why labels are held now, in a few words; None when it prints."""
        if self._paper_out:
            return "out of labels"
        if self._head_open:
            return "head open"
        if self._ribbon_out:
            return "ribbon out"
        if self._paused:
            return "paused"
        return None

    def status(self) -> PrinterStatus:
        """What it answers to ``~HS`` now (whether or not it would keep silent)."""
        with self._changed:
            return PrinterStatus(
                answered=True,
                paper_out=self._paper_out,
                paused=self._paused,
                head_open=self._head_open,
                ribbon_out=self._ribbon_out,
                formats_in_buffer=len(self._held),
                labels_remaining=int(self._printing is not None),
            )

    def status_line(self) -> str:
        """The state in one line, for people."""
        faults = [
            name
            for name, on in (
                ("paper out", self._paper_out),
                ("head open", self._head_open),
                ("ribbon out", self._ribbon_out),
                ("paused", self._paused),
            )
            if on
        ]
        if self._drop is not None:
            faults.append(f"dropping connections ({self._drop})")
        parts = [
            "offline" if self._offline else f"online on {self.address}",
            ", ".join(faults) if faults else "ready",
            f"{len(self._printed)} printed, {len(self._held)} held, {len(self._lost)} lost",
            f"silent when faulted: {'yes' if self.silent_when_faulted else 'no'}",
        ]
        return "; ".join(parts)

    # What came in

    @property
    def printed(self) -> list[bytes]:
        """Every label printed so far, in order (a copy)."""
        with self._changed:
            return list(self._printed)

    @property
    def held(self) -> list[bytes]:
        """Labels received but not printed yet (a fault, or their turn), in order (a copy)."""
        with self._changed:
            return [data for _, data in self._held]

    @property
    def received(self) -> list[bytes]:
        """Every whole label that arrived, printed, held or lost, in order (a copy)."""
        with self._changed:
            return list(self._arrived)

    @property
    def lost(self) -> list[bytes]:
        """Labels that arrived and were lost by a ``drop = "lose"`` (a copy)."""
        with self._changed:
            return list(self._lost)

    def wait_for_labels(self, count: int, timeout: float = 5.0) -> bool:
        """Wait until at least ``count`` labels are printed; False if ``timeout`` passed."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self._printed) >= count, timeout)

    def wait_for_held(self, count: int, timeout: float = 5.0) -> bool:
        """Wait until at least ``count`` labels are held; False if ``timeout`` passed."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self._held) >= count, timeout)

    # Inside

    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            # Back online on the same port while old connections linger in TIME_WAIT.
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((HOST, self._port))
            listener.listen(16)
        except BaseException:
            listener.close()
            raise
        self._port = listener.getsockname()[1]
        stopping = threading.Event()
        thread = threading.Thread(
            target=self._serve,
            args=(listener, stopping),
            name=f"simulated printer {self._port}",
            daemon=True,
        )
        self._serving = (thread, stopping)
        thread.start()

    def _hang_up(self) -> None:
        """Close the port and every connection, and wait until they are closed."""
        serving, self._serving = self._serving, None
        if serving is None:
            return
        thread, stopping = serving
        stopping.set()
        thread.join(5.0)
        if thread.is_alive():
            log.warning("simulated printer thread on port %d did not stop", self._port)

    def _serve(self, listener: socket.socket, stopping: threading.Event) -> None:
        selector = selectors.DefaultSelector()
        selector.register(listener, selectors.EVENT_READ, None)
        try:
            while not stopping.is_set():
                for key, _ in selector.select(timeout=_POLL_S):
                    if key.data is None:
                        self._accept(listener, selector)
                    else:
                        self._read(key.fileobj, key.data, selector)  # type: ignore[arg-type]
                if self._printing is not None:
                    with self._changed:
                        self._advance()
        except Exception:
            log.exception("simulated printer on port %d failed", self._port)
        finally:
            # Closing the listener here, on the serving thread, before join() returns, is
            # what makes the next connect be refused the moment ``offline`` is set.
            for key in list(selector.get_map().values()):
                key.fileobj.close()  # type: ignore[union-attr]
            selector.close()

    def _accept(self, listener: socket.socket, selector: selectors.BaseSelector) -> None:
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        selector.register(connection, selectors.EVENT_READ, bytearray())

    def _read(
        self, connection: socket.socket, buffer: bytearray, selector: selectors.BaseSelector
    ) -> None:
        try:
            chunk = connection.recv(65536)
        except OSError:
            chunk = b""
        if chunk:
            buffer += chunk
            try:
                if self._take(connection, buffer):
                    return
                buffer.clear()  # dropped: whatever followed the label is gone with it
            except OSError:
                log.info("a client of the simulated printer went away mid-reply")
        if buffer.strip():
            log.info("simulated printer: connection closed inside a label, %d bytes", len(buffer))
        selector.unregister(connection)
        connection.close()

    def _take(self, connection: socket.socket, buffer: bytearray) -> bool:
        """Answer status queries and cut whole labels off the buffer, in the order they came.

        False when the connection is to be dropped (``drop``) after a label.
        """
        while True:
            query, end = buffer.find(HOST_STATUS_QUERY), buffer.find(LABEL_END)
            if query >= 0 and (end < 0 or query < end):
                partial = buffer.find(LABEL_START, 0, query) >= 0
                del buffer[query : query + len(HOST_STATUS_QUERY)]
                reply = self._status_reply(partial)
                if reply:
                    connection.sendall(reply)
                continue
            if end < 0:
                return True
            chunk = bytes(buffer[: end + len(LABEL_END)])
            del buffer[: end + len(LABEL_END)]
            start = chunk.find(LABEL_START)
            if start < 0:
                log.info("simulated printer: ^XZ without ^XA, %d bytes dropped", len(chunk))
                continue
            if not self._receive(chunk[start:]):
                log.info("simulated printer: connection dropped after a label, as told")
                return False

    def _status_reply(self, partial_format: bool = False) -> bytes | None:
        with self._changed:
            if self.silent_when_faulted and (
                self._paper_out or self._head_open or self._ribbon_out
            ):
                return None
            return host_status_reply(
                paper_out=self._paper_out,
                paused=self._paused,
                head_open=self._head_open,
                ribbon_out=self._ribbon_out,
                formats_in_buffer=len(self._held),
                labels_remaining=int(self._printing is not None),
                partial_format=partial_format,
            )

    def _receive(self, data: bytes) -> bool:
        """Take one whole label; False when the connection is to be dropped now."""
        with self._changed:
            self._received += 1
            number = self._received
            drop = self._drop
            self._arrived.append(data)
            lost = drop == "lose"
            if lost:
                self._lost.append(data)
                self._changed.notify_all()
            else:
                self._held.append((number, data))
                self._advance()
            reason = self.fault
            held = any(n == number for n, _ in self._held)
        if self._on_label is not None:
            try:
                self._on_label(ReceivedLabel(number, data, held, reason, lost))
            except Exception:
                log.exception("on_label failed for label %d", number)
        return drop is None

    def _advance(self) -> None:
        """Print what is due, in order, while nothing stops printing. Holds the lock."""
        now = time.monotonic()
        while True:
            if self._printing is not None:
                number, data, done_at = self._printing
                if now < done_at:
                    return
                self._printing = None
                self._print(number, data)
            if self.fault is not None or not self._held:
                self._changed.notify_all()
                return
            number, data = self._held.pop(0)
            if self.print_seconds <= 0:
                self._print(number, data)
            else:
                self._printing = (number, data, now + self.print_seconds)

    def _print(self, number: int, data: bytes) -> None:
        """Holds the lock."""
        (self.directory / f"label-{number:04d}.zpl").write_bytes(data)
        self._printed.append(data)
        self._changed.notify_all()


COMMANDS = {
    "paper-out": "out of labels: labels are held until you type ready",
    "head-open": "head open: labels are held until you type ready",
    "pause": "paused: labels are held until you type ready",
    "ribbon-out": "ribbon out: labels are held until you type ready",
    "offline": "offline: connections are refused until you type ready",
    "drop": "each label that arrives is lost and its connection dropped, until you type ready",
    "drop-printed": "each label that arrives is printed, then its connection dropped, "
    "until you type ready",
    "silent": "toggle keeping quiet about ~HS while faulted, as Zebra printers may",
    "ready": "clear every fault and come back online",
    "status": "show the state",
    "quit": "stop the simulator",
}


def run_simulated_printer(port: int, directory: Path | None, stdin: TextIO, stdout: TextIO) -> int:
    """``packbench sim printer``: a simulated ZPL printer driven by commands typed on stdin.

    Says where it listens and how to point the station at it, then one line per label
    received. Commands (one per line): paper-out, head-open, pause, ribbon-out, offline,
    drop, drop-printed, silent, ready, status, quit. Ends at quit, end of input (Ctrl+D) or
    Ctrl+C. Labels are kept in ``directory``, or a new temporary directory that is left in
    place.

    Returns 0, or 2 when the port cannot be listened on.
    """
    if directory is None:
        directory = Path(tempfile.mkdtemp(prefix="packbench-labels-"))
    lock = threading.Lock()

    def say(line: str) -> None:
        with lock:
            print(line, file=stdout, flush=True)

    def on_label(label: ReceivedLabel) -> None:
        line = f"label {label.number} received: {_group(len(label.data))} bytes"
        if label.sscc:
            line += f", SSCC {label.sscc}"
        if label.lost:
            line += ", lost: the connection was dropped"
        elif label.held:
            line += f", held: {label.reason}" if label.reason else ", queued"
        say(line)

    printer = SimulatedPrinter(port, directory, on_label=on_label)
    try:
        printer.start()
    except OSError as error:
        say(
            f"packbench: cannot listen on {HOST}:{port} ({error.strerror or error}): "
            "is another simulator running? Choose another port"
        )
        return 2
    try:
        with printer:
            say(f"ZPL printer simulator on {printer.address}, labels kept in {directory}")
            say(f'Station config.toml: [printer] transport = "tcp", address = "{printer.address}"')
            say(f"Commands: {', '.join(COMMANDS)}")
            for line in typed_lines(stdin):
                command = line.strip().lower()
                if not command:
                    continue
                if command in ("quit", "exit"):
                    break
                say(_obey(printer, command))
    except KeyboardInterrupt:
        pass
    return 0


def _obey(printer: SimulatedPrinter, command: str) -> str:
    if command == "paper-out":
        printer.paper_out = True
    elif command == "head-open":
        printer.head_open = True
    elif command == "pause":
        printer.paused = True
    elif command == "ribbon-out":
        printer.ribbon_out = True
    elif command == "offline":
        printer.offline = True
    elif command == "drop":
        printer.drop = "lose"
    elif command == "drop-printed":
        printer.drop = "print"
    elif command == "silent":
        printer.silent_when_faulted = not printer.silent_when_faulted
        return f"silent when faulted: {'yes' if printer.silent_when_faulted else 'no'}"
    elif command == "ready":
        try:
            released = printer.ready()
        except OSError as error:
            return f"cannot listen on {printer.address} again: {error.strerror or error}"
        return "ready" + (f", {released} held label(s) printed" if released else "")
    elif command == "status":
        return printer.status_line()
    else:
        return f"unknown command {command!r}; commands: {', '.join(COMMANDS)}"
    return COMMANDS[command]


def _group(number: int) -> str:
    """1234 as "1 234": digits grouped in threes, as the bench reads them."""
    return f"{number:,}".replace(",", " ")
