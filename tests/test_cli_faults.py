"""What stops a ``packbench`` command is said in one line, never as a traceback.

A bug (asked for with ``PACKBENCH_FAULT=command``, as support would) leaves a crash report
and exit code 70; a full disk (a real one: a tiny tmpfs) is told as a full disk, exit code 3.
Each on a fresh PACKBENCH_HOME, through the real command in a subprocess.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.tiny_disk import fill, tiny_disk


def packbench(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


def test_a_command_that_hits_a_bug_prints_one_line_with_the_report_and_no_traceback(
    isolated_home: Path,
) -> None:
    done = packbench("sync", "--once", PACKBENCH_FAULT="command", PACKBENCH_STATION="ST-03")

    assert done.returncode == 70
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith(
        "packbench: Packbench hit a bug while running packbench sync (not something you did). "
        "Everything saved before it is kept. The report is at "
    )
    assert "Traceback" not in done.stderr and 'File "' not in done.stderr
    found = re.search(r"The report is at (\S+): give it to", line)
    assert found, line
    report = Path(found.group(1))
    assert report.parent == isolated_home / "logs" and report.name.startswith("crash-")
    written = report.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in written
    assert "version: packbench 0.1.0" in written and "station: ST-03" in written
    assert "where: while running packbench sync" in written
    log = (isolated_home / "logs" / "packbench.log").read_text(encoding="utf-8")
    assert "DeliberateFault" in log  # the log has it all too


def test_a_full_disk_is_told_as_a_full_disk_with_what_to_do(
    isolated_home: Path, tmp_path: Path
) -> None:
    with tiny_disk(tmp_path / "disk", size_kb=256) as disk:
        fill(disk)
        done = packbench("print", "commands", "--pdf", str(disk / "sheet.pdf"))
        assert sorted(p.name for p in disk.iterdir()) == ["filler.bin"]  # no half a PDF

    assert done.returncode == 3
    [line] = done.stderr.splitlines()
    assert line == (
        "packbench: The disk is full: what was just asked was not saved. Free some space on it "
        "(or ask IT to), then do it again. Everything saved before is kept."
    )
    assert not list((isolated_home / "logs").glob("crash-*.txt"))  # not a bug


def test_a_reader_that_stops_reading_is_not_a_fault(isolated_home: Path) -> None:
    """``packbench ... | head``: the pipe closes before the command has written; no report."""
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before the first line is written
    try:
        done = subprocess.run(
            [sys.executable, "-m", "app", "doctor"],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            env=dict(os.environ),
        )
    finally:
        os.close(writer)

    assert done.returncode == 141  # what a shell shows for a command ended by SIGPIPE
    assert done.stderr == ""
    logs = isolated_home / "logs"
    assert not list(logs.glob("crash-*")) if logs.exists() else True
