"""Labels for Korean, Greek and Chinese addresses print on a Zebra printer (issue 10, item 9).

By the door: ``packbench demo`` makes the demo shipments, ``packbench print label N --zpl``
writes the ZPL. Every text field must be in a font that has its characters: font 0 prints
Latin only; a font mapped with ^CW has what its file has. A line neither can show travels as
a ^GF picture, and the picture must be that line.

How a picture is checked without OCR: the PDF label (``--pdf``) draws the same line at the
same place with the same bundled fonts, through other software (reportlab lays it out,
poppler rasterises it), and its text layer says what it is (pdftotext). The ^GF bits are
decoded onto a label-sized page and compared with the PDF's pixels, character by character:
each character's cell (from the font's advance widths) must hold the same ink, give or take
a dot. A control shows the comparison can tell lines apart: the same picture against a
rendering of the line with its characters in another order must fail.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter
from reportlab.pdfbase.ttfonts import TTFontFile

from printing import label_layout as layout
from printing.documents import Party
from printing.fonts import FONT_DIR, text_width
from printing.pdf import shipping_label_pdf
from printing.raster import BASELINE
from printing.zpl import (
    FONT_0,
    ZplField,
    decode_graphic,
    font_map,
    parse_zpl_fields,
    shipping_label_zpl,
)
from tests.demo_run import DemoRun
from tests.printing.readback import text_of
from tests.printing.samples import label

DPI = 203.2  # 8 dots/mm: the label layout's unit
CELL_MATCH = 0.7  # least share of ink in a character's cell that the other picture has too
SCRIPTS = {"KR": "Korean", "GR": "Greek", "CN": "Chinese"}


@dataclass(frozen=True)
class Shipped:
    number: str
    country: str
    lines: tuple[str, ...]  # the ship-to block as printed: name, lines, country


def packbench(
    home: Path, *args: str, config: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PACKBENCH_")}
    env["PACKBENCH_HOME"] = str(home)
    if config is not None:
        env["PACKBENCH_CONFIG"] = str(config)
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=300, env=env
    )


pytestmark = pytest.mark.xdist_group("demo")  # one process makes the demo (tests/conftest.py)


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory, demo_run: DemoRun) -> Path:
    """A copy of the home `packbench demo --no-window` filled (made once per run)."""
    return demo_run.copy_to(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def shipped(demo_home: Path) -> dict[str, Shipped]:
    """One single-parcel demo shipment to each of Korea, Greece and China."""
    with sqlite3.connect(demo_home / "data" / "station.sqlite3") as db:
        rows = db.execute(
            "SELECT s.number, a.country, a.name, a.company, a.line1, a.line2, a.postcode, "
            "a.city, a.region FROM shipments s JOIN orders o ON o.number = s.order_number "
            "JOIN addresses a ON a.id = o.ship_to_id WHERE a.country IN ('KR', 'GR', 'CN') "
            "AND (SELECT count(*) FROM shipment_parcels p WHERE p.shipment_id = s.id) = 1 "
            "ORDER BY s.number"
        ).fetchall()
    found: dict[str, Shipped] = {}
    for number, country, name, company, line1, line2, postcode, city, region in rows:
        place = " ".join(x for x in (postcode, city) if x)
        region = region if region and region != city else None
        lines = tuple(x for x in (company, line1, line2, place, region) if x)
        found.setdefault(country, Shipped(number, country, (name, *lines, country)))
    assert set(found) == set(SCRIPTS), f"the demo has no shipment to {set(SCRIPTS) - set(found)}"
    return found


def noto_on_the_printer(tmp_path: Path) -> Path:
    path = tmp_path / "zebra.toml"
    path.write_text(
        '[printer]\ntransport = "tcp"\naddress = "127.0.0.1:9"\n'
        'zpl_font = "E:NOTOSANS.TTF"\nzpl_font_file = "NotoSans-Regular.ttf"\n'
    )
    return path


def code_points(file: str) -> frozenset[int]:
    """What a TrueType file has glyphs for, read with reportlab's TrueType reader."""
    face = TTFontFile(str(FONT_DIR / file))
    return frozenset(point for point, glyph in face.charToGlyph.items() if glyph)


def text_fields(zpl: bytes) -> Iterator[ZplField]:
    return (f for f in parse_zpl_fields(zpl) if f.command.startswith("A"))


# --- no text field in a font without its glyphs -------------------------------------------


def test_font_0_is_taken_for_latin_only() -> None:
    for sample in ("Α", "Ж", "中", "한", "ア"):
        assert ord(sample) not in FONT_0
    for sample in "AzÄöüßéçñ€–“":
        assert ord(sample) in FONT_0


@pytest.mark.parametrize("country", SCRIPTS, ids=SCRIPTS.values())
@pytest.mark.parametrize("printer_font", [False, True], ids=["font 0", "Noto on the printer"])
def test_no_text_field_is_in_a_font_that_lacks_its_characters(
    country: str,
    printer_font: bool,
    demo_home: Path,
    shipped: dict[str, Shipped],
    tmp_path: Path,
) -> None:
    ship = shipped[country]
    out = tmp_path / "label.zpl"
    config = noto_on_the_printer(tmp_path) if printer_font else None
    wrote = packbench(demo_home, "print", "label", ship.number, "--zpl", str(out), config=config)
    assert wrote.returncode == 0, wrote.stderr
    zpl = out.read_bytes()
    mapped = font_map(zpl)
    assert mapped == ({"J": "E:NOTOSANS.TTF"} if printer_font else {})
    glyphs = {"A0": FONT_0, "AJ": code_points("NotoSans-Regular.ttf")}
    for field in text_fields(zpl):
        assert field.command in glyphs, f"{field.command}: a font nobody set up"
        lacking = {c for c in field.data if ord(c) not in glyphs[field.command] and c != " "}
        assert not lacking, f"{field.data!r} in {field.command} lacks {lacking}"
    shown = {f.data for f in text_fields(zpl)}
    pictures = [f for f in parse_zpl_fields(zpl) if f.command == "GF"]
    for line in ship.lines:
        assert line in shown or pictures, line
    # Greek is text once the printer has Noto Sans; Korean and Chinese are always pictures.
    greek_as_text = printer_font and country == "GR"
    assert bool(pictures) != greek_as_text


# --- each picture is its line ----------------------------------------------------------------


def ink(image: Image.Image) -> Image.Image:
    """Black pixels as white on black, mode 1 (so ImageChops.logical_and counts ink)."""
    return image.convert("L").point(lambda v: 255 if v < 128 else 0).convert("1")


def zpl_page(zpl: bytes) -> Image.Image:
    """The ^GF fields of a label, decoded onto a white 4x6 in page at 8 dots/mm."""
    page = Image.new("1", (layout.WIDTH, layout.LENGTH), 1)
    for field in parse_zpl_fields(zpl):
        if field.command != "GF":
            continue
        bitmap = decode_graphic(field)
        picture = Image.frombytes("1", (bitmap.width, bitmap.height), b"".join(bitmap.rows))
        page.paste(0, (field.x, field.y), picture)  # black where the picture has ink
    return ink(page)


def pdf_page(pdf: bytes, tmp_path: Path) -> Image.Image:
    """A one-page label PDF rasterised by poppler at the label's own 8 dots/mm."""
    source = tmp_path / "label.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", "-singlefile", str(source), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    with Image.open(tmp_path / "page.pgm") as page:
        return ink(page.crop((0, 0, layout.WIDTH, layout.LENGTH)))


def shared(one: Image.Image, other: Image.Image, box: tuple[int, int, int, int]) -> float:
    """The share of ``one``'s ink in ``box`` that ``other`` has within a dot (1.0: no ink)."""
    mine = one.crop(box)
    near = other.crop(box).filter(ImageFilter.MaxFilter(3))
    total = mine.histogram()[255]
    if total < 4:
        return 1.0
    return ImageChops.logical_and(mine, near).histogram()[255] / total


def cells(text: str, box: layout.TextBox, bold: bool) -> Iterator[tuple[str, tuple[int, ...]]]:
    """Each character and its cell on the page: from its advance in the font, the line's
    height above and below the baseline."""
    size = box.height * 72 / DPI
    baseline = box.top + BASELINE * box.height
    top, bottom = int(baseline - box.height), int(baseline + 0.4 * box.height)
    for index, char in enumerate(text):
        left = box.x + text_width(text[:index], size, bold=bold) * DPI / 72
        right = box.x + text_width(text[: index + 1], size, bold=bold) * DPI / 72
        yield char, (int(left), top, int(right + 0.999), bottom)


def worst_cell(
    zpl: Image.Image, pdf: Image.Image, text: str, box: layout.TextBox, bold: bool
) -> float:
    scores = [
        min(shared(zpl, pdf, cell), shared(pdf, zpl, cell))
        for char, cell in cells(text, box, bold)
        if not char.isspace()
    ]
    return min(scores)


def pictured(zpl: bytes, lines: tuple[str, ...]) -> list[tuple[str, layout.TextBox, bool]]:
    """The ship-to lines that went as pictures, with the box each stands in."""
    boxes = (layout.TO_NAME, *layout.TO_LINES)
    tops = {f.y for f in parse_zpl_fields(zpl) if f.command == "GF"}
    found = []
    for index, (line, box) in enumerate(zip(lines, boxes, strict=False)):
        if any(box.top - box.height // 2 <= y <= box.top + box.height for y in tops):
            found.append((line, box, index == 0))
    return found


@pytest.mark.parametrize("country", SCRIPTS, ids=SCRIPTS.values())
def test_each_picture_shows_its_line_as_the_pdf_label_prints_it(
    country: str, demo_home: Path, shipped: dict[str, Shipped], tmp_path: Path
) -> None:
    ship = shipped[country]
    zpl_file, pdf_file = tmp_path / "label.zpl", tmp_path / "label.pdf"
    for option, file in (("--zpl", zpl_file), ("--pdf", pdf_file)):
        wrote = packbench(demo_home, "print", "label", ship.number, option, str(file))
        assert wrote.returncode == 0, wrote.stderr
    zpl = zpl_file.read_bytes()
    lines = pictured(zpl, ship.lines)
    assert lines, "no line went as a picture"
    assert [line for line, _, _ in lines] == [
        line for line in ship.lines if any(ord(c) not in FONT_0 for c in line)
    ]
    printed_text = text_of(pdf_file.read_bytes(), tmp_path)
    on_zpl, on_pdf = zpl_page(zpl), pdf_page(pdf_file.read_bytes(), tmp_path)
    for line, box, bold in lines:
        assert line in printed_text  # the PDF's own words: it is the line we compare with
        assert worst_cell(on_zpl, on_pdf, line, box, bold) >= CELL_MATCH, line


CONTROLS = {
    "Korean": (
        Party("김민준", ("서울특별시 강남구 중앙로 12", "06123 강남구"), "KR"),
        Party("준민김", ("12 중앙로 강남구 서울특별시", "강남구 06123"), "KR"),
    ),
    "Greek": (
        Party("Νικόλαος Παπαδόπουλος", ("Κανάρη 4", "103 24 Αθήνα"), "GR"),
        Party("Παπαδόπουλος Νικόλαος", ("4 Κανάρη", "Αθήνα 103 24"), "GR"),
    ),
    "Chinese": (
        Party("孙军", ("新华路576号", "361020 厦门市"), "CN"),
        Party("军孙", ("576号新华路", "厦门市 361020"), "CN"),
    ),
}


@pytest.mark.parametrize("script", CONTROLS)
def test_the_comparison_tells_a_line_from_the_same_characters_in_another_order(
    script: str, tmp_path: Path
) -> None:
    """The control: a picture does not pass for a line it is not. (Measured: a picture and
    its own line share at least 0.78 of each character's ink; against the reordered line
    the worst character shares at most 0.60.)"""
    right, reordered = CONTROLS[script]
    zpl = shipping_label_zpl(label(ship_to=right))
    on_zpl = zpl_page(zpl)
    same = pdf_page(shipping_label_pdf(label(ship_to=right)), tmp_path)
    other = pdf_page(shipping_label_pdf(label(ship_to=reordered)), tmp_path)
    lines = pictured(zpl, (right.name, *right.lines, right.country))
    assert len(lines) == 3
    for line, box, bold in lines:
        assert worst_cell(on_zpl, same, line, box, bold) >= CELL_MATCH
        assert worst_cell(on_zpl, other, line, box, bold) < CELL_MATCH
