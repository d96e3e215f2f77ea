"""Records that need no parsing: the short way of an API request through the schema.

:func:`~segmentor.domain.schema.parse_customers` reads any table (synonyms, stray spaces,
decimal commas, a note for every value it cannot read) column by column with pandas: about
2.5 ms for one row, whatever the row holds, which is a quarter of a one-customer request.
Most requests already hold the schema's own spelling: the column names, the categories as
written in :data:`~segmentor.domain.schema.CATEGORIES`, numbers within their ranges and plain
IDs. For them :func:`parse_plain_records` builds the same :class:`CustomerTable` in plain
Python. Any record that would need one of the parser's rules (or would get a note) makes it
return None, and the caller parses the records with ``parse_customers``: the short way
never decides anything the parser would decide differently.
``tests/segmentor/test_plain_records.py`` checks that both give the same table.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from segmentor.domain.columns import FEATURES, ID
from segmentor.domain.schema import (
    CATEGORIES,
    CATEGORY_DTYPES,
    PLAIN_ID,
    RANGES,
    CustomerTable,
)

# An unsigned number in digits with at most a decimal point, as a CSV export writes "36" or
# "1.0": no separator for the parser to resolve. Three decimals are left to it ("1.000" may
# be a thousand), and twelve digits at most keep float() and pandas.to_numeric on the same,
# correctly rounded value.
_DECIMAL = re.compile(r"[0-9]{1,6}(?:\.(?:[0-9]{1,2}|[0-9]{4,6}))?")
_CODES = {
    column: {name: code for code, name in enumerate(names)} for column, names in CATEGORIES.items()
}
_COLUMNS = frozenset((ID, *FEATURES))
_EXACT_FLOAT_INTEGERS = 2**53


class _NeedsParsing(Exception):
    """A cell the short way does not read: the records go to parse_customers."""


def parse_plain_records(
    records: Sequence[Mapping[str, object]], source: str = "<table>"
) -> CustomerTable | None:
    """The table ``parse_customers(pd.DataFrame(records), source)`` gives, when every record
    is in the schema's own spelling; None when any record needs the parser.

    Missing values are an absent key, None or "". A record with another key (a synonym such
    as ``Sexe``, or any column the parser would drop), a category in another spelling, a
    number as text other than digits with at most a point, a value out of range, an ID the
    parser would normalise or an ID repeated in the records needs the parser.
    """
    names = set().union(*(record.keys() for record in records))
    if not records or not names <= _COLUMNS or not names >= set(FEATURES):
        return None  # the parser's own errors (a missing column) and renames apply
    try:
        ids = _ids([record.get(ID) for record in records])
        columns = {
            column: _column([record.get(column) for record in records], column)
            for column in FEATURES
        }
    except _NeedsParsing:
        return None
    frame = pd.DataFrame(
        {ID: pd.array(ids, dtype="string"), **columns}, index=pd.RangeIndex(len(records))
    )
    return CustomerTable(frame, [], source)


def _ids(cells: list[object]) -> list[str | None]:
    ids: list[str | None] = []
    seen: set[str] = set()
    for cell in cells:
        if cell is None or cell == "":
            ids.append(None)
            continue
        if type(cell) is int and 0 <= cell < _EXACT_FLOAT_INTEGERS:
            # As the parser reads it whatever the column's dtype: pandas turns a column of
            # integers with a missing cell into floats, and "7.0" is read as "7".
            cell = str(cell)
        if type(cell) is not str or not PLAIN_ID.fullmatch(cell) or cell in seen:
            raise _NeedsParsing  # normalised or repeated: the parser notes it
        seen.add(cell)
        ids.append(cell)
    return ids


def _column(cells: list[object], column: str) -> pd.Categorical | np.ndarray:
    if column in CATEGORIES:
        codes = _CODES[column]
        return pd.Categorical.from_codes(
            np.array([_category_code(cell, codes) for cell in cells], dtype=np.int64),
            dtype=CATEGORY_DTYPES[column],
            validate=False,
        )
    low, high = RANGES[column]
    return np.array([_number(cell, low, high) for cell in cells], dtype="float64")


def _category_code(cell: object, codes: dict[str, int]) -> int:
    if cell is None or cell == "":
        return -1
    code = codes.get(cell) if type(cell) is str else None
    if code is None:
        raise _NeedsParsing
    return code


def _number(cell: object, low: float, high: float) -> float:
    if cell is None or cell == "":
        return math.nan
    if type(cell) is str and _DECIMAL.fullmatch(cell):
        number = float(cell)
    elif type(cell) in (int, float):
        try:
            number = float(cell)  # type: ignore[arg-type]
        except OverflowError:  # an integer beyond any float: out of range
            raise _NeedsParsing from None
    else:
        raise _NeedsParsing  # bool, text, ...
    if not low <= number <= high:  # out of range (and NaN): the parser notes it
        raise _NeedsParsing
    return number
