"""SICS answers, and a SICS scale polled against the simulator on real pseudo-terminals."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from devices.scale import (
    Reading,
    ScaleError,
    ScaleState,
    SicsReply,
    SicsScale,
    parse_sics,
    to_grams,
)
from devices.sim_scale import SimulatedScale
from devices.sim_scanner import SimulatedScanner

WAIT_S = 5.0  # generous, only to fail fast instead of hanging
QUICK = {"poll_interval_s": 0.05, "reconnect_every_s": 0.1}


@dataclass
class Recorder:
    """The callbacks a scale calls on its thread, queued for the test to wait on."""

    readings: queue.Queue[Reading] = field(default_factory=queue.Queue)
    replies: queue.Queue[SicsReply] = field(default_factory=queue.Queue)
    states: queue.Queue[tuple[ScaleState, str]] = field(default_factory=queue.Queue)

    def on_reading(self, reading: Reading) -> None:
        self.readings.put(reading)

    def on_reply(self, reply: SicsReply) -> None:
        self.replies.put(reply)

    def on_state(self, state: ScaleState, reason: str) -> None:
        self.states.put((state, reason))

    def wait_for(self, wanted: ScaleState) -> str:
        """Reason of the next report of ``wanted``, skipping other states."""
        deadline = time.monotonic() + WAIT_S
        while True:
            state, reason = self.states.get(timeout=max(0.0, deadline - time.monotonic()))
            if state is wanted:
                return reason

    def readings_until(self, done: Callable[[Reading], bool]) -> list[Reading]:
        """Readings as they come, up to and including the first one that is ``done``."""
        deadline = time.monotonic() + WAIT_S
        taken: list[Reading] = []
        while not taken or not done(taken[-1]):
            taken.append(self.readings.get(timeout=max(0.0, deadline - time.monotonic())))
        return taken

    def stable(self, grams: int) -> Reading:
        return self.readings_until(lambda r: r.stable and r.grams == grams)[-1]

    def skip_readings(self) -> None:
        while not self.readings.empty():
            self.readings.get_nowait()


@pytest.fixture
def simulator() -> Iterator[SimulatedScale]:
    with SimulatedScale(settle_wait_s=0.3) as scale:
        yield scale


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def start_scale(recorder: Recorder) -> Iterator[Callable[..., SicsScale]]:
    """Start a scale on a port and stop it after the test."""
    started: list[SicsScale] = []

    def start(port: str, **options: Any) -> SicsScale:
        options = {**QUICK, **options}
        options.setdefault("on_reading", recorder.on_reading)
        scale = SicsScale(port, on_state=recorder.on_state, on_reply=recorder.on_reply, **options)
        scale.start()
        started.append(scale)
        return scale

    yield start
    for scale in started:
        scale.stop()


@pytest.fixture
def connected(
    simulator: SimulatedScale, recorder: Recorder, start_scale: Callable[..., SicsScale]
) -> Callable[..., SicsScale]:
    def connect(**options: Any) -> SicsScale:
        scale = start_scale(simulator.path, **options)
        recorder.wait_for(ScaleState.CONNECTED)
        return scale

    return connect


# -- parsing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "grams", "stable"),
    [
        ("S S      1.250 kg", 1250, True),
        ("S D      1.247 kg\r\n", 1247, False),
        ("S S      0.000 kg", 0, True),
        ("S S     -0.012 kg", -12, True),
        ("S S -    0.012 kg", -12, True),
        ("S S     1250.4 g", 1250, True),
        ("S S        0.5 g", 1, True),
        ("S D        850 g", 850, False),
        ("S S      2.500 lb", 1134, True),  # 1133.98 g
        ("S S     12.00 oz", 340, True),  # 340.19 g
        ("S S      500 mg", 1, True),
    ],
)
def test_a_weight_answer_is_a_reading_in_grams(line: str, grams: int, stable: bool) -> None:
    reading = parse_sics(line, at=12.5)
    assert reading == Reading(grams, stable, line.rstrip("\r\n"), 12.5)


def test_a_reading_is_stamped_with_the_monotonic_clock_by_default() -> None:
    before = time.monotonic()
    reading = parse_sics("S S      1.250 kg")
    assert isinstance(reading, Reading)
    assert before <= reading.at <= time.monotonic()


@pytest.mark.parametrize(
    ("line", "ok", "meaning"),
    [
        ("S I", False, "The scale is busy or the weight would not settle: try again"),
        ("S +", False, "The scale is overloaded: take weight off"),
        ("S -", False, "The scale is underloaded: check the pan is in place, then zero it"),
        ("Z A", True, "Zeroed"),
        ("Z I", False, "The scale could not zero: wait until the weight is still, try again"),
        ("Z +", False, "Too much weight on the scale to zero it: clear the pan"),
        ("Z -", False, "The scale is below its zero range: check the pan is in place"),
        ("ZI S", True, "Zeroed"),
        ("ZI D", True, "Zeroed while the weight was moving"),
        ("T I", False, "The scale could not tare: wait until the weight is still, try again"),
        ("T +", False, "Too much weight on the scale to tare it"),
        ("T -", False, "The scale cannot tare below zero: zero it first"),
        ("TAC A", True, "Tare cleared"),
        ("ES", False, "The scale did not understand the command (SICS syntax error)"),
        (
            "ET",
            False,
            "The scale received a garbled command: check the line speed and 8N1 on the scale",
        ),
        ("EL", False, "The scale cannot carry out that command (SICS logical error)"),
    ],
)
def test_every_status_answer_says_what_it_means(line: str, ok: bool, meaning: str) -> None:
    command, _, status = line.partition(" ")
    assert parse_sics(line + "\r\n") == SicsReply(command, status, ok, meaning, line)


@pytest.mark.parametrize(
    ("line", "command", "grams", "meaning"),
    [
        ("T S      0.350 kg", "T", 350, "Tared at 0.350 kg"),
        ("T S      1.000 lb", "T", 454, "Tared at 0.454 kg"),
        ("TI D     0.348 kg", "TI", 348, "Tared at 0.348 kg while the weight was moving"),
        ("TA A     0.350 kg", "TA", 350, "Tare is 0.350 kg"),
    ],
)
def test_a_tare_answer_carries_the_tare_weight(
    line: str, command: str, grams: int, meaning: str
) -> None:
    reply = parse_sics(line)
    assert isinstance(reply, SicsReply)
    assert (reply.command, reply.ok, reply.grams, reply.meaning) == (command, True, grams, meaning)


def test_an_identification_answer_carries_its_text() -> None:
    reply = parse_sics('I4 A "0123456789"')
    assert isinstance(reply, SicsReply)
    assert (reply.command, reply.status, reply.ok, reply.text) == ("I4", "A", True, "0123456789")
    reply = parse_sics('I2 A "PBA430-X" "30.000 kg"')
    assert isinstance(reply, SicsReply) and reply.text == "PBA430-X 30.000 kg"
    reply = parse_sics("I1 A 0 2.30")
    assert isinstance(reply, SicsReply) and reply.text == "0 2.30"


@pytest.mark.parametrize(
    "line",
    [
        "",
        "\r\n",
        "hello",
        "S",
        "S S",
        "S X",
        "S S 1.250",
        "S S abc kg",
        "S S 1..2 kg",
        "S S nan kg",
        "S S 1.250 stone",
        "S S 1.250 kg N",
        "Z A extra",
        "ES now",
        "Q A",
        "\x00\xff garbage",
    ],
)
def test_anything_else_is_refused(line: str) -> None:
    with pytest.raises(ValueError, match=r"SICS|weight|unit|number"):
        parse_sics(line)


@pytest.mark.parametrize(
    ("amount", "unit", "grams"),
    [("1.25", "kg", 1250), ("1.2495", "KG", 1250), ("1", "lb", 454), ("16", "oz", 454)],
)
def test_weights_convert_to_whole_grams(amount: str, unit: str, grams: int) -> None:
    assert to_grams(amount, unit) == grams
    assert to_grams(Decimal(amount), unit) == grams


def test_an_unknown_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown weight unit 'st'"):
        to_grams("2", "st")


# -- a scale on a port ------------------------------------------------------------------


def test_readings_move_while_the_weight_settles_then_stay_at_it(
    simulator: SimulatedScale, recorder: Recorder, connected: Callable[..., SicsScale]
) -> None:
    scale = connected()
    assert recorder.stable(0).grams == 0
    simulator.put(1250, settle_s=0.4)
    readings = recorder.readings_until(lambda r: r.stable and r.grams == 1250)
    moving = [r for r in readings if not r.stable and r.grams != 0]
    assert moving, "no dynamic reading while settling"
    assert all(r.raw.startswith("S D") for r in moving)
    assert all(abs(r.grams - 1250) <= 40 for r in moving)
    assert readings[-1].raw == "S S      1.250 kg"
    assert scale.latest is not None and scale.latest.stable
    stable = scale.stable_reading()
    assert stable is not None and stable.grams == 1250
    assert scale.serial_number == simulator.serial_number


def test_a_stable_reading_too_old_is_not_offered(
    simulator: SimulatedScale, recorder: Recorder, connected: Callable[..., SicsScale]
) -> None:
    scale = connected()
    recorder.stable(0)
    assert scale.stable_reading(max_age_s=5.0) is not None
    assert scale.stable_reading(max_age_s=-1.0) is None
    simulator.put(800, settle_s=2.0)
    recorder.readings_until(lambda r: not r.stable)
    assert scale.stable_reading() is None


def test_zero_makes_the_weight_on_the_pan_read_zero(
    simulator: SimulatedScale, recorder: Recorder, connected: Callable[..., SicsScale]
) -> None:
    scale = connected()
    simulator.put(1250, settle_s=0.1)
    recorder.stable(1250)
    reply = scale.zero().result(timeout=WAIT_S)
    assert (reply.command, reply.status, reply.meaning) == ("Z", "A", "Zeroed")
    recorder.stable(0)
    simulator.put(1500, settle_s=0.1)
    assert recorder.stable(250).raw == "S S      0.250 kg"
    assert "Z" in simulator.commands


def test_tare_takes_the_box_off_the_weight_and_clear_tare_puts_it_back(
    simulator: SimulatedScale, recorder: Recorder, connected: Callable[..., SicsScale]
) -> None:
    scale = connected()
    simulator.put(400, settle_s=0.1)
    recorder.stable(400)
    reply = scale.tare().result(timeout=WAIT_S)
    assert (reply.command, reply.grams, reply.meaning) == ("T", 400, "Tared at 0.400 kg")
    recorder.stable(0)
    simulator.put(1650, settle_s=0.1)
    recorder.stable(1250)
    assert scale.clear_tare().result(timeout=WAIT_S).meaning == "Tare cleared"
    recorder.stable(1650)


def test_zero_waits_for_the_weight_and_no_poll_is_sent_meanwhile(
    simulator: SimulatedScale, recorder: Recorder, connected: Callable[..., SicsScale]
) -> None:
    scale = connected()
    recorder.stable(0)
    put_at = time.monotonic()
    simulator.put(700, settle_s=0.25)
    assert scale.zero().result(timeout=WAIT_S).status == "A"
    assert time.monotonic() - put_at >= 0.25  # the scale held the answer until it settled
    recorder.stable(0)
    assert simulator.overlapping_commands == 0


def test_a_zero_the_scale_cannot_do_fails_with_its_meaning_and_polling_goes_on(
    simulator: SimulatedScale, recorder: Recorder, connected: Callable[..., SicsScale]
) -> None:
    scale = connected()
    simulator.put(700, settle_s=30.0)  # never still in time
    recorder.readings_until(lambda r: not r.stable)
    with pytest.raises(ScaleError, match="could not zero") as failure:
        scale.zero().result(timeout=WAIT_S)
    assert failure.value.reply is not None and failure.value.reply.raw == "Z I"
    recorder.skip_readings()
    assert not recorder.readings_until(lambda r: True)[0].stable
    assert scale.state is ScaleState.CONNECTED
    assert simulator.overlapping_commands == 0


def test_an_overloaded_scale_says_so_and_has_no_weight(
    simulator: SimulatedScale, recorder: Recorder, connected: Callable[..., SicsScale]
) -> None:
    scale = connected()
    recorder.stable(0)
    simulator.put(simulator.capacity_g + 1, settle_s=0.0)
    reply = recorder.replies.get(timeout=WAIT_S)
    assert reply.meaning == "The scale is overloaded: take weight off"
    assert scale.latest is None
    assert scale.stable_reading() is None
    simulator.put(2000, settle_s=0.0)
    recorder.stable(2000)


def test_polls_come_no_faster_than_asked(
    simulator: SimulatedScale, recorder: Recorder, connected: Callable[..., SicsScale]
) -> None:
    connected(poll_interval_s=0.2)
    recorder.stable(0)
    polls_before = simulator.commands.count("SI")
    began = time.monotonic()
    for _ in range(3):
        recorder.readings.get(timeout=WAIT_S)
    elapsed = time.monotonic() - began
    assert simulator.commands.count("SI") - polls_before <= elapsed / 0.2 + 2


def test_a_failing_callback_does_not_stop_the_polling(
    simulator: SimulatedScale, recorder: Recorder, connected: Callable[..., SicsScale]
) -> None:
    calls = 0

    def fussy(reading: Reading) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("a bug in the slot")
        recorder.on_reading(reading)

    connected(on_reading=fussy)
    simulator.put(321, settle_s=0.0)
    recorder.stable(321)


def test_an_unplugged_scale_is_disconnected_and_back_by_itself_when_replugged(
    simulator: SimulatedScale, recorder: Recorder, connected: Callable[..., SicsScale]
) -> None:
    scale = connected()
    recorder.stable(0)
    simulator.unplug()
    assert recorder.wait_for(ScaleState.DISCONNECTED) == f"scale unplugged ({simulator.path})"
    assert scale.state is ScaleState.DISCONNECTED
    assert scale.latest is None
    with pytest.raises(ScaleError, match=r"not connected: scale unplugged"):
        scale.zero().result(timeout=WAIT_S)
    time.sleep(0.5)  # unplugged for a while: several reconnect attempts fail first
    assert recorder.states.empty(), "the disconnect was reported more than once"
    simulator.replug()
    assert recorder.wait_for(ScaleState.CONNECTED) == f"connected ({simulator.path})"
    simulator.put(1100, settle_s=0.0)
    recorder.stable(1100)


def test_a_port_whose_other_side_never_answers_is_a_scale_that_does_not_answer(
    recorder: Recorder, start_scale: Callable[..., SicsScale]
) -> None:
    with SimulatedScanner() as silent:  # a pseudo-terminal nobody answers on
        scale = start_scale(silent.path, answer_timeout_s=0.3)
        reason = recorder.wait_for(ScaleState.DISCONNECTED)
        assert reason == (
            f"The scale on {silent.path} does not answer SICS commands: check it is on, "
            "its interface is set to MT-SICS, 9600 8N1"
        )
        assert scale.state is ScaleState.DISCONNECTED


def test_a_scale_switched_off_and_on_again_is_disconnected_then_back(
    simulator: SimulatedScale, recorder: Recorder, connected: Callable[..., SicsScale]
) -> None:
    connected(answer_timeout_s=0.3, baudrate=19200)
    recorder.stable(0)
    simulator.switch_off()
    reason = recorder.wait_for(ScaleState.DISCONNECTED)
    assert reason.endswith(
        "does not answer SICS commands: check it is on, its interface is set to MT-SICS, 19200 8N1"
    )
    simulator.switch_on()
    recorder.wait_for(ScaleState.CONNECTED)
    simulator.put(90, settle_s=0.0)
    recorder.stable(90)


def test_a_port_missing_at_start_connects_once_the_scale_appears(
    tmp_path: Path, recorder: Recorder, start_scale: Callable[..., SicsScale]
) -> None:
    port = tmp_path / "ttyPB0"
    start_scale(str(port))
    assert recorder.wait_for(ScaleState.DISCONNECTED) == (
        f"{port} not found: plug the scale in or fix [scale] port"
    )
    with SimulatedScale(link=port) as simulator:
        recorder.wait_for(ScaleState.CONNECTED)
        simulator.put(50, settle_s=0.0)
        recorder.stable(50)


def test_stop_ends_the_thread_quickly_and_refuses_commands_after(
    simulator: SimulatedScale, recorder: Recorder, connected: Callable[..., SicsScale]
) -> None:
    scale = connected()
    threads_before = threading.active_count()
    began = time.monotonic()
    scale.stop()
    assert time.monotonic() - began < 1.0
    assert threading.active_count() == threads_before - 1
    assert recorder.wait_for(ScaleState.STOPPED) == "stopped"
    with pytest.raises(ScaleError, match="stopped"):
        scale.tare().result(timeout=WAIT_S)


def test_stop_during_a_zero_fails_the_zero_at_once(
    simulator: SimulatedScale, recorder: Recorder, connected: Callable[..., SicsScale]
) -> None:
    scale = connected()
    simulator.put(700, settle_s=30.0)
    recorder.readings_until(lambda r: not r.stable)
    pending = scale.zero()
    while "Z" not in simulator.commands and not pending.done():
        time.sleep(0.01)  # the scale holds Z until the weight settles: it is in flight
    began = time.monotonic()
    scale.stop()
    with pytest.raises(ScaleError, match="stopped"):
        pending.result(timeout=WAIT_S)
    assert time.monotonic() - began < 1.0
