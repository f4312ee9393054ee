"""A Mettler Toledo MT-SICS scale simulated on a pseudo-terminal, for tests, demos and
benches without hardware.

The application opens it exactly as it opens a real scale: by a path, through pyserial, and
talks MT-SICS to it. The path is a stable symlink to the current ``/dev/pts/N`` (see
``devices.pty_link``), so ``unplug()`` and ``replug()`` behave like pulling the cable and
plugging it back, and ``switch_off()`` leaves the cable in but stops answering.

``put(grams)`` places a weight: for ``settle_s`` the readings wobble around it by small,
deterministic amounts (answered ``S D``), then they stay exactly at the weight (``S S``).
Weights are answered in kilograms with three decimals, right-aligned as a real scale does:
``S S      1.250 kg``.

``packbench sim scale`` is ``run_simulated_scale``.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import threading
import time
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import TextIO

from devices.console import typed_lines
from devices.pty_link import PtyLink
from devices.scale import to_grams

SETTLE_WAIT_S = 1.0
"""How long ``S``, ``Z`` and ``T`` wait by default for a moving weight to settle before ``I``."""

DEFAULT_SETTLE_S = 0.6
WOBBLE_G = (37, -29, 18, -12, 7, -5, 3, -2)
"""Grams off the weight of the first readings after a put, then -1 and +1 in turn."""
_POLL_MS = 50
_IDLE_S = 0.02


class SimulatedScale:
    """A SICS scale answering on a pseudo-terminal from its own daemon thread.

    It understands ``S``, ``SI``, ``Z``, ``ZI``, ``T``, ``TA``, ``TAC``, ``@`` and ``I4``;
    anything else gets ``ES``. Net weight is what is on the pan, less the zero point, less
    the tare. Above ``capacity_g`` it is overloaded (``S +``). ``S``, ``Z`` and ``T`` wait
    up to ``settle_wait_s`` for a moving weight, then give up (``S I``). With no ``link``
    given, the link lives in a new temporary directory removed by ``close``.
    """

    def __init__(
        self,
        link: Path | None = None,
        *,
        serial_number: str = "PB00000001",
        capacity_g: int = 30_000,
        settle_wait_s: float = SETTLE_WAIT_S,
    ) -> None:
        self.serial_number = serial_number
        self.capacity_g = capacity_g
        self.settle_wait_s = settle_wait_s
        self._pty = PtyLink(link, prefix="packbench-scale-")
        self._lock = threading.Lock()
        self._generation = 0  # counts plugs: an answer is written only to the pty it was for
        self._load_g = 0
        self._zero_g = 0
        self._tare_g = 0
        self._settled_at = 0.0
        self._wobbles = 0
        self._powered = True
        self._commands: list[str] = []
        self._overlapping = 0
        self._closed = threading.Event()
        self._plug()
        self._thread = threading.Thread(target=self._serve, name="simulated scale", daemon=True)
        self._thread.start()

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

    @property
    def load_g(self) -> int:
        """What lies on the pan (the weight last put), before zero and tare."""
        return self._load_g

    @property
    def tare_g(self) -> int:
        return self._tare_g

    @property
    def commands(self) -> list[str]:
        """Every command received while switched on, in order, as soon as it arrives."""
        with self._lock:
            return list(self._commands)

    @property
    def overlapping_commands(self) -> int:
        """Commands sent before the previous one was answered (SICS forbids it)."""
        return self._overlapping

    def put(self, grams: int, settle_s: float = DEFAULT_SETTLE_S) -> None:
        """Place ``grams`` on the pan (replacing what was there); it settles in ``settle_s``."""
        with self._lock:
            self._load_g = grams
            self._settled_at = time.monotonic() + max(0.0, settle_s)
            self._wobbles = 0

    def remove(self, settle_s: float = DEFAULT_SETTLE_S) -> None:
        """Take everything off the pan."""
        self.put(0, settle_s)

    def switch_off(self) -> None:
        """The cable stays in, but nothing answers: commands are read and ignored."""
        self._powered = False

    def switch_on(self) -> None:
        self._powered = True

    def unplug(self) -> None:
        """Pull the cable: the application's next read fails and ``path`` disappears."""
        with self._lock:
            self._pty.unplug()
            self._generation += 1

    def replug(self) -> None:
        """Plug back in: a new pseudo-terminal answers at the same ``path``."""
        with self._lock:
            self._pty.unplug()
            self._generation += 1
            self._plug()

    def close(self) -> None:
        self._closed.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(2.0)
        with self._lock:
            self._pty.close()
            self._generation += 1

    def __enter__(self) -> SimulatedScale:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- the scale's own thread ---------------------------------------------------------

    def _plug(self) -> None:
        master = self._pty.plug()
        # A reader that stops reading must not block the scale (or unplug()) on a full pty.
        os.set_blocking(master, False)

    def _serve(self) -> None:
        pending = bytearray()
        while not self._closed.is_set():
            with self._lock:
                fd, generation = self._pty.master, self._generation
            if fd is None:
                pending.clear()
                self._closed.wait(_IDLE_S)
                continue
            data = self._receive(fd, generation)
            if data is None:  # unplugged or replugged meanwhile: start afresh
                pending.clear()
                continue
            if not data:  # nobody has the port open, or nothing came
                continue
            pending += data
            *lines, rest = re.split(rb"[\r\n]", bytes(pending))
            pending[:] = rest
            commands = [line.decode("ascii", "replace").strip() for line in lines]
            commands = [command for command in commands if command]
            if not self._powered:
                continue
            with self._lock:
                self._commands += commands
            for index, command in enumerate(commands):
                answer = self._answer(command, generation)
                more = index + 1 < len(commands) or bool(rest) or _readable(fd, 0)
                self._send(fd, generation, answer, overlapping=more)

    def _receive(self, fd: int, generation: int) -> bytes | None:
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        events = sum(event for _, event in poller.poll(_POLL_MS))
        if not events & select.POLLIN:
            if events:  # POLLHUP: no reader has the port open; do not spin on it
                self._closed.wait(_IDLE_S)
            return b""
        with self._lock:
            if generation != self._generation:
                return None
            try:
                return os.read(fd, 4096)
            except OSError:  # EIO: the reader closed the port; EAGAIN: nothing after all
                return b""

    def _send(self, fd: int, generation: int, answer: str, overlapping: bool) -> None:
        with self._lock:
            if generation != self._generation:
                return  # the cable was pulled while the scale was thinking
            self._overlapping += overlapping
            # Nobody reads any more, or the reader fell far behind: lost, as on a wire.
            with contextlib.suppress(OSError):
                os.write(fd, answer.encode("ascii") + b"\r\n")

    def _answer(self, command: str, generation: int) -> str:
        if command == "SI":
            return self._weight_answer(generation, wait=False)
        if command == "S":
            return self._weight_answer(generation, wait=True)
        if command == "Z":
            if not self._wait_settled(generation):
                return "Z I"
            with self._lock:
                if self._overloaded():
                    return "Z +"
                self._zero_g, self._tare_g = self._load_g, 0
            return "Z A"
        if command == "ZI":
            with self._lock:
                if self._overloaded():
                    return "ZI +"
                moving = self._moving()
                self._zero_g, self._tare_g = self._load_g, 0
            return "ZI D" if moving else "ZI S"
        if command == "T":
            if not self._wait_settled(generation):
                return "T I"
            with self._lock:
                if self._overloaded():
                    return "T +"
                gross = self._load_g - self._zero_g
                if gross < 0:
                    return "T -"
                self._tare_g = gross
            return f"T S {_kg(gross):>10} kg"
        if command == "TA":
            return f"TA A {_kg(self._tare_g):>10} kg"
        if command in ("TAC", "@"):  # a reset also forgets the tare
            with self._lock:
                self._tare_g = 0
            return "TAC A" if command == "TAC" else f'I4 A "{self.serial_number}"'
        if command == "I4":
            return f'I4 A "{self.serial_number}"'
        return "ES"

    def _weight_answer(self, generation: int, *, wait: bool) -> str:
        settled = self._wait_settled(generation) if wait else not self._moving()
        with self._lock:
            if self._overloaded():
                return "S +"
            if wait and not settled:
                return "S I"
            net = self._load_g - self._zero_g - self._tare_g
            if settled:
                return f"S S {_kg(net):>10} kg"
            return f"S D {_kg(net + self._wobble()):>10} kg"

    def _wait_settled(self, generation: int) -> bool:
        deadline = time.monotonic() + self.settle_wait_s
        while not self._closed.is_set() and generation == self._generation:
            now = time.monotonic()
            left = self._settled_at - now
            if left <= 0:
                return True
            if now >= deadline:
                return False
            self._closed.wait(min(left, deadline - now, _IDLE_S))
        return False

    def _moving(self) -> bool:
        return time.monotonic() < self._settled_at

    def _overloaded(self) -> bool:
        return self._load_g > self.capacity_g

    def _wobble(self) -> int:
        """The offset of the next reading of a settling weight: the same run every time."""
        n, self._wobbles = self._wobbles, self._wobbles + 1
        if n < len(WOBBLE_G):
            return WOBBLE_G[n]
        return 1 if n % 2 else -1


def _kg(grams: int) -> str:
    return f"{Decimal(grams) / 1000:.3f}"


def _readable(fd: int, timeout_ms: int) -> bool:
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return any(event & select.POLLIN for _, event in poller.poll(timeout_ms))


_TYPED_WEIGHT = re.compile(r"(?P<amount>\d+(?:\.\d*)?|\.\d+)\s*(?P<unit>kg|g|lb|oz)?", re.I)
_HELP = "type a weight (1250, 1250 g, 1.25 kg, 2.5 lb), remove, unplug, replug, off, on or quit"


def run_simulated_scale(
    link: Path | None, stdin: TextIO, stdout: TextIO, *, settle_s: float = DEFAULT_SETTLE_S
) -> int:
    """``packbench sim scale``: a simulated scale driven by lines typed on ``stdin``.

    Prints the path to open on ``stdout`` first, then the configuration to use, then reads
    lines: a weight (grams when no unit is given) is put on the pan and settles within
    ``settle_s``; ``remove``,
    ``unplug``, ``replug``, ``off``, ``on`` do as they say; ``quit``, the end of input
    (Ctrl+D) or Ctrl+C close the scale. Returns 0.
    """

    def say(text: str) -> None:
        print(text, file=stdout, flush=True)

    try:
        with SimulatedScale(link) as scale:
            say(scale.path)
            quoted = scale.path.replace("\\", "\\\\").replace('"', '\\"')
            say(f'Simulated MT-SICS scale. In config.toml:  [scale] port = "{quoted}"')
            say(_HELP[0].upper() + _HELP[1:] + ".")
            for line in typed_lines(stdin):
                word = line.strip().lower()
                if word in ("quit", "exit", "q"):
                    break
                if word:
                    say(_obey(scale, word, settle_s))
    except KeyboardInterrupt:  # the scale is closed by then, wherever Ctrl+C came
        say("")
    say("scale closed")
    return 0


def _obey(scale: SimulatedScale, word: str, settle_s: float) -> str:
    typed = _TYPED_WEIGHT.fullmatch(word)
    if typed is not None:
        grams = to_grams(typed["amount"], typed["unit"] or "g")
        scale.put(grams, settle_s)
        return f"{grams} g on the scale, settling for {settle_s:g} s"
    if word == "remove":
        scale.remove(settle_s)
        return "pan cleared"
    if word == "unplug":
        scale.unplug()
        return "unplugged"
    if word == "replug":
        scale.replug()
        return f"plugged back in at {scale.path}"
    if word == "off":
        scale.switch_off()
        return "switched off: plugged in, answering nothing"
    if word == "on":
        scale.switch_on()
        return "switched on"
    return f"? {word}: {_HELP}"
