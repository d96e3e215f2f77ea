"""The short way of a request's records (domain/plain.py) gives the parser's own table.

``parse_plain_records`` may refuse any records (None: the caller parses them as a table), but
whatever it returns must be exactly ``parse_customers(pd.DataFrame(records))``: the same
columns, dtypes, values and no notes. Hypothesis draws records mixing the spellings it reads
(the schema's categories, numbers as ints, floats or digits, plain IDs, missing values) with
those it must leave to the parser (other spellings, text, out-of-range numbers, repeated or
unusual IDs, synonyms for column names).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from segmentor.domain.plain import parse_plain_records
from segmentor.domain.schema import CATEGORIES, FEATURES, ID, RANGES, parse_customers
from segmentor.engines.scoring import score_frame, score_records
from segmentor.ml.trained import TrainedModel

PROPERTY = settings(
    max_examples=400,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

MISSING = st.sampled_from([None, "", "NA", " ", "nan"])
ODD = st.one_of(
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.text(max_size=6),
    st.sampled_from(["1,5", "1.5", "1 000", "+3", "-0", "1e1", " 36", "36 ", "0x10", "٣"]),
)


def _category(column: str) -> tuple[st.SearchStrategy[object], st.SearchStrategy[object]]:
    names = st.sampled_from(CATEGORIES[column])
    plain = st.one_of(names, st.sampled_from([None, ""]))
    odd = st.one_of(names.map(str.lower), names.map(lambda name: f" {name}"), MISSING, ODD)
    return plain, odd


def _number(column: str) -> tuple[st.SearchStrategy[object], st.SearchStrategy[object]]:
    low, high = RANGES[column]
    plain = st.one_of(
        st.integers(min_value=int(low), max_value=int(high)),
        st.integers(min_value=int(low), max_value=int(high)).map(str),
        st.integers(min_value=int(low) * 100, max_value=int(high) * 100).map(
            lambda hundredths: f"{hundredths / 100:.{1 + hundredths % 2}f}"
        ),
        st.floats(min_value=low, max_value=high),
        st.sampled_from([None, ""]),
    )
    odd = st.one_of(
        st.integers(min_value=int(low) - 3, max_value=int(high) + 3).map(str),
        st.floats(min_value=low - 1, max_value=high + 1).map(str),
        st.from_regex(r"[1-9][0-9]?\.[0-9]{1,7}", fullmatch=True),
        st.floats(min_value=low - 1, max_value=high + 1),
        MISSING,
        ODD,
    )
    return plain, odd


IDS = (
    st.one_of(
        st.integers(min_value=0, max_value=2**53 - 1),
        st.from_regex(r"[A-Za-z0-9_-]{1,8}", fullmatch=True),
        st.sampled_from([None, ""]),
    ),
    st.one_of(
        st.sampled_from(["7.0", "1e5", "12 345", "\ufeff42", "NA", "-", -1, 2**53]),
        st.integers(min_value=-(2**65), max_value=2**65),
        MISSING,
        ODD,
    ),
)
# Per column: (cells the short way reads, cells it must leave to the parser).
CELLS = {ID: IDS, **{c: _category(c) if c in CATEGORIES else _number(c) for c in FEATURES}}


@st.composite
def records(draw: st.DrawFn) -> list[dict[str, object]]:
    """1-8 records; each key may be absent, and a record may carry a synonym or a stray key."""
    n_rows = draw(st.integers(min_value=1, max_value=8))
    keys = [key for key in CELLS if key in FEATURES or draw(st.booleans())]
    rows = []
    for _ in range(n_rows):
        # A key absent one time in thirty, an odd cell one time in sixty.
        row = {
            key: draw(CELLS[key][draw(st.integers(0, 59)) == 30])
            for key in keys
            if draw(st.integers(0, 29)) != 15
        }
        if draw(st.integers(0, 19)) == 10:
            row[draw(st.sampled_from(["Sexe", "age", "Segmentation", "Notes"]))] = "x"
        rows.append(row)
    return rows


def assert_same_table(rows: list[dict[str, object]]) -> bool:
    """True when the short way read ``rows`` (and gave the parser's table)."""
    plain = parse_plain_records(rows, "request")
    if plain is None:
        return False
    parsed = parse_customers(pd.DataFrame(rows), "request")
    assert parsed.notes == [] and plain.notes == []
    pd.testing.assert_frame_equal(plain.frame, parsed.frame, check_exact=True)
    assert (plain.source, plain.first_row, plain.mapped) == (
        parsed.source,
        parsed.first_row,
        parsed.mapped,
    )
    return True


@PROPERTY
@given(rows=records())
def test_what_the_short_way_reads_is_the_parsers_table(rows: list[dict[str, object]]) -> None:
    assert_same_table(rows)


@pytest.mark.parametrize(
    "change",
    [
        {"Gender": "male"},
        {"Gender": " Male"},
        {"Age": "36,5"},
        {"Age": "36.500"},
        {"Age": "36.5e0"},
        {"Age": 200},
        {"Age": True},
        {"Age": float("nan")},
        {"Family_Size": 10**400},
        {ID: "7.0"},
        {ID: "\ufeff42"},
        {ID: "NA"},
        {"Sexe": "Homme"},
    ],
)
def test_cells_the_parser_must_read_leave_the_short_way(
    change: dict[str, object], prospect_records: list[dict[str, object]]
) -> None:
    record = {**prospect_records[0], **change}
    assert parse_plain_records([record]) is None


def test_a_repeated_id_or_a_missing_column_leaves_the_short_way(
    prospect_records: list[dict[str, object]],
) -> None:
    first = prospect_records[0]
    assert parse_plain_records([first, {**prospect_records[1], ID: first[ID]}]) is None
    assert parse_plain_records([{k: v for k, v in first.items() if k != "Age"}]) is None
    assert parse_plain_records([]) is None


@pytest.fixture(scope="module")
def prospect_records(prospects_path: Path) -> list[dict[str, object]]:
    """The bundled prospects as the API receives them from a CSV export: text, "" missing."""
    return pd.read_csv(prospects_path, dtype=str, keep_default_na=False).to_dict("records")


def test_the_bundled_prospects_take_the_short_way(
    prospect_records: list[dict[str, object]],
) -> None:
    assert assert_same_table(prospect_records)
    assert all(assert_same_table([record]) for record in prospect_records[:200])


def test_score_records_scores_as_score_frame(
    prospect_records: list[dict[str, object]], trained_model: TrainedModel
) -> None:
    """The whole request path: the same scored frame by both ways, one request of all the
    prospects, single-customer requests, and requests the short way refuses."""
    requests = [prospect_records, *([r] for r in prospect_records[:40])]
    requests.append([{**prospect_records[0], "Gender": " female", "Age": "4,0e1"}])
    for rows in requests:
        expected = score_frame(pd.DataFrame(rows), trained_model, source="request")
        scored = score_records(rows, trained_model, source="request")
        pd.testing.assert_frame_equal(scored.frame, expected.frame, check_exact=True)
        assert scored.notes == expected.notes
