"""The app's one excepthook also hears threads, and lets the window go when it goes."""

from __future__ import annotations

import sys
import threading

import pytest
from pytestqt.qtbot import QtBot

from app.bootstrap import Station
from ui.application import open_window


@pytest.mark.qt_no_exception_capture
def test_a_thread_that_dies_of_a_bug_is_told_in_the_window_with_its_report(
    qtbot: QtBot, station: Station
) -> None:
    window = open_window(station)
    qtbot.addWidget(window)
    try:

        def work() -> None:
            raise LookupError("no such label template")

        worker = threading.Thread(target=work, name="label-render")
        worker.start()
        worker.join()
        qtbot.waitUntil(window.fault_band.isVisible, timeout=5_000)
        text = window.fault_band.text()
        assert text.startswith("Packbench hit a bug in the label-render thread")
        [report] = station.config.paths.log_dir.glob("crash-*.txt")
        assert "LookupError: no such label template" in report.read_text(encoding="utf-8")
        assert str(report) in text
    finally:
        window.shutdown()
    assert sys.excepthook != window.faults.on_exception  # the hooks went with the window
    assert threading.excepthook != window.faults.on_thread_exception
