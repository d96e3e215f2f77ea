"""User errors in French: the app shows the whole line in the manager's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from segmentor import i18n
from segmentor.domain.review import check_choice
from segmentor.errors import SegmentorError
from segmentor.io.readers import read_table

SOURCE = Path(i18n.__file__).parent


def raised_source() -> str:
    return "\n".join(path.read_text() for path in SOURCE.rglob("*.py") if path.name != "i18n.py")


@pytest.mark.parametrize("english", i18n.ERROR_TEXTS)
def test_every_translated_error_text_is_still_raised_verbatim(english: str) -> None:
    # a reworded error in the code would silently fall back to English in the app
    assert repr(english) in raised_source() or f'"{english}"' in raised_source()


def test_a_reader_error_reads_in_french_with_its_fix(tmp_path: Path) -> None:
    header_only = tmp_path / "prospects.csv"
    header_only.write_text("ID,Gender,Age\n", encoding="utf-8")
    with pytest.raises(SegmentorError) as caught:
        read_table(header_only)
    french = i18n.error_text(caught.value, "fr")
    assert "le fichier a un en-tête mais aucune ligne de client" in french
    assert "Solution : ajoutez au moins une ligne de client" in french
    assert "header" not in french
    assert i18n.error_text(caught.value, "en") == caught.value.message
    assert "the file has a header but no customer rows. Fix:" in caught.value.message


def test_row_value_and_fix_wording_in_french() -> None:
    with pytest.raises(SegmentorError) as caught:
        check_choice(3, "Z", rows=10, source="lot 7")
    assert i18n.error_text(caught.value, "fr") == (
        "lot 7, ligne 3 : segment inconnu (reçu 'Z'). Solution : utilisez A, B, C ou D"
    )
    assert caught.value.message == (
        "lot 7, row 3: unknown segment (got 'Z'). Fix: use A, B, C or D"
    )


def test_a_text_built_with_values_keeps_its_english_inside_french_wording() -> None:
    error = SegmentorError("line 7 has 3 fields but the header has 2", file="f.csv", fix="x")
    assert i18n.error_text(error, "fr") == (
        "f.csv : line 7 has 3 fields but the header has 2. Solution : x"
    )


def test_an_error_built_with_values_is_translated_from_its_template(tmp_path: Path) -> None:
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("ID,Gender,Age\n1,Male,30\n2,Female,41,extra,cells\n", encoding="utf-8")
    with pytest.raises(SegmentorError) as caught:
        read_table(ragged)
    english = caught.value.message
    french = i18n.error_text(caught.value, "fr")
    assert "line 3 has 5 fields but the header has 3" in english
    assert "la ligne 3 a 5 champs mais l'en-tête en a 3" in french
    assert "Solution : mettez entre guillemets les cellules qui contiennent le séparateur ','" in (
        french
    )


def test_an_unsupported_file_type_in_french() -> None:
    from segmentor.io.readers import file_kind

    with pytest.raises(SegmentorError) as caught:
        file_kind("prospects.pdf", b"%PDF", "prospects.pdf")
    assert i18n.error_text(caught.value, "fr").startswith(
        "prospects.pdf : type de fichier non pris en charge '.pdf'. Solution : donnez un fichier"
    )
