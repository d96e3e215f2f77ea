"""The options that say how to read a prospect file, shared by ``predict`` and ``check-market``:
``--mapping NAME|FILE.yaml``, ``--sheet NAME`` and ``--header-row N``; and terminal-safe text."""

from __future__ import annotations

import re
from typing import Annotated

import typer
from rich.markup import escape

from segmentor.domain.mapping import Mapping
from segmentor.io.readers import ReadOptions

MappingOption = Annotated[
    str | None,
    typer.Option(
        "--mapping",
        help="How the file's columns and values map to the schema: a profile NAME saved in "
        "the app, or a FILE.yaml (see docs/mapping.md). Default: the built-in French and "
        "English synonyms.",
    ),
]
SheetOption = Annotated[
    str | None,
    typer.Option(
        "--sheet", help="Workbook sheet to read (default: the first with the schema's columns)."
    ),
]
HeaderRowOption = Annotated[
    int | None,
    typer.Option(
        "--header-row",
        min=1,
        help="Row (line) holding the column names (default: found under any title rows).",
    ),
]

# Cells reach the terminal: no escape sequence or control character goes through raw.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_text(value: object) -> str:
    """Text safe to print with rich: markup escaped, control characters as \\xNN."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))
    return escape(text)


def read_choices(
    mapping: str | None, sheet: str | None, header_row: int | None
) -> tuple[Mapping | None, ReadOptions]:
    """The mapping (from its file, or the database's profiles) and the read options."""
    return _mapping(mapping), ReadOptions(sheet=sheet, header_row=header_row)


def _mapping(spec: str | None) -> Mapping | None:
    if spec is None:
        return None
    from segmentor.io.profiles import is_mapping_file, resolve_mapping

    if is_mapping_file(spec):
        return resolve_mapping(spec, None)
    from segmentor.io.store import open_store
    from segmentor.settings import Settings

    store = open_store(Settings().database_url)
    try:
        return resolve_mapping(spec, store)
    finally:
        store.close()
