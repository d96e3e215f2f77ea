"""Row notes in English (the CLI's text, unchanged) and in French (same kind and fields)."""

from __future__ import annotations

import string
from pathlib import Path

import pandas as pd
import pytest

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
    assert i18n.NOTES_FR.keys() == NOTE_TEMPLATES.keys()
    for kind, english in NOTE_TEMPLATES.items():
        assert _fields(i18n.NOTES_FR[kind]) == _fields(english), kind


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
    assert i18n.percent_format("fr", 1) == "%.1f\u202f%%"
