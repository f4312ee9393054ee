"""Replug benchmark: how soon a serial scanner and a scale are read again once plugged back.

Each cycle unplugs the simulator (``devices.sim_scanner``, ``devices.sim_scale``, real
pseudo-terminals behind a stable path), leaves it away for a varied time (0.2-6 s, so the
replug falls anywhere in the reader's retry cycle and after any backoff a reader might
have), plugs it back and times until the application's reader delivers again: a scan for
the scanner (a code is sent every 10 ms until one arrives: what the port takes before it is
opened is thrown away, as on a real port), a weight for the scale. The floor is a bare
pyserial loop opening the path every 10 ms: the moment the device can be opened at all.
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from collections.abc import Callable
from typing import Protocol

import serial

from app.domain.scans import Scan
from devices.scale import Reading, SicsScale
from devices.serial_ports import RECONNECT_EVERY_S
from devices.serial_scanner import ScannerState, SerialScanner
from devices.sim_scale import SimulatedScale
from devices.sim_scanner import SimulatedScanner

DEFAULT_N = 10
_PROBE_S = 0.01
_GIVE_UP_S = 30.0


def _unplugged_times(n: int) -> list[float]:
    rng = random.Random(14)
    return [round(rng.uniform(0.2, 6.0), 2) for _ in range(n)]


def _floor(path: str, replugged: float) -> float:
    """Open the path every 10 ms until it opens: when the device is there to be read."""
    while time.monotonic() - replugged < _GIVE_UP_S:
        try:
            serial.serial_for_url(path, timeout=0).close()
            return time.monotonic() - replugged
        except (serial.SerialException, OSError):
            time.sleep(_PROBE_S)
    raise RuntimeError(f"{path} did not come back within {_GIVE_UP_S:.0f} s")


class _Pluggable(Protocol):
    @property
    def path(self) -> str: ...

    def unplug(self) -> None: ...

    def replug(self) -> None: ...


def _floor_cycles(simulator: _Pluggable, times: list[float]) -> list[float]:
    floor = []
    for away in times:
        simulator.unplug()
        time.sleep(min(away, 0.2))  # how long it was away does not matter to a 10 ms poller
        simulator.replug()
        floor.append(_floor(simulator.path, time.monotonic()))
    return floor


def _scanner_cycles(times: list[float]) -> tuple[list[float], list[float]]:
    arrived = threading.Event()

    def on_scan(scan: Scan) -> None:
        arrived.set()

    def on_state(state: ScannerState, reason: str) -> None:
        return None

    ours: list[float] = []
    with SimulatedScanner() as simulator:
        reader = SerialScanner(simulator.path, on_scan=on_scan, on_state=on_state)
        reader.start()
        try:
            for away in times:
                _wait_until(lambda: reader.state is ScannerState.CONNECTED)
                simulator.unplug()
                time.sleep(away)
                arrived.clear()
                simulator.replug()
                replugged = time.monotonic()
                while not arrived.is_set():
                    simulator.scan("PROBE")
                    arrived.wait(_PROBE_S)
                ours.append(time.monotonic() - replugged)
            reader.stop()  # the floor: the same simulator, nobody else reading
            floor = _floor_cycles(simulator, times)
        finally:
            reader.stop()
    return ours, floor


def _scale_cycles(times: list[float]) -> tuple[list[float], list[float]]:
    latest: list[float] = []
    weighed = threading.Event()

    def on_reading(reading: Reading) -> None:
        latest.append(reading.at)
        weighed.set()

    ours: list[float] = []
    with SimulatedScale() as simulator:
        scale = SicsScale(simulator.path, on_reading=on_reading)
        scale.start()
        try:
            for away in times:
                weighed.clear()
                weighed.wait(_GIVE_UP_S)
                simulator.unplug()
                time.sleep(away)
                weighed.clear()
                simulator.replug()
                replugged = time.monotonic()
                if not weighed.wait(_GIVE_UP_S):
                    raise RuntimeError("the scale did not weigh again after a replug")
                ours.append(latest[-1] - replugged)
            scale.stop()  # the floor: the same simulator, nobody else reading
            floor = _floor_cycles(simulator, times)
        finally:
            scale.stop()
    return ours, floor


def _wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + _GIVE_UP_S
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("the reader did not connect")
        time.sleep(_PROBE_S)


def _figures(seconds: list[float]) -> dict[str, float]:
    return {
        "median_s": round(statistics.median(seconds), 3),
        "max_s": round(max(seconds), 3),
    }


def run(n: int | None, emit: Callable[[dict[str, object]], None]) -> None:
    times = _unplugged_times(n or DEFAULT_N)
    for device, cycles in (("scanner", _scanner_cycles), ("scale", _scale_cycles)):
        ours, floor = cycles(times)
        figures, floor_figures = _figures(ours), _figures(floor)
        emit(
            {
                "bench": f"replug-{device}",
                "n": len(times),
                "unplugged_s": times,
                **figures,
                "floor_median_s": floor_figures["median_s"],
                "floor_max_s": floor_figures["max_s"],
                "retry_every_s": RECONNECT_EVERY_S,
                "what": f"replug -> first {'scan' if device == 'scanner' else 'weight'} read; "
                "floor: a bare open() of the path every 10 ms",
            }
        )
