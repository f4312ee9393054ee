"""The versions that were tested are the versions installed: constraints.txt against .venv.

``make run`` and ``make test`` install with ``--constraint constraints.txt``; ``make lock``
refreshes the file. These tests catch a virtual environment that drifted from the lock (a
package upgraded by hand, a leftover from an older lock), a lock that misses something
pyproject.toml names or something a locked package needs, and a Makefile that stopped
using the lock.
"""

from __future__ import annotations

import importlib.metadata as metadata
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "constraints.txt"
# Not installed from the lock: Packbench itself (editable), and setuptools, which
# `python -m venv` puts there on Python 3.11 (builds use their own, isolated).
NOT_LOCKED = {"packbench", "setuptools", "wheel"}
FIX = (
    "make installs from constraints.txt whenever the file changes; for a package installed "
    "by hand or left over from an older lock, run `make clean` and then `make test`"
)


def locked() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for number, line in enumerate(LOCK.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        requirement = Requirement(text)
        specifiers = list(requirement.specifier)
        assert len(specifiers) == 1 and specifiers[0].operator == "==", (
            f"constraints.txt line {number}: {line!r} is not an exact pin (name==version)"
        )
        name = canonicalize_name(requirement.name)
        assert name not in pins, f"constraints.txt line {number}: {requirement.name} twice"
        pins[name] = Version(specifiers[0].version)
    return pins


def venv_distributions() -> dict[str, metadata.Distribution]:
    """Every distribution in this interpreter's site-packages (not the source tree's egg-info)."""
    site = {Path(p).resolve() for p in sys.path if p.endswith("site-packages")}
    found: dict[str, metadata.Distribution] = {}
    for dist in metadata.distributions(path=[str(p) for p in site]):
        found.setdefault(canonicalize_name(dist.metadata["Name"]), dist)
    return found


def project_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        names += extra
    return [Requirement(n) for n in names]


@pytest.fixture(scope="module")
def installed() -> dict[str, metadata.Distribution]:
    if sys.prefix == sys.base_prefix:
        pytest.skip("not running in a virtual environment: `make test` runs the tests in .venv")
    return venv_distributions()


def test_every_installed_package_is_the_locked_version(
    installed: dict[str, metadata.Distribution],
) -> None:
    pins = locked()
    drift = []
    for name, dist in sorted(installed.items()):
        if name in NOT_LOCKED:
            continue
        if name not in pins:
            drift.append(f"{name} {dist.version} is installed but not in constraints.txt")
        elif Version(dist.version) != pins[name]:
            drift.append(f"{name} {dist.version} is installed, constraints.txt says {pins[name]}")
    missing = sorted(set(pins) - set(installed))
    drift += [f"{name} {pins[name]} is in constraints.txt but not installed" for name in missing]
    assert not drift, "; ".join(drift) + f". {FIX}."


def test_the_lock_pins_everything_pyproject_names_within_its_bounds() -> None:
    pins = locked()
    problems = []
    for requirement in project_requirements():
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{requirement.name} (pyproject.toml) is not in constraints.txt")
        elif not requirement.specifier.contains(pins[name], prereleases=True):
            problems.append(
                f"constraints.txt pins {requirement.name} {pins[name]}, outside pyproject.toml's "
                f"{requirement.specifier}"
            )
    assert not problems, "; ".join(problems) + ". Run `make lock`, then `make test`."


def test_the_lock_holds_everything_the_locked_packages_need(
    installed: dict[str, metadata.Distribution],
) -> None:
    """Closed under dependencies (for this Python and platform), extras included."""
    pins = locked()
    wanted: list[tuple[str, set[str]]] = [
        (canonicalize_name(r.name), set(r.extras)) for r in project_requirements()
    ]
    seen: set[tuple[str, str]] = set()
    problems = []
    while wanted:
        name, extras = wanted.pop()
        dist = installed.get(name)
        if dist is None:
            continue  # reported by the test above
        for extra in {"", *extras}:
            if (name, extra) in seen:
                continue
            seen.add((name, extra))
            for text in dist.requires or []:
                needed = Requirement(text)
                environment = {"extra": extra}
                if needed.marker is not None and not needed.marker.evaluate(environment):
                    continue
                needed_name = canonicalize_name(needed.name)
                pin = pins.get(needed_name)
                if pin is None:
                    problems.append(f"{name} needs {needed}, which constraints.txt lacks")
                elif not needed.specifier.contains(pin, prereleases=True):
                    problems.append(f"{name} needs {needed}; constraints.txt pins {pin}")
                wanted.append((needed_name, set(needed.extras)))
    assert not problems, "; ".join(problems) + ". Run `make lock`, then `make test`."


def test_pyside6_6_12_0_stays_out_of_the_lock() -> None:
    pins = locked()
    for name in ("pyside6", "pyside6-essentials", "pyside6-addons", "shiboken6"):
        assert pins.get(name) != Version("6.12.0"), (
            f"{name} 6.12.0 aborts the interpreter (pyproject.toml says why)"
        )


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """The Makefile with what its install rule reads, in a folder of its own."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    copy = tmp_path / "packbench"
    copy.mkdir()
    for name in ("Makefile", "pyproject.toml", "constraints.txt"):
        shutil.copy2(ROOT / name, copy / name)
    return copy


def make(copy: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(copy), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_make_installs_with_the_lock_and_again_when_it_changes(project_copy: Path) -> None:
    stamp = project_copy / ".venv" / ".installed-stamp"
    stamp.parent.mkdir()
    stamp.touch()
    assert make(project_copy, "--question", ".venv/.installed-stamp").returncode == 0
    later = time.time() + 60
    os.utime(project_copy / "constraints.txt", (later, later))
    assert make(project_copy, "--question", ".venv/.installed-stamp").returncode == 1, (
        "a changed constraints.txt does not make `make` install again"
    )
    shown = make(project_copy, "--dry-run", ".venv/.installed-stamp")
    installs = [line for line in shown.stdout.splitlines() if "pip install" in line]
    assert installs, shown.stdout + shown.stderr
    for line in installs:
        assert "--constraint constraints.txt" in line, f"installs without the lock: {line}"


@pytest.mark.slow
def test_a_new_machine_installs_exactly_the_locked_versions(tmp_path: Path) -> None:
    """The Makefile's own install command, resolved as on an empty machine (pip --dry-run)."""
    shown = make(ROOT, "--dry-run", "--always-make", ".venv/.installed-stamp")
    command = next(
        line
        for line in reversed(shown.stdout.splitlines())
        if "pip install" in line and ".[dev]" in line
    )
    report = tmp_path / "report.json"
    result = subprocess.run(
        f"{command} --dry-run --ignore-installed --report {report}",
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0 and any(
        sign in result.stderr
        for sign in ("NewConnectionError", "Failed to establish", "Temporary failure in name")
    ):
        pytest.skip("the package index cannot be reached from here")
    assert result.returncode == 0, result.stderr[-3000:]
    would = {
        canonicalize_name(item["metadata"]["name"]): Version(item["metadata"]["version"])
        for item in json.loads(report.read_text(encoding="utf-8"))["install"]
    }
    would.pop("packbench")
    pins = locked()
    pins.pop("pip")  # installed by the line before, with the same lock
    assert would == pins
