"""The bundled fonts: every script of the address data renders with a glyph, licences beside."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QRawFont, QTextLayout
from PySide6.QtWidgets import QApplication

from ui.fonts import BUNDLED_FONT_FILES, FONT_DIR, load_bundled_fonts, with_private_family_name

SAMPLES = {
    "Latin with diacritics": "Jürgen Müller, Łódź, Dvořák, Ærøskøbing",
    "Greek": "Ελένη Γεωργίου, Αθήνα",
    "Cyrillic": "Светлана Кузнецова, Москва",
    "Japanese": "東京都渋谷区 カタカナ ひらがな",
    "Chinese": "北京市朝阳区",
    "Korean": "서울특별시 김민준",
}


def test_the_bundled_families_load_under_private_names(qapp: QApplication) -> None:
    assert load_bundled_fonts() == ["Packbench Noto Sans", "Packbench Droid Sans Fallback"]


@pytest.mark.parametrize("script", list(SAMPLES))
def test_every_script_in_the_data_renders_from_a_bundled_font(
    qapp: QApplication, script: str
) -> None:
    families = load_bundled_fonts()
    font = QFont()
    font.setFamilies(families)
    font.setPointSize(15)
    layout = QTextLayout(SAMPLES[script].replace(" ", "").replace(",", ""), font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs = layout.glyphRuns()
    assert runs
    for run in runs:
        assert run.rawFont().familyName() in families, f"{script} fell back to a system font"
        assert 0 not in run.glyphIndexes(), (
            f"{script}: empty boxes from {run.rawFont().familyName()}"
        )


def test_the_files_are_truetype_with_their_licences_and_small_enough() -> None:
    for name in BUNDLED_FONT_FILES:
        assert (FONT_DIR / name).read_bytes()[:4] == b"\x00\x01\x00\x00", name  # not CFF
    for name in ("OFL.txt", "LICENSE-Apache-2.0.txt", "README.md"):
        assert (FONT_DIR / name).stat().st_size > 1000
    total = sum(p.stat().st_size for p in FONT_DIR.iterdir())
    assert total < 8 * 1024 * 1024


def test_renaming_changes_the_name_and_nothing_else(qapp: QApplication) -> None:
    original = (FONT_DIR / "NotoSans-Regular.ttf").read_bytes()
    renamed = with_private_family_name(original, "Packbench ")
    before, after = QRawFont(original, 20), QRawFont(renamed, 20)
    assert before.familyName() == "Noto Sans"
    assert after.familyName() == "Packbench Noto Sans"
    text = "Jürgen Ελένη Москва"
    assert before.glyphIndexesForString(text) == after.glyphIndexesForString(text)
    assert before.advancesForGlyphIndexes(before.glyphIndexesForString(text)) == (
        after.advancesForGlyphIndexes(after.glyphIndexesForString(text))
    )


def test_a_file_that_is_not_truetype_is_refused() -> None:
    with pytest.raises(ValueError, match="TrueType"):
        with_private_family_name(b"OTTO" + bytes(100), "Packbench ")
