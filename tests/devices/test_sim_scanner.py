"""The simulated scanner as the application and ``packbench sim scanner`` use it."""

from __future__ import annotations

import io
import os
import queue
import select
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import serial

from app.domain.scans import Scan, unescape_gs
from devices.serial_scanner import ScannerState, SerialScanner
from devices.sim_scanner import ScannerUnplugged, SimulatedScanner, run_simulated_scanner

GS = "\x1d"
WAIT_S = 10.0  # generous, only to fail fast instead of hanging


@pytest.fixture
def simulator() -> Iterator[SimulatedScanner]:
    with SimulatedScanner() as scanner:
        yield scanner


def read_lines(port: serial.SerialBase, count: int, terminator: bytes = b"\r") -> list[bytes]:
    """``count`` frames from an open port, waiting at most WAIT_S in all."""
    data = b""
    deadline = time.monotonic() + WAIT_S
    while data.count(terminator) < count and time.monotonic() < deadline:
        data += port.read(max(1, port.in_waiting))
    return data.split(terminator)[:count]


def wait_for_printed_line(out: io.StringIO) -> str:
    deadline = time.monotonic() + WAIT_S
    while "\n" not in out.getvalue():
        assert time.monotonic() < deadline, "the simulator printed no path"
        time.sleep(0.01)
    return out.getvalue().splitlines()[0]


def test_the_path_stays_the_same_across_unplug_and_replug(simulator: SimulatedScanner) -> None:
    path, first_device = simulator.path, simulator.device
    assert os.path.realpath(path) == first_device
    simulator.unplug()
    assert not os.path.lexists(path)
    assert simulator.device is None
    simulator.replug()
    assert simulator.path == path
    assert os.path.realpath(path) == simulator.device
    assert first_device is not None and simulator.device is not None


def test_a_reader_on_the_path_gets_the_bytes_of_a_scan(simulator: SimulatedScanner) -> None:
    with serial.serial_for_url(simulator.path, timeout=0.2) as port:
        simulator.scan(f"0109501101530003{GS}10AB12", aim="]C1", prefix="#")
        assert read_lines(port, 1) == [f"#]C10109501101530003{GS}10AB12".encode()]


def test_unplugging_gives_the_reader_the_error_of_a_real_unplug(
    simulator: SimulatedScanner,
) -> None:
    with serial.serial_for_url(simulator.path, timeout=1.0) as port:
        simulator.unplug()
        with pytest.raises(serial.SerialException, match="device disconnected"):
            port.read(1)


def test_a_scan_while_unplugged_is_refused(simulator: SimulatedScanner) -> None:
    simulator.unplug()
    with pytest.raises(ScannerUnplugged):
        simulator.scan("SKU-1")


def test_an_aim_identifier_must_look_like_one(simulator: SimulatedScanner) -> None:
    with pytest.raises(ValueError, match="AIM"):
        simulator.scan("SKU-1", aim="C1")


def test_it_knows_whether_the_application_has_the_port_open(
    simulator: SimulatedScanner,
) -> None:
    assert not simulator.wait_for_reader(timeout=0.1)
    with serial.serial_for_url(simulator.path, timeout=0.2) as port:
        assert simulator.wait_for_reader(timeout=1.0)
        simulator.scan("SKU-1")
        assert read_lines(port, 1) == [b"SKU-1"]
        assert simulator.drain(timeout=WAIT_S)
    assert simulator.wait_for_reader(timeout=1.0) is False


def test_drain_waits_for_a_reader_that_has_not_read_yet(simulator: SimulatedScanner) -> None:
    with serial.serial_for_url(simulator.path, timeout=0.2) as port:
        simulator.scan("UNREAD")
        assert not simulator.drain(timeout=0.3)
        assert read_lines(port, 1) == [b"UNREAD"]
        assert simulator.drain(timeout=WAIT_S)


def test_close_removes_the_link_and_its_temporary_directory() -> None:
    simulator = SimulatedScanner()
    link = Path(simulator.path)
    simulator.close()
    assert not link.parent.exists()


def test_a_given_link_path_is_used_and_left_clean(tmp_path: Path) -> None:
    link = tmp_path / "ttyPB7"
    with SimulatedScanner(link=link) as simulator:
        assert simulator.path == str(link)
        assert link.is_symlink()
    assert not os.path.lexists(link)
    assert tmp_path.exists()


def test_a_link_path_taken_by_a_real_file_is_refused(tmp_path: Path) -> None:
    taken = tmp_path / "notes.txt"
    taken.write_text("keep me")
    with pytest.raises(FileExistsError):
        SimulatedScanner(link=taken)
    assert taken.read_text() == "keep me"


@pytest.mark.parametrize(
    ("line", "sent"),
    [
        ("10AB12<GS>17251231", f"10AB12{GS}17251231"),
        (r"10AB12\x1d17", f"10AB12{GS}17"),
        ("<gs>", GS),
        ("plain", "plain"),
    ],
)
def test_gs_can_be_typed_as_an_escape(line: str, sent: str) -> None:
    assert unescape_gs(line) == sent


def test_run_sends_each_line_of_a_file_then_closes(tmp_path: Path) -> None:
    codes = tmp_path / "codes.txt"
    codes.write_text("SKU-00001\n\n4006381333931\n10AB12<GS>17251231\nLAST\n", encoding="utf-8")
    out = io.StringIO()
    result: queue.Queue[int] = queue.Queue()
    runner = threading.Thread(
        target=lambda: result.put(
            run_simulated_scanner(
                file=codes, interval=0.05, aim="]C0", stdin=io.StringIO(), out=out
            )
        ),
        daemon=True,
    )
    began = time.monotonic()
    runner.start()
    path = wait_for_printed_line(out)
    with serial.serial_for_url(path, timeout=0.2) as port:
        frames = read_lines(port, 4)
    runner.join(WAIT_S)
    assert result.get(timeout=1) == 0
    assert frames == [
        b"]C0SKU-00001",
        b"]C04006381333931",
        f"]C010AB12{GS}17251231".encode(),
        b"]C0LAST",
    ]
    assert time.monotonic() - began >= 3 * 0.05
    assert not os.path.lexists(path)


def test_run_sends_lines_typed_on_stdin_with_prefix_and_suffix(tmp_path: Path) -> None:
    out = io.StringIO()
    link = tmp_path / "ttyPB0"
    typed = io.StringIO("SKU-1\n   \nB<GS>C\r\n")
    runner = threading.Thread(
        target=run_simulated_scanner,
        kwargs={"prefix": "#", "suffix": "\t", "link": link, "stdin": typed, "out": out},
        daemon=True,
    )
    runner.start()
    assert wait_for_printed_line(out) == str(link)
    with serial.serial_for_url(str(link), timeout=0.2) as port:
        frames = read_lines(port, 2, terminator=b"\t")
    runner.join(WAIT_S)
    assert not runner.is_alive()
    assert frames == [b"#SKU-1", f"#B{GS}C".encode()]


def test_run_says_so_when_the_file_cannot_be_read(tmp_path: Path) -> None:
    err = io.StringIO()
    code = run_simulated_scanner(
        file=tmp_path / "missing.txt", stdin=io.StringIO(), out=io.StringIO(), err=err
    )
    assert code == 2
    assert "cannot read" in err.getvalue()


def test_packbench_sim_scanner_feeds_a_serial_scanner_from_a_file(tmp_path: Path) -> None:
    codes = tmp_path / "codes.txt"
    # GS written as a person would in a file: <GS>
    codes.write_text("".join(f"0109501101530003<GS>10LOT{n}\n" for n in range(20)))
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "sim", "scanner", "--file", str(codes), "--aim", "]C1"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    )
    scans: queue.Queue[Scan] = queue.Queue()
    states: queue.Queue[ScannerState] = queue.Queue()
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], WAIT_S)
        assert ready, "the simulator printed no path"
        path = process.stdout.readline().strip()
        scanner = SerialScanner(
            path, on_scan=scans.put, on_state=lambda state, _reason: states.put(state)
        )
        with scanner:
            received = [scans.get(timeout=WAIT_S) for _ in range(20)]
            assert process.wait(timeout=WAIT_S) == 0
            while states.get(timeout=WAIT_S) is not ScannerState.DISCONNECTED:
                pass
    finally:
        process.kill()
        process.wait()
        if process.stdout is not None:
            process.stdout.close()
    assert [s.text for s in received] == [f"0109501101530003{GS}10LOT{n}" for n in range(20)]
    assert {s.symbology for s in received} == {"]C1"}
