"""Row notes in English (the CLI's text, unchanged) and in French (same kind and fields)."""

from __future__ import annotations

import io
import os
import string
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from segmentor import i18n
from segmentor.domain.known import KnownCustomers
from segmentor.domain.schema import FEATURES, ID, NOTE_TEMPLATES, RowNote, parse_customers
from segmentor.io.readers import read_table
from segmentor.ml.trained import load_training_table

# One row per kind of note; row 1 is clean. The ID of row 5 repeats row 4's.
ROWS = [
    {"ID": "1"},
    {"ID": "2", "Profession": "Astronaut"},
    {"ID": "3", "Age": "abc"},
    {"ID": "4", "Family_Size": "0,5"},
    {"ID": "4"},
]
CLEAN = {
    "Gender": "Male",
    "Ever_Married": "Yes",
    "Age": "40",
    "Graduated": "No",
    "Profession": "Artist",
    "Work_Experience": "1",
    "Spending_Score": "Low",
    "Family_Size": "2",
    "Var_1": "Cat_6",
}
PROFESSIONS = "Artist, Doctor, Engineer, Entertainment, Executive, Healthcare, Homemaker, Lawyer, "
EXPECTED_EN = [
    "Profession: unknown value 'Astronaut' (expected one of "
    + PROFESSIONS
    + "Marketing); treated as missing",
    "Age: 'abc' is not a number; treated as missing",
    "Family_Size: 0.5 is outside the plausible range 1-20; treated as missing",
    "ID: duplicated ID (first seen on row 4); row scored on its own",
]
EXPECTED_FR = [
    "Profession : valeur inconnue 'Astronaut' (valeurs attendues : "
    + PROFESSIONS
    + "Marketing) ; traitée comme manquante",
    "Age : 'abc' n'est pas un nombre ; valeur traitée comme manquante",
    "Family_Size : 0.5 est hors de la plage plausible 1-20 ; valeur traitée comme manquante",
    "ID : ID en double (déjà vu ligne 4) ; ligne segmentée à part",
]


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _parsed() -> list[RowNote]:
    raw = pd.DataFrame([{**CLEAN, **row} for row in ROWS], columns=[ID, *FEATURES], dtype=object)
    return parse_customers(raw, "prospects.csv").notes


def test_every_note_kind_has_a_french_template_with_the_same_fields() -> None:
    french = _french_catalogue()
    for kind, english in NOTE_TEMPLATES.items():
        message = french.get(english, context=f"note.{kind}")
        assert message is not None and message.string, kind
        assert _fields(message.string) == _fields(english), kind


def test_parsed_notes_read_in_english_as_before_and_in_french() -> None:
    notes = _parsed()
    assert [note.row for note in notes] == [2, 3, 4, 5]
    assert [note.kind for note in notes] == [
        "unknown_category",
        "not_a_number",
        "out_of_range",
        "duplicated_id",
    ]
    assert [note.text() for note in notes] == EXPECTED_EN
    assert [i18n.note_text(note, "en") for note in notes] == EXPECTED_EN
    assert [i18n.note_text(note, "fr") for note in notes] == EXPECTED_FR
    assert i18n.note_problem(notes[1], "fr") == EXPECTED_FR[1].removeprefix("Age : ")


def test_the_known_customer_note_in_both_languages(train_path: Path, prospects_path: Path) -> None:
    known = KnownCustomers.from_table(load_training_table(train_path))
    changed = read_table(prospects_path).head(2)
    changed.loc[1, "Gender"] = "Female" if changed.loc[1, "Gender"] == "Male" else "Male"
    (note,) = known.match(parse_customers(changed, "changed.csv")).notes
    assert note.problem == "ID matches a known customer but Gender differ; predicted by the model"
    assert i18n.note_problem(note, "fr") == (
        "l'ID est celui d'un client connu, mais avec d'autres valeurs de Gender ; "
        "segment prédit par le modèle"
    )


def test_notes_by_row_takes_the_text_of_each_note() -> None:
    raw = pd.DataFrame([{**CLEAN, **row} for row in ROWS], columns=[ID, *FEATURES], dtype=object)
    table = parse_customers(raw)
    assert table.notes_by_row() == ["", *EXPECTED_EN]
    assert table.notes_by_row(lambda note: i18n.note_text(note, "fr")) == ["", *EXPECTED_FR]


def test_a_note_is_rendered_from_its_kind_and_compares_by_what_it_says() -> None:
    note = RowNote.of(7, "Age", "150", "out_of_range", value="150", low="18", high="100")
    english = "150 is outside the plausible range 18-100; treated as missing"
    plain = RowNote(7, "Age", "150", english)
    assert note == plain and note.fields == (("value", "150"), ("low", "18"), ("high", "100"))
    # A note built without a kind (no template to translate from) keeps its English text.
    assert i18n.note_problem(plain, "fr") == plain.problem
    with pytest.raises(KeyError):
        RowNote.of(7, "Age", "150", "out_of_range", value="150")


def test_percent_formats_for_streamlit_columns() -> None:
    assert i18n.percent_format("en") == "%.0f%%"
    assert i18n.percent_format("fr", 1) == "%.1f\u00a0%%"


# --------------------------------------------------------------------------- gettext catalogue
PO = i18n.LOCALE_DIR / "fr" / "LC_MESSAGES" / "segmentor.po"


def _french_catalogue() -> Catalog:
    with PO.open("rb") as handle:
        return read_po(handle, locale="fr")


def test_every_message_has_a_french_translation_in_the_catalogue() -> None:
    """Fails when a key has no French: run scripts/i18n_dicts_to_po.py after adding the French
    to the pending dicts of i18n.py (or translate the empty msgstr in the .po)."""
    french = _french_catalogue()
    untranslated, fuzzy, fields = [], [], []
    for context, english in i18n.messages().items():
        message = french.get(english, context=context)
        if message is None or not message.string:
            untranslated.append(context)
        elif message.fuzzy:
            fuzzy.append(context)
        elif _fields(str(message.string)) != _fields(english):
            fields.append(context)
    assert (untranslated, fuzzy, fields) == ([], [], [])


def test_no_french_is_left_in_the_pending_dicts() -> None:
    assert i18n.pending_french() == {}, "run scripts/i18n_dicts_to_po.py"


def test_the_compiled_mo_is_the_po_compiled() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _french_catalogue())
    assert PO.with_suffix(".mo").read_bytes() == compiled.getvalue(), (
        "the .mo is stale: run scripts/i18n_dicts_to_po.py (or pybabel compile)"
    )


def test_the_template_lists_every_message_and_nothing_else() -> None:
    with (i18n.LOCALE_DIR / "segmentor.pot").open("rb") as handle:
        template = read_po(handle)
    listed = {(message.context, message.id) for message in template if message.id}
    assert listed == {(context, english) for context, english in i18n.messages().items()}


def test_french_comes_from_the_compiled_catalogue_through_gettext() -> None:
    import gettext

    catalogue = gettext.translation("segmentor", i18n.LOCALE_DIR, languages=["fr"])
    assert catalogue.pgettext("nav.history", i18n.EN["nav.history"]) == "Historique"
    assert i18n.t("batch.metric.segment_help", "fr", segment="B", share="12 %") == (
        "Prospects du segment B : 12 % du fichier."
    )
    assert i18n.attribute_label("Spending_Score", "fr") == "Niveau de dépenses"
    assert i18n.value_label("Engineer", "fr") == "Ingénieur"
    assert i18n.value_label("Cat_6", "fr") == "Cat_6"
    with pytest.raises(KeyError):
        i18n.t("no.such.key", "fr")


def test_pending_french_is_used_before_it_reaches_the_catalogue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(i18n.FR, "nav.history", "Journal")
    i18n._pending.cache_clear()
    try:
        assert i18n.t("nav.history", "fr") == "Journal"
    finally:
        monkeypatch.undo()
        i18n._pending.cache_clear()
    assert i18n.t("nav.history", "fr") == "Historique"


def test_the_conversion_script_finds_nothing_to_move() -> None:
    script = Path(__file__).parents[2] / "scripts" / "i18n_dicts_to_po.py"
    env = {**os.environ, "PYTHONPATH": str(Path(i18n.__file__).parents[1])}
    done = subprocess.run(
        [sys.executable, str(script), "--check"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("value", "lang", "digits", "expected"),
    [
        (1000, "en", 0, "1,000"),
        (1000, "fr", 0, "1\u202f000"),
        (0.35, "en", 2, "0.35"),
        (0.35, "fr", 2, "0,35"),
        (-0.6, "fr", 1, "-0,6"),
        (0, "fr", 0, "0"),
    ],
)
def test_numbers_follow_the_language(value: float, lang: str, digits: int, expected: str) -> None:
    assert i18n.number(value, lang, digits) == expected


def test_percentages_follow_the_language() -> None:
    assert i18n.percent(0.2345, "en") == "23.4%"
    assert i18n.percent(0.2345, "fr") == "23,4\u00a0%"
    assert i18n.percent(1.0, "fr", 0) == "100\u00a0%"
