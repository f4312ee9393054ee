"""The simulated ZPL printer on its own, and ``packbench sim printer`` driven through stdin."""

from __future__ import annotations

import contextlib
import io
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.label_printer import TcpPrinter, parse_host_status
from devices.sim_printer import (
    ReceivedLabel,
    SimulatedPrinter,
    find_sscc,
    run_simulated_printer,
)

WAIT_S = 10.0  # generous, only to fail fast instead of hanging
SSCC_LABEL = b"^XA^FO40,120^BY3^BCN,120,Y,N,N^FD>;>800376130321109103420^FS^XZ"


@pytest.fixture
def printer(tmp_path: Path) -> Iterator[SimulatedPrinter]:
    with SimulatedPrinter(directory=tmp_path) as simulated:
        yield simulated


def read_status_reply(connection: socket.socket, count: int = 1) -> bytes:
    """``count`` whole ~HS replies (three STX...ETX strings each), in one piece."""
    connection.settimeout(WAIT_S)
    reply = b""
    while reply.count(b"\x03") < 3 * count:
        chunk = connection.recv(1024)
        assert chunk, "the simulator closed the connection instead of answering"
        reply += chunk
    return reply


def test_port_zero_picks_a_free_port_and_says_so(printer: SimulatedPrinter) -> None:
    assert printer.port > 0
    assert printer.address == f"127.0.0.1:{printer.port}"


def test_labels_and_status_queries_cut_anywhere_in_the_stream(printer: SimulatedPrinter) -> None:
    printer.paused = True
    stream = b"\r\n^XA^FDone^FS^XZ~HS^XA^FDtwo^FS^XZjunk between^XA^FDthree^FS^XZ~HS"
    with socket.create_connection(("127.0.0.1", printer.port), timeout=WAIT_S) as connection:
        for byte in range(0, len(stream), 5):
            connection.sendall(stream[byte : byte + 5])
            time.sleep(0.002)
        replies = read_status_reply(connection, count=2)
        half = len(replies) // 2
        assert parse_host_status(replies[:half]).paused
        assert parse_host_status(replies[half:]).formats_in_buffer >= 1
    assert printer.wait_for_held(3, WAIT_S)
    assert printer.held == [b"^XA^FDone^FS^XZ", b"^XA^FDtwo^FS^XZ", b"^XA^FDthree^FS^XZ"]
    printer.paused = False
    assert [p.name for p in sorted(printer.directory.iterdir())] == [
        "label-0001.zpl",
        "label-0002.zpl",
        "label-0003.zpl",
    ]


def test_a_status_query_is_answered_while_a_label_is_half_sent(
    printer: SimulatedPrinter,
) -> None:
    printer.ribbon_out = True
    with socket.create_connection(("127.0.0.1", printer.port), timeout=WAIT_S) as connection:
        connection.sendall(b"^XA^FDhalf a label")
        connection.sendall(b"~HS")
        assert parse_host_status(read_status_reply(connection)).ribbon_out
        connection.sendall(b"^FS^XZ")
        assert printer.wait_for_held(1, WAIT_S)
    assert printer.held == [b"^XA^FDhalf a label^FS^XZ"]


def test_held_labels_wait_behind_every_fault_until_all_clear(printer: SimulatedPrinter) -> None:
    link = TcpPrinter("127.0.0.1", printer.port, timeout=WAIT_S)
    printer.head_open = True
    printer.paused = True
    link.send(b"^XA^FD1^FS^XZ")
    assert printer.wait_for_held(1, WAIT_S)
    printer.head_open = False
    assert printer.printed == []
    assert printer.ready() == 1
    assert printer.printed == [b"^XA^FD1^FS^XZ"]
    assert printer.ready() == 0


def test_on_label_hears_every_label_with_its_number(tmp_path: Path) -> None:
    heard: list[ReceivedLabel] = []
    done = threading.Event()

    def on_label(label: ReceivedLabel) -> None:
        heard.append(label)
        if len(heard) == 2:
            done.set()

    with SimulatedPrinter(directory=tmp_path, on_label=on_label) as printer:
        link = TcpPrinter("127.0.0.1", printer.port, timeout=WAIT_S)
        link.send(SSCC_LABEL)
        assert printer.wait_for_labels(1, WAIT_S)
        printer.paper_out = True
        link.send(b"^XA^XZ")
        assert done.wait(WAIT_S)
    assert [(h.number, h.held, h.reason, h.sscc) for h in heard] == [
        (1, False, None, "376130321109103420"),
        (2, True, "out of labels", None),
    ]


def test_a_silent_printer_says_nothing_while_out_of_paper(printer: SimulatedPrinter) -> None:
    printer.silent_when_faulted = True
    printer.head_open = True
    with socket.create_connection(("127.0.0.1", printer.port), timeout=WAIT_S) as connection:
        connection.sendall(b"~HS")
        connection.settimeout(0.3)
        with pytest.raises(TimeoutError):
            connection.recv(1024)
        printer.head_open = False
        connection.sendall(b"~HS")
        assert parse_host_status(read_status_reply(connection)).ready


def test_going_offline_drops_open_connections(printer: SimulatedPrinter) -> None:
    with socket.create_connection(("127.0.0.1", printer.port), timeout=WAIT_S) as connection:
        printer.offline = True
        with contextlib.suppress(ConnectionResetError):  # closed with unread data: reset
            assert connection.recv(1024) == b""
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", printer.port), timeout=WAIT_S).close()
    assert printer.ready() == 0
    assert not printer.offline
    socket.create_connection(("127.0.0.1", printer.port), timeout=WAIT_S).close()


def test_a_temporary_directory_is_removed_on_close() -> None:
    with SimulatedPrinter() as printer:
        directory = printer.directory
        TcpPrinter("127.0.0.1", printer.port, timeout=WAIT_S).send(b"^XA^XZ")
        assert printer.wait_for_labels(1, WAIT_S)
        assert (directory / "label-0001.zpl").read_bytes() == b"^XA^XZ"
    assert not directory.exists()


@pytest.mark.parametrize(
    ("label", "sscc"),
    [
        (SSCC_LABEL, "376130321109103420"),
        (b"^XA^BCN,120,Y,N,N,D^FD(00)376130321109103420^FS^XZ", "376130321109103420"),
        (b"^XA^FDno barcode^FS^XZ", None),
    ],
)
def test_find_sscc(label: bytes, sscc: str | None) -> None:
    assert find_sscc(label) == sscc


# packbench sim printer


class Session:
    """``run_simulated_printer`` on a thread, with a pipe for stdin and captured stdout."""

    def __init__(self, directory: Path | None, port: int = 0) -> None:
        read_end, write_end = os.pipe()
        self.stdin = os.fdopen(read_end, "r", encoding="utf-8")
        self.keyboard = os.fdopen(write_end, "w", encoding="utf-8")
        self.stdout = io.StringIO()
        self.result: int | None = None
        self.thread = threading.Thread(
            target=self._run, args=(port, directory), daemon=True, name="sim printer session"
        )
        self.thread.start()

    def _run(self, port: int, directory: Path | None) -> None:
        self.result = run_simulated_printer(port, directory, self.stdin, self.stdout)

    def type(self, line: str) -> None:
        self.keyboard.write(line + "\n")
        self.keyboard.flush()

    def wait_for_output(self, text: str) -> str:
        deadline = time.monotonic() + WAIT_S
        while text not in self.stdout.getvalue():
            assert time.monotonic() < deadline, f"no {text!r} in {self.stdout.getvalue()!r}"
            time.sleep(0.01)
        return self.stdout.getvalue()

    def end(self) -> int | None:
        self.keyboard.close()
        self.thread.join(WAIT_S)
        self.stdin.close()
        return self.result


def test_the_command_prints_where_it_listens_and_each_label(tmp_path: Path) -> None:
    session = Session(tmp_path / "labels")
    try:
        banner = session.wait_for_output("Commands:")
        first = banner.splitlines()[0]
        assert first.startswith("ZPL printer simulator on 127.0.0.1:")
        assert first.endswith(f", labels kept in {tmp_path / 'labels'}")
        port = int(first.split("127.0.0.1:")[1].split(",")[0])
        assert f'[printer] transport = "tcp", address = "127.0.0.1:{port}"' in banner

        link = TcpPrinter("127.0.0.1", port, timeout=WAIT_S)
        big = SSCC_LABEL[:-3] + b"^FO0,0^FD" + b"x" * 1200 + b"^FS^XZ"
        link.send(big)
        session.wait_for_output(
            f"label 1 received: {len(big) // 1000} {len(big) % 1000:03d} bytes, "
            "SSCC 376130321109103420\n"
        )
        session.type("paper-out")
        session.wait_for_output("out of labels: labels are held")
        link.send(b"^XA^XZ")
        session.wait_for_output("label 2 received: 6 bytes, held: out of labels\n")
        assert not link.query_status(timeout=WAIT_S).ready
        session.type("status")
        session.wait_for_output("paper out; 1 printed, 1 held")
        session.type("ready")
        session.wait_for_output("ready, 1 held label(s) printed")
        session.type("offline")
        session.wait_for_output("offline: connections are refused")
        session.type("bogus")
        session.wait_for_output("unknown command 'bogus'")
        session.type("ready")
        session.type("quit")
        session.thread.join(WAIT_S)
        assert session.result == 0
        assert (tmp_path / "labels" / "label-0001.zpl").read_bytes() == big
        assert (tmp_path / "labels" / "label-0002.zpl").read_bytes() == b"^XA^XZ"
    finally:
        session.end()


def test_the_command_drops_connections_after_a_label_until_ready(tmp_path: Path) -> None:
    session = Session(tmp_path / "labels")
    try:
        banner = session.wait_for_output("Commands:")
        assert "drop, drop-printed" in banner
        port = int(banner.splitlines()[0].split("127.0.0.1:")[1].split(",")[0])
        link = TcpPrinter("127.0.0.1", port, timeout=WAIT_S)
        session.type("drop")
        session.wait_for_output("each label that arrives is lost")
        assert link.deliver(SSCC_LABEL).unsure is not None
        session.wait_for_output(
            "label 1 received: 63 bytes, SSCC 376130321109103420, lost: the connection was "
            "dropped\n"
        )
        session.type("drop-printed")
        session.wait_for_output("each label that arrives is printed, then its connection")
        assert link.deliver(b"^XA^XZ").unsure is not None
        session.wait_for_output("label 2 received: 6 bytes\n")
        session.type("status")
        session.wait_for_output("dropping connections (print); 1 printed, 0 held, 1 lost")
        session.type("ready")
        session.wait_for_output("\nready\n")
        assert link.deliver(b"^XA^XZ").printed
        session.wait_for_output("label 3 received: 6 bytes\n")
    finally:
        session.end()
    assert sorted(p.name for p in (tmp_path / "labels").iterdir()) == [
        "label-0002.zpl",
        "label-0003.zpl",
    ]


def test_a_status_query_counts_the_label_being_printed_and_those_behind_it(
    tmp_path: Path,
) -> None:
    with (
        SimulatedPrinter(directory=tmp_path, print_seconds=WAIT_S) as printer,
        socket.create_connection(("127.0.0.1", printer.port), timeout=WAIT_S) as connection,
    ):
        connection.sendall(b"^XA^FDone^FS^XZ^XA^FDtwo^FS^XZ^XA^FDthr~HS")
        during = parse_host_status(read_status_reply(connection))
        connection.sendall(b"ee^FS^XZ~HS")
        after = parse_host_status(read_status_reply(connection))
    # "one" is printing, "two" waits its turn, "three" is half received.
    assert (during.labels_remaining, during.formats_in_buffer, during.partial_format) == (
        1,
        1,
        True,
    )
    assert (after.labels_remaining, after.formats_in_buffer, after.partial_format) == (1, 2, False)
    assert not after.emptied


def test_the_command_ends_cleanly_at_end_of_input() -> None:
    session = Session(directory=None)
    banner = session.wait_for_output("Commands:")
    assert session.end() == 0
    kept = Path(banner.splitlines()[0].split("labels kept in ")[1])
    assert kept.is_dir()  # the labels of a session outlive it
    kept.rmdir()


def test_the_command_says_when_the_port_is_taken(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        out = io.StringIO()
        assert run_simulated_printer(port, tmp_path, io.StringIO(""), out) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in out.getvalue()
