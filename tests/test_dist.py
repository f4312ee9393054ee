"""The built application (``make dist``) starts where there is no Python and no virtual
environment: ``env -i`` with a fresh HOME, no display, and passes its own self-test.

Marked ``dist``: it builds with PyInstaller (minutes), so ``make test`` skips it and runs the
self-test from source instead; ``make dist-test`` builds once and runs it on that build
(``PACKBENCH_DIST`` names the folder). Run by hand without it, it builds into tmp_path.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app import __version__

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.dist


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("PACKBENCH_DIST")
    if given:
        return Path(given).absolute()
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller is not installed (it is in the dev extras: make test installs it)")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(out / "dist"),
            "--workpath",
            str(out / "work"),
            str(ROOT / "build.spec"),
        ],
        check=True,
        cwd=ROOT,
        timeout=1800,
    )
    return out / "dist" / f"packbench-{__version__}"


def clean_run(app: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``env -i``: no PATH to a Python, no virtual environment, no display, a fresh HOME."""
    home.mkdir(exist_ok=True)
    return subprocess.run(
        ["env", "-i", f"HOME={home}", "PATH=/usr/bin:/bin", str(app / "packbench"), *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=home,
    )


def test_the_built_app_passes_its_self_test_in_a_clean_environment(
    built: Path, tmp_path: Path
) -> None:
    assert (built / "packbench").is_file()
    started = time.monotonic()
    result = clean_run(built, tmp_path / "home", "--self-test")
    took = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Qt platform plugin: offscreen" in result.stdout
    assert "translations: English (source), de" in result.stdout
    assert "GS1 scan: GTIN 09501101530003" in result.stdout
    assert "all 11 checks passed" in result.stdout
    print(f"self-test of the build took {took:.1f} s")


def test_the_built_app_answers_its_commands(built: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert clean_run(built, home, "--version").stdout.strip() == f"packbench {__version__}"
    doctor = clean_run(built, home, "doctor")
    assert "logs: " in doctor.stdout, doctor.stdout + doctor.stderr
    assert str(home) in doctor.stdout  # the user directories of the fresh HOME
    window = clean_run(built, home)  # no display: says how, instead of aborting in Qt
    assert window.returncode == 2
    assert "no display" in window.stderr
