"""The application in a real X window (Xvfb), through the same path as ``make run``.

Offscreen tests never load Qt's xcb platform plugin, which is what dies on a machine missing
libxcb-cursor0 and friends; this one does.
"""

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.xvfb

SCRIPT = textwrap.dedent(
    """
    import shutil
    import subprocess
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from app.cli import main

    app = QApplication(sys.argv[:1])
    shots = []

    def grab():
        window = next(w for w in app.topLevelWidgets() if w.isVisible() and w.isWindow())
        image = app.primaryScreen().grabWindow(0).toImage()
        image.save(sys.argv[1])
        colours = {image.pixel(x, y) for x in range(0, image.width(), 37)
                   for y in range(0, image.height(), 37)}
        # The title as the window manager has it: Qt may add the application's name to it.
        title = window.windowTitle()
        if shutil.which("xprop"):
            title = subprocess.run(
                ["xprop", "-id", str(int(window.winId())), "_NET_WM_NAME"],
                capture_output=True, text=True,
            ).stdout
        shots.append((title, image.width(), image.height(), len(colours)))
        app.quit()

    seen = []

    def poll():
        # Grab once the window has been on screen for a second (a loaded machine is slow).
        if any(w.isVisible() and w.isWindow() for w in app.topLevelWidgets()):
            seen.append(1)
        if len(seen) >= 4:
            timer.stop()
            grab()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(250)
    code = main(["demo"])
    print("shot", shots)
    sys.exit(code)
    """
)


@pytest.mark.slow
def test_the_demo_opens_a_real_window_under_xvfb(tmp_path: Path, isolated_home: Path) -> None:
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (Debian package xvfb): no real X display to test on")
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    png = tmp_path / "screen.png"
    result = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", sys.executable, "-c", SCRIPT, str(png)],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
    )
    assert "could not load the Qt platform plugin" not in result.stderr
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("shot"))
    assert line.count("Packbench") == 1, line  # not "Packbench — station … — Packbench"
    assert png.stat().st_size > 10_000
    # A real picture, not a blank screen: many distinct colours on the sampled grid.
    assert int(line.rstrip(")]").split(",")[-1]) > 8
