"""Write results safely: atomically, never over the input, and every cell safe for its format.

Text cells are neutralised against spreadsheet formula injection (CSV and Excel); in Excel,
characters the format cannot hold (control characters) are written as visible ``\\xNN``
escapes, and a cell over Excel's 32,767 characters is refused rather than cut.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pandas as pd

from foundation.atomic import atomic_write
from segmentor.errors import SegmentorError

__all__ = ["CSV_LINE_END", "atomic_write", "neutralise", "write_table"]

# A cell starting with one of these is run as a formula by Excel and LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Excel's limit on the characters of one cell, and the characters an .xlsx cannot hold.
EXCEL_CELL_CHARS = 32_767
_EXCEL_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# RFC 4180 line ends. With "\n" alone, Python's csv module leaves a cell holding a bare "\r"
# unquoted, and every reader (pandas, Excel) then splits that row in two.
CSV_LINE_END = "\r\n"


def neutralise_cell(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with a quote (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot be run as spreadsheet formulas."""
    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_cell, na_action="ignore")
    return safe


def write_table(frame: pd.DataFrame, target: Path) -> None:
    """Write a result table as CSV, Excel or Parquet (by suffix), safely and atomically."""
    suffix = target.suffix.lower()
    if suffix == ".parquet":
        atomic_write(target, lambda tmp: frame.to_parquet(tmp, index=False))
    elif suffix == ".xlsx":
        atomic_write(target, lambda tmp: tmp.write_bytes(to_excel_bytes(frame)))
    else:
        atomic_write(target, lambda tmp: tmp.write_bytes(to_csv_bytes(frame)))


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV of a result table, formula-neutralised (for files and downloads)."""
    return neutralise(frame).to_csv(index=False, lineterminator=CSV_LINE_END).encode("utf-8")


def to_excel_bytes(frame: pd.DataFrame, sheet_name: str = "segments") -> bytes:
    """An .xlsx workbook of a result table, formula-neutralised and with every cell one that
    Excel can hold (for files and downloads)."""
    safe = excel_safe(neutralise(frame))  # before the writer: a refusal leaves no workbook
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, index=False, sheet_name=sheet_name[:31])
    return buffer.getvalue()


def excel_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Control characters as visible escapes; a cell too long for Excel is refused."""
    safe = frame.copy()
    for column in safe.columns:
        if pd.api.types.is_numeric_dtype(safe[column]):
            continue
        safe[column] = safe[column].map(_excel_cell, na_action="ignore")
        too_long = safe[column].map(lambda v: isinstance(v, str) and len(v) > EXCEL_CELL_CHARS)
        if too_long.any():
            row = int(too_long.to_numpy().nonzero()[0][0]) + 1
            raise SegmentorError(
                f"a cell holds more than Excel's {EXCEL_CELL_CHARS:,} characters and would be cut",
                row=row,
                column=str(column),
                fix="write the output as .csv or .parquet (--out NAME.csv)",
            )
    return safe


def _excel_cell(value: object) -> object:
    if isinstance(value, str) and _EXCEL_ILLEGAL.search(value):
        return _EXCEL_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return value


def refuse_overwriting_input(source: Path, target: Path) -> None:
    """Refuse an output that is the input file itself (it would replace the prospects' file)."""
    if _same_file(source, target):
        raise SegmentorError(
            "the output is the input file: writing the results would replace the prospects",
            file=str(target),
            fix="choose another --out name (by default <input>.segments.csv)",
        )


def _same_file(first: Path, second: Path) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:
        return first.expanduser().resolve() == second.expanduser().resolve()


def safe_child(directory: Path, name: str) -> Path:
    """``directory / name``, refusing names that would escape ``directory``."""
    candidate = (directory / name).resolve()
    if candidate.parent != directory.resolve() or name in ("", ".", ".."):
        raise SegmentorError(
            "the output name would leave the output folder",
            value=name,
            fix="use a plain file name without '/' or '..'",
        )
    return candidate
