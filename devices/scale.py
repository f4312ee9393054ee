"""Shipping scales speaking Mettler Toledo MT-SICS over a serial line, polled on a thread.

SICS is a question-and-answer protocol: the computer sends an uppercase command ending in
CR LF (``SI``: the weight now; ``S``: the next stable weight; ``Z``: zero; ``T``: tare) and
the scale answers one line, e.g. ``S S      1.250 kg`` (stable) or ``S D      1.247 kg``
(still moving). ``parse_sics`` turns one such line into a ``Reading`` or a ``SicsReply``.

``SicsScale`` asks ``SI`` about five times a second on a daemon thread and hands every
reading to the bench, so the display follows the weight live; a label takes its weight only
from a stable reading. Zero and tare go through the same thread, one command at a time, as
the protocol requires. Like ``SerialScanner``, it reopens the port by itself after an unplug,
and a scale that is plugged in but silent (switched off, or set to another protocol) counts
as disconnected, with a sentence saying what to check.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

import serial

from devices.serial_ports import RECONNECT_EVERY_S, close_quietly, is_missing, open_failure

try:
    from termios import error as _TermiosError
except ImportError:  # not POSIX: pyserial raises only SerialException there

    class _TermiosError(Exception):  # type: ignore[no-redef]
        pass


log = logging.getLogger(__name__)

# What a port can raise once its device is gone: pyserial wraps reads and writes, but not
# the flush (tcflush) of a port whose device vanished.
_PORT_ERRORS = (serial.SerialException, OSError, _TermiosError)

READ_TIMEOUT_S = 0.1
"""How long one read waits: the bound on stop() latency while waiting for an answer."""

GRAMS_PER_UNIT = {
    "kg": Decimal(1000),
    "g": Decimal(1),
    "mg": Decimal("0.001"),
    "lb": Decimal("453.59237"),
    "oz": Decimal("28.349523125"),
}
"""Weight units a scale may be set to, in grams (the pound and ounce are the exact legal ones)."""

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


@dataclass(frozen=True)
class Reading:
    """One weight from the scale: net grams, whether it had settled, the line, the time."""

    grams: int
    stable: bool
    raw: str
    at: float
    """``time.monotonic()`` when the line was read."""


@dataclass(frozen=True)
class SicsReply:
    """A SICS answer that is not a live weight: a status, an acknowledgement or an error.

    ``command`` is the answer's first word (``S`` for ``S``/``SI``, ``Z``, ``T``, ``I4``, or
    ``ES``/``ET``/``EL`` for the general errors), ``status`` the second (``A`` done, ``I``
    not possible now, ``+``/``-`` out of range, ``S``/``D`` stable/dynamic). ``grams`` is the
    weight some answers carry (``T S   0.350 kg``: the tare), ``text`` any other data (the
    serial number of ``I4 A "0123456789"``). ``meaning`` is a sentence for the bench.
    """

    command: str
    status: str
    ok: bool
    meaning: str
    raw: str
    grams: int | None = None
    text: str = ""


def to_grams(amount: str | Decimal, unit: str) -> int:
    """Whole grams in ``amount`` of ``unit`` (kg, g, mg, lb, oz), half a gram rounding up."""
    factor = GRAMS_PER_UNIT.get(unit.lower())
    if factor is None:
        raise ValueError(f"unknown weight unit {unit!r}: use kg, g, lb or oz")
    try:
        value = Decimal(amount)
    except InvalidOperation:
        raise ValueError(f"{amount!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{amount!r} is not a weight")
    return int((value * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# (command, status) -> (ok, meaning) for answers without a weight.
_MEANINGS: dict[tuple[str, str], tuple[bool, str]] = {
    ("S", "I"): (False, "The scale is busy or the weight would not settle: try again"),
    ("S", "+"): (False, "The scale is overloaded: take weight off"),
    ("S", "-"): (False, "The scale is underloaded: check the pan is in place, then zero it"),
    ("Z", "A"): (True, "Zeroed"),
    ("Z", "I"): (False, "The scale could not zero: wait until the weight is still, try again"),
    ("Z", "+"): (False, "Too much weight on the scale to zero it: clear the pan"),
    ("Z", "-"): (False, "The scale is below its zero range: check the pan is in place"),
    ("ZI", "S"): (True, "Zeroed"),
    ("ZI", "D"): (True, "Zeroed while the weight was moving"),
    ("ZI", "A"): (True, "Zeroed"),
    ("ZI", "I"): (False, "The scale could not zero now: try again"),
    ("ZI", "+"): (False, "Too much weight on the scale to zero it: clear the pan"),
    ("ZI", "-"): (False, "The scale is below its zero range: check the pan is in place"),
    ("T", "I"): (False, "The scale could not tare: wait until the weight is still, try again"),
    ("T", "+"): (False, "Too much weight on the scale to tare it"),
    ("T", "-"): (False, "The scale cannot tare below zero: zero it first"),
    ("TI", "I"): (False, "The scale could not tare now: try again"),
    ("TI", "+"): (False, "Too much weight on the scale to tare it"),
    ("TI", "-"): (False, "The scale cannot tare below zero: zero it first"),
    ("TA", "I"): (False, "The scale cannot set the tare now: try again"),
    ("TA", "L"): (False, "The scale refused that tare value"),
    ("TAC", "A"): (True, "Tare cleared"),
    ("TAC", "I"): (False, "The scale cannot clear the tare now: try again"),
    ("ES", ""): (False, "The scale did not understand the command (SICS syntax error)"),
    ("ET", ""): (
        False,
        "The scale received a garbled command: check the line speed and 8N1 on the scale",
    ),
    ("EL", ""): (False, "The scale cannot carry out that command (SICS logical error)"),
}

# (command, status) -> (ok, how to say it, given the weight) for answers with a weight.
_WEIGHED: dict[tuple[str, str], tuple[bool, str]] = {
    ("T", "S"): (True, "Tared at {}"),
    ("TI", "S"): (True, "Tared at {}"),
    ("TI", "D"): (True, "Tared at {} while the weight was moving"),
    ("TA", "A"): (True, "Tare is {}"),
}

_INFO = re.compile(r"I\d{1,2}")


def parse_sics(line: str, *, at: float | None = None) -> Reading | SicsReply:
    """One SICS answer line (with or without its CR LF) as a reading or a reply.

    ``S S``/``S D`` with a weight is a ``Reading`` (stable or not); everything else the
    scale may say is a ``SicsReply``. Raises ValueError for a line that is not SICS.
    """
    text = line.strip("\r\n")
    words = text.split()
    if not words:
        raise ValueError("empty line: not a SICS answer")
    command, rest = words[0], words[1:]
    if command in ("ES", "ET", "EL") and not rest:
        ok, meaning = _MEANINGS[command, ""]
        return SicsReply(command, "", ok, meaning, text)
    if not rest:
        raise ValueError(f"{text!r} is not a SICS answer")
    status, data = rest[0], rest[1:]
    if command == "S" and status in ("S", "D") and data:
        grams = _weight(data, text)
        return Reading(grams, status == "S", text, time.monotonic() if at is None else at)
    if (command, status) in _WEIGHED and data:
        grams = _weight(data, text)
        ok, template = _WEIGHED[command, status]
        return SicsReply(command, status, ok, template.format(_kg(grams)), text, grams=grams)
    if _INFO.fullmatch(command) and status in ("A", "B"):
        value = text.split(None, 2)[2] if data else ""
        return SicsReply(command, status, True, f"{command}: {value}", text, text=_unquote(value))
    if _INFO.fullmatch(command) and status == "I" and not data:
        return SicsReply(command, status, False, f"The scale cannot answer {command} now", text)
    if (command, status) in _MEANINGS and not data:
        ok, meaning = _MEANINGS[command, status]
        return SicsReply(command, status, ok, meaning, text)
    raise ValueError(f"{text!r} is not a SICS answer")


def _weight(data: list[str], line: str) -> int:
    """Grams in the ``value unit`` words of an answer; a sign may stand apart (``-  0.5``)."""
    if len(data) == 3 and data[0] in ("+", "-"):
        data = [data[0] + data[1], data[2]]
    if len(data) != 2 or not _NUMBER.fullmatch(data[0]):
        raise ValueError(f"{line!r} has no weight like '1.250 kg'")
    return to_grams(data[0], data[1])


def _kg(grams: int) -> str:
    return f"{Decimal(grams) / 1000:.3f} kg"


def _unquote(value: str) -> str:
    """The quoted strings of an answer's data, joined by a space (the data if none)."""
    quoted = re.findall(r'"([^"]*)"', value)
    return " ".join(quoted) if quoted else value


class ScaleState(StrEnum):
    """Where a scale stands, as the Devices workspace and the status bar show it."""

    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    STOPPED = "stopped"


class ScaleError(RuntimeError):
    """A zero or tare that did not happen; the message says why, for the bench."""

    def __init__(self, message: str, reply: SicsReply | None = None) -> None:
        super().__init__(message)
        self.reply = reply


@dataclass(frozen=True)
class _Request:
    command: str
    future: Future[SicsReply]


class _Lost(Exception):
    """The connection is gone; the message is the reason to report."""

    answered = False
    """Whether the scale had answered on this connection before it went."""


class _Stopping(Exception):
    """stop() was called while waiting for an answer."""


# The first word of the answer each command gets (the errors ES/ET/EL answer anything).
_ANSWERED_BY = {"SI": ("S",), "@": ("I4",), "ZI": ("ZI", "Z"), "TI": ("TI", "T")}


class SicsScale:
    """Poll one MT-SICS scale on a background thread, reconnecting by itself.

    Every answer to the ``SI`` poll (about every ``poll_interval_s``) that carries a weight
    goes to ``on_reading``; ``S +``/``S -``/``S I`` and errors go to ``on_reply`` (if given)
    and leave ``latest`` empty, because the weight is not known then. ``on_state`` gets the
    new state and a sentence. All callbacks run ON THE POLLING THREAD: they must be quick and
    thread-safe (the ui passes callables that emit Qt signals). A callback that raises is
    logged and polling goes on.

    ``zero()`` and ``tare()`` may be called from any thread: the command is queued, sent
    between two polls, and its answer settles the returned future. A scale that does not
    answer within ``answer_timeout_s`` (``command_timeout_s`` for zero and tare, which a
    scale carries out only once the weight is still) counts as disconnected. While
    disconnected the port is tried again every ``reconnect_every_s``, however long it has
    been away, so a scale plugged back is weighing again within about that long; the same
    reason is not repeated on every try.
    """

    def __init__(
        self,
        port: str,
        baudrate: int = 9600,
        *,
        on_reading: Callable[[Reading], None],
        on_state: Callable[[ScaleState, str], None] | None = None,
        on_reply: Callable[[SicsReply], None] | None = None,
        poll_interval_s: float = 0.2,
        answer_timeout_s: float = 1.0,
        command_timeout_s: float = 5.0,
        reconnect_every_s: float = RECONNECT_EVERY_S,
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self._settings: dict[str, Any] = {
            "baudrate": baudrate,
            "bytesize": serial.EIGHTBITS,
            "parity": serial.PARITY_NONE,
            "stopbits": serial.STOPBITS_ONE,
            "timeout": READ_TIMEOUT_S,
            "write_timeout": answer_timeout_s,
            "exclusive": True,
        }
        self._on_reading = on_reading
        self._on_state = on_state
        self._on_reply = on_reply
        self._poll_interval_s = poll_interval_s
        self._answer_timeout_s = answer_timeout_s
        self._command_timeout_s = command_timeout_s
        self._reconnect_every_s = reconnect_every_s
        self._state = ScaleState.STOPPED
        self._reason = ""
        self._latest: Reading | None = None
        self._serial_number: str | None = None
        self._requests: queue.Queue[_Request | None] = queue.Queue()
        self._received = bytearray()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def state(self) -> ScaleState:
        return self._state

    @property
    def reason(self) -> str:
        """The sentence that came with the last state change."""
        return self._reason

    @property
    def latest(self) -> Reading | None:
        """The last weight read, stable or not; None before the first and while it is unknown."""
        return self._latest

    @property
    def serial_number(self) -> str | None:
        """What the scale answered to ``I4`` when it connected, if anything."""
        return self._serial_number

    def stable_reading(self, max_age_s: float = 1.0) -> Reading | None:
        """The last reading if it is stable and at most ``max_age_s`` old: a weight to print."""
        reading = self._latest
        if reading is None or not reading.stable:
            return None
        if time.monotonic() - reading.at > max_age_s:
            return None
        return reading

    def zero(self) -> Future[SicsReply]:
        """Zero the scale (``Z``) once the weight is still; the future says how it went."""
        return self._submit("Z")

    def tare(self) -> Future[SicsReply]:
        """Take what is on the scale as tare (``T``); the reply's ``grams`` is the tare."""
        return self._submit("T")

    def clear_tare(self) -> Future[SicsReply]:
        """Forget the tare (``TAC``)."""
        return self._submit("TAC")

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError(f"scale on {self.port} already started")
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name=f"scale {self.port}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 1.0) -> None:
        """Stop polling, close the port and wait for the thread (at most ``timeout``)."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stopping.set()
        self._requests.put(None)  # wakes the thread between polls
        thread.join(timeout)
        if thread.is_alive():
            log.warning("scale thread on %s did not stop within %.1f s", self.port, timeout)

    def __enter__(self) -> SicsScale:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- the polling thread ------------------------------------------------------------

    def _submit(self, command: str) -> Future[SicsReply]:
        future: Future[SicsReply] = Future()
        if self._thread is None or self._state is not ScaleState.CONNECTED:
            future.set_exception(ScaleError(self._not_connected()))
            return future
        self._requests.put(_Request(command, future))
        return future

    def _not_connected(self) -> str:
        if self._state is ScaleState.STOPPED or self._thread is None:
            return "The scale is not in use (stopped)"
        return f"The scale is not connected: {self._reason}"

    def _run(self) -> None:
        self._report(ScaleState.CONNECTING, f"opening {self.port}")
        try:
            while not self._stopping.is_set():
                handle = self._open()
                if handle is not None:
                    try:
                        self._talk(handle)
                    except _Lost as lost:
                        reason, answered = str(lost), lost.answered
                    except _Stopping:
                        return
                    else:
                        return  # _talk returns only when stopping
                    finally:
                        # At once, before saying so: an open handle can keep the device node
                        # busy and make the replugged scale come back under a new name.
                        close_quietly(handle)
                    self._latest = None
                    self._report(ScaleState.DISCONNECTED, reason)
                    self._fail_requests()
                    if answered:
                        continue  # a scale that was there a moment ago: look again at once
                self._idle(self._reconnect_every_s)
        finally:
            self._latest = None
            self._report(ScaleState.STOPPED, "stopped")
            self._fail_requests()

    def _open(self) -> serial.SerialBase | None:
        try:
            handle: serial.SerialBase = serial.serial_for_url(self.port, **self._settings)
        except (serial.SerialException, OSError, ValueError) as error:
            # After an unplug the port is missing until it comes back: that is not news.
            if not (self._reason.startswith("scale unplugged") and is_missing(error)):
                self._report(
                    ScaleState.DISCONNECTED,
                    open_failure(self.port, error, "plug the scale in or fix [scale] port"),
                )
            return None
        return handle

    def _talk(self, handle: serial.SerialBase) -> None:
        """Poll until stopped (returns) or the scale is lost (raises _Lost)."""
        hello = self._exchange(handle, "I4", self._answer_timeout_s)
        if isinstance(hello, SicsReply) and hello.command == "I4" and hello.ok:
            self._serial_number = hello.text or None
        self._report(ScaleState.CONNECTED, f"connected ({self.port})")
        try:
            next_poll = time.monotonic()
            while not self._stopping.is_set():
                try:
                    request = self._requests.get(timeout=max(0.0, next_poll - time.monotonic()))
                except queue.Empty:
                    next_poll = time.monotonic() + self._poll_interval_s
                    self._deliver(self._exchange(handle, "SI", self._answer_timeout_s))
                    continue
                if request is not None and request.future.set_running_or_notify_cancel():
                    self._carry_out(handle, request)
        except _Lost as lost:
            lost.answered = True
            raise

    def _carry_out(self, handle: serial.SerialBase, request: _Request) -> None:
        try:
            answer = self._exchange(handle, request.command, self._command_timeout_s)
        except BaseException as error:
            request.future.set_exception(ScaleError(self._lost_words(error)))
            raise
        if isinstance(answer, Reading):  # cannot happen: _exchange matched the command
            request.future.set_exception(ScaleError(f"unexpected answer {answer.raw!r}"))
        elif answer.ok:
            request.future.set_result(answer)
        else:
            request.future.set_exception(ScaleError(answer.meaning, answer))

    def _lost_words(self, error: BaseException) -> str:
        if isinstance(error, _Stopping):
            return "The scale is not in use (stopped)"
        return f"The scale is not connected: {error}"

    def _exchange(
        self, handle: serial.SerialBase, command: str, timeout: float
    ) -> Reading | SicsReply:
        """Send one command and return its answer; never two commands in flight."""
        expected = _ANSWERED_BY.get(command, (command.split()[0],))
        try:
            # Whatever came unasked (a late answer, line noise) is not this command's answer.
            handle.reset_input_buffer()
            self._received.clear()
            handle.write(command.encode("ascii") + b"\r\n")
            deadline = time.monotonic() + timeout
            while True:
                for line in self._lines():
                    try:
                        answer = parse_sics(line)
                    except ValueError:
                        log.debug("scale on %s sent %r: not SICS", self.port, line)
                        continue
                    first = answer.raw.split()[0]
                    if first in expected or first in ("ES", "ET", "EL"):
                        return answer
                    log.debug("scale on %s: %r does not answer %s", self.port, line, command)
                if self._stopping.is_set():
                    raise _Stopping
                if time.monotonic() >= deadline:
                    raise _Lost(self._silent())
                self._received += handle.read(max(1, handle.in_waiting))
        except serial.SerialTimeoutException:
            raise _Lost(self._silent()) from None  # it does not even take the command
        except _PORT_ERRORS as error:
            log.info("scale on %s lost: %s", self.port, error)
            raise _Lost(f"scale unplugged ({self.port})") from None

    def _lines(self) -> list[str]:
        *lines, rest = re.split(rb"[\r\n]", bytes(self._received))
        self._received[:] = rest
        return [line.decode("ascii", "replace") for line in lines if line.strip()]

    def _silent(self) -> str:
        return (
            f"The scale on {self.port} does not answer SICS commands: check it is on, "
            f"its interface is set to MT-SICS, {self.baudrate} 8N1"
        )

    def _idle(self, seconds: float) -> None:
        """Wait while disconnected, refusing at once what is asked meanwhile."""
        deadline = time.monotonic() + seconds
        while not self._stopping.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            try:
                request = self._requests.get(timeout=left)
            except queue.Empty:
                return
            if request is not None and request.future.set_running_or_notify_cancel():
                request.future.set_exception(ScaleError(self._not_connected()))

    def _fail_requests(self) -> None:
        while True:
            try:
                request = self._requests.get_nowait()
            except queue.Empty:
                return
            if request is not None and request.future.set_running_or_notify_cancel():
                request.future.set_exception(ScaleError(self._not_connected()))

    def _deliver(self, answer: Reading | SicsReply) -> None:
        if isinstance(answer, Reading):
            self._latest = answer
            callback: Callable[[Any], None] | None = self._on_reading
        else:
            self._latest = None
            callback = self._on_reply
        if callback is None:
            return
        try:
            callback(answer)
        except Exception:
            log.exception("a scale callback failed for %r from %s", answer, self.port)

    def _report(self, state: ScaleState, reason: str) -> None:
        if (state, reason) == (self._state, self._reason):
            return
        self._state, self._reason = state, reason
        if self._on_state is None:
            return
        try:
            self._on_state(state, reason)
        except Exception:
            log.exception("on_state failed for the scale on %s", self.port)
