"""The drawing helpers: Code 128 bars, QR modules, and text in the font that has its glyphs."""

from __future__ import annotations

import itertools

import pytest
from reportlab.graphics.barcode import qrencoder

from printing import fonts
from printing.barcodes import FNC1, code128_bars, code128_modules, qr_codewords, qr_modules


def test_gs1_128_of_an_sscc_is_start_c_fnc1_and_ten_digit_pairs() -> None:
    # start, FNC1, 10 pairs and the check character: 13 of 11 modules, the stop has 13.
    assert code128_modules(FNC1 + "00376130321109103420") == 13 * 11 + 13


def test_bars_never_overlap_and_start_and_end_with_a_bar() -> None:
    bars = code128_bars("%PB:CLOSE")
    assert bars[0][0] == 0
    for (start, width), (next_start, _) in itertools.pairwise(bars):
        assert next_start > start + width
    assert all(1 <= width <= 4 for _, width in bars)


@pytest.mark.parametrize("data", ["ORD-Müller", "", "tab\there"])
def test_code_128_refuses_what_it_would_silently_drop(data: str) -> None:
    with pytest.raises(ValueError, match="only printable ASCII"):
        code128_bars(data)


def test_the_qr_matrix_is_square_with_finder_patterns() -> None:
    modules = qr_modules("https://id.gs1.org/00/376130321109103420")
    size = len(modules)
    assert size == 29  # version 3 at level M
    assert all(len(row) == size for row in modules)
    for row, column in ((0, 0), (0, size - 7), (size - 7, 0)):
        assert all(modules[row][column + i] for i in range(7))
        assert all(modules[row + i][column] for i in range(7))


@pytest.mark.parametrize("level", ["L", "M", "Q", "H"])
def test_our_error_correction_gives_reportlabs_codewords(level: str) -> None:
    texts = [
        "https://id.gs1.org/00/376130321109103420",
        "INV-ST-01-2026-000001",
        "Jürgen Müller, Friedrichstraße 43 · 東京都渋谷区" * 3,
        "x" * 150,
    ]
    for text in texts:
        code = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
        code.addData(qrencoder.QR8bitByte(text))
        version = code.calculate_version()
        expected = qrencoder.QRCode.createData(version, code.errorCorrectLevel, code.dataList)
        assert qr_codewords(version, code.errorCorrectLevel, code.dataList) == expected


def test_mixed_japanese_and_latin_is_drawn_in_runs_of_each_font() -> None:
    runs = list(fonts.font_runs("東京都渋谷区 1-2-3 Jürgen"))
    assert runs == [
        (fonts.CJK, "東京都渋谷区"),
        (fonts.REGULAR, " 1-2-3 Jürgen"),
    ]
    assert list(fonts.font_runs("Αθήνα", bold=True)) == [(fonts.BOLD, "Αθήνα")]


def test_a_long_line_gets_smaller_before_it_gets_cut() -> None:
    text = "Hauptstraße 5, Hinterhaus, 3. Obergeschoss links"
    width = fonts.text_width(text, 12)
    same, size = fonts.fit_text(text, 12, width * 0.8)
    assert same == text
    assert size == pytest.approx(12 * 0.8)
    cut, size = fonts.fit_text(text, 12, width * 0.3)
    assert cut.endswith("…")
    assert size == pytest.approx(12 * 0.6)
    assert fonts.text_width(cut, size) <= width * 0.3 + 0.01


def test_wrapping_breaks_at_spaces_and_inside_long_words() -> None:
    assert fonts.wrap_text("Earl Grey tea", 10, 1000) == ["Earl Grey tea"]
    lines = fonts.wrap_text("緑茶煎茶玉露抹茶番茶焙じ茶", 10, 45)
    assert lines == ["緑茶煎茶", "玉露抹茶", "番茶焙じ", "茶"]
    assert "".join(lines) == "緑茶煎茶玉露抹茶番茶焙じ茶"
    assert all(fonts.text_width(line, 10) <= 45 for line in lines)
    capped = fonts.wrap_text("word " * 100, 10, 60, max_lines=2)
    assert len(capped) == 2
    assert capped[-1].endswith("…")
