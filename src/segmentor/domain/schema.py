"""The customer table: its columns, types, allowed categories and plausible ranges.

:func:`parse_customers` is the single door every entry point (CLI, API, app, batch engines)
goes through (an API request already in the schema's spelling takes its short way,
:mod:`segmentor.domain.plain`, which gives the same table or defers to it). It never drops
a row: a bad value becomes missing where that is sound, and a :class:`RowNote` says what
happened. Problems with the file as a whole (a required column missing, no rows) raise
:class:`~segmentor.errors.SegmentorError`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from segmentor.domain.columns import FEATURES, ID, TARGET
from segmentor.domain.mapping import Mapping, MappingReport, builtin_column, builtin_value
from segmentor.errors import SegmentorError

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
# Thousands separators: "1 000" (space, no-break space, narrow no-break space), "1,000.5",
# "1.000,5". "1,000" alone is ambiguous (1000, or 1.0 with a decimal comma): the column's
# other cells decide, and the row gets a note either way.
_SPACE_GROUPS = re.compile(r"^[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?$")
_COMMA_GROUPS_DOT = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+\.\d+$|^[+-]?\d{1,3}(?:,\d{3}){2,}$")
_DOT_GROUPS_COMMA = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+,\d+$|^[+-]?\d{1,3}(?:\.\d{3}){2,}$")
# A group cannot start with 0: "0,125" and "0.125" are decimals.
_AMBIGUOUS_COMMA = re.compile(r"^[+-]?[1-9]\d{0,2},\d{3}$")
_AMBIGUOUS_POINT = re.compile(r"^[+-]?[1-9]\d{0,2}\.\d{3}$")
_PLAIN_DOT_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")


# Every kind of row note: one English template with named fields. The English problem text is
# rendered from it and the gettext catalogue (context "note.<kind>") holds the French template
# of each kind (a test checks both name the same fields), so the app translates a note from its
# kind and fields, never by parsing the English; the CLI and API output keep the English text.
NOTE_TEMPLATES: dict[str, str] = {
    "duplicated_id": "duplicated ID (first seen on row {first}); row scored on its own",
    "unknown_category": "unknown value {value} (expected one of {expected}); treated as missing",
    "not_a_number": "{value} is not a number; treated as missing",
    "out_of_range": "{value} is outside the plausible range {low}-{high}; treated as missing",
    "known_differs": "ID matches a known customer but {columns} differ; predicted by the model",
    "id_normalised": "ID {value} read as {id} ({why})",
    "ambiguous_number": "{value} could be {thousands} (thousands separator) or {decimal} "
    "(decimal comma); treated as missing",
    "ambiguous_point": "{value} could be {thousands} (thousands separator) or {decimal} "
    "(decimal point); treated as missing",
    "number_read_as": "{value} read as {number} ({why})",
}
NoteFields = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class RowNote:
    """Something wrong with one value of one row, and how it was handled.

    ``row`` is the 1-based position of the row among the data rows of the input; ``problem``
    is the English text, rendered from the template ``kind`` of :data:`NOTE_TEMPLATES` with
    ``fields`` (name, text) pairs. Notes compare by row, column, value and problem.
    """

    row: int
    column: str
    value: str
    problem: str
    kind: str = field(default="", compare=False)
    fields: NoteFields = field(default=(), compare=False)

    @classmethod
    def of(cls, row: int, column: str, value: str, kind: str, /, **fields: str) -> RowNote:
        """A note of one kind: ``RowNote.of(3, "Age", "250", "out_of_range", value=...)``."""
        pairs = tuple(fields.items())
        return cls(row, column, value, note_problem(kind, pairs), kind, pairs)

    def text(self) -> str:
        return f"{self.column}: {self.problem}"


def note_problem(kind: str, fields: NoteFields) -> str:
    """The English problem text of a note kind (KeyError for an unknown kind or field)."""
    return NOTE_TEMPLATES[kind].format_map(dict(fields))


@dataclass
class CustomerTable:
    """A parsed customer table: ``frame`` has ID, the features (and the target if present)."""

    frame: pd.DataFrame
    notes: list[RowNote] = field(default_factory=list)
    source: str = "<table>"
    first_row: int = 1
    mapped: MappingReport = field(default_factory=MappingReport)

    @property
    def features(self) -> pd.DataFrame:
        return self.frame.loc[:, list(FEATURES)]

    @property
    def has_target(self) -> bool:
        return TARGET in self.frame.columns

    def notes_by_row(self, text: Callable[[RowNote], str] = RowNote.text) -> list[str]:
        """One Notes string per row ("" when nothing was wrong), in row order; ``text`` gives
        each note's text (English ``column: problem`` by default)."""
        parts: dict[int, list[str]] = {}
        for note in self.notes:
            parts.setdefault(note.row - self.first_row, []).append(text(note))
        texts = [""] * len(self.frame)
        for position, row_parts in parts.items():
            texts[position] = "; ".join(row_parts)
        return texts


class DuplicateFirstRows(dict[str, int]):
    """The first row of every ID that occurs more than once in a whole input, found in a pass
    before parsing (see :mod:`segmentor.io.duplicates`).

    Passed as ``seen_ids`` it gives the same notes as an ordinary dict grown chunk by chunk,
    but it is only read: an ID not in it is unique, so memory stays bounded by the number of
    duplicated IDs, not by the number of rows.
    """


def canonical_name(name: object) -> str:
    """Header normalisation: case, surrounding space, BOM, and spaces/dashes for underscores."""
    text = str(name).replace("\ufeff", "").strip()
    return re.sub(r"[\s\-]+", "_", text).casefold()


_KNOWN_COLUMNS = {canonical_name(c): c for c in (ID, TARGET, *FEATURES)}
# pandas renames a repeated header "Age" to "Age.1", "Age.2", ... when it reads a file.
_REPEATED_HEADER = re.compile(r"^(.*)\.\d+$")


def canonicalise_columns(
    raw: pd.DataFrame,
    source: str,
    mapping: Mapping | None = None,
    report: MappingReport | None = None,
) -> pd.DataFrame:
    """Rename recognised columns to their schema names; drop the others; check requirements.

    A column is recognised by ``mapping`` first, then by its schema name, then by a built-in
    synonym (``Sexe`` for Gender); ``report`` records every column not found under its own name.
    """
    _refuse_repeated_headers(raw.columns, source)
    renames = resolve_columns(list(raw.columns), source, mapping)
    missing = [c for c in FEATURES if c not in renames.values()]
    if missing:
        raise SegmentorError(
            _missing_columns_message(missing, raw.columns),
            file=source,
            fix=f"the file needs the columns {', '.join(FEATURES)} "
            "(or give a mapping: --mapping NAME|FILE.yaml, see docs/mapping.md)",
        )
    if report is not None:
        if mapping is not None:
            report.name = mapping.name
        for header, column in renames.items():
            if _KNOWN_COLUMNS.get(canonical_name(header)) != column:
                report.columns[column] = str(header)
    # set_axis, not rename: 0.55 -> 0.28 ms a call, a tenth of parsing one row.
    return raw[list(renames)].set_axis(list(renames.values()), axis=1)


def resolve_columns(
    headers: Sequence[object], source: str, mapping: Mapping | None = None
) -> dict[object, str]:
    """Header -> schema column, for every header recognised (mapping, own name, synonym)."""
    ranked: dict[str, tuple[int, object]] = {}
    for header in headers:
        for rank, column in enumerate(_candidates(header, mapping)):
            if column is None:
                continue
            best = ranked.get(column)
            if best is not None and best[0] == rank:
                raise SegmentorError(
                    f"the column {column!r} appears twice (as {header!r} too)",
                    file=source,
                    fix="keep one column of that name",
                )
            if best is None or rank < best[0]:
                ranked[column] = (rank, header)
            break
    return {header: column for column, (_, header) in ranked.items()}


def _candidates(header: object, mapping: Mapping | None) -> tuple[str | None, ...]:
    explicit = mapping.column_for(header) if mapping is not None else None
    return (explicit, _KNOWN_COLUMNS.get(canonical_name(header)), builtin_column(header))


def recognised_columns(headers: Iterable[object]) -> int:
    """How many headers name a schema column (by name or built-in synonym)."""
    return sum(
        1
        for header in headers
        if _KNOWN_COLUMNS.get(canonical_name(header)) or builtin_column(header)
    )


def _refuse_repeated_headers(columns: pd.Index, source: str) -> None:
    """Refuse a schema column named twice (which of the two would be right is unknown)."""
    canonical_names = [canonical_name(column) for column in columns]
    names = set(canonical_names)
    seen: set[object] = set()
    for column, name in zip(columns, canonical_names, strict=True):
        repeated = _REPEATED_HEADER.match(name)
        canonical = _KNOWN_COLUMNS.get(repeated.group(1)) if repeated else None
        if canonical is None and column in seen:
            canonical = _KNOWN_COLUMNS.get(name)
        seen.add(column)
        if canonical is not None and (repeated is None or repeated.group(1) in names):
            raise SegmentorError(
                f"the column {canonical!r} appears twice",
                file=source,
                fix="keep one column of that name",
            )


def _missing_columns_message(missing: list[str], found: Iterable[object]) -> str:
    found_names = [str(c) for c in found]
    if not recognised_columns(found_names):
        shown = ", ".join(repr(c) for c in found_names[:12]) or "none"
        return (
            "no known column name in the first row (is the header row missing?); "
            f"first row: {shown}"
        )
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
    mapping: Mapping | None = None,
) -> CustomerTable:
    """Parse a raw table (strings or typed values) into a :class:`CustomerTable`.

    ``first_row`` is the 1-based number of the first row of ``raw`` in the whole input, so
    that notes of chunked reads point at the right row; pass the same ``seen_ids`` dict to
    every chunk to find IDs duplicated across chunks (or a :class:`DuplicateFirstRows` of the
    whole input, which stays small). ``mapping`` names the file's own columns and spellings
    (else the built-in synonyms apply); the table's ``mapped`` report says what was mapped.
    """
    report = MappingReport()
    table = canonicalise_columns(raw, source, mapping, report)
    if require_target and TARGET not in table.columns:
        raise SegmentorError(
            f"the column {TARGET!r} with the known segments is missing",
            file=source,
            fix="train on a file whose Segmentation column holds A, B, C or D",
        )
    table = table.reset_index(drop=True)
    notes: list[RowNote] = []
    columns: dict[str, Any] = {
        ID: _parse_ids(table, notes, first_row, {} if seen_ids is None else seen_ids)
    }
    for column in FEATURES:
        if column in CATEGORIES:
            columns[column] = _parse_categorical(
                table[column], column, notes, first_row, mapping, report
            )
        else:
            columns[column] = _parse_numeric(table[column], column, notes, first_row)
    if TARGET in table.columns:
        columns[TARGET] = _parse_target(table[TARGET], source, require_target, first_row)
    notes.sort(key=lambda note: note.row)
    # One frame, not one insert per column; the columns are arrays (a Series each cost more).
    frame = pd.DataFrame(columns, index=table.index)
    return CustomerTable(frame, notes, source, first_row, report)


def empty_features(n_rows: int = 0) -> pd.DataFrame:
    """A correctly typed feature frame of missing values (used for forms and tests)."""
    raw = pd.DataFrame({column: [None] * n_rows for column in FEATURES})
    return parse_customers(raw).features


def _as_text(values: pd.Series) -> pd.Series:
    """Values as stripped strings, with every missing spelling turned into <NA>."""
    codes, texts = _distinct_text(values)
    return pd.Series(_take(texts, codes, None), index=values.index, dtype="string")


def _cell_text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return None if text.casefold() in MISSING_TOKENS else text


# Parsing works on the distinct cells of a column (a handful for categories and ages) and
# broadcasts the outcome back to the rows: the same per-value rules as a per-cell loop, at a
# fraction of the cost. Cells are only grouped when equality implies the same text.
def _distinct_text(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, texts): each row's index into the distinct cells (-1 if missing) and the
    cleaned text of each distinct cell (None where it spells a missing value)."""
    distinct = _distinct_cells(values)
    if distinct is None:
        texts = np.array([_cell_text(value) for value in values.astype("object")], dtype=object)
        return np.arange(len(values)), texts
    codes, cells = distinct
    if len(cells) and all(isinstance(cell, str) for cell in cells):
        return codes, _clean_strings(cells)
    return codes, np.array([_cell_text(cell) for cell in cells], dtype=object)


def _distinct_cells(values: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    dtype = values.dtype
    if pd.api.types.is_float_dtype(dtype):
        floats = values.to_numpy(dtype="float64", na_value=np.nan)
        # Factorise the bit patterns: -0.0 == 0.0 but their texts differ.
        codes, bits = pd.factorize(floats.view("int64"))
        codes[np.isnan(floats)] = -1
        return codes, bits.view("float64").astype(object)
    if pd.api.types.is_integer_dtype(dtype):
        codes, cells = pd.factorize(values)
        return codes, np.asarray(cells, dtype=object)
    if isinstance(dtype, pd.StringDtype) or (
        dtype in (object, "category")
        and pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")
    ):
        codes, cells = pd.factorize(values.astype("object") if dtype == "category" else values)
        return codes, np.asarray(cells, dtype=object)
    return None


def _clean_strings(cells: np.ndarray) -> np.ndarray:
    """_cell_text of distinct strings (a plain loop: cheaper than pandas' .str for this)."""
    texts = [cell.strip() for cell in cells]
    return np.array([None if t.casefold() in MISSING_TOKENS else t for t in texts], dtype=object)


def _take(per_cell: np.ndarray, codes: np.ndarray, missing: object) -> np.ndarray:
    """``per_cell[codes]`` with ``missing`` where the code is -1."""
    return np.append(per_cell, np.array([missing], dtype=per_cell.dtype))[codes]


def normalise_ids(values: pd.Series) -> np.ndarray:
    """IDs as :func:`parse_customers` reads them (text, "7.0" is "7"), None where missing."""
    codes, texts = _distinct_text(values)
    return _take(_normalised_ids(texts)[0], codes, None)


# Invisible characters a concatenation or a copy-paste leaves in an ID (BOM, zero-width).
_INVISIBLE = re.compile(r"[\ufeff\u200b\u200c\u200d\u2060]")
_DIGIT_GROUPS = re.compile(r"^\d{1,3}(?:[ \u00a0\u202f]\d{3})+$")
_EXPONENT = re.compile(r"^[+]?\d+(?:[.,]\d+)?[eE][+]?\d{1,2}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# An ID no rule of _normalised_id changes: letters, digits, "_" and "-" only, not a number in
# exponent form and not a missing-value token. One regex call instead of five for the usual ID.
PLAIN_ID = re.compile(
    r"(?!" + _EXPONENT.pattern.lstrip("^") + r")"
    r"(?!(?i:" + "|".join(re.escape(t) for t in sorted(MISSING_TOKENS) if t) + r")$)"
    r"[A-Za-z0-9_-]+"
)


def _normalised_ids(texts: np.ndarray) -> tuple[np.ndarray, list[str | None]]:
    """Each distinct ID text as the ID it means, and why it was changed (None: unchanged or
    only an integer float "7.0", which Excel and Parquet write for integer IDs)."""
    ids: list[str | None] = []
    changes: list[str | None] = []
    plain = PLAIN_ID.fullmatch
    for text in texts:
        if text is not None and plain(text):
            ids.append(text)
            changes.append(None)
            continue
        if text is None:
            ids.append(None)
            changes.append(None)
            continue
        value, why = _normalised_id(text)
        ids.append(value)
        changes.append(why)
    return np.array(ids, dtype=object), changes


def _normalised_id(text: str) -> tuple[str | None, str | None]:
    reasons = []
    value = _INVISIBLE.sub("", text).strip()
    if value != text:
        reasons.append("invisible characters (BOM, zero-width) removed")
    if _DIGIT_GROUPS.match(value):
        value = re.sub(r"[ \u00a0\u202f]", "", value)
        reasons.append("spaces between digit groups removed")
    if _EXPONENT.match(value):
        integer = _exponent_integer(value)
        if integer is not None:
            value = integer
            reasons.append("it looked like a number in exponent form")
    value = _strip_integer_float(value)
    if not value or value.casefold() in MISSING_TOKENS:
        return None, None
    return value, "; ".join(reasons) or None


def _exponent_integer(text: str) -> str | None:
    from decimal import Decimal, InvalidOperation

    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return str(int(number)) if number == number.to_integral_value() else None


def _printable(text: str) -> str:
    """Control and invisible characters shown as escapes (notes are read on screens)."""
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}",
        _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text),
    )


def _parse_ids(
    table: pd.DataFrame, notes: list[RowNote], first_row: int, seen_ids: dict[str, int]
) -> pd.api.extensions.ExtensionArray:
    if ID not in table.columns:
        return pd.array([pd.NA] * len(table), dtype="string")
    codes, texts = _distinct_text(table[ID])
    cell_ids, changes = _normalised_ids(texts)
    _note_flagged_rows(
        notes,
        np.array([why is not None for why in changes], dtype=bool),
        codes,
        first_row,
        ID,
        lambda position: (
            _printable(texts[position]),
            "id_normalised",
            {
                "value": _quote(texts[position]),
                "id": _quote(cell_ids[position]),
                "why": changes[position],
            },
        ),
        np.arange(len(texts)),
    )
    ids = _take(cell_ids, codes, None)
    has_id = np.array([value is not None for value in cell_ids], dtype=bool)
    present = np.flatnonzero(_take(has_id, codes, False))
    # "7" and "7.0" are distinct cells but one ID: group again on the normalised text.
    id_codes, unique_ids = pd.factorize(_take(cell_ids, codes[present], None))
    rows = first_row + present
    firsts = _first_rows(
        seen_ids, np.asarray(unique_ids, dtype=object), rows[_first_seen(id_codes)]
    )
    row_firsts = firsts[id_codes]
    for row, first, value in zip(
        rows[row_firsts != rows],
        row_firsts[row_firsts != rows],
        ids[present][row_firsts != rows],
        strict=True,
    ):
        notes.append(RowNote.of(int(row), ID, str(value), "duplicated_id", first=str(first)))
    return pd.array(ids, dtype="string")


def _strip_integer_floats(texts: np.ndarray) -> np.ndarray:
    return np.array(
        [None if text is None else _strip_integer_float(text) for text in texts], dtype=object
    )


def _strip_integer_float(value: str) -> str:
    # Excel and Parquet turn integer IDs into floats ("462809.0"): same customer.
    return value[:-2] if value.endswith(".0") and value[:-2].isdigit() else value


def _first_seen(codes: np.ndarray) -> np.ndarray:
    """Position of the first occurrence of each code, codes being numbered in order of first
    occurrence (as pd.factorize numbers them)."""
    previous_max = np.maximum.accumulate(np.concatenate(([-1], codes[:-1])))
    return np.flatnonzero(codes > previous_max)


def _first_rows(seen_ids: dict[str, int], ids: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The row each ID was first seen on, recording new ones (unless the map is complete)."""
    if isinstance(seen_ids, DuplicateFirstRows):
        if not seen_ids:
            return rows
        known = pd.Series(ids, dtype=object).map(seen_ids).to_numpy(dtype="float64")
        return np.where(np.isnan(known), rows, known).astype(rows.dtype)
    return np.array(
        [seen_ids.setdefault(value, int(row)) for value, row in zip(ids, rows, strict=True)],
        dtype=rows.dtype,
    )


def _parse_categorical(
    values: pd.Series,
    column: str,
    notes: list[RowNote],
    first_row: int,
    mapping: Mapping | None = None,
    report: MappingReport | None = None,
) -> pd.Categorical:
    allowed = CATEGORIES[column]
    codes, texts = _distinct_text(values)
    categories = np.array(
        [-1 if text is None else _category_code(column, text, mapping) for text in texts],
        dtype=np.int64,
    )
    if report is not None:
        _report_mapped_values(report, column, codes, texts, categories, mapping)
    unknown = np.array([text is not None for text in texts], dtype=bool) & (categories == -1)
    expected = ", ".join(allowed)
    _note_flagged_rows(
        notes,
        unknown,
        codes,
        first_row,
        column,
        lambda text: (
            str(text),
            "unknown_category",
            {"value": _quote(text), "expected": expected},
        ),
        texts,
    )
    categories[categories == _MAPPED_MISSING] = -1
    # Codes are -1 or an index into the categories by construction: no validation pass.
    return pd.Categorical.from_codes(
        _take(categories, codes, -1), dtype=CATEGORY_DTYPES[column], validate=False
    )


# Each categorical column's dtype, built once (building one checks its categories each time).
CATEGORY_DTYPES = {
    column: pd.CategoricalDtype(list(allowed)) for column, allowed in CATEGORIES.items()
}
# A spelling a mapping sends to "missing" on purpose: no unknown-value note.
_MAPPED_MISSING = -2
_CATEGORY_CODES = {
    column: {canonical_name(category): index for index, category in enumerate(allowed)}
    for column, allowed in CATEGORIES.items()
}


def _category_code(column: str, text: str, mapping: Mapping | None) -> int:
    """The category's index: its own name, else the mapping's spelling, else a synonym."""
    lookup = _CATEGORY_CODES[column]
    code = lookup.get(canonical_name(text))
    if code is not None:
        return code
    if mapping is not None:
        mapped, value = mapping.value_for(column, text)
        if mapped:
            return _MAPPED_MISSING if value is None else lookup[canonical_name(value)]
    synonym = builtin_value(column, text)
    return -1 if synonym is None else lookup[canonical_name(synonym)]


def _report_mapped_values(
    report: MappingReport,
    column: str,
    codes: np.ndarray,
    texts: np.ndarray,
    categories: np.ndarray,
    mapping: Mapping | None,
) -> None:
    """Record each distinct spelling read through the mapping or a synonym, with its rows."""
    lookup = _CATEGORY_CODES[column]
    counts = np.bincount(codes[codes >= 0], minlength=len(texts))
    for position, text in enumerate(texts):
        code = int(categories[position])
        if text is None or code == -1 or lookup.get(canonical_name(text)) is not None:
            continue
        value = None if code == _MAPPED_MISSING else CATEGORIES[column][code]
        report.add_value(column, str(text), value, int(counts[position]))
    if mapping is not None and any(mapping.values.values()):
        report.name = mapping.name


def _parse_numeric(
    values: pd.Series, column: str, notes: list[RowNote], first_row: int
) -> np.ndarray:
    low, high = RANGES[column]
    codes, texts = _distinct_text(values)
    normalised, readings = _number_texts(texts)
    for kind, flagged_texts in readings.items():
        flagged = np.array([t in flagged_texts for t in texts], dtype=bool)
        _note_flagged_rows(
            notes,
            flagged,
            codes,
            first_row,
            column,
            lambda text, kind=kind, fields=flagged_texts: (str(text), kind, fields[text]),
            texts,
        )
    # pd.NA for missing cells, as the column would hold: to_numeric sees the same kinds.
    cells = np.array([pd.NA if t is None else t for t in normalised], dtype=object)
    numbers = np.asarray(pd.to_numeric(cells, errors="coerce"), dtype="float64")
    ambiguous = {**readings.get("ambiguous_number", {}), **readings.get("ambiguous_point", {})}
    not_number = np.array(
        [t is not None and t not in ambiguous for t in texts], dtype=bool
    ) & np.isnan(numbers)
    _note_flagged_rows(
        notes,
        not_number,
        codes,
        first_row,
        column,
        lambda text: (str(text), "not_a_number", {"value": _quote(text)}),
        texts,
    )
    with np.errstate(invalid="ignore"):
        out_of_range = ~np.isnan(numbers) & ~((numbers >= low) & (numbers <= high))
    _note_flagged_rows(
        notes,
        out_of_range,
        codes,
        first_row,
        column,
        lambda number: (
            _number_text(number),
            "out_of_range",
            {"value": _number_text(number), "low": f"{low:g}", "high": f"{high:g}"},
        ),
        numbers,
    )
    parsed = np.where(out_of_range, np.nan, numbers)
    return _take(parsed, codes, np.nan)  # float64: parsed is, and _take keeps its dtype


def _number_texts(
    texts: np.ndarray,
) -> tuple[list[str | None], dict[str, dict[str, dict[str, str]]]]:
    """Texts ready for to_numeric (separators resolved), and the cells that need a note:
    {note kind: {cell text: note fields}}. "1,000" and "1.000" are ambiguous alone: the
    column's unambiguous cells say which mark is its decimal one, else they are missing."""
    present = [t for t in texts if t is not None]
    comma_decimals = any(
        (_DECIMAL_COMMA.match(t) and not _AMBIGUOUS_COMMA.match(t)) or _DOT_GROUPS_COMMA.match(t)
        for t in present
    )
    dot_decimals = any(
        (_PLAIN_DOT_DECIMAL.match(t) and not _AMBIGUOUS_POINT.match(t))
        or _COMMA_GROUPS_DOT.match(t)
        for t in present
    )
    readings: dict[str, dict[str, dict[str, str]]] = {}
    normalised: list[str | None] = []
    for text in texts:
        number = text
        if text is None:
            pass
        elif _SPACE_GROUPS.match(text):
            number = re.sub(r"[ \u00a0\u202f]", "", text).replace(",", ".")
        elif _COMMA_GROUPS_DOT.match(text):
            number = text.replace(",", "")
        elif _DOT_GROUPS_COMMA.match(text):
            number = text.replace(".", "").replace(",", ".")
        elif _AMBIGUOUS_COMMA.match(text) or _AMBIGUOUS_POINT.match(text):
            number = _ambiguous(text, comma_decimals, dot_decimals, readings)
        elif _DECIMAL_COMMA.match(text):
            number = text.replace(",", ".")
        normalised.append(number)
    return normalised, readings


def _ambiguous(text: str, comma_decimals: bool, dot_decimals: bool, readings: dict) -> str | None:
    mark = "," if "," in text else "."
    thousands, decimal = text.replace(mark, ""), text.replace(mark, ".")
    if comma_decimals != dot_decimals:
        as_decimal = comma_decimals == (mark == ",")
        number = decimal if as_decimal else thousands
        writes = "a comma" if comma_decimals else "a point"
        why = f"the column writes decimals with {writes}"
        if not as_decimal:
            why = f"{mark!r} is a thousands separator: {why}"
        readings.setdefault("number_read_as", {})[text] = {
            "value": _quote(text),
            "number": _number_text(float(number)),
            "why": why,
        }
        return number
    kind = "ambiguous_number" if mark == "," else "ambiguous_point"
    readings.setdefault(kind, {})[text] = {
        "value": _quote(text),
        "thousands": _number_text(float(thousands)),
        "decimal": _number_text(float(decimal)),
    }
    return None


def _note_flagged_rows(
    notes: list[RowNote],
    flagged: np.ndarray,
    codes: np.ndarray,
    first_row: int,
    column: str,
    describe: Callable[[Any], tuple[str, str, dict[str, str]]],
    distinct: Sequence[Any] | np.ndarray,
) -> None:
    """Note every row whose distinct value is flagged; ``describe(value)`` gives the note's
    value text, kind and fields, and runs once per flagged distinct value."""
    described: dict[int, tuple[str, str, str, NoteFields]] = {}
    for position in np.flatnonzero(_take(flagged, codes, False)):
        code = int(codes[position])
        if code not in described:
            value, kind, fields = describe(distinct[code])
            pairs = tuple(fields.items())
            described[code] = (value, note_problem(kind, pairs), kind, pairs)
        notes.append(RowNote(first_row + int(position), column, *described[code]))


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
