"""PySide6 6.12.0 on Python 3.11 loses a reference to None (or a bool) on every signal
delivered to a Python slot and aborts the interpreter after a few thousand: a packing
station would die after a few thousand scans. pyproject.toml pins that release out; this
test keeps it out. It runs in a subprocess because the failure is an interpreter abort."""

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

    class Scanner(QObject):
        scanned = Signal(str)
        flag = Signal(bool)

    class Bench(QObject):
        def __init__(self):
            super().__init__()
            self.scans = 0

        @Slot(str)
        def on_scanned(self, text):
            self.scans += 1

    app = QCoreApplication([])
    scanner, bench = Scanner(), Bench()
    scanner.scanned.connect(bench.on_scanned)
    trues = [0]
    scanner.flag.connect(lambda value: trues.__setitem__(0, trues[0] + value))
    before = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(50_000):
        scanner.scanned.emit("5012345678900")
        scanner.flag.emit(i % 2 == 0)
    after = sys.getrefcount(None), sys.getrefcount(True)
    assert bench.scans == 50_000 and trues[0] == 25_000
    assert abs(after[0] - before[0]) < 100, ("None refcount drifted", before, after)
    assert abs(after[1] - before[1]) < 100, ("True refcount drifted", before, after)
    print("clean", bench.scans)
    """
)


def test_fifty_thousand_signals_to_python_slots_do_not_crash_the_interpreter() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=300,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Fatal Python error" not in result.stderr
    assert result.stdout.strip() == "clean 50000"


def test_the_installed_pyside6_is_not_the_release_that_crashes() -> None:
    import PySide6

    assert PySide6.__version__ != "6.12.0"
