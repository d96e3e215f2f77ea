"""Column and value mapping: how a file's own headers and spellings become the schema's.

A :class:`Mapping` says, for a file of one shape, which of its columns holds each schema
column and what each unknown spelling of a categorical value means (a schema value, or
missing). Without one, the built-in French and English synonyms of
:mod:`segmentor.domain.synonyms` apply. Either way a :class:`MappingReport` records what was
read under another name, so every front end can say which mapping was applied: nothing is
mapped silently.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from collections.abc import Mapping as AnyMapping
from dataclasses import dataclass, field

from segmentor.domain import synonyms
from segmentor.domain.columns import FEATURES, ID, TARGET
from segmentor.domain.synonyms import fold
from segmentor.errors import SegmentorError

BUILT_IN = "built-in synonyms"
MAPPABLE_COLUMNS = (ID, *FEATURES, TARGET)


@dataclass(frozen=True)
class Mapping:
    """A named mapping: ``columns`` schema column -> the file's header; ``values`` schema
    column -> {the file's spelling -> schema value, or None for missing}."""

    name: str
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str | None]] = field(default_factory=dict)

    @classmethod
    def from_dict(
        cls, data: object, source: str, categories: AnyMapping[str, Iterable[str]]
    ) -> Mapping:
        """Validate a mapping read from YAML or JSON (one-line errors naming the key)."""
        if not isinstance(data, dict):
            raise _invalid(source, "a mapping must be a YAML mapping with name, columns, values")
        name = str(data.get("name") or "").strip()
        if not name:
            raise _invalid(source, "the mapping has no name")
        columns = _columns(data.get("columns") or {}, source)
        values = _values(data.get("values") or {}, source, categories)
        return cls(name=name, columns=columns, values=values)

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "columns": dict(self.columns), "values": self.values}

    def column_for(self, header: object) -> str | None:
        """The schema column this mapping gives ``header`` (None when it names none)."""
        for column, named in self.columns.items():
            if fold(named) == fold(header):
                return column
        return None

    def value_for(self, column: str, text: str) -> tuple[bool, str | None]:
        """(mapped, value): whether this mapping spells ``text`` of ``column``, and as what."""
        for spelling, value in self.values.get(column, {}).items():
            if fold(spelling) == fold(text):
                return True, value
        return False, None


def _columns(data: object, source: str) -> dict[str, str]:
    if not isinstance(data, dict):
        raise _invalid(source, "'columns' must map schema columns to the file's headers")
    columns: dict[str, str] = {}
    for column, header in data.items():
        if column not in MAPPABLE_COLUMNS:
            raise _invalid(
                source, f"'columns' names {column!r}, not a schema column", MAPPABLE_COLUMNS
            )
        if not isinstance(header, str | int) or not str(header).strip():
            raise _invalid(source, f"'columns.{column}' must be the file's header (text)")
        columns[column] = str(header)
    return columns


def _values(
    data: object, source: str, categories: AnyMapping[str, Iterable[str]]
) -> dict[str, dict[str, str | None]]:
    if not isinstance(data, dict):
        raise _invalid(source, "'values' must map categorical columns to spellings")
    values: dict[str, dict[str, str | None]] = {}
    for column, spellings in data.items():
        if column not in categories:
            raise _invalid(source, f"'values' names {column!r}, not a categorical column")
        if not isinstance(spellings, dict):
            raise _invalid(source, f"'values.{column}' must map the file's spellings to values")
        allowed = tuple(categories[column])
        values[column] = {}
        for spelling, value in spellings.items():
            if value is not None and str(value) not in allowed:
                raise _invalid(
                    source,
                    f"'values.{column}.{spelling}' is {value!r}, not a value of {column}",
                    (*allowed, "null (missing)"),
                )
            values[column][str(spelling)] = None if value is None else str(value)
    return values


def _invalid(source: str, problem: str, expected: Iterable[str] = ()) -> SegmentorError:
    hint = f"use one of {', '.join(expected)}" if expected else "see docs/mapping.md"
    return SegmentorError(f"invalid mapping: {problem}", file=source, fix=hint)


def shape_of(headers: Iterable[object]) -> str:
    """A short fingerprint of a file's header row, to find the profile saved for its shape."""
    names = sorted({fold(header) for header in headers if fold(header)})
    return hashlib.sha256("\x1f".join(names).encode()).hexdigest()[:16]


@dataclass
class MappingReport:
    """What was read under another name than the schema's, with row counts."""

    name: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[tuple[str, str], tuple[str | None, int]] = field(default_factory=dict)

    @property
    def applied(self) -> bool:
        return bool(self.columns or self.values or self.name)

    def add_value(self, column: str, text: str, value: str | None, rows: int) -> None:
        known = self.values.get((column, text))
        self.values[(column, text)] = (value, rows + (known[1] if known else 0))

    def merge(self, other: MappingReport) -> None:
        """Add another chunk's report of the same file (counts add up)."""
        self.name = self.name or other.name
        self.columns.update(other.columns)
        for (column, text), (value, rows) in other.values.items():
            self.add_value(column, text, value, rows)

    def describe(self) -> str:
        """One line: which mapping, which columns and which values were read as what."""
        if not self.applied:
            return ""
        parts = [f"mapping {self.name!r}" if self.name else BUILT_IN]
        if self.columns:
            shown = ", ".join(f"{header!r} as {column}" for column, header in self.columns.items())
            parts.append(f"columns {shown}")
        if self.values:
            shown = ", ".join(
                f"{column} {text!r} as {value or 'missing'} ({rows} row{'s' if rows != 1 else ''})"
                for (column, text), (value, rows) in sorted(self.values.items())
            )
            parts.append(f"values {shown}")
        return "; ".join(parts)

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name or (BUILT_IN if self.applied else None),
            "columns": dict(self.columns),
            "values": [
                {"column": column, "from": text, "to": value, "rows": rows}
                for (column, text), (value, rows) in sorted(self.values.items())
            ],
        }


def builtin_column(header: object) -> str | None:
    return synonyms.column_for(header)


def builtin_value(column: str, text: str) -> str | None:
    return synonyms.value_for(column, text)
