"""Serial scanners against the simulator on real pseudo-terminals: framing, bursts, unplug."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import serial

from app.domain.scans import Scan
from devices.serial_scanner import ScanFramer, ScannerState, SerialScanner, decode_frame
from devices.sim_scanner import SimulatedScanner

GS = "\x1d"
WAIT_S = 5.0  # generous, only to fail fast instead of hanging


@dataclass
class Recorder:
    """The callbacks a scanner calls on its thread, queued for the test to wait on."""

    scans: queue.Queue[Scan] = field(default_factory=queue.Queue)
    states: queue.Queue[tuple[ScannerState, str, float]] = field(default_factory=queue.Queue)

    def on_scan(self, scan: Scan) -> None:
        self.scans.put(scan)

    def on_state(self, state: ScannerState, reason: str) -> None:
        self.states.put((state, reason, time.monotonic()))

    def next_scan(self) -> Scan:
        return self.scans.get(timeout=WAIT_S)

    def take_scans(self, count: int) -> list[Scan]:
        return [self.next_scan() for _ in range(count)]

    def assert_no_scan(self, within_s: float = 0.3) -> None:
        with pytest.raises(queue.Empty):
            self.scans.get(timeout=within_s)

    def wait_for(self, wanted: ScannerState) -> tuple[str, float]:
        """Reason and time of the next report of ``wanted``, skipping other states."""
        deadline = time.monotonic() + WAIT_S
        while True:
            state, reason, at = self.states.get(timeout=max(0.0, deadline - time.monotonic()))
            if state is wanted:
                return reason, at


@pytest.fixture
def simulator() -> Iterator[SimulatedScanner]:
    with SimulatedScanner() as scanner:
        yield scanner


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def start_scanner(recorder: Recorder) -> Iterator[Callable[..., SerialScanner]]:
    """Start a scanner on a port (the simulator's by default) and stop it after the test."""
    started: list[SerialScanner] = []

    def start(port: str, **options: Any) -> SerialScanner:
        options.setdefault("on_scan", recorder.on_scan)
        scanner = SerialScanner(port, on_state=recorder.on_state, **options)
        scanner.start()
        started.append(scanner)
        return scanner

    yield start
    for scanner in started:
        scanner.stop()


@pytest.fixture
def connected(
    simulator: SimulatedScanner, recorder: Recorder, start_scanner: Callable[..., SerialScanner]
) -> Callable[..., SerialScanner]:
    def connect(**options: Any) -> SerialScanner:
        scanner = start_scanner(simulator.path, **options)
        recorder.wait_for(ScannerState.CONNECTED)
        return scanner

    return connect


def test_a_scan_arrives_with_its_text_symbology_and_source(
    simulator: SimulatedScanner, recorder: Recorder, connected: Callable[..., SerialScanner]
) -> None:
    connected()
    before = time.monotonic()
    simulator.scan("0109501101530003", aim="]C1")
    scan = recorder.next_scan()
    assert scan.text == "0109501101530003"
    assert scan.symbology == "]C1"
    assert scan.source == f"serial:{simulator.path}"
    assert scan.at >= before


def test_a_scan_without_aim_identifier_has_no_symbology(
    simulator: SimulatedScanner, recorder: Recorder, connected: Callable[..., SerialScanner]
) -> None:
    connected(source="bench-2 scanner")
    simulator.scan("SKU-12345")
    scan = recorder.next_scan()
    assert (scan.text, scan.symbology, scan.source) == ("SKU-12345", None, "bench-2 scanner")


@pytest.mark.parametrize(
    ("configured", "sent"),
    [("\r", "\r"), ("\r\n", "\r\n"), ("\n", "\n"), ("\t", "\t"), ("\r", "\r\n"), ("\n", "\r\n")],
)
def test_codes_are_framed_by_the_suffix(
    configured: str,
    sent: str,
    simulator: SimulatedScanner,
    recorder: Recorder,
    connected: Callable[..., SerialScanner],
) -> None:
    connected(suffix=configured)
    simulator.scan("ORD-000123", suffix=sent)
    simulator.scan("4006381333931", suffix=sent)
    assert [s.text for s in recorder.take_scans(2)] == ["ORD-000123", "4006381333931"]
    recorder.assert_no_scan()


def test_the_configured_prefix_is_stripped_before_the_aim_identifier(
    simulator: SimulatedScanner, recorder: Recorder, connected: Callable[..., SerialScanner]
) -> None:
    connected(prefix="#")
    simulator.scan("4006381333931", aim="]E0", prefix="#")
    scan = recorder.next_scan()
    assert (scan.text, scan.symbology) == ("4006381333931", "]E0")


def test_a_code_split_across_two_writes_is_one_scan(
    simulator: SimulatedScanner, recorder: Recorder, connected: Callable[..., SerialScanner]
) -> None:
    connected()
    simulator.write(b"SKU-1")
    recorder.assert_no_scan()
    simulator.write(b"2345\r")
    assert recorder.next_scan().text == "SKU-12345"


def test_fifty_scans_in_one_burst_are_fifty_scans_in_order(
    simulator: SimulatedScanner, recorder: Recorder, connected: Callable[..., SerialScanner]
) -> None:
    connected()
    codes = [f"SKU-{n:05d}" for n in range(50)]
    simulator.write(b"".join(f"]C0{code}\r".encode() for code in codes))
    assert [s.text for s in recorder.take_scans(50)] == codes
    recorder.assert_no_scan()


def test_fifty_scans_a_millisecond_apart_are_fifty_scans_in_order(
    simulator: SimulatedScanner, recorder: Recorder, connected: Callable[..., SerialScanner]
) -> None:
    connected(suffix="\r\n")
    codes = [f"4006381{n:06d}" for n in range(50)]
    for code in codes:
        simulator.scan(code, suffix="\r\n")
        time.sleep(0.001)
    assert [s.text for s in recorder.take_scans(50)] == codes
    recorder.assert_no_scan()


def test_group_separators_stay_in_the_text(
    simulator: SimulatedScanner, recorder: Recorder, connected: Callable[..., SerialScanner]
) -> None:
    connected()
    simulator.scan(f"0109501101530003{GS}10AB12{GS}17251231", aim="]d2")
    scan = recorder.next_scan()
    assert scan.text == f"0109501101530003{GS}10AB12{GS}17251231"
    assert scan.symbology == "]d2"


def test_utf8_is_decoded_and_other_bytes_fall_back_to_latin1(
    simulator: SimulatedScanner, recorder: Recorder, connected: Callable[..., SerialScanner]
) -> None:
    connected()
    simulator.write("Müller-Straße\r".encode())
    simulator.write("Größe\r".encode("latin-1"))
    assert [s.text for s in recorder.take_scans(2)] == ["Müller-Straße", "Größe"]


def test_without_a_suffix_a_code_ends_when_the_line_falls_silent(
    simulator: SimulatedScanner, recorder: Recorder, connected: Callable[..., SerialScanner]
) -> None:
    connected(suffix="")
    simulator.scan("SKU-12345", suffix="")
    assert recorder.next_scan().text == "SKU-12345"


def test_a_failing_callback_does_not_stop_the_reading(
    simulator: SimulatedScanner, recorder: Recorder, connected: Callable[..., SerialScanner]
) -> None:
    def fussy(scan: Scan) -> None:
        if scan.text == "BAD":
            raise RuntimeError("a bug in the slot")
        recorder.on_scan(scan)

    connected(on_scan=fussy)
    simulator.scan("BAD")
    simulator.scan("GOOD")
    assert recorder.next_scan().text == "GOOD"


def test_an_unplugged_scanner_is_reported_disconnected_in_words(
    simulator: SimulatedScanner, recorder: Recorder, connected: Callable[..., SerialScanner]
) -> None:
    scanner = connected()
    simulator.unplug()
    reason, _ = recorder.wait_for(ScannerState.DISCONNECTED)
    assert reason == f"scanner unplugged ({simulator.path})"
    assert scanner.state is ScannerState.DISCONNECTED


def test_a_replugged_scanner_is_back_within_two_seconds_and_scans_again(
    simulator: SimulatedScanner, recorder: Recorder, connected: Callable[..., SerialScanner]
) -> None:
    connected(reconnect_every_s=0.5)
    simulator.unplug()
    recorder.wait_for(ScannerState.DISCONNECTED)
    time.sleep(1.2)  # unplugged for a while: several reconnect attempts fail first
    replugged_at = time.monotonic()
    simulator.replug()
    _, connected_at = recorder.wait_for(ScannerState.CONNECTED)
    assert connected_at - replugged_at <= 2.0
    simulator.scan("AFTER-REPLUG")
    assert recorder.next_scan().text == "AFTER-REPLUG"


def test_the_disconnect_is_reported_once_while_the_scanner_stays_away(
    simulator: SimulatedScanner, recorder: Recorder, connected: Callable[..., SerialScanner]
) -> None:
    connected(reconnect_every_s=0.1)
    simulator.unplug()
    recorder.wait_for(ScannerState.DISCONNECTED)
    time.sleep(0.6)
    assert recorder.states.empty()


def test_a_port_missing_at_start_connects_once_the_scanner_appears(
    tmp_path: Path, recorder: Recorder, start_scanner: Callable[..., SerialScanner]
) -> None:
    port = tmp_path / "ttyPB0"
    start_scanner(str(port), reconnect_every_s=0.5)
    reason, _ = recorder.wait_for(ScannerState.DISCONNECTED)
    assert reason == f"{port} not found: plug it in or fix [scanner] port"
    with SimulatedScanner(link=port) as simulator:
        recorder.wait_for(ScannerState.CONNECTED)
        simulator.scan("FIRST")
        assert recorder.next_scan().text == "FIRST"


def test_a_port_held_by_another_program_is_reported_as_in_use(
    simulator: SimulatedScanner, recorder: Recorder, start_scanner: Callable[..., SerialScanner]
) -> None:
    with serial.serial_for_url(simulator.path, exclusive=True):
        start_scanner(simulator.path)
        reason, _ = recorder.wait_for(ScannerState.DISCONNECTED)
    assert reason == f"{simulator.path} is in use by another program"
    recorder.wait_for(ScannerState.CONNECTED)


@pytest.mark.parametrize("plugged", [True, False])
def test_stop_ends_the_thread_quickly_and_says_stopped(
    plugged: bool,
    simulator: SimulatedScanner,
    recorder: Recorder,
    start_scanner: Callable[..., SerialScanner],
) -> None:
    if not plugged:
        simulator.unplug()
    scanner = start_scanner(simulator.path)
    recorder.wait_for(ScannerState.CONNECTED if plugged else ScannerState.DISCONNECTED)
    threads_before = threading.active_count()
    began = time.monotonic()
    scanner.stop()
    assert time.monotonic() - began < 1.0
    assert threading.active_count() == threads_before - 1
    assert recorder.wait_for(ScannerState.STOPPED)[0] == "stopped"
    assert scanner.state is ScannerState.STOPPED


def test_a_loop_url_is_opened_through_pyserial_like_any_port(
    recorder: Recorder, start_scanner: Callable[..., SerialScanner]
) -> None:
    opened: list[serial.SerialBase] = []

    def open_and_keep(url: str, **settings: Any) -> serial.SerialBase:
        port = serial.serial_for_url(url, **settings)
        opened.append(port)
        return port

    start_scanner("loop://", open_port=open_and_keep)
    recorder.wait_for(ScannerState.CONNECTED)
    opened[0].write(b"]Q3https://id.example.com/01/09501101530003\r")
    scan = recorder.next_scan()
    assert (scan.text, scan.symbology, scan.source) == (
        "https://id.example.com/01/09501101530003",
        "]Q3",
        "serial:loop://",
    )


@pytest.mark.parametrize(
    ("suffix", "chunks", "frames"),
    [
        ("\r", [b"AB", b"C\rDE", b"F\r"], [[], [b"ABC"], [b"DEF"]]),
        ("\r", [b"A\r", b"\nB\r\n"], [[b"A"], [b"B"]]),
        ("\r\n", [b"A\r\nB\r", b"\n"], [[b"A", b"B"], []]),
        ("\t", [b"A\tB\tC"], [[b"A", b"B"]]),
        ("\r", [b"\r\r"], [[]]),
    ],
)
def test_the_framer_joins_split_codes_and_splits_joined_ones(
    suffix: str, chunks: list[bytes], frames: list[list[bytes]]
) -> None:
    framer = ScanFramer(suffix)
    assert [framer.feed(chunk) for chunk in chunks] == frames


@pytest.mark.parametrize(
    ("frame", "prefix", "expected"),
    [
        (b"]C1010950110153000310AB12", "", ("010950110153000310AB12", "]C1")),
        (b"#]E04006381333931", "#", ("4006381333931", "]E0")),
        (b"4006381333931", "#", ("4006381333931", None)),
        (b"]", "", ("]", None)),
        (b"]z0ABC", "", ("ABC", "]z0")),
    ],
)
def test_a_frame_decodes_to_text_and_symbology(
    frame: bytes, prefix: str, expected: tuple[str, str | None]
) -> None:
    assert decode_frame(frame, prefix) == expected


def test_the_framer_holds_no_more_than_a_frame_without_its_suffix() -> None:
    framer = ScanFramer("\r", max_length=100)
    for _ in range(500):
        assert framer.feed(b"7" * 4096) == []
    assert framer.feed(b"77\rORD-100234\r") == [b"7" * 101, b"ORD-100234"]


def test_without_a_suffix_a_streaming_scanner_is_cut_at_the_limit_too() -> None:
    framer = ScanFramer("", max_length=100)
    framer.feed(b"7" * 100_000)
    assert framer.end_of_burst() == [b"7" * 101]
    framer.feed(b"SKU-1")
    assert framer.end_of_burst() == [b"SKU-1"]


def test_a_suffix_of_more_than_one_character_is_refused() -> None:
    with pytest.raises(ValueError, match="one character"):
        ScanFramer("##")
