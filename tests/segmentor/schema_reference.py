"""The per-cell parsing of :mod:`segmentor.domain.schema` as it was before it was vectorised.

Kept as a slow, obvious oracle: the vectorised parser must give the same frame and the same
notes on any input (see test_schema_vectorised.py). The per-value rules added since (ID
normalisation, synonyms, thousands separators) are shared with the parser: the oracle checks
how they are applied to the rows, cell by cell.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segmentor.domain.schema import (
    CATEGORIES,
    FEATURES,
    ID,
    MISSING_TOKENS,
    RANGES,
    CustomerTable,
    RowNote,
    _category_code,
    _normalised_id,
    _number_texts,
    canonicalise_columns,
    note_problem,
)


def _note(row: int, column: str, text: str, kind: str, /, **fields: str) -> RowNote:
    return RowNote(row, column, text, note_problem(kind, tuple(fields.items())))


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
    texts = _as_text(table[ID]).to_numpy(dtype=object)
    values: list[str | None] = []
    for position, text in enumerate(texts):
        if text is None or text is pd.NA:
            values.append(None)
            continue
        value, why = _normalised_id(text)
        values.append(value)
        if why is not None:
            notes.append(
                _note(
                    first_row + position,
                    ID,
                    text,
                    "id_normalised",
                    value=_quote(text),
                    id=_quote(value),
                    why=why,
                )
            )
        if value is None:
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
    return pd.Series(values, index=table.index, dtype="string")


def _strip_integer_float(value: str) -> str:
    return value[:-2] if value.endswith(".0") and value[:-2].isdigit() else value


def _parse_categorical(
    values: pd.Series, column: str, notes: list[RowNote], first_row: int
) -> pd.Categorical:
    allowed = CATEGORIES[column]
    parsed: list[str | None] = []
    for position, value in _as_text(values).items():
        if pd.isna(value):
            parsed.append(None)
            continue
        code = _category_code(column, value, None)
        category = allowed[code] if code >= 0 else None
        if code == -1:
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
    cells = np.array([None if pd.isna(v) else v for v in text], dtype=object)
    normalised, readings = _number_texts(cells)
    for kind, flagged in readings.items():
        for position, value in enumerate(cells):
            if value in flagged:
                notes.append(_note(first_row + position, column, value, kind, **flagged[value]))
    ambiguous = {**readings.get("ambiguous_number", {}), **readings.get("ambiguous_point", {})}
    numbers = pd.to_numeric(
        pd.Series([pd.NA if v is None else v for v in normalised], dtype=object),
        errors="coerce",
    ).astype("float64")
    numbers.index = text.index
    noted = np.array([v is not None and v not in ambiguous for v in cells], dtype=bool)
    for position in np.flatnonzero(noted & numbers.isna().to_numpy()):
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
