"""The demo on a machine without a screen: one order packed at a simulated bench.

``make run`` where no display is found runs ``packbench demo --headless``, which comes here.
The real window is built and drawn offscreen at a bench whose serial scanner, label printer
and scale are the simulators of devices/ on real ptys and sockets. The demo packer's badge
and the scans of one demo order go in through the scanner; the window's Pack workspace
packs, weighs and ships the order through the same services a packer uses; and what a bench
gives you comes out in one folder: the labels as the printer received them (ZPL) and as
PDF, the packing slip the print queue delivered, and pictures of the Pack workspace.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMessageLogContext, QtMsgType, qInstallMessageHandler

from app.bootstrap import Station, open_station
from app.config import Config
from app.domain.errors import DomainError
from app.domain.scans import Scan
from app.services import demo, printjobs, printouts
from app.services.packing import ShipmentDone
from devices.sim_printer import SimulatedPrinter
from devices.sim_scale import SimulatedScale
from devices.sim_scanner import SimulatedScanner
from ui.application import START_SIZE, prepare_application
from ui.main_window import MainWindow
from ui.theme import Tone
from ui.workspaces.pack import PackPage

FOLDER_NAME = "demo-output"
WAIT_S = 30.0  # for a device or a thread; each normally answers in well under a second
OPEN_THE_WINDOW = (
    "To see the window itself, run `make run` in a desktop session, or here under a\n"
    'virtual display: xvfb-run -a -s "-screen 0 1600x1000x24" make run'
)
# A machine without a display rarely has a sound server: the scan sounds have nowhere to go.
NO_SOUND_SERVER = "PulseAudioService: pa_context_connect() failed"


class TourStopped(DomainError):
    """The tour could not go on (a scan refused, a device silent); the message says where."""


@dataclass(frozen=True)
class TourResult:
    folder: Path
    order_number: str
    shipment: ShipmentDone
    files: tuple[tuple[str, str], ...]  # (file name, what it is)

    def report(self) -> str:
        parcels = len(self.shipment.ssccs)
        width = max(len(name) for name, _ in self.files)
        lines = [
            f"Packed demo order {self.order_number} at a bench with simulated scanner, label "
            f"printer and scale: shipment {self.shipment.number}, {parcels} "
            f"parcel{'s' if parcels != 1 else ''}.",
            f"What it made is in {self.folder}:",
            *(f"  {name.ljust(width)}  {what}" for name, what in self.files),
            OPEN_THE_WINDOW + ".",
        ]
        return "\n".join(lines)


def output_folder(config: Config) -> Path:
    return config.paths.data_dir / FOLDER_NAME


def run_demo_tour(config: Config, say: Callable[[str], None]) -> TourResult:
    """Pack one demo order offscreen with the device simulators; what it made, in a folder.

    The demo data must be loaded and pulled already (``packbench demo`` does that first).
    The station's own config.toml is left as it is: the simulators are this run's devices.
    """
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia*=false")
    qInstallMessageHandler(_without_sound_server_warning)
    folder = output_folder(config)
    shutil.rmtree(folder, ignore_errors=True)  # ours: the last tour's files
    folder.mkdir(parents=True)
    with (
        tempfile.TemporaryDirectory(prefix="packbench-devices-") as devices,
        SimulatedScanner(Path(devices) / "scanner") as scanner,
        SimulatedPrinter(directory=folder) as printer,
        SimulatedScale(Path(devices) / "scale") as scale,
    ):
        printer.start()
        bench = replace(
            config,
            scanner=replace(config.scanner, mode="serial", port=scanner.path, suffix="enter"),
            printer=replace(
                config.printer, transport="tcp", address=printer.address, documents=str(folder)
            ),
            scale=replace(config.scale, port=scale.path),
        )
        station = open_station(bench, demo=True)
        try:
            tour = demo.packing_tour(station)
            say(f"packing demo order {tour.order_number} at a simulated bench ...")
            shipment = _pack(station, tour, scanner, printer, scale, folder)
            label_pdf = folder / f"label-{shipment.number}.pdf"
            printouts.print_document(
                station, station.spooler, "label", shipment.number, pdf=label_pdf
            )
        finally:
            station.close()
    return TourResult(folder, tour.order_number, shipment, _describe(folder))


def _pack(
    station: Station,
    tour: demo.PackingTour,
    scanner: SimulatedScanner,
    printer: SimulatedPrinter,
    scale: SimulatedScale,
    folder: Path,
) -> ShipmentDone:
    prepare_application(station)
    window = MainWindow(station)
    window.resize(*START_SIZE)
    window.show()
    try:
        _wait(lambda: scanner.wait_for_reader(0.01), "the station to open the scanner")
        for code in tour.scans:
            _scan(window, scanner, code)
        page = window.desk.current_page if window.desk is not None else None
        view = page.controller.view if isinstance(page, PackPage) else None
        if not isinstance(page, PackPage) or view is None or not view.all_packed:
            raise TourStopped(f"Order {tour.order_number} is not packed after its scans.")
        grams = view.current.expected.expected_g or 0
        scale.put(grams)
        _wait(lambda: window.scale.stable_grams() == grams, "the scale to settle")
        _wait(lambda: page.weight_note.text() == "stable", "the bench to show the weight")
        _grab(window, folder / "pack-workspace.png")
        _scan(window, scanner, "%PB:CLOSE")
        shipment = page.controller.last_shipment
        if shipment is None:
            raise TourStopped(f"Closing the parcel did not ship order {tour.order_number}.")
        labels = len(shipment.ssccs)
        _wait(lambda: printer.wait_for_labels(labels, 0.01), "the label printer to print")
        _wait(lambda: not printjobs.jobs(station.local), "the packing slip to be saved")
        _wait(lambda: window.status.central_checked, "the central store to answer")
        _grab(window, folder / "pack-shipped.png")
        return shipment
    finally:
        window.shutdown()
        window.close()


def _scan(window: MainWindow, scanner: SimulatedScanner, code: str) -> None:
    """Scan ``code`` with the serial scanner; raise if the window refused it."""
    seen: list[Scan] = []
    window.scanning.hub.scan_read.connect(seen.append)
    try:
        scanner.scan(code)
        _wait(lambda: bool(seen), f"the scan of {code} to arrive")
    finally:
        window.scanning.hub.scan_read.disconnect(seen.append)
    QCoreApplication.processEvents()  # the window takes the scan (a queued call)
    if window.desk is None:
        raise TourStopped(f"The badge {code} did not sign anyone in.")
    band = window.desk.scan_band
    if band.tone is Tone.REFUSED:
        raise TourStopped(f"The bench refused the scan {code}: {band.text()}")


def _wait(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > deadline:
            raise TourStopped(f"Waited {WAIT_S:.0f} s for {what}; giving up.")
        QCoreApplication.processEvents()
        time.sleep(0.01)


def _grab(window: MainWindow, path: Path) -> None:
    QCoreApplication.processEvents()
    if not window.grab().save(str(path)):
        raise TourStopped(f"Could not write {path}.")


def _without_sound_server_warning(
    mode: QtMsgType, context: QMessageLogContext, message: str
) -> None:
    if message != NO_SOUND_SERVER:
        print(message, file=sys.stderr)


def _describe(folder: Path) -> tuple[tuple[str, str], ...]:
    kinds = (
        ("label-*.zpl", "a label as the printer received it (ZPL)"),
        ("label-*.pdf", "the shipment's labels as PDF"),
        ("slip-*.pdf", "the packing slip"),
        ("pack-workspace.png", "the Pack workspace: the order packed and weighed"),
        ("pack-shipped.png", "the Pack workspace after the last scan shipped it"),
    )
    return tuple(
        (path.name, what) for pattern, what in kinds for path in sorted(folder.glob(pattern))
    )
