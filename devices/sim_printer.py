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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TextIO

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


@dataclass(frozen=True)
class ReceivedLabel:
    """One label as it arrived: its number (1, 2, ...), its bytes, and whether it waits."""

    number: int
    data: bytes
    held: bool
    reason: str | None = None

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
        self._started = False
        self._received = 0
        self._printed: list[bytes] = []
        self._held: list[tuple[int, bytes]] = []
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
            self._release_held()

    @property
    def head_open(self) -> bool:
        return self._head_open

    @head_open.setter
    def head_open(self, value: bool) -> None:
        with self._changed:
            self._head_open = value
            self._release_held()

    @property
    def paused(self) -> bool:
        return self._paused

    @paused.setter
    def paused(self, value: bool) -> None:
        with self._changed:
            self._paused = value
            self._release_held()

    @property
    def ribbon_out(self) -> bool:
        return self._ribbon_out

    @ribbon_out.setter
    def ribbon_out(self, value: bool) -> None:
        with self._changed:
            self._ribbon_out = value
            self._release_held()

    def ready(self) -> int:
        """Clear every fault and come back online; how many held labels were printed."""
        with self._changed:
            before = len(self._printed)
            self._paper_out = self._head_open = self._paused = self._ribbon_out = False
            self._release_held()
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
        parts = [
            "offline" if self._offline else f"online on {self.address}",
            ", ".join(faults) if faults else "ready",
            f"{len(self._printed)} printed, {len(self._held)} held",
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
        """Labels received but waiting for a fault to clear, in order (a copy)."""
        with self._changed:
            return [data for _, data in self._held]

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
                self._take(connection, buffer)
                return
            except OSError:
                log.info("a client of the simulated printer went away mid-reply")
        if buffer.strip():
            log.info("simulated printer: connection closed inside a label, %d bytes", len(buffer))
        selector.unregister(connection)
        connection.close()

    def _take(self, connection: socket.socket, buffer: bytearray) -> None:
        """Answer status queries at once, then cut complete labels off the buffer."""
        while (at := buffer.find(HOST_STATUS_QUERY)) >= 0:
            del buffer[at : at + len(HOST_STATUS_QUERY)]
            reply = self._status_reply()
            if reply:
                connection.sendall(reply)
        while (end := buffer.find(LABEL_END)) >= 0:
            chunk = bytes(buffer[: end + len(LABEL_END)])
            del buffer[: end + len(LABEL_END)]
            start = chunk.find(LABEL_START)
            if start < 0:
                log.info("simulated printer: ^XZ without ^XA, %d bytes dropped", len(chunk))
                continue
            self._receive(chunk[start:])

    def _status_reply(self) -> bytes | None:
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
            )

    def _receive(self, data: bytes) -> None:
        with self._changed:
            self._received += 1
            number = self._received
            reason = self.fault
            held = reason is not None or bool(self._held)
            if held:
                self._held.append((number, data))
                self._changed.notify_all()
            else:
                self._print(number, data)
        if self._on_label is not None:
            try:
                self._on_label(ReceivedLabel(number, data, held, reason))
            except Exception:
                log.exception("on_label failed for label %d", number)

    def _release_held(self) -> None:
        """Print what was held, in order, once nothing stops printing. Holds the lock."""
        if self.fault is not None:
            return
        held, self._held = self._held, []
        for number, data in held:
            self._print(number, data)

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
    "silent": "toggle keeping quiet about ~HS while faulted, as Zebra printers may",
    "ready": "clear every fault and come back online",
    "status": "show the state",
    "quit": "stop the simulator",
}


def run_simulated_printer(port: int, directory: Path | None, stdin: TextIO, stdout: TextIO) -> int:
    """``packbench sim printer``: a simulated ZPL printer driven by commands typed on stdin.

    Says where it listens and how to point the station at it, then one line per label
    received. Commands (one per line): paper-out, head-open, pause, ribbon-out, offline,
    silent, ready, status, quit. Ends at quit, end of input (Ctrl+D) or Ctrl+C. Labels are
    kept in ``directory``, or a new temporary directory that is left in place.

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
        if label.held:
            line += f", held: {label.reason}"
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
            for line in stdin:
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
