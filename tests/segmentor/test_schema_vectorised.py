"""The vectorised schema parser gives exactly the notes and values of the per-cell one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schema_reference import parse_reference

from segmentor.domain.schema import FEATURES, ID, DuplicateFirstRows, parse_customers

TRICKY_TEXT = [
    "",
    " ",
    "NA",
    "n/a",
    "N/A",
    "nan",
    "NULL",
    "None",
    "?",
    "-",
    "#N/A",
    " na ",
    "Male",
    "male",
    " FEMALE ",
    "\u00a0Female",
    "Fe male",
    "Yes",
    "no",
    "YES ",
    "Oui",
    "Engineer",
    "engineer",
    "Entertain-ment",
    "Health care",
    "Astronaut",
    "Low",
    "average",
    "HIGH",
    "Very high",
    "Cat_6",
    "cat 6",
    "Cat-1",
    "cat_8",
    "40",
    "40.0",
    " 40 ",
    "4,0",
    "4,5",
    "1e2",
    "-1",
    "0",
    "150",
    "18",
    "100",
    "abc",
    "inf",
    "-inf",
    "1_000",
    "0x10",
    "12.",
    ".5",
    "+3",
    "3,0,1",
    "1 000",
    "٣",
    "462809.0",
    "462809",
    "0462809",
    "12.00",
    "A-1",
    "=1+1",
    "x" * 50,
]
ROW_VALUES = st.sampled_from(TRICKY_TEXT) | st.text(max_size=6)


def _frame(rows: list[list[str]], columns: tuple[str, ...] = (ID, *FEATURES)) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns), dtype=object)


def _assert_same(raw: pd.DataFrame, first_row: int = 1, seen: dict[str, int] | None = None):
    expected = parse_reference(raw, first_row, None if seen is None else dict(seen))
    actual = parse_customers(raw, first_row=first_row, seen_ids=seen)
    pd.testing.assert_frame_equal(actual.frame, expected.frame)
    assert actual.notes == expected.notes
    assert actual.notes_by_row() == expected.notes_by_row()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(ROW_VALUES, min_size=10, max_size=10), min_size=1, max_size=25),
    first_row=st.integers(1, 10_000),
)
def test_text_cells_parse_as_before(rows: list[list[str]], first_row: int) -> None:
    _assert_same(_frame(rows), first_row, {"40": 1, "462809": 2})


@settings(max_examples=60, deadline=None)
@given(
    ids=st.lists(st.sampled_from(["1", "1.0", " 1", "2", "", "NA", "3"]), min_size=1, max_size=30)
)
def test_duplicate_ids_are_noted_as_before(ids: list[str]) -> None:
    rows = [
        [row_id, "Male", "Yes", "40", "No", "Artist", "1", "Low", "2", "Cat_1"] for row_id in ids
    ]
    _assert_same(_frame(rows), 5, {"3": 2})


@pytest.mark.parametrize(
    "column_values",
    [
        [36.0, np.nan, 150.0, -0.0, 1e300, np.inf, 18.0, 20.5],
        [1, 2, 3, 200, 0, 18, 40, 99],
        ["40", 40, 40.0, None, np.nan, pd.NA, "4,0", True],
        pd.array([1, None, 30, 500, 18, 19, 20, 21], dtype="Int64"),
    ],
)
def test_typed_cells_parse_as_before(column_values: list[object]) -> None:
    n = len(column_values)
    raw = pd.DataFrame({ID: [462809.0, 462809, None, 7.5, np.nan, 3, "3", 3.0][:n]})
    for column in FEATURES:
        raw[column] = ["Male", "Female", None, np.nan, "x", 1, "Cat_1", "Yes"][:n]
    for column in ("Age", "Work_Experience", "Family_Size"):
        raw[column] = column_values
    _assert_same(raw)


def test_categorical_dtype_and_arrow_strings_parse_as_before() -> None:
    raw = _frame([["1", "male", "Yes", "40", "No", "Artist", "1", "Low", "2", "Cat_1"]] * 3)
    raw["Gender"] = pd.Categorical(["Male", "robot", None])
    raw["Profession"] = pd.array(["Artist", None, " lawyer"], dtype="string[pyarrow]")
    _assert_same(raw)


def test_tricky_notes_are_pinned() -> None:
    raw = _frame(
        [
            ["7", " male ", "YES", "4,0", "no", "Health care", "", "?", "2.0", "cat 6"],
            ["7.0", "Robot", "Yes", "150", "No", "Artist", "abc", "Low", "0", "Cat_9"],
        ]
    )
    table = parse_customers(raw, first_row=10)
    assert table.frame["Gender"].tolist() == ["Male", np.nan]
    assert table.frame["Profession"].tolist() == [np.nan, "Artist"]  # "Health care": unknown
    assert table.frame["Var_1"].tolist() == ["Cat_6", np.nan]
    assert table.frame["Age"].isna().tolist() == [True, True]  # "4,0" is 4.0: out of range
    assert [(n.row, n.column, n.value) for n in table.notes] == [
        (10, "Age", "4"),
        (10, "Profession", "Health care"),
        (11, "ID", "7"),
        (11, "Gender", "Robot"),
        (11, "Age", "150"),
        (11, "Work_Experience", "abc"),
        (11, "Family_Size", "0"),
        (11, "Var_1", "Cat_9"),
    ]
    assert all(type(note.row) is int for note in table.notes)
    assert table.notes[2].problem == "duplicated ID (first seen on row 10); row scored on its own"


def test_complete_first_rows_give_the_same_notes_without_growing() -> None:
    rows = [[i, "Male", "Yes", "40", "No", "Artist", "1", "Low", "2", "Cat_1"] for i in "1213"]
    raw = _frame(rows)
    first_rows = DuplicateFirstRows({"1": 1})
    chunked = [
        parse_customers(raw.iloc[:2], seen_ids=first_rows),
        parse_customers(raw.iloc[2:], first_row=3, seen_ids=first_rows),
    ]
    whole = parse_customers(raw)
    assert [n for part in chunked for n in part.notes] == whole.notes
    assert dict(first_rows) == {"1": 1}
