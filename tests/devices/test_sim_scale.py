"""The simulated SICS scale as a port sees it, and ``packbench sim scale``."""

from __future__ import annotations

import io
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import serial

from devices.sim_scale import WOBBLE_G, SimulatedScale, run_simulated_scale

WAIT_S = 5.0  # generous, only to fail fast instead of hanging


@pytest.fixture
def simulator() -> Iterator[SimulatedScale]:
    with SimulatedScale() as scale:
        yield scale


@pytest.fixture
def port(simulator: SimulatedScale) -> Iterator[serial.SerialBase]:
    with serial.serial_for_url(simulator.path, timeout=0.05) as opened:
        yield opened


def read_line(port: serial.SerialBase, timeout: float = WAIT_S) -> bytes:
    """One answer with its CR LF, or what came before ``timeout`` passed."""
    data = b""
    deadline = time.monotonic() + timeout
    while not data.endswith(b"\r\n") and time.monotonic() < deadline:
        data += port.read(1)
    return data


def ask(port: serial.SerialBase, command: str, timeout: float = WAIT_S) -> str:
    port.write(command.encode("ascii") + b"\r\n")
    answer = read_line(port, timeout)
    assert answer.endswith(b"\r\n"), f"no answer to {command}: {answer!r}"
    return answer[:-2].decode("ascii")


def ask_until(port: serial.SerialBase, command: str, wanted: str) -> list[str]:
    """Ask again and again until the answer is ``wanted``; every answer, in order."""
    answers: list[str] = []
    deadline = time.monotonic() + WAIT_S
    while not answers or answers[-1] != wanted:
        assert time.monotonic() < deadline, f"never {wanted!r}, last {answers[-3:]}"
        answers.append(ask(port, command))
    return answers


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


# -- the pseudo-terminal and its path ---------------------------------------------------


def test_the_path_stays_the_same_across_unplug_and_replug(simulator: SimulatedScale) -> None:
    path, first_device = simulator.path, simulator.device
    assert os.path.realpath(path) == first_device
    simulator.unplug()
    assert not os.path.lexists(path)
    assert simulator.device is None and not simulator.plugged
    simulator.replug()
    assert simulator.path == path and simulator.plugged
    assert os.path.realpath(path) == simulator.device


def test_close_removes_the_link_and_its_temporary_directory() -> None:
    simulator = SimulatedScale()
    link = Path(simulator.path)
    simulator.close()
    assert not link.parent.exists()


def test_a_given_link_path_is_used_and_left_clean(tmp_path: Path) -> None:
    link = tmp_path / "ttyScale"
    with SimulatedScale(link=link) as simulator:
        assert simulator.path == str(link)
        assert link.is_symlink()
    assert not os.path.lexists(link)
    assert tmp_path.exists()


def test_a_link_path_taken_by_a_real_file_is_refused(tmp_path: Path) -> None:
    taken = tmp_path / "notes.txt"
    taken.write_text("keep me")
    with pytest.raises(FileExistsError):
        SimulatedScale(link=taken)
    assert taken.read_text() == "keep me"


def test_unplugging_gives_the_reader_the_error_of_a_real_unplug(
    simulator: SimulatedScale, port: serial.SerialBase
) -> None:
    assert ask(port, "SI") == "S S      0.000 kg"
    simulator.unplug()
    with pytest.raises(serial.SerialException, match="device disconnected"):
        port.read(1)


def test_a_replugged_scale_answers_on_the_same_path(simulator: SimulatedScale) -> None:
    simulator.put(1250, settle_s=0.0)
    simulator.unplug()
    simulator.replug()
    with serial.serial_for_url(simulator.path, timeout=0.05) as port:
        assert ask(port, "SI") == "S S      1.250 kg"


# -- SICS -------------------------------------------------------------------------------


def test_answers_end_in_cr_lf_with_the_weight_right_aligned(port: serial.SerialBase) -> None:
    port.write(b"SI\r\n")
    assert read_line(port) == b"S S      0.000 kg\r\n"


def test_a_weight_moves_while_it_settles_then_stays_exactly_put(
    simulator: SimulatedScale, port: serial.SerialBase
) -> None:
    simulator.put(1250, settle_s=0.3)
    answers = ask_until(port, "SI", "S S      1.250 kg")
    moving = answers[:-1]
    assert moving and all(answer.startswith("S D ") for answer in moving)
    assert [ask(port, "SI") for _ in range(3)] == ["S S      1.250 kg"] * 3


def test_the_wobble_of_a_settling_weight_is_the_same_every_time(
    simulator: SimulatedScale, port: serial.SerialBase
) -> None:
    runs = []
    for _ in range(2):
        simulator.put(1000, settle_s=30.0)
        runs.append([ask(port, "SI") for _ in range(len(WOBBLE_G) + 2)])
    expected = [f"S D {(1000 + off) / 1000:>10.3f} kg" for off in [*WOBBLE_G, -1, 1]]
    assert runs == [expected, expected]


def test_s_waits_for_the_weight_to_settle(
    simulator: SimulatedScale, port: serial.SerialBase
) -> None:
    simulator.put(800, settle_s=0.3)
    asked = time.monotonic()
    assert ask(port, "S") == "S S      0.800 kg"
    assert time.monotonic() - asked >= 0.2


def test_s_gives_up_on_a_weight_that_will_not_settle(
    simulator: SimulatedScale, port: serial.SerialBase
) -> None:
    simulator.settle_wait_s = 0.2
    simulator.put(800, settle_s=30.0)
    assert [ask(port, c) for c in ("S", "Z", "T")] == ["S I", "Z I", "T I"]


def test_zero_sets_the_zero_point_and_clears_the_tare(
    simulator: SimulatedScale, port: serial.SerialBase
) -> None:
    simulator.put(300, settle_s=0.0)
    assert ask(port, "T") == "T S      0.300 kg"
    simulator.put(1300, settle_s=0.0)
    assert ask(port, "Z") == "Z A"
    assert ask(port, "SI") == "S S      0.000 kg"
    assert ask(port, "TA") == "TA A      0.000 kg"
    simulator.put(1000, settle_s=0.0)
    assert ask(port, "SI") == "S S     -0.300 kg"


def test_zero_immediately_says_whether_the_weight_was_still(
    simulator: SimulatedScale, port: serial.SerialBase
) -> None:
    simulator.put(500, settle_s=30.0)
    assert ask(port, "ZI") == "ZI D"
    simulator.put(500, settle_s=0.0)
    assert ask(port, "ZI") == "ZI S"
    assert ask(port, "SI") == "S S      0.000 kg"


def test_tare_takes_the_box_off_until_cleared(
    simulator: SimulatedScale, port: serial.SerialBase
) -> None:
    simulator.put(400, settle_s=0.1)
    assert ask(port, "T") == "T S      0.400 kg"
    assert simulator.tare_g == 400
    simulator.put(1650, settle_s=0.0)
    assert ask(port, "SI") == "S S      1.250 kg"
    assert ask(port, "TA") == "TA A      0.400 kg"
    assert ask(port, "TAC") == "TAC A"
    assert ask(port, "SI") == "S S      1.650 kg"


def test_reset_and_identification_give_the_serial_number(
    simulator: SimulatedScale, port: serial.SerialBase
) -> None:
    simulator.put(200, settle_s=0.0)
    assert ask(port, "T") == "T S      0.200 kg"
    assert ask(port, "@") == 'I4 A "PB00000001"'
    assert simulator.tare_g == 0
    assert ask(port, "I4") == 'I4 A "PB00000001"'


@pytest.mark.parametrize("command", ["XYZ", "SI 5", "s", "D hello"])
def test_anything_else_is_a_syntax_error(port: serial.SerialBase, command: str) -> None:
    assert ask(port, command) == "ES"


def test_too_much_weight_is_an_overload(simulator: SimulatedScale, port: serial.SerialBase) -> None:
    simulator.put(simulator.capacity_g + 1, settle_s=0.0)
    assert [ask(port, c) for c in ("SI", "S", "Z", "T")] == ["S +", "S +", "Z +", "T +"]


def test_commands_are_recorded_and_ones_sent_too_early_are_counted(
    simulator: SimulatedScale, port: serial.SerialBase
) -> None:
    assert ask(port, "SI").startswith("S S")
    assert simulator.overlapping_commands == 0
    port.write(b"SI\r\nI4\r\n")
    assert [read_line(port), read_line(port)] == [
        b"S S      0.000 kg\r\n",
        b'I4 A "PB00000001"\r\n',
    ]
    assert simulator.commands == ["SI", "SI", "I4"]
    assert simulator.overlapping_commands == 1


def test_a_scale_switched_off_answers_nothing_until_switched_on(
    simulator: SimulatedScale, port: serial.SerialBase
) -> None:
    simulator.switch_off()
    port.write(b"SI\r\n")
    assert read_line(port, timeout=0.3) == b""
    simulator.switch_on()
    assert ask(port, "SI") == "S S      0.000 kg"


# -- packbench sim scale ----------------------------------------------------------------


def printed(out: io.StringIO, count: int) -> list[str]:
    wait_until(lambda: len(out.getvalue().splitlines()) >= count, f"{count} printed lines")
    return out.getvalue().splitlines()


def test_run_puts_what_is_typed_on_the_scale_until_quit() -> None:
    read_end, write_end = os.pipe()
    out = io.StringIO()
    result: queue.Queue[int] = queue.Queue()
    with os.fdopen(read_end) as stdin, os.fdopen(write_end, "w") as typing:
        runner = threading.Thread(
            target=lambda: result.put(run_simulated_scale(None, stdin, out, settle_s=0.1)),
            daemon=True,
        )
        runner.start()
        path, config, *_ = printed(out, 3)
        assert config.endswith(f'[scale] port = "{path}"')

        def type_line(line: str) -> str:
            lines_before = len(out.getvalue().splitlines())
            typing.write(line + "\n")
            typing.flush()
            return printed(out, lines_before + 1)[-1]

        with serial.serial_for_url(path, timeout=0.05) as port:
            assert type_line("1250") == "1250 g on the scale, settling for 0.1 s"
            ask_until(port, "SI", "S S      1.250 kg")
            type_line("1.5KG")
            ask_until(port, "SI", "S S      1.500 kg")
            type_line("2 lb")
            ask_until(port, "SI", "S S      0.907 kg")
            assert type_line("remove") == "pan cleared"
            ask_until(port, "SI", "S S      0.000 kg")
            assert type_line("weigh it").startswith("? weigh it: type a weight")
            assert type_line("unplug") == "unplugged"
            assert not os.path.lexists(path)
        assert type_line("replug") == f"plugged back in at {path}"
        with serial.serial_for_url(path, timeout=0.05) as port:
            assert ask(port, "SI") == "S S      0.000 kg"
        typing.write("quit\n")
        typing.flush()
        assert result.get(timeout=WAIT_S) == 0
    assert not os.path.lexists(path)


def test_run_ends_cleanly_at_the_end_of_input() -> None:
    out = io.StringIO()
    assert run_simulated_scale(None, io.StringIO("\n900\n"), out) == 0
    lines = out.getvalue().splitlines()
    assert "900 g on the scale, settling for 0.6 s" in lines
    assert lines[-1] == "scale closed"
    assert not os.path.lexists(lines[0])
