"""One ``packbench demo --no-window`` run on a fresh home, shared by the tests that read it.

Making the demo takes ~10 s; the tests that read what it made (the CLI's, the headless
``make run``'s, the demo invoices', returns' and Unicode labels') each get a copy of the one
home it filled (the ``demo_run`` fixture, tests/conftest.py) and change their copy as they like.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DemoRun:
    """The home one demo run filled, and what the command said."""

    home: Path
    made: subprocess.CompletedProcess[str]

    def copy_to(self, home: Path) -> Path:
        """A station home holding this demo, for one test to change as it likes."""
        shutil.copytree(self.home, home, dirs_exist_ok=True)
        return home


def make_demo(home: Path) -> DemoRun:
    """``packbench demo --no-window`` on ``home``, a fresh one, as a new user runs it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PACKBENCH_")}
    env["PACKBENCH_HOME"] = str(home)
    made = subprocess.run(
        [sys.executable, "-m", "app", "demo", "--no-window"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert made.returncode == 0, made.stderr
    return DemoRun(home, made)
