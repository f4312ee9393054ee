"""Ctrl+C stops a simulator at once, wherever the signal lands (devices.console)."""

from __future__ import annotations

import io
import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from devices.console import typed_lines

WAIT_S = 5.0  # generous, only to fail fast instead of hanging
ROOT = Path(__file__).resolve().parents[2]


def test_typed_lines_of_a_stream_without_a_descriptor_are_its_lines() -> None:
    assert list(typed_lines(io.StringIO("1250\nunplug\nquit"))) == ["1250\n", "unplug\n", "quit"]


def test_typed_lines_of_a_pipe_keep_utf8_split_across_reads() -> None:
    read_end, write_end = os.pipe()
    with os.fdopen(read_end, encoding="utf-8") as stream:
        os.write(write_end, "Grüße\n2,5 kg".encode()[:3])
        os.write(write_end, "Grüße\n2,5 kg".encode()[3:])
        os.close(write_end)
        assert list(typed_lines(stream)) == ["Grüße\n", "2,5 kg"]


# Makes the main thread deaf to SIGINT after starting a thread that hears it: the signal is
# noted by Python while the main thread sits in (or is about to enter) its read of stdin,
# which is what a loaded machine does now and then to a Ctrl+C right after start-up.
SIGNAL_TAKEN_ELSEWHERE = (
    "import signal, threading, time;"
    " threading.Thread(target=time.sleep, args=(60,), daemon=True).start();"
    " signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT});"
)


def interrupt_after_the_path(code: str, link: Path) -> int:
    """Start ``code``, wait for the path it prints, send Ctrl+C; its exit code."""
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], WAIT_S)
        assert ready, "the simulator printed no path"
        assert process.stdout.readline().strip() == str(link)
        assert link.is_symlink()
        process.send_signal(signal.SIGINT)
        return process.wait(timeout=WAIT_S)
    finally:
        process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()


@pytest.mark.parametrize("taken_elsewhere", [False, True], ids=["main thread", "other thread"])
def test_ctrl_c_closes_the_simulated_scale_and_exits_0(
    tmp_path: Path, taken_elsewhere: bool
) -> None:
    link = tmp_path / "ttyScale"
    code = (
        (SIGNAL_TAKEN_ELSEWHERE if taken_elsewhere else "")
        + "import sys; from pathlib import Path; from devices.sim_scale import run_simulated_scale;"
        + f" sys.exit(run_simulated_scale(Path({str(link)!r}), sys.stdin, sys.stdout))"
    )
    assert interrupt_after_the_path(code, link) == 0
    assert not os.path.lexists(link)


def test_ctrl_c_stops_packbench_sim_scanner_waiting_for_a_line(tmp_path: Path) -> None:
    link = tmp_path / "ttyScanner"
    code = (
        SIGNAL_TAKEN_ELSEWHERE
        + "import sys; from app.cli import main;"
        + f" sys.exit(main(['sim', 'scanner', '--link', {str(link)!r}]))"
    )
    assert interrupt_after_the_path(code, link) == 130
    assert not os.path.lexists(link)


def test_ctrl_c_stops_packbench_sim_printer_waiting_for_a_line(tmp_path: Path) -> None:
    code = (
        SIGNAL_TAKEN_ELSEWHERE
        + "import sys; from app.cli import main;"
        + f" sys.exit(main(['sim', 'printer', '--port', '0', '--dir', {str(tmp_path)!r}]))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], WAIT_S)
        assert ready, "the simulator said nothing"
        assert process.stdout.readline().startswith(b"ZPL printer simulator on 127.0.0.1:")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=WAIT_S) == 0
    finally:
        process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()
