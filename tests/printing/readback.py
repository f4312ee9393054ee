"""Reading printed documents back as a person and a scanner would: text and barcodes.

PDFs are rasterised with pdftoppm and scanned with zbarimg (zbar-tools), text comes
from pdftotext (poppler-utils). ``make test`` installs both; without them the tests fail
and say so, because a document nobody has scanned is not known to work.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

_ZBAR = "{http://zbar.sourceforge.net/2008/barcode}"


@dataclass(frozen=True)
class Symbol:
    type: str  # zbar's name: "CODE-128", "QR-Code"
    data: str
    modifiers: str  # "GS1" for a GS1-128 symbol (leading FNC1), else ""
    page: int


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not installed: run `make test`, which installs poppler-utils and "
            "zbar-tools, the programs these tests read documents back with."
        )
    return path


def _run(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, check=False, timeout=60)
    if done.returncode not in (0, 4):  # zbarimg: 4 = read fine, no symbol found
        raise AssertionError(f"{args[0]} failed ({done.returncode}): {done.stderr.decode()}")
    return done.stdout.decode()


def write(pdf: bytes, tmp_path: Path, name: str = "document.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def text_of(pdf: bytes, tmp_path: Path, *, reading_order: bool = False) -> str:
    """The text of every page, laid out roughly as printed (pdftotext -layout), or in the
    order it was drawn (-raw: a caption set on three lines stays together)."""
    mode = "-raw" if reading_order else "-layout"
    return _run(_tool("pdftotext"), mode, str(write(pdf, tmp_path)), "-")


def pages_of(pdf: bytes, tmp_path: Path) -> list[str]:
    return text_of(pdf, tmp_path).split("\f")[:-1]


def page_size(pdf: bytes, tmp_path: Path) -> str:
    """pdfinfo's "Page size" value, e.g. "288 x 432 pts"."""
    info = _run(_tool("pdfinfo"), str(write(pdf, tmp_path)))
    return (
        next(line for line in info.splitlines() if line.startswith("Page size:"))
        .split(":", 1)[1]
        .strip()
    )


def barcodes_of(
    pdf: bytes, tmp_path: Path, *, resolution: int = 203, mono: bool = True
) -> list[Symbol]:
    """Every symbol zbar finds on every page, rendered as a printer of ``resolution`` would."""
    source = write(pdf, tmp_path)
    prefix = tmp_path / "page"
    colour = "-mono" if mono else "-gray"
    _run(_tool("pdftoppm"), "-r", str(resolution), colour, "-png", str(source), str(prefix))
    images = sorted(tmp_path.glob("page-*.png"))
    assert images, "pdftoppm wrote no page images"
    xml = _run(_tool("zbarimg"), "-q", "--nodbus", "--xml", *map(str, images))
    symbols = []
    for page, index in enumerate(ET.fromstring(xml).iter(f"{_ZBAR}source"), start=1):
        for symbol in index.iter(f"{_ZBAR}symbol"):
            data = symbol.find(f"{_ZBAR}data")
            assert data is not None and data.text is not None
            text = data.text
            if data.get("format") == "base64":
                text = base64.b64decode(text).decode("utf-8")
            symbols.append(Symbol(symbol.get("type", ""), text, symbol.get("modifiers", ""), page))
    return symbols
