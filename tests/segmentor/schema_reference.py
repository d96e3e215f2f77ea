"""The per-cell parsing of :mod:`segmentor.domain.schema` as it was before it was vectorised.

Kept as a slow, obvious oracle: the vectorised parser must give the same frame and the same
notes on any input (see test_schema_vectorised.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segmentor.domain.schema import (
    _DECIMAL_COMMA,
    CATEGORIES,
    FEATURES,
    ID,
    MISSING_TOKENS,
    RANGES,
    CustomerTable,
    RowNote,
    canonical_name,
    canonicalise_columns,
)


def parse_reference(
    raw: pd.DataFrame, first_row: int = 1, seen_ids: dict[str, int] | None = None
) -> CustomerTable:
    """parse_customers as it was, for inputs without a target column."""
    table = canonicalise_columns(raw, "<table>").reset_index(drop=True)
    notes: list[RowNote] = []
    frame = pd.DataFrame(index=table.index)
    frame[ID] = _parse_ids(table, notes, first_row, {} if seen_ids is None else seen_ids)
    for column in FEATURES:
        if column in CATEGORIES:
            frame[column] = _parse_categorical(table[column], column, notes, first_row)
        else:
            frame[column] = _parse_numeric(table[column], column, notes, first_row)
    notes.sort(key=lambda note: note.row)
    return CustomerTable(frame=frame, notes=notes, first_row=first_row)


def _as_text(values: pd.Series) -> pd.Series:
    return values.astype("object").map(_cell_text).astype("string")


def _cell_text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return None if text.casefold() in MISSING_TOKENS else text


def _parse_ids(
    table: pd.DataFrame, notes: list[RowNote], first_row: int, seen_ids: dict[str, int]
) -> pd.Series:
    if ID not in table.columns:
        return pd.Series(pd.NA, index=table.index, dtype="string")
    ids = _as_text(table[ID]).map(_strip_integer_float, na_action="ignore").astype("string")
    for position, value in zip(range(len(ids)), ids.to_numpy(dtype=object), strict=True):
        if value is None or value is pd.NA:
            continue
        first = seen_ids.setdefault(value, first_row + position)
        if first != first_row + position:
            notes.append(
                RowNote(
                    first_row + position,
                    ID,
                    str(value),
                    f"duplicated ID (first seen on row {first}); row scored on its own",
                )
            )
    return ids


def _strip_integer_float(value: str) -> str:
    return value[:-2] if value.endswith(".0") and value[:-2].isdigit() else value


def _parse_categorical(
    values: pd.Series, column: str, notes: list[RowNote], first_row: int
) -> pd.Categorical:
    allowed = CATEGORIES[column]
    lookup = {canonical_name(category): category for category in allowed}
    parsed: list[str | None] = []
    for position, value in _as_text(values).items():
        if pd.isna(value):
            parsed.append(None)
            continue
        category = lookup.get(canonical_name(value))
        if category is None:
            notes.append(
                RowNote(
                    first_row + position,
                    column,
                    str(value),
                    f"unknown value {_quote(value)} (expected one of "
                    f"{', '.join(allowed)}); treated as missing",
                )
            )
        parsed.append(category)
    return pd.Categorical(parsed, categories=list(allowed))


def _parse_numeric(
    values: pd.Series, column: str, notes: list[RowNote], first_row: int
) -> pd.Series:
    low, high = RANGES[column]
    text = _as_text(values)
    normalised = text.map(
        lambda v: v.replace(",", ".") if _DECIMAL_COMMA.match(v) else v, na_action="ignore"
    )
    numbers = pd.to_numeric(normalised.astype("object"), errors="coerce").astype("float64")
    for position in np.flatnonzero(text.notna().to_numpy() & numbers.isna().to_numpy()):
        value = text.iloc[position]
        notes.append(
            RowNote(
                first_row + position,
                column,
                str(value),
                f"{_quote(value)} is not a number; treated as missing",
            )
        )
    out_of_range = numbers.notna() & ~numbers.between(low, high)
    for position in np.flatnonzero(out_of_range.to_numpy()):
        value = numbers.iloc[position]
        notes.append(
            RowNote(
                first_row + position,
                column,
                f"{value:g}",
                f"{value:g} is outside the plausible range {low:g}-{high:g}; treated as missing",
            )
        )
    return numbers.mask(out_of_range)


def _quote(value: object, limit: int = 40) -> str:
    text = str(value)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
