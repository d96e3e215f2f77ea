"""The customer table: its columns, types, allowed categories and plausible ranges.

:func:`parse_customers` is the single door every entry point (CLI, API, app, batch engines)
goes through. It never drops a row: a bad value becomes missing where that is sound, and a
:class:`RowNote` says what happened. Problems with the file as a whole (a required column
missing, no rows) raise :class:`~segmentor.errors.SegmentorError`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from segmentor.errors import SegmentorError

ID = "ID"
TARGET = "Segmentation"
SEGMENTS: tuple[str, ...] = ("A", "B", "C", "D")

CATEGORIES: dict[str, tuple[str, ...]] = {
    "Gender": ("Male", "Female"),
    "Ever_Married": ("Yes", "No"),
    "Graduated": ("Yes", "No"),
    "Profession": (
        "Artist",
        "Doctor",
        "Engineer",
        "Entertainment",
        "Executive",
        "Healthcare",
        "Homemaker",
        "Lawyer",
        "Marketing",
    ),
    "Spending_Score": ("Low", "Average", "High"),
    "Var_1": ("Cat_1", "Cat_2", "Cat_3", "Cat_4", "Cat_5", "Cat_6", "Cat_7"),
}
RANGES: dict[str, tuple[float, float]] = {
    "Age": (18, 100),
    "Work_Experience": (0, 60),
    "Family_Size": (1, 20),
}
# Column order of the original data set.
FEATURES: tuple[str, ...] = (
    "Gender",
    "Ever_Married",
    "Age",
    "Graduated",
    "Profession",
    "Work_Experience",
    "Spending_Score",
    "Family_Size",
    "Var_1",
)
CATEGORICAL: tuple[str, ...] = tuple(c for c in FEATURES if c in CATEGORIES)
NUMERIC: tuple[str, ...] = tuple(c for c in FEATURES if c in RANGES)
# Attributes that do not change when a known customer is re-recorded (see known.py).
STABLE: tuple[str, ...] = (
    "Gender",
    "Ever_Married",
    "Graduated",
    "Profession",
    "Spending_Score",
    "Family_Size",
    "Var_1",
)

MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "?", "-", "#n/a"})
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


@dataclass(frozen=True)
class RowNote:
    """Something wrong with one value of one row, and how it was handled.

    ``row`` is the 1-based position of the row among the data rows of the input.
    """

    row: int
    column: str
    value: str
    problem: str

    def text(self) -> str:
        return f"{self.column}: {self.problem}"


@dataclass
class CustomerTable:
    """A parsed customer table: ``frame`` has ID, the features (and the target if present)."""

    frame: pd.DataFrame
    notes: list[RowNote] = field(default_factory=list)
    source: str = "<table>"
    first_row: int = 1

    @property
    def features(self) -> pd.DataFrame:
        return self.frame.loc[:, list(FEATURES)]

    @property
    def has_target(self) -> bool:
        return TARGET in self.frame.columns

    def notes_by_row(self) -> list[str]:
        """One Notes string per row ("" when nothing was wrong), in row order."""
        texts: list[list[str]] = [[] for _ in range(len(self.frame))]
        for note in self.notes:
            texts[note.row - self.first_row].append(note.text())
        return ["; ".join(parts) for parts in texts]


def canonical_name(name: object) -> str:
    """Header normalisation: case, surrounding space, BOM, and spaces/dashes for underscores."""
    text = str(name).replace("\ufeff", "").strip()
    return re.sub(r"[\s\-]+", "_", text).casefold()


_KNOWN_COLUMNS = {canonical_name(c): c for c in (ID, TARGET, *FEATURES)}


def canonicalise_columns(raw: pd.DataFrame, source: str) -> pd.DataFrame:
    """Rename recognised columns to their schema names; drop the others; check requirements."""
    renames: dict[object, str] = {}
    for column in raw.columns:
        canonical = _KNOWN_COLUMNS.get(canonical_name(column))
        if canonical is None:
            continue
        if canonical in renames.values():
            raise SegmentorError(
                f"the column {canonical!r} appears twice (as {column!r} too)",
                file=source,
                fix="keep one column of that name",
            )
        renames[column] = canonical
    missing = [c for c in FEATURES if c not in renames.values()]
    if missing:
        raise SegmentorError(
            _missing_columns_message(missing, raw.columns),
            file=source,
            fix=f"the file needs the columns {', '.join(FEATURES)}",
        )
    return raw.loc[:, list(renames)].rename(columns=renames)


def _missing_columns_message(missing: list[str], found: Iterable[object]) -> str:
    found_names = [str(c) for c in found]
    parts = []
    for column in missing:
        close = difflib.get_close_matches(column, found_names, n=1, cutoff=0.6)
        hint = f" (found {close[0]!r}: rename it)" if close else ""
        parts.append(f"{column!r}{hint}")
    shown = ", ".join(repr(c) for c in found_names[:12]) or "none"
    return f"required column(s) missing: {', '.join(parts)}; columns found: {shown}"


def parse_customers(
    raw: pd.DataFrame,
    source: str = "<table>",
    *,
    require_target: bool = False,
    first_row: int = 1,
    seen_ids: dict[str, int] | None = None,
) -> CustomerTable:
    """Parse a raw table (strings or typed values) into a :class:`CustomerTable`.

    ``first_row`` is the 1-based number of the first row of ``raw`` in the whole input, so
    that notes of chunked reads point at the right row; pass the same ``seen_ids`` dict to
    every chunk to find IDs duplicated across chunks.
    """
    table = canonicalise_columns(raw, source)
    if require_target and TARGET not in table.columns:
        raise SegmentorError(
            f"the column {TARGET!r} with the known segments is missing",
            file=source,
            fix="train on a file whose Segmentation column holds A, B, C or D",
        )
    table = table.reset_index(drop=True)
    notes: list[RowNote] = []
    frame = pd.DataFrame(index=table.index)
    frame[ID] = _parse_ids(table, notes, first_row, {} if seen_ids is None else seen_ids)
    for column in FEATURES:
        if column in CATEGORIES:
            frame[column] = _parse_categorical(table[column], column, notes, first_row)
        else:
            frame[column] = _parse_numeric(table[column], column, notes, first_row)
    if TARGET in table.columns:
        frame[TARGET] = _parse_target(table[TARGET], source, require_target, first_row)
    notes.sort(key=lambda note: note.row)
    return CustomerTable(frame=frame, notes=notes, source=source, first_row=first_row)


def empty_features(n_rows: int = 0) -> pd.DataFrame:
    """A correctly typed feature frame of missing values (used for forms and tests)."""
    raw = pd.DataFrame({column: [None] * n_rows for column in FEATURES})
    return parse_customers(raw).features


def _as_text(values: pd.Series) -> pd.Series:
    """Values as stripped strings, with every missing spelling turned into <NA>."""
    text = values.astype("object").map(_cell_text)
    return text.astype("string")


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
    # Excel and Parquet turn integer IDs into floats ("462809.0"): same customer.
    return value[:-2] if value.endswith(".0") and value[:-2].isdigit() else value


def _parse_categorical(
    values: pd.Series, column: str, notes: list[RowNote], first_row: int
) -> pd.Categorical:
    allowed = CATEGORIES[column]
    lookup = {canonical_name(category): category for category in allowed}
    text = _as_text(values)
    parsed: list[str | None] = []
    for position, value in text.items():
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
                _number_text(value),
                f"{_number_text(value)} is outside the plausible range "
                f"{low:g}-{high:g}; treated as missing",
            )
        )
    return numbers.mask(out_of_range)


def _parse_target(values: pd.Series, source: str, required: bool, first_row: int) -> pd.Categorical:
    text = _as_text(values).str.upper()
    bad = text.notna() & ~text.isin(SEGMENTS) if len(text) else text.notna()
    if required:
        missing = text.isna() | bad
        if missing.any():
            position = int(np.flatnonzero(missing.to_numpy())[0])
            raise SegmentorError(
                "a training row needs a segment A, B, C or D",
                file=source,
                row=first_row + position,
                column=TARGET,
                value=values.iloc[position] if not pd.isna(values.iloc[position]) else "",
                fix="correct or remove that row; training data cannot have unknown labels",
            )
    return pd.Categorical(text.mask(bad).astype("object"), categories=list(SEGMENTS))


def _quote(value: object, limit: int = 40) -> str:
    text = str(value)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _number_text(value: float) -> str:
    return f"{value:g}"
