"""The operating-system packages Packbench needs, found and (as root) installed.

Qt's xcb platform plugin needs X libraries that a bare Debian lacks; without them Qt aborts
with "could not load the Qt platform plugin". The tests also use Xvfb, xprop, zbarimg and pdftotext.
``make run`` and ``make test`` call ``python -m app.system run|test`` before anything else.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

# What a real window needs (QtGui on xcb), and QtMultimedia's sound output.
RUN_PACKAGES = (
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-randr0",
    "libxcb-xkb1",
    "libxcb-xinerama0",
    "libxkbcommon-x11-0",
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libdbus-1-3",
    "libpulse0",
)
# What the tests read documents and drive a real X display with.
TEST_PACKAGES = (*RUN_PACKAGES, "xvfb", "xauth", "x11-utils", "zbar-tools", "poppler-utils")

PACKAGES = {"run": RUN_PACKAGES, "test": TEST_PACKAGES}


def can_check() -> bool:
    return shutil.which("dpkg-query") is not None


def missing_packages(packages: tuple[str, ...]) -> list[str]:
    """The Debian packages of ``packages`` that are not installed."""
    if not can_check():
        return []
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package} ${db:Status-Status}\n", *packages],
        capture_output=True,
        text=True,
        check=False,
    )
    installed = {
        line.split()[0] for line in result.stdout.splitlines() if line.endswith(" installed")
    }
    return [p for p in packages if p not in installed]


def install(packages: list[str]) -> bool:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
    ):
        if subprocess.run(command, env=env, check=False).returncode != 0:
            return False
    return True


def ensure(purpose: str) -> int:
    """Install what ``purpose`` needs when we are root, else say what is missing."""
    if not can_check():
        print(
            "packbench: not a Debian-like system (no dpkg-query); make sure the Qt xcb "
            "libraries, Xvfb, zbar-tools and poppler-utils are installed.",
            file=sys.stderr,
        )
        return 0
    missing = missing_packages(PACKAGES[purpose])
    if not missing:
        return 0
    if os.geteuid() == 0:
        print(f"packbench: installing Debian packages: {' '.join(missing)}", file=sys.stderr)
        if install(missing) and not missing_packages(PACKAGES[purpose]):
            return 0
        print("packbench: apt-get could not install them; see its messages above.", file=sys.stderr)
        return 1
    print(
        f"packbench: missing Debian packages: {' '.join(missing)}\n"
        f"  install them with: sudo apt-get install {' '.join(missing)}",
        file=sys.stderr,
    )
    if purpose == "test":
        print("  (the tests that need them are skipped and say so)", file=sys.stderr)
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(ensure(sys.argv[1] if len(sys.argv) > 1 else "run"))
