"""Label printer links against the simulator, real pseudo-terminals, files and a stand-in lp;
the ~HS parser on built and hand-written replies; where finished PDFs go."""

from __future__ import annotations

import os
import select
import socket
import stat
import threading
import time
import tty
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.documents_out import (
    CupsDocumentSink,
    DocumentNotDelivered,
    FolderSink,
    open_document_sink,
)
from devices.label_printer import (
    HANDED_OVER,
    CupsPrinter,
    Delivery,
    PrinterStatus,
    PrinterUnreachable,
    SerialPrinter,
    TcpPrinter,
    UsbPrinter,
    host_status_reply,
    open_printer,
    parse_host_status,
    parse_tcp_address,
)
from devices.sim_printer import ReceivedLabel, SimulatedPrinter

WAIT_S = 10.0  # generous, only to fail fast instead of hanging
LABEL = "^XA^CI28^FO40,40^A0N,40,40^FDShip to: Müller GmbH, Großstraße 5^FS^XZ".encode()
SSCC_LABEL = b"^XA^FO40,120^BY3^BCN,120,Y,N,N^FD>;>800376130321109103420^FS^XZ"

# As a Zebra printer sends it: out of paper, head open, two formats waiting, 5 to go.
ZEBRA_REPLY = (
    b"\x02030,1,0,1218,002,0,0,0,000,0,0,0\x03\r\n"
    b"\x02000,0,1,0,1,2,6,0,00000005,1,000\x03\r\n"
    b"\x021234,0\x03\r\n"
)


@pytest.fixture
def printer(tmp_path: Path) -> Iterator[SimulatedPrinter]:
    with SimulatedPrinter(directory=tmp_path / "labels") as simulated:
        yield simulated


# The ~HS reply


def test_a_hand_written_zebra_reply_reads_right() -> None:
    status = parse_host_status(ZEBRA_REPLY)
    assert status.answered and status.two_way
    assert status.paper_out and status.head_open
    assert not (status.paused or status.ribbon_out or status.buffer_full)
    assert (status.formats_in_buffer, status.labels_remaining) == (2, 5)
    assert not status.ready


def test_a_ready_reply_reads_as_ready() -> None:
    status = parse_host_status(host_status_reply())
    assert status == PrinterStatus(answered=True)
    assert status.ready and status.problem is None


FLAGS = (
    "paper_out",
    "paused",
    "head_open",
    "ribbon_out",
    "buffer_full",
    "over_temperature",
    "under_temperature",
    "labels_waiting",
)


@pytest.mark.parametrize("flag", FLAGS)
def test_each_flag_survives_the_round_trip_alone(flag: str) -> None:
    status = parse_host_status(host_status_reply(**{flag: True}))  # type: ignore[arg-type]
    assert {name for name in FLAGS if getattr(status, name)} == {flag}


def test_counts_survive_the_round_trip() -> None:
    status = parse_host_status(host_status_reply(formats_in_buffer=7, labels_remaining=123))
    assert (status.formats_in_buffer, status.labels_remaining) == (7, 123)


@pytest.mark.parametrize(
    ("reply", "complaint"),
    [
        (b"", "three"),
        (ZEBRA_REPLY[:40], "three"),
        (b"garbage" + ZEBRA_REPLY, "stray"),
        (ZEBRA_REPLY.replace(b"030,1,0", b"030,2,0"), "paper out flag"),
        (ZEBRA_REPLY.replace(b",002,", b",0x2,"), "formats in buffer"),
        (b"\x02030,1,0\x03\r\n\x02000,0,1,0,1,2,6,0\x03\r\n\x021234,0\x03\r\n", "string 1"),
        (b"\x02030,0,0,1218,000,0,0,0,000,0,0,0\x03\r\n\x02000,0\x03\r\n\x021,0\x03", "string 2"),
    ],
)
def test_a_malformed_reply_is_refused_saying_why(reply: bytes, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        parse_host_status(reply)


@pytest.mark.parametrize(
    ("flag", "words"),
    [
        ("paper_out", "Printer out of labels: load labels and close the head"),
        ("head_open", "Printer head open: close it"),
        ("paused", "Printer paused: press the pause button"),
        ("ribbon_out", "Ribbon out: load a ribbon"),
        ("over_temperature", "too hot"),
        ("buffer_full", "memory is full"),
    ],
)
def test_each_blocking_flag_has_words_for_the_packer(flag: str, words: str) -> None:
    status = PrinterStatus(answered=True, **{flag: True})  # type: ignore[arg-type]
    assert not status.ready
    assert status.problem is not None and words in status.problem


def test_a_cold_head_is_said_but_does_not_stop_printing() -> None:
    status = PrinterStatus(answered=True, under_temperature=True)
    assert status.ready
    assert status.problem is not None and "cold" in status.problem


def test_paper_out_is_said_before_the_open_head_it_implies() -> None:
    status = PrinterStatus(answered=True, paper_out=True, head_open=True, paused=True)
    assert status.problem == "Printer out of labels: load labels and close the head"


def test_silence_on_a_two_way_link_is_not_ready_rather_than_offline() -> None:
    status = PrinterStatus(answered=False)
    assert not status.ready and not status.known
    assert status.problem is not None
    assert "does not answer" in status.problem and "not ready" in status.problem
    assert "offline" not in status.problem


def test_a_one_way_link_is_not_shown_as_a_problem() -> None:
    status = PrinterStatus(answered=False, two_way=False)
    assert status.problem is None
    assert not status.ready and not status.known


# Configuration


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("192.168.1.50", ("192.168.1.50", 9100)),
        ("192.168.1.50:6101", ("192.168.1.50", 6101)),
        ("zebra-1.lan", ("zebra-1.lan", 9100)),
        (" zebra-1.lan:9101 ", ("zebra-1.lan", 9101)),
        ("[fe80::1]:9100", ("fe80::1", 9100)),
        ("socket://10.0.0.5:9100", ("10.0.0.5", 9100)),
    ],
)
def test_tcp_addresses(address: str, expected: tuple[str, int]) -> None:
    assert parse_tcp_address(address) == expected


@pytest.mark.parametrize(
    ("address", "complaint"),
    [
        ("10.0.0.5:printer", "port 'printer' must be a number"),
        ("10.0.0.5:70000", "must be a number from 1 to 65535"),
        ("10.0.0.5:", "must be a number"),
        ("my printer", "not host or host:port"),
    ],
)
def test_a_bad_tcp_address_is_refused_with_an_example(address: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint) as caught:
        open_printer("tcp", address)
    assert "[printer] address" in str(caught.value)


def test_open_printer_builds_each_link() -> None:
    assert open_printer("none", "") is None
    tcp = open_printer("tcp", "10.0.0.5")
    assert isinstance(tcp, TcpPrinter) and (tcp.host, tcp.port) == ("10.0.0.5", 9100)
    ser = open_printer("serial", "/dev/ttyUSB0", baudrate=19200)
    assert isinstance(ser, SerialPrinter) and ser.baudrate == 19200
    assert isinstance(open_printer("usb", "/dev/usb/lp0"), UsbPrinter)
    cups = open_printer("CUPS", "ZEBRA1")
    assert isinstance(cups, CupsPrinter) and not cups.two_way
    assert "ZEBRA1" in cups.describe()


@pytest.mark.parametrize(
    ("transport", "address", "complaint"),
    [
        ("tcp", "", "address is empty: for tcp give host:port"),
        ("usb", " ", "address is empty: for usb"),
        ("cups", "my queue", "not a CUPS queue name"),
        ("bluetooth", "x", "not one of tcp, serial, usb, cups, none"),
    ],
)
def test_open_printer_refuses_what_cannot_work(
    transport: str, address: str, complaint: str
) -> None:
    with pytest.raises(ValueError, match=complaint):
        open_printer(transport, address)


# TCP against the simulator


def test_a_label_sent_over_tcp_is_printed_byte_for_byte(printer: SimulatedPrinter) -> None:
    link = open_printer("tcp", printer.address)
    assert link is not None
    link.send(b"\r\n" + LABEL + b"\r\n" + SSCC_LABEL)
    assert printer.wait_for_labels(2, WAIT_S)
    assert printer.printed == [LABEL, SSCC_LABEL]
    files = sorted(printer.directory.glob("label-*.zpl"))
    assert [f.name for f in files] == ["label-0001.zpl", "label-0002.zpl"]
    assert files[0].read_bytes() == LABEL
    assert "Großstraße".encode() in files[0].read_bytes()


def test_a_ready_printer_answers_ready(printer: SimulatedPrinter) -> None:
    status = TcpPrinter("127.0.0.1", printer.port).query_status(timeout=WAIT_S)
    assert status.answered and status.ready and status.problem is None


@pytest.mark.parametrize("fault", ["paper_out", "head_open", "paused", "ribbon_out"])
def test_a_query_reports_the_fault(printer: SimulatedPrinter, fault: str) -> None:
    setattr(printer, fault, True)
    status = TcpPrinter("127.0.0.1", printer.port).query_status(timeout=WAIT_S)
    assert status.answered and not status.ready
    assert {name for name in FLAGS if getattr(status, name)} == {fault}


def test_a_silent_faulted_printer_is_not_ready_within_the_timeout(
    printer: SimulatedPrinter,
) -> None:
    printer.silent_when_faulted = True
    printer.paper_out = True
    started = time.monotonic()
    status = TcpPrinter("127.0.0.1", printer.port).query_status(timeout=0.5)
    elapsed = time.monotonic() - started
    assert not status.answered and status.two_way
    assert status.problem is not None and "does not answer" in status.problem
    assert 0.4 < elapsed < 5.0


def test_a_silent_printer_still_answers_when_only_paused(printer: SimulatedPrinter) -> None:
    printer.silent_when_faulted = True
    printer.paused = True
    status = TcpPrinter("127.0.0.1", printer.port).query_status(timeout=WAIT_S)
    assert status.answered and status.paused


def test_an_offline_printer_is_unreachable_then_back_on_the_same_port(
    printer: SimulatedPrinter,
) -> None:
    port = printer.port
    link = TcpPrinter("127.0.0.1", port)
    printer.offline = True
    with pytest.raises(PrinterUnreachable) as caught:
        link.send(LABEL)
    assert caught.value.message == (
        f"Label printer 127.0.0.1:{port} refused the connection: is it on and on the network? "
        "Check [printer] address in config.toml"
    )
    with pytest.raises(PrinterUnreachable, match="refused"):
        link.query_status()
    printer.offline = False
    assert printer.port == port
    link.send(LABEL)
    assert printer.wait_for_labels(1, WAIT_S)
    assert link.query_status(timeout=WAIT_S).ready


def test_labels_sent_while_out_of_paper_print_once_when_it_is_loaded(
    printer: SimulatedPrinter,
) -> None:
    link = TcpPrinter("127.0.0.1", printer.port)
    printer.paper_out = True
    link.send(LABEL)
    link.send(SSCC_LABEL)
    assert printer.wait_for_held(2, WAIT_S)
    assert printer.printed == []
    assert list(printer.directory.glob("*.zpl")) == []
    assert link.query_status(timeout=WAIT_S).formats_in_buffer == 2

    printer.paper_out = False
    assert printer.printed == [LABEL, SSCC_LABEL]
    assert printer.held == []
    printer.paper_out = True
    printer.paper_out = False
    printer.paused = True
    printer.paused = False
    assert printer.printed == [LABEL, SSCC_LABEL]
    assert len(list(printer.directory.glob("*.zpl"))) == 2


# Delivering a label: sent is not printed until the printer says so


def test_a_delivered_label_is_printed_when_the_printer_confirms_it(
    printer: SimulatedPrinter,
) -> None:
    delivery = TcpPrinter("127.0.0.1", printer.port, timeout=WAIT_S).deliver(LABEL)
    assert delivery == Delivery(printed=True)
    assert printer.printed == [LABEL]


def test_delivery_waits_while_the_label_is_still_being_printed(tmp_path: Path) -> None:
    asked: list[PrinterStatus] = []
    with SimulatedPrinter(directory=tmp_path, print_seconds=0.4) as slow:
        link = TcpPrinter("127.0.0.1", slow.port, timeout=WAIT_S)
        slow.paused = True
        link.send(SSCC_LABEL)  # another sender's label, in front of ours
        assert slow.wait_for_held(1, WAIT_S)
        asked.append(link.query_status(timeout=WAIT_S))
        slow.paused = False
        asked.append(link.query_status(timeout=WAIT_S))
        delivery = link.deliver(LABEL, confirm_timeout=WAIT_S)
        assert delivery.printed
        # Confirmed means out of the printer: both labels, in order, by the time it returns.
        assert slow.printed == [SSCC_LABEL, LABEL]
    assert (asked[0].formats_in_buffer, asked[0].labels_remaining) == (1, 0)
    assert (asked[1].formats_in_buffer, asked[1].labels_remaining) == (0, 1)
    assert not asked[1].emptied


@pytest.mark.parametrize(("drop", "printed"), [("lose", []), ("print", [LABEL])])
def test_a_connection_dropped_right_after_the_label_leaves_it_unsure(
    printer: SimulatedPrinter, drop: str, printed: list[bytes]
) -> None:
    printer.drop = drop
    delivery = TcpPrinter("127.0.0.1", printer.port, timeout=WAIT_S).deliver(LABEL)
    assert not delivery.printed
    assert delivery.unsure == "the printer dropped the connection right after the label was sent"
    assert printer.printed == printed
    assert printer.received == [LABEL]


def test_a_printer_that_stops_with_the_label_inside_leaves_it_unsure(tmp_path: Path) -> None:
    def run_out(label: ReceivedLabel) -> None:
        simulated.paper_out = True  # the roll ends on this very label

    with SimulatedPrinter(directory=tmp_path, print_seconds=5.0, on_label=run_out) as simulated:
        delivery = TcpPrinter("127.0.0.1", simulated.port, timeout=WAIT_S).deliver(LABEL)
    assert delivery.unsure is not None
    assert delivery.unsure.startswith("the label is inside the printer, which stopped: Printer out")


def test_a_printer_that_falls_silent_after_the_label_leaves_it_unsure(tmp_path: Path) -> None:
    def jam(label: ReceivedLabel) -> None:
        simulated.head_open = True

    with SimulatedPrinter(
        directory=tmp_path, silent_when_faulted=True, print_seconds=5.0, on_label=jam
    ) as simulated:
        link = TcpPrinter("127.0.0.1", simulated.port, timeout=WAIT_S)
        delivery = link.deliver(LABEL, confirm_timeout=0.5)
    assert delivery.unsure == "the printer did not answer after the label was sent"


def test_a_label_that_does_not_print_in_time_is_unsure(tmp_path: Path) -> None:
    with SimulatedPrinter(directory=tmp_path, print_seconds=3.0) as simulated:
        link = TcpPrinter("127.0.0.1", simulated.port, timeout=WAIT_S)
        delivery = link.deliver(LABEL, confirm_timeout=0.3)
    assert delivery.unsure == "the printer had not printed it after 0.3 s"


def test_delivery_to_an_offline_printer_sends_nothing_and_says_so(
    printer: SimulatedPrinter,
) -> None:
    printer.offline = True
    with pytest.raises(PrinterUnreachable, match="refused the connection"):
        TcpPrinter("127.0.0.1", printer.port).deliver(LABEL)
    printer.offline = False
    assert printer.received == []


def test_a_serial_link_confirms_a_label_the_same_way(printer: SimulatedPrinter) -> None:
    link = SerialPrinter(f"socket://{printer.address}", timeout=WAIT_S)
    assert link.deliver(LABEL).printed
    printer.drop = "lose"
    assert link.deliver(LABEL).unsure is not None
    assert printer.printed == [LABEL]


def test_one_way_links_hand_the_label_over_and_can_tell_no_more(
    tmp_path: Path, fake_lp: Path
) -> None:
    (tmp_path / "lp0").touch()  # a plain file stands in for a printer that never answers
    assert UsbPrinter(str(tmp_path / "lp0")).deliver(LABEL) == HANDED_OVER
    assert (tmp_path / "lp0").read_bytes() == LABEL
    assert CupsPrinter("ZEBRA1").deliver(LABEL) == HANDED_OVER


def test_a_printer_that_is_not_there_is_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    with pytest.raises(PrinterUnreachable, match="refused the connection"):
        TcpPrinter("127.0.0.1", free_port, timeout=WAIT_S).send(LABEL)


# Serial: a pseudo-terminal, and pyserial's socket:// to the simulator


class PtyZebra:
    """The far end of a pseudo-terminal acting as a ZPL printer on a serial line."""

    def __init__(self, reply: bytes | None) -> None:
        self.master, slave = os.openpty()
        tty.setraw(self.master)
        self.path = os.ttyname(slave)
        # Kept open so what the printer side has not read yet outlives the link's close().
        self._slave = slave
        self._reply = reply
        self._answered = 0
        self.received = b""
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            chunk = os.read(self.master, 4096)
            with self._lock:
                self.received += chunk
                asked = self.received.count(b"~HS") > self._answered
                self._answered = self.received.count(b"~HS")
            if asked and self._reply is not None:
                os.write(self.master, self._reply)

    def wait_for(self, data: bytes) -> bool:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            with self._lock:
                if data in self.received:
                    return True
            time.sleep(0.01)
        return False

    def close(self) -> None:
        self._stop.set()
        self._thread.join(WAIT_S)
        os.close(self._slave)
        os.close(self.master)


def test_a_serial_printer_gets_the_label_and_answers_status() -> None:
    zebra = PtyZebra(host_status_reply(ribbon_out=True))
    try:
        link = SerialPrinter(zebra.path, baudrate=9600, timeout=WAIT_S)
        link.send(LABEL)
        assert zebra.wait_for(LABEL)
        status = link.query_status(timeout=WAIT_S)
        assert status.answered and status.ribbon_out
        assert status.problem == "Ribbon out: load a ribbon"
    finally:
        zebra.close()


def test_a_silent_serial_printer_is_not_ready() -> None:
    zebra = PtyZebra(reply=None)
    try:
        status = SerialPrinter(zebra.path, timeout=WAIT_S).query_status(timeout=0.3)
        assert not status.answered and status.two_way
    finally:
        zebra.close()


def test_a_serial_link_by_socket_url_reaches_the_simulator(printer: SimulatedPrinter) -> None:
    link = SerialPrinter(f"socket://{printer.address}", timeout=WAIT_S)
    printer.head_open = True
    assert link.query_status(timeout=WAIT_S).head_open
    printer.head_open = False
    link.send(LABEL)
    assert printer.wait_for_labels(1, WAIT_S)
    assert printer.printed == [LABEL]


def test_a_missing_serial_port_says_to_plug_it_in(tmp_path: Path) -> None:
    with pytest.raises(PrinterUnreachable, match="not found: plug it in or fix"):
        SerialPrinter(str(tmp_path / "ttyUSB9")).send(LABEL)


# USB device file (a plain file here)


def test_a_usb_printer_file_gets_the_labels_and_counts_as_one_way(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    device.touch()
    link = open_printer("usb", str(device))
    assert link is not None
    link.send(LABEL)
    link.send(SSCC_LABEL)
    assert device.read_bytes() == LABEL + SSCC_LABEL
    status = link.query_status(timeout=0.2)
    assert not status.answered and not status.two_way and status.problem is None
    assert not link.two_way
    assert device.read_bytes() == LABEL + SSCC_LABEL  # nothing asked of a plain file


def test_a_missing_usb_printer_says_to_plug_it_in(tmp_path: Path) -> None:
    link = UsbPrinter(str(tmp_path / "lp7"))
    with pytest.raises(PrinterUnreachable, match="not found: is it plugged in and switched on"):
        link.send(LABEL)
    with pytest.raises(PrinterUnreachable, match="not found"):
        link.query_status()


def test_a_usb_printer_that_stops_taking_bytes_times_out(tmp_path: Path) -> None:
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # never read: the pipe fills up
    try:
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)
        link = UsbPrinter(str(fifo), timeout=0.3)
        with pytest.raises(PrinterUnreachable, match=r"did not take the label within 0\.3 s"):
            link.send(b"^XA" + b"x" * 1_000_000 + b"^XZ")
    finally:
        os.close(reader)


# CUPS, through a stand-in for lp on PATH


@pytest.fixture
def fake_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An ``lp`` that records its arguments and stdin, or fails like lp when told to."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "lp-record"
    script = bin_dir / "lp"
    script.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$@" > "{record}.args"\n'
        f'cat > "{record}.data"\n'
        f'if [ -e "{record}.fail" ]; then\n'
        '  echo "lp: The printer or class does not exist." >&2; exit 1\n'
        "fi\n"
        'echo "request id is $2-42 (0 file(s))"\n'
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return record


def test_a_cups_queue_gets_the_raw_label(fake_lp: Path) -> None:
    link = CupsPrinter("ZEBRA1")
    link.send(LABEL)
    assert Path(f"{fake_lp}.args").read_text().split() == ["-d", "ZEBRA1", "-o", "raw"]
    assert Path(f"{fake_lp}.data").read_bytes() == LABEL
    status = link.query_status()
    assert not status.two_way and status.problem is None


def test_a_cups_queue_that_refuses_names_the_queue_and_what_lp_said(fake_lp: Path) -> None:
    Path(f"{fake_lp}.fail").touch()
    with pytest.raises(PrinterUnreachable) as caught:
        CupsPrinter("ZEBRA9").send(LABEL)
    assert "CUPS queue 'ZEBRA9' refused the job" in caught.value.message
    assert "The printer or class does not exist" in caught.value.message


def test_without_lp_the_message_says_to_install_cups_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(PrinterUnreachable, match="install cups-client"):
        CupsPrinter("ZEBRA1").send(LABEL)
    with pytest.raises(DocumentNotDelivered, match="install cups-client"):
        CupsDocumentSink("OFFICE").deliver("slip", b"%PDF-1.4")


# Documents


PDF = b"%PDF-1.4\n% a packing slip\n%%EOF\n"


def test_a_folder_sink_writes_the_pdf_whole_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    sink = FolderSink(tmp_path / "slips" / "today")
    where = sink.deliver("packing-slip-1001", PDF)
    assert where == str(tmp_path / "slips" / "today" / "packing-slip-1001.pdf")
    assert Path(where).read_bytes() == PDF
    assert sorted(p.name for p in (tmp_path / "slips" / "today").iterdir()) == [
        "packing-slip-1001.pdf"
    ]


def test_a_folder_sink_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "slip.pdf").write_bytes(b"the first one")
    sink = FolderSink(tmp_path)
    second = sink.deliver("slip.pdf", PDF)
    third = sink.deliver("slip", PDF + b"3")
    assert Path(second).name == "slip-2.pdf" and Path(third).name == "slip-3.pdf"
    assert (tmp_path / "slip.pdf").read_bytes() == b"the first one"
    assert Path(third).read_bytes() == PDF + b"3"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_folder_sink_keeps_names_inside_its_folder(tmp_path: Path) -> None:
    sink = FolderSink(tmp_path / "out")
    where = Path(sink.deliver("../../etc/passwd", PDF))
    assert where.parent == tmp_path / "out"
    assert where.name == "-..-etc-passwd.pdf"
    assert Path(sink.deliver("...", PDF)).name == "document.pdf"


def test_a_folder_sink_that_cannot_write_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(DocumentNotDelivered, match="Cannot save the document in"):
        FolderSink(blocker / "slips").deliver("slip", PDF)


def test_a_cups_document_sink_titles_the_job(fake_lp: Path) -> None:
    where = CupsDocumentSink("OFFICE").deliver("Packing slip 1001", PDF)
    assert where == "printer OFFICE (job OFFICE-42)"
    assert Path(f"{fake_lp}.args").read_text().splitlines() == [
        "-d",
        "OFFICE",
        "-t",
        "Packing slip 1001",
    ]
    assert Path(f"{fake_lp}.data").read_bytes() == PDF


def test_open_document_sink(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert open_document_sink("") is None
    assert open_document_sink("  ") is None
    cups = open_document_sink("cups:OFFICE")
    assert isinstance(cups, CupsDocumentSink) and cups.queue == "OFFICE"
    folder = open_document_sink("~/slips")
    assert isinstance(folder, FolderSink) and folder.directory == tmp_path / "slips"
    with pytest.raises(ValueError, match="does not name a CUPS queue"):
        open_document_sink("cups:")
