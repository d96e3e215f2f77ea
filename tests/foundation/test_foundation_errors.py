"""One user-error family for both products: one line, where, what, the fix."""

from __future__ import annotations

from foundation.errors import UserError
from segmentor.errors import SegmentorError
from sereadipity.errors import SereadipityError


def test_both_products_raise_the_one_family() -> None:
    assert issubclass(SegmentorError, UserError)
    assert issubclass(SereadipityError, UserError)


def test_the_message_names_file_row_column_value_and_fix() -> None:
    error = SegmentorError(
        "not a number", file="p.csv", row=3, column="Age", value="abc", fix="give a number"
    )
    expected = "p.csv, row 3, column 'Age': not a number (got 'abc'). Fix: give a number"
    assert error.message == expected


def test_a_long_value_is_shortened_and_whitespace_folded() -> None:
    error = SereadipityError("bad\n  catalogue", file="c.csv", fix="use the bundled one")
    assert error.message == "c.csv: bad catalogue. Fix: use the bundled one"
    long = UserError("too long", value="x" * 200)
    assert long.message.endswith("…')") and len(long.message) < 100
