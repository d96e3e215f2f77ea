"""The customer schema: row problems become notes, file problems one clear error."""

from __future__ import annotations

import pandas as pd
import pytest

from segmentor.domain.schema import (
    CATEGORIES,
    FEATURES,
    ID,
    TARGET,
    empty_features,
    parse_customers,
)
from segmentor.errors import SegmentorError

GOOD = {
    "ID": "1",
    "Gender": "Male",
    "Ever_Married": "Yes",
    "Age": "40",
    "Graduated": "No",
    "Profession": "Artist",
    "Work_Experience": "3",
    "Spending_Score": "Low",
    "Family_Size": "2",
    "Var_1": "Cat_6",
}


def _table(*rows: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame([{**GOOD, **row} for row in rows])


def test_good_rows_have_typed_columns_and_no_notes() -> None:
    table = parse_customers(_table({}, {"ID": "2"}))
    assert table.notes == []
    assert table.frame["Age"].dtype == "float64"
    for column in CATEGORIES:
        assert list(table.frame[column].cat.categories) == list(CATEGORIES[column])


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("Gender", "Robot", "unknown value 'Robot'"),
        ("Profession", "Astronaut", "unknown value 'Astronaut'"),
        ("Age", "abc", "'abc' is not a number"),
        ("Age", "150", "150 is outside the plausible range 18-100"),
        ("Age", "5", "5 is outside the plausible range 18-100"),
        ("Work_Experience", "-1", "outside the plausible range 0-60"),
        ("Family_Size", "0", "outside the plausible range 1-20"),
        ("Family_Size", "21", "outside the plausible range 1-20"),
    ],
)
def test_bad_values_become_missing_with_a_note(column: str, value: str, problem: str) -> None:
    table = parse_customers(_table({}, {"ID": "2", column: value}, {"ID": "3"}))
    assert len(table.frame) == 3
    assert pd.isna(table.frame.loc[1, column])
    assert [note.row for note in table.notes] == [2]
    assert problem in table.notes[0].problem
    assert "treated as missing" in table.notes[0].problem
    assert table.notes_by_row()[0] == "" and table.notes_by_row()[1].startswith(column)


def test_categories_match_case_and_spaces_insensitively() -> None:
    table = parse_customers(
        _table({"Gender": " male ", "Var_1": "cat 6", "Spending_Score": "HIGH"})
    )
    assert table.notes == []
    assert table.frame.loc[0, "Gender"] == "Male"
    assert table.frame.loc[0, "Var_1"] == "Cat_6"
    assert table.frame.loc[0, "Spending_Score"] == "High"


def test_decimal_commas_and_missing_spellings() -> None:
    table = parse_customers(_table({"Family_Size": "3,0", "Age": "NA", "Profession": "n/a"}))
    assert table.notes == []
    assert table.frame.loc[0, "Family_Size"] == 3.0
    assert pd.isna(table.frame.loc[0, "Age"]) and pd.isna(table.frame.loc[0, "Profession"])


def test_duplicated_ids_are_kept_and_noted() -> None:
    table = parse_customers(_table({}, {}, {"ID": "7"}))
    assert list(table.frame[ID]) == ["1", "1", "7"]
    assert [(n.row, n.column) for n in table.notes] == [(2, "ID")]
    assert "first seen on row 1" in table.notes[0].problem


def test_ids_written_as_floats_are_the_same_ids() -> None:
    table = parse_customers(_table({"ID": "462809.0"}))
    assert table.frame.loc[0, ID] == "462809"


def test_first_row_offsets_notes_for_chunks() -> None:
    seen: dict[str, int] = {}
    parse_customers(_table({"ID": "9"}), first_row=1, seen_ids=seen)
    table = parse_customers(_table({"ID": "9", "Age": "x"}), first_row=101, seen_ids=seen)
    assert sorted((n.row, n.column) for n in table.notes) == [(101, "Age"), (101, "ID")]
    assert table.notes_by_row() == [table.notes_by_row()[0]] and "ID:" in table.notes_by_row()[0]


def test_missing_required_column_names_the_closest_header() -> None:
    raw = _table({}).rename(columns={"Spending_Score": "Spend_Score"})
    with pytest.raises(SegmentorError) as caught:
        parse_customers(raw, "prospects.csv")
    message = caught.value.message
    assert message.startswith("prospects.csv: required column(s) missing: 'Spending_Score'")
    assert "found 'Spend_Score': rename it" in message


@pytest.mark.parametrize("column", FEATURES)
def test_every_feature_column_is_required(column: str) -> None:
    with pytest.raises(SegmentorError, match=f"'{column}'"):
        parse_customers(_table({}).drop(columns=[column]), "f.csv")


def test_id_column_is_optional() -> None:
    table = parse_customers(_table({}).drop(columns=[ID]))
    assert table.frame[ID].isna().all()


def test_twice_the_same_column_is_refused() -> None:
    raw = _table({})
    raw["gender"] = "Male"
    with pytest.raises(SegmentorError, match="appears twice"):
        parse_customers(raw, "f.csv")


def test_training_rows_need_a_segment() -> None:
    raw = _table({TARGET: "A"}, {"ID": "2", TARGET: "Z"})
    with pytest.raises(SegmentorError) as caught:
        parse_customers(raw, "train.csv", require_target=True)
    assert "train.csv, row 2, column 'Segmentation'" in caught.value.message


def test_target_is_optional_when_predicting() -> None:
    table = parse_customers(_table({TARGET: "b"}, {"ID": "2", TARGET: ""}))
    assert table.frame.loc[0, TARGET] == "B"
    assert pd.isna(table.frame.loc[1, TARGET])


def test_all_missing_row_is_kept() -> None:
    features = empty_features(3)
    assert features.shape == (3, len(FEATURES))
    assert features.isna().all().all()
