"""Checks made before Qt starts, so a missing display or library is a message, not an abort.

Qt ends the process with "could not load the Qt platform plugin" when the xcb libraries or a
display are missing; we look first and say what to do. Nothing here imports Qt.
"""

from __future__ import annotations

import ctypes.util
import os
from collections.abc import Mapping

# Library (as ctypes finds it) -> the Debian package that provides it.
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-shape": "libxcb-shape0",
    "xcb-randr": "libxcb-randr0",
    "xcb-xkb": "libxcb-xkb1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "EGL": "libegl1",
    "fontconfig": "libfontconfig1",
}

HEADLESS_PLATFORMS = {"offscreen", "minimal", "vnc"}


def _not_x11(env: Mapping[str, str]) -> bool:
    """Qt will not use X here: a platform that needs no display is named, or Wayland."""
    platform = env.get("QT_QPA_PLATFORM", "").split(":")[0]
    if platform in HEADLESS_PLATFORMS or platform.startswith("wayland"):
        return True
    return not platform and bool(env.get("WAYLAND_DISPLAY"))


def no_display(env: Mapping[str, str] | None = None) -> bool:
    """No X or Wayland display here, and no Qt platform named that needs none."""
    env = os.environ if env is None else env
    return not _not_x11(env) and not env.get("DISPLAY")


def display_problem(env: Mapping[str, str] | None = None) -> str | None:
    """What stops a window from opening here, with how to fix it; None when it can open."""
    env = os.environ if env is None else env
    if _not_x11(env):
        return None
    if not env.get("DISPLAY"):
        return (
            "There is no display here (DISPLAY is not set), so the window cannot open.\n"
            "On a machine without a screen, run it under a virtual one:\n"
            '  xvfb-run -a -s "-screen 0 1600x1000x24" make run\n'
            "(Debian package: xvfb). `packbench demo` needs none: without a display it packs a\n"
            "demo order at a simulated bench and saves the labels, slip and screenshots."
        )
    missing = sorted(
        {pkg for lib, pkg in XCB_LIBRARIES.items() if ctypes.util.find_library(lib) is None}
    )
    if missing:
        return (
            "Qt needs system libraries that are missing to open a window: "
            + " ".join(missing)
            + "\nInstall them with:\n  sudo apt-get install "
            + " ".join(missing)
            + "\n(`make run` installs them itself when run as root.)"
        )
    return None
