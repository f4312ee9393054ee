"""Label printers speaking ZPL: getting the bytes there, and asking whether they can print.

A label is a few kilobytes of ZPL; the hard part is not the bytes but knowing, before the
parcel leaves the bench, whether a label came out. Zebra printers (and the many that emulate
ZPL) answer ``~HS`` with three short status strings, so a two-way link can tell the packer
"out of labels" instead of leaving them waiting at a silent printer. Two things make this
less simple than it sounds:

* A Zebra printer may not answer ``~HS`` at all while it is out of media or ribbon, has its
  head open or is too hot. A status query that times out therefore means "not ready, go and
  look", never "offline": only a refused or failed connection means the printer is not there.
* Some links are one-way. A CUPS queue spools and never reports back, and a USB printer may or
  may not answer on ``/dev/usb/lpN``. A one-way link is not a problem to show the packer; its
  status says so with ``two_way=False``.

The links here open a connection (or port, or device file) per operation and close it again:
printers are switched off, unplugged and moved between networks during a shift, and a fresh
connection for each label needs no reconnect logic to get wrong. Every method blocks for at
most its timeout, so callers run them on a worker thread, never on the GUI thread.

Sending is not printing. Bytes a socket took may never reach the printer, and a printer
that restarts loses what it had received. So ``deliver`` asks ``~HS`` again after the label,
on the same connection, and keeps asking until the label has left the printer's buffer:
the reply can only come once the printer has read past the label (bytes arrive in order),
and "formats in receive buffer" and "labels remaining in batch" both at zero, with nothing
wrong, means it has printed. When that chain breaks (the connection drops after the bytes,
the printer keeps silent, it stops with the label inside) the label is *unsure*: it may or
may not have come out, and a person has to look. Nothing here ever sends a label twice.

Failures come out as ``PrinterUnreachable`` whose ``message`` says what to do, in words for
the person at the bench.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import select
import socket
import stat
import subprocess
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

import serial

log = logging.getLogger(__name__)

STX = b"\x02"
ETX = b"\x03"
HOST_STATUS_QUERY = b"~HS"
DEFAULT_TCP_PORT = 9100
CONFIG_HINT = "Check [printer] address in config.toml"

CONFIRM_TIMEOUT_S = 15.0
"""How long ``deliver`` waits for a label to leave the printer's buffer (a 6 in label prints
in 1 to 3 s; labels of other senders may be in front of it)."""
_CONFIRM_POLL_S = 0.1
_ASK_TIMEOUT_S = 2.0

_FRAME = re.compile(rb"\x02([^\x02\x03]*)\x03")
_STRING1_FIELDS = 12
_STRING2_FIELDS = 8  # up to t (label waiting); later fields are read when present


@dataclass(frozen=True)
class PrinterStatus:
    """What a printer said about itself in answer to ``~HS``, or that it said nothing.

    ``answered`` is False when no reply came within the timeout, and always on a one-way link
    (``two_way`` False), where nothing can be known and nothing should be shown as wrong.
    ``labels_waiting`` is the ``~HS`` "label waiting" flag: in peel-off mode a printed label
    waits to be taken before the next one prints. ``formats_in_buffer`` counts labels received
    but not printed yet; ``labels_remaining`` is what is left of a batch (``^PQ``) being
    printed; ``partial_format`` says a label is half received.
    """

    answered: bool
    two_way: bool = True
    paper_out: bool = False
    paused: bool = False
    head_open: bool = False
    ribbon_out: bool = False
    buffer_full: bool = False
    over_temperature: bool = False
    under_temperature: bool = False
    labels_waiting: bool = False
    formats_in_buffer: int = 0
    labels_remaining: int = 0
    partial_format: bool = False

    @property
    def emptied(self) -> bool:
        """Nothing is waiting in the printer: no format in its buffer, none half received,
        no label of a batch left to print."""
        return (
            self.answered
            and not self.formats_in_buffer
            and not self.labels_remaining
            and not self.partial_format
        )

    @property
    def known(self) -> bool:
        """The printer told us its state (False on a one-way link or when it kept silent)."""
        return self.answered

    @property
    def ready(self) -> bool:
        """The printer answered and nothing stops it from printing.

        A cold head (``under_temperature``) is not blocking: the printer prints, if faintly,
        and warms up as it goes.
        """
        return self.answered and not (
            self.paper_out
            or self.paused
            or self.head_open
            or self.ribbon_out
            or self.buffer_full
            or self.over_temperature
        )

    @property
    def problem(self) -> str | None:
        """The one thing to tell the packer, most important first; None when nothing is wrong.

        On a one-way link this is None: nothing is known, and nothing is known to be wrong.
        """
        if not self.two_way:
            return None
        if not self.answered:
            # Zebra printers keep silent when out of labels or with the head open, so this
            # is "go and look", not "offline".
            return (
                "Printer not ready, it does not answer: check it is on, has labels, "
                "the head is closed and its light is green"
            )
        if self.paper_out:
            return "Printer out of labels: load labels and close the head"
        if self.head_open:
            return "Printer head open: close it"
        if self.ribbon_out:
            return "Ribbon out: load a ribbon"
        if self.paused:
            return "Printer paused: press the pause button"
        if self.over_temperature:
            return "Printer head too hot: let it cool down for a few minutes"
        if self.buffer_full:
            return "Printer busy, its memory is full: wait a moment and print again"
        if self.under_temperature:
            return "Printer head cold: labels may print faint until it warms up"
        return None


def parse_host_status(reply: bytes) -> PrinterStatus:
    """Read a ZPL ``~HS`` reply: three ``<STX>fields<ETX><CR><LF>`` strings.

    String 1 carries paper out (b), pause (c), formats in buffer (eee), receive buffer full
    (f), partial format (h), under-temperature (k) and over-temperature (l); string 2 head
    open (o), ribbon out
    (p), label waiting (t) and labels remaining (u). Anything else, including a cut-off or
    garbled reply, raises ``ValueError`` saying what was wrong.
    """
    frames = _FRAME.findall(reply)
    leftover = _FRAME.sub(b"", reply)
    if len(frames) != 3 or leftover.strip(b"\r\n\t ") != b"":
        raise ValueError(
            f"not a ~HS status reply (expected three <STX>...<ETX> strings, got "
            f"{len(frames)} and {len(leftover.strip())} stray bytes): {reply[:120]!r}"
        )
    first = _fields(frames[0], 1, _STRING1_FIELDS)
    second = _fields(frames[1], 2, _STRING2_FIELDS)
    return PrinterStatus(
        answered=True,
        paper_out=_flag(first, 1, "paper out", 1),
        paused=_flag(first, 2, "pause", 1),
        formats_in_buffer=_number(first, 4, "formats in buffer", 1),
        buffer_full=_flag(first, 5, "buffer full", 1),
        partial_format=_flag(first, 7, "partial format", 1),
        under_temperature=_flag(first, 10, "under-temperature", 1),
        over_temperature=_flag(first, 11, "over-temperature", 1),
        head_open=_flag(second, 2, "head open", 2),
        ribbon_out=_flag(second, 3, "ribbon out", 2),
        labels_waiting=_flag(second, 7, "label waiting", 2),
        labels_remaining=_number(second, 8, "labels remaining", 2) if len(second) > 8 else 0,
    )


def host_status_reply(
    *,
    paper_out: bool = False,
    paused: bool = False,
    head_open: bool = False,
    ribbon_out: bool = False,
    buffer_full: bool = False,
    over_temperature: bool = False,
    under_temperature: bool = False,
    labels_waiting: bool = False,
    formats_in_buffer: int = 0,
    labels_remaining: int = 0,
    partial_format: bool = False,
    label_length: int = 1218,
) -> bytes:
    """A well-formed ``~HS`` reply with these flags, as a 203 dpi ZPL printer would send it.

    The fields this module does not read get plausible fixed values (9600 baud 8N1, tear-off
    mode, 4 inch print width), so the reply also reads right to other ZPL tools.
    """

    def bit(value: bool) -> int:
        return 1 if value else 0

    first = (
        f"030,{bit(paper_out)},{bit(paused)},{label_length:04d},{formats_in_buffer:03d},"
        f"{bit(buffer_full)},0,{bit(partial_format)},000,0,{bit(under_temperature)},"
        f"{bit(over_temperature)}"
    )
    second = (
        f"000,0,{bit(head_open)},{bit(ribbon_out)},0,2,6,{bit(labels_waiting)},"
        f"{labels_remaining:08d},1,000"
    )
    third = "1234,0"
    return b"".join(STX + s.encode("ascii") + ETX + b"\r\n" for s in (first, second, third))


def _fields(frame: bytes, index: int, at_least: int) -> list[bytes]:
    fields = frame.split(b",")
    if len(fields) < at_least:
        raise ValueError(
            f"~HS string {index} has {len(fields)} fields, expected at least {at_least}: {frame!r}"
        )
    return fields


def _flag(fields: list[bytes], at: int, name: str, string: int) -> bool:
    value = fields[at].strip()
    if value not in (b"0", b"1"):
        raise ValueError(f"~HS string {string}: {name} flag is {value!r}, expected 0 or 1")
    return value == b"1"


def _number(fields: list[bytes], at: int, name: str, string: int) -> int:
    value = fields[at].strip()
    if not value.isdigit():
        raise ValueError(f"~HS string {string}: {name} is {value!r}, expected digits")
    return int(value)


@dataclass(frozen=True)
class Delivery:
    """What is known once a label's bytes were handed to a link.

    ``printed``: the printer confirmed it (see the module docstring). ``unsure``: why it is
    not known whether the label came out; a person must look, and nothing resends it.
    Neither: a one-way link (CUPS, a USB printer that never answers) took it and can tell
    no more.
    """

    printed: bool = False
    unsure: str | None = None


HANDED_OVER = Delivery()


class PrinterUnreachable(Exception):
    """The label could not be handed to the printer; ``message`` says what to do about it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PrinterLink(ABC):
    """One way of getting bytes to a label printer and, on two-way links, status back.

    ``send`` raises ``PrinterUnreachable`` when the bytes did not get there. ``query_status``
    raises it when the printer cannot be reached at all, and returns an unanswered status
    when it was reached but kept silent (see the module docstring for why that differs).
    """

    two_way: bool = True

    @abstractmethod
    def describe(self) -> str:
        """Where the printer is, for logs and the Devices page."""

    @abstractmethod
    def send(self, data: bytes) -> None:
        """Hand ``data`` (one or more ZPL labels) to the printer."""

    @abstractmethod
    def query_status(self, timeout: float = 1.0) -> PrinterStatus:
        """Ask ``~HS`` and wait at most ``timeout`` seconds for the reply."""

    def deliver(self, data: bytes, confirm_timeout: float = CONFIRM_TIMEOUT_S) -> Delivery:
        """Send one label and find out whether it printed (``Delivery``).

        Raises ``PrinterUnreachable`` only when the label certainly did not get there (the
        connection failed before its last byte left), so sending it again is safe. This
        base version is for one-way links: ``send``, and nothing more to know.
        """
        self.send(data)
        return HANDED_OVER

    def close(self) -> None:
        """Let go of anything held open; the links here hold nothing between operations."""
        return None

    def __enter__(self) -> PrinterLink:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _status_from(reply: bytes, where: str, two_way: bool = True) -> PrinterStatus:
    """The parsed reply, or an unanswered status when it was cut off or not ``~HS`` at all."""
    if reply.count(ETX) < 3:
        if reply:
            log.info("label printer %s sent an incomplete status reply: %r", where, reply[:120])
        return PrinterStatus(answered=False, two_way=two_way)
    try:
        return parse_host_status(reply)
    except ValueError as error:
        log.warning("label printer %s: %s", where, error)
        return PrinterStatus(answered=False, two_way=two_way)


def confirm_printed(ask: Callable[[float], bytes], where: str, timeout: float) -> Delivery:
    """Ask ``~HS`` (by ``ask``) until the label just sent has left the printer, or say why not.

    ``ask(seconds)`` sends ``~HS`` on the link the label went down and returns the reply; it
    raises ``OSError`` (or ``ConnectionError``) when the link broke. Every way this can end
    without the printer's word is an unsure delivery, with the reason in the packer's words.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            reply = ask(min(_ASK_TIMEOUT_S, max(deadline - time.monotonic(), 0.2)))
        except (OSError, serial.SerialException) as error:
            log.info("label printer %s: confirming a label failed: %s", where, error)
            return Delivery(
                unsure="the printer dropped the connection right after the label was sent"
            )
        status = _status_from(reply, where)
        if not status.answered:
            return Delivery(unsure="the printer did not answer after the label was sent")
        if status.emptied:
            if status.ready:
                return Delivery(printed=True)
            return Delivery(
                unsure=f"the printer stopped as it printed it ({status.problem or 'not ready'})"
            )
        if not status.ready:
            return Delivery(
                unsure=f"the label is inside the printer, which stopped: {status.problem}; "
                "it comes out when that is fixed"
            )
        if time.monotonic() >= deadline:
            return Delivery(unsure=f"the printer had not printed it after {timeout:g} s")
        time.sleep(_CONFIRM_POLL_S)


class TcpPrinter(PrinterLink):
    """A network printer on its raw port (9100, "JetDirect"), one connection per operation."""

    def __init__(self, host: str, port: int = DEFAULT_TCP_PORT, timeout: float = 5.0) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def describe(self) -> str:
        return f"label printer at {self.address} (network)"

    def send(self, data: bytes) -> None:
        with self._connect(self.timeout) as connection:
            try:
                connection.sendall(data)
            except OSError as error:
                raise self._lost(error) from error

    def deliver(self, data: bytes, confirm_timeout: float = CONFIRM_TIMEOUT_S) -> Delivery:
        with self._connect(self.timeout) as connection:
            try:
                connection.sendall(data)
            except OSError as error:
                # The last bytes (the label's ^XZ) never left: the printer cannot print it.
                raise self._lost(error) from error

            def ask(seconds: float) -> bytes:
                connection.sendall(HOST_STATUS_QUERY)
                return _read_reply(connection, seconds, eof_is_error=True)

            return confirm_printed(ask, self.address, confirm_timeout)

    def query_status(self, timeout: float = 1.0) -> PrinterStatus:
        with self._connect(min(self.timeout, max(timeout, 0.5))) as connection:
            try:
                connection.sendall(HOST_STATUS_QUERY)
                reply = _read_reply(connection, timeout)
            except OSError as error:
                raise self._lost(error) from error
        return _status_from(reply, self.address)

    def _connect(self, timeout: float) -> socket.socket:
        try:
            return socket.create_connection((self.host, self.port), timeout=timeout)
        except ConnectionRefusedError as error:
            raise PrinterUnreachable(
                f"Label printer {self.address} refused the connection: is it on and on the "
                f"network? {CONFIG_HINT}"
            ) from error
        except TimeoutError as error:
            raise PrinterUnreachable(
                f"Label printer {self.address} did not answer within {timeout:g} s: check it is "
                f"on and its network cable or Wi-Fi. {CONFIG_HINT}"
            ) from error
        except socket.gaierror as error:
            raise PrinterUnreachable(
                f"Label printer host {self.host!r} not found on the network: {CONFIG_HINT}"
            ) from error
        except OSError as error:
            raise PrinterUnreachable(
                f"Label printer {self.address} cannot be reached "
                f"({error.strerror or error}): check it is on and on the network. {CONFIG_HINT}"
            ) from error

    def _lost(self, error: OSError) -> PrinterUnreachable:
        if isinstance(error, TimeoutError):
            return PrinterUnreachable(
                f"Label printer {self.address} stopped taking data for {self.timeout:g} s: "
                "check it has labels, the head is closed and it is not paused"
            )
        return PrinterUnreachable(
            f"Label printer {self.address} dropped the connection "
            f"({error.strerror or error}): check the printer and print the label again"
        )


def _read_reply(connection: socket.socket, timeout: float, *, eof_is_error: bool = False) -> bytes:
    """A ``~HS`` reply read within ``timeout`` (possibly cut off or empty when it ran out).

    With ``eof_is_error``, the printer closing the connection before a whole reply raises
    ``ConnectionResetError``: after a label that is a drop, not silence.
    """
    deadline = time.monotonic() + timeout
    reply = b""
    while reply.count(ETX) < 3:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        connection.settimeout(left)
        try:
            chunk = connection.recv(1024)
        except TimeoutError:
            break
        if not chunk:
            if eof_is_error:
                raise ConnectionResetError("the printer closed the connection")
            break
        reply += chunk
    return reply


class SerialPrinter(PrinterLink):
    """A printer on a serial line, by pyserial URL: a port, a pseudo-terminal, ``socket://``.

    Zebra printers default to 9600 baud 8N1. The port is opened for each operation and
    locked while open, so a scanner or scale configured on the same port by mistake shows up
    as "in use" rather than as garbled labels.
    """

    def __init__(self, port_url: str, baudrate: int = 9600, timeout: float = 5.0) -> None:
        self.port_url = port_url
        self.baudrate = baudrate
        self.timeout = timeout

    def describe(self) -> str:
        return f"label printer on {self.port_url} (serial, {self.baudrate} baud)"

    def send(self, data: bytes) -> None:
        handle = self._open()
        try:
            self._write(handle, data)
        finally:
            _close_quietly(handle)

    def _write(self, handle: serial.SerialBase, data: bytes) -> None:
        try:
            handle.write(data)
            handle.flush()
        except serial.SerialTimeoutException as error:
            raise PrinterUnreachable(
                f"Label printer on {self.port_url} did not take the label within "
                f"{self.timeout:g} s: check it is on, has labels and is not paused"
            ) from error
        except (serial.SerialException, OSError) as error:
            raise PrinterUnreachable(
                f"Label printer on {self.port_url} went away while printing ({error}): "
                "check the cable and print the label again"
            ) from error

    def deliver(self, data: bytes, confirm_timeout: float = CONFIRM_TIMEOUT_S) -> Delivery:
        handle = self._open()
        try:
            self._write(handle, data)

            def ask(seconds: float) -> bytes:
                handle.reset_input_buffer()
                handle.write(HOST_STATUS_QUERY)
                return _read_serial_reply(handle, seconds)

            return confirm_printed(ask, self.port_url, confirm_timeout)
        finally:
            _close_quietly(handle)

    def query_status(self, timeout: float = 1.0) -> PrinterStatus:
        handle = self._open()
        try:
            handle.reset_input_buffer()
            handle.write(HOST_STATUS_QUERY)
            reply = _read_serial_reply(handle, timeout)
        except (serial.SerialException, OSError) as error:
            raise PrinterUnreachable(
                f"Label printer on {self.port_url} went away ({error}): check the cable"
            ) from error
        finally:
            _close_quietly(handle)
        return _status_from(reply, self.port_url)

    def _open(self) -> serial.SerialBase:
        try:
            handle: serial.SerialBase = serial.serial_for_url(
                self.port_url,
                baudrate=self.baudrate,
                timeout=0.1,
                write_timeout=self.timeout,
                exclusive=True,
            )
        except (serial.SerialException, OSError, ValueError) as error:
            raise PrinterUnreachable(_open_failure(self.port_url, error)) from error
        return handle


def _read_serial_reply(handle: serial.SerialBase, timeout: float) -> bytes:
    deadline = time.monotonic() + timeout
    reply = b""
    while reply.count(ETX) < 3:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        handle.timeout = min(left, 0.1)
        reply += handle.read(max(1, handle.in_waiting))
    return reply


class UsbPrinter(PrinterLink):
    """A USB printer through the kernel's printer driver, as a device file (``/dev/usb/lp0``).

    The device is opened for each label, written without blocking for longer than the
    timeout (a paused printer stops taking bytes, and a plain blocking write would hang the
    worker for good). Some printers answer ``~HS`` on the same device, some do not: the link
    counts as two-way once the printer has answered, and until then a silent printer is taken
    for a one-way one rather than reported as a fault. A path that is not a character device
    (a plain file, for tests and for capturing output) is written to and never queried.
    """

    def __init__(self, device_path: str, timeout: float = 10.0) -> None:
        self.device_path = device_path
        self.timeout = timeout
        self._has_answered = False

    @property
    def two_way(self) -> bool:  # type: ignore[override]
        return self._has_answered

    def describe(self) -> str:
        return f"label printer {self.device_path} (USB)"

    def send(self, data: bytes) -> None:
        fd = self._open(os.O_WRONLY | os.O_APPEND)
        try:
            self._write_all(fd, data)
        finally:
            os.close(fd)

    def deliver(self, data: bytes, confirm_timeout: float = CONFIRM_TIMEOUT_S) -> Delivery:
        if not self._has_answered:
            return super().deliver(data, confirm_timeout)
        fd = self._open(os.O_RDWR)
        try:
            self._write_all(fd, data)

            def ask(seconds: float) -> bytes:
                try:
                    self._write_all(fd, HOST_STATUS_QUERY)
                except PrinterUnreachable as error:
                    raise ConnectionError(error.message) from error
                return self._read_reply(fd, seconds)

            return confirm_printed(ask, self.device_path, confirm_timeout)
        finally:
            os.close(fd)

    def query_status(self, timeout: float = 1.0) -> PrinterStatus:
        try:
            mode = os.stat(self.device_path).st_mode
        except OSError as error:
            raise PrinterUnreachable(self._failure(error)) from error
        if not stat.S_ISCHR(mode):
            return PrinterStatus(answered=False, two_way=False)
        fd = self._open(os.O_RDWR)
        try:
            self._write_all(fd, HOST_STATUS_QUERY)
            reply = self._read_reply(fd, timeout)
        finally:
            os.close(fd)
        status = _status_from(reply, self.device_path, two_way=self._has_answered)
        if status.answered:
            self._has_answered = True
        return status

    def _read_reply(self, fd: int, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        reply = b""
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        while reply.count(ETX) < 3:
            left = deadline - time.monotonic()
            if left <= 0 or not poller.poll(left * 1000):
                break
            try:
                chunk = os.read(fd, 1024)
            except BlockingIOError:
                continue
            except OSError as error:
                # A printer that cannot send (one-way firmware) may refuse reads.
                log.info("reading status from %s: %s", self.device_path, error)
                break
            if not chunk:
                break
            reply += chunk
        return reply

    def _open(self, flags: int) -> int:
        try:
            return os.open(self.device_path, flags | os.O_NONBLOCK | os.O_NOCTTY)
        except OSError as error:
            raise PrinterUnreachable(self._failure(error)) from error

    def _write_all(self, fd: int, data: bytes) -> None:
        deadline = time.monotonic() + self.timeout
        view = memoryview(data)
        poller = select.poll()
        poller.register(fd, select.POLLOUT)
        try:
            while view:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PrinterUnreachable(
                        f"Label printer {self.device_path} did not take the label within "
                        f"{self.timeout:g} s: check it has labels, the head is closed and it "
                        "is not paused"
                    )
                poller.poll(left * 1000)
                try:
                    view = view[os.write(fd, view) :]
                except BlockingIOError:
                    continue
        except OSError as error:
            raise PrinterUnreachable(self._failure(error)) from error

    def _failure(self, error: OSError) -> str:
        if error.errno in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
            return (
                f"Label printer {self.device_path} not found: is it plugged in and switched "
                f"on? {CONFIG_HINT}"
            )
        if error.errno == errno.EACCES:
            return (
                f"No permission to use {self.device_path}: add this user to the lp group "
                "and log in again"
            )
        if error.errno == errno.EBUSY:
            return (
                f"Label printer {self.device_path} is in use by another program "
                "(CUPS may own it): use one or the other"
            )
        return f"Label printer {self.device_path} failed ({error.strerror or error}): check it"


def lp_submit(queue: str, data: bytes, options: tuple[str, ...] = (), timeout: float = 30.0) -> str:
    """Hand ``data`` to CUPS with ``lp -d QUEUE`` on stdin; lp's answer (the request id).

    Raises ``PrinterUnreachable`` naming the queue and saying what lp said, or how to get
    ``lp`` when it is not installed.
    """
    command = ["lp", "-d", queue, *options]
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=timeout)
    except FileNotFoundError as error:
        raise PrinterUnreachable(
            f"Cannot print to CUPS queue {queue!r}: the lp command is missing; install "
            "cups-client (sudo apt install cups-client)"
        ) from error
    except subprocess.TimeoutExpired as error:
        raise PrinterUnreachable(
            f"CUPS did not take the job for queue {queue!r} within {timeout:g} s: "
            "check the CUPS service is running (systemctl status cups)"
        ) from error
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip() or f"exit status {done.returncode}"
        raise PrinterUnreachable(
            f"CUPS queue {queue!r} refused the job: {said}. "
            f"{CONFIG_HINT} (lpstat -p lists the queues)"
        )
    return done.stdout.decode(errors="replace").strip()


class CupsPrinter(PrinterLink):
    """A raw CUPS queue (``lpadmin -p ZEBRA1 -v socket://...:9100 -m raw``): spooling, no status.

    One-way: CUPS takes the job and reports nothing about the printer. For status, reach the
    same printer over TCP or USB instead.
    """

    two_way = False

    def __init__(self, queue: str, timeout: float = 30.0) -> None:
        self.queue = queue
        self.timeout = timeout

    def describe(self) -> str:
        return f"label printer on CUPS queue {self.queue} (raw)"

    def send(self, data: bytes) -> None:
        answer = lp_submit(self.queue, data, ("-o", "raw"), timeout=self.timeout)
        log.info("CUPS queue %s took a label: %s", self.queue, answer)

    def query_status(self, timeout: float = 1.0) -> PrinterStatus:
        return PrinterStatus(answered=False, two_way=False)


TRANSPORTS = ("tcp", "serial", "usb", "cups", "none")


def open_printer(
    transport: str, address: str, *, baudrate: int = 9600, timeout: float = 5.0
) -> PrinterLink | None:
    """The link that ``[printer] transport`` and ``address`` describe; None for ``none``.

    Nothing is opened yet: a printer that is off at start-up is reported on the first label,
    not by a station that refuses to start. A malformed address raises ``ValueError`` with
    an example of a good one.
    """
    transport = transport.strip().lower()
    address = address.strip()
    if transport == "none":
        return None
    if transport not in TRANSPORTS:
        raise ValueError(
            f"[printer] transport = {transport!r} is not one of {', '.join(TRANSPORTS)}"
        )
    if not address:
        raise ValueError(f"[printer] address is empty: {_ADDRESS_EXAMPLES[transport]}")
    if transport == "tcp":
        host, port = parse_tcp_address(address)
        return TcpPrinter(host, port, timeout=timeout)
    if transport == "serial":
        return SerialPrinter(address, baudrate=baudrate, timeout=timeout)
    if transport == "usb":
        return UsbPrinter(address, timeout=max(timeout, 10.0))
    if any(c.isspace() or c in "/#" for c in address):
        raise ValueError(
            f"[printer] address = {address!r} is not a CUPS queue name: {_ADDRESS_EXAMPLES['cups']}"
        )
    return CupsPrinter(address)


_ADDRESS_EXAMPLES = {
    "tcp": 'for tcp give host:port, e.g. address = "192.168.1.50:9100"',
    "serial": 'for serial give the port, e.g. address = "/dev/serial/by-id/usb-Zebra..."',
    "usb": 'for usb give the device, e.g. address = "/dev/usb/lp0"',
    "cups": 'for cups give the queue name (lpstat -p lists them), e.g. address = "ZEBRA1"',
}

_TCP_ADDRESS = re.compile(
    r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[^\s:/\[\]]+))"  # [IPv6] or a name or IPv4
    r"(?::(?P<port>.*))?"
)


def parse_tcp_address(address: str) -> tuple[str, int]:
    """``host``, ``host:port`` or ``[ipv6]:port`` as host and port (9100 when not given)."""
    text = address.strip()
    if text.startswith("socket://"):
        text = text[len("socket://") :]
    match = _TCP_ADDRESS.fullmatch(text)
    if match is None:
        raise ValueError(
            f"[printer] address = {address!r} is not host or host:port: {_ADDRESS_EXAMPLES['tcp']}"
        )
    host = match["v6"] or match["host"]
    port_text = match["port"]
    if port_text is None:
        return host, DEFAULT_TCP_PORT
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ValueError(
            f"[printer] address = {address!r}: port {port_text!r} must be a number from 1 to "
            f"65535, e.g. {host}:9100"
        )
    return host, int(port_text)


def _open_failure(port: str, error: BaseException) -> str:
    """Why a serial printer port would not open, in words for the person at the bench."""
    text = str(error)
    code = getattr(error, "errno", None)
    if code == errno.ENOENT or "No such file" in text:
        return f"Label printer port {port} not found: plug it in or fix [printer] address"
    if code == errno.EACCES or "Permission denied" in text:
        return f"No permission to open {port}: add this user to the dialout group"
    if "exclusively lock" in text or code == errno.EBUSY:
        return f"{port} is in use by another program (a scanner or scale on the same port?)"
    if "Connection refused" in text:
        return f"Label printer {port} refused the connection: is it on? {CONFIG_HINT}"
    return f"Cannot open label printer port {port}: {text}. {CONFIG_HINT}"


def _close_quietly(handle: serial.SerialBase) -> None:
    try:
        handle.close()
    except Exception:
        log.debug("closing a printer port failed", exc_info=True)
