"""Write results safely: atomically, and neutralised against spreadsheet formula injection."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from foundation.atomic import atomic_write
from segmentor.errors import SegmentorError

__all__ = ["CSV_LINE_END", "atomic_write", "neutralise", "write_table"]

# A cell starting with one of these is run as a formula by Excel and LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
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
    """An .xlsx workbook of a result table, formula-neutralised (for files and downloads)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise(frame).to_excel(writer, index=False, sheet_name=sheet_name[:31])
    return buffer.getvalue()


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
