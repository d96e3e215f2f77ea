"""Read customer files as they come out of real spreadsheets: CSV, Excel (.xlsx) or Parquet.

CSV files are sniffed for their encoding (UTF-8 with or without BOM, else Windows-1252 /
latin-1), their delimiter (``,`` ``;`` tab or ``|``) and line endings. Cells are read as
text; :mod:`segmentor.domain.schema` does the typing, so a decimal comma ("4,0") from a French
Excel export is understood there. A file that cannot be read raises
:class:`~segmentor.errors.SegmentorError`.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from segmentor.errors import SegmentorError

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
PARQUET_SUFFIXES = (".parquet", ".pq")
SUPPORTED = CSV_SUFFIXES + EXCEL_SUFFIXES + PARQUET_SUFFIXES
DELIMITERS = ",;\t|"
SNIFF_BYTES = 64 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_PARQUET_MAGIC = b"PAR1"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_FIELD_COUNT = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is written: what :func:`sniff_csv` found."""

    encoding: str
    delimiter: str


def read_table(path: Path | str) -> pd.DataFrame:
    """Read a whole customer file into a frame of raw cells (text for CSV and Excel)."""
    path = Path(path)
    data = _read_bytes(path)
    return read_bytes(data, path.name, source=str(path))


def read_bytes(data: bytes, filename: str, *, source: str | None = None) -> pd.DataFrame:
    """Read an uploaded file's bytes; the format is chosen by the file name's suffix."""
    source = source or filename
    kind = file_kind(filename, data[:8], source)
    if not data.strip():
        raise SegmentorError(
            "the file is empty",
            file=source,
            fix="export the customer table again, with its header row",
        )
    if kind == "excel":
        frame = _read_excel(data, source)
    elif kind == "parquet":
        frame = _read_parquet(io.BytesIO(data), source)
    else:
        frame = _read_csv(data, source)
    return _check_not_empty(frame, source)


def iter_table_chunks(
    path: Path | str,
    chunk_rows: int = 50_000,
    *,
    columns: Callable[[str], bool] | None = None,
) -> Iterator[pd.DataFrame]:
    """Stream a CSV or Parquet file in chunks of raw cells, with bounded memory.

    Excel files are read whole (the format cannot be streamed) and yielded in slices.
    ``columns`` keeps only the columns whose header it accepts (a quick pass over the IDs);
    chunks are then not checked for emptiness (the full read does that).
    """
    path = Path(path)
    source = str(path)
    with _open(path) as handle:
        head = handle.read(SNIFF_BYTES)
    kind = file_kind(path.name, head[:8], source)
    if not head.strip():
        raise SegmentorError(
            "the file is empty",
            file=source,
            fix="export the customer table again, with its header row",
        )
    if kind == "parquet":
        yield from _iter_parquet(path, chunk_rows, source, columns)
    elif kind == "excel":
        frame = read_table(path)
        if columns is not None:
            frame = frame.loc[:, [c for c in frame.columns if columns(str(c))]]
        for start in range(0, len(frame), chunk_rows):
            yield frame.iloc[start : start + chunk_rows]
    else:
        yield from _iter_csv(path, head, chunk_rows, source, columns)


def file_kind(filename: str, magic: bytes, source: str) -> str:
    """'csv', 'excel' or 'parquet', from the suffix, checked against the file's first bytes."""
    suffix = Path(filename).suffix.lower()
    if suffix not in SUPPORTED:
        raise SegmentorError(
            f"unsupported file type {suffix or '(no suffix)'!r}",
            file=source,
            fix="give a .csv, .xlsx or .parquet file",
        )
    if suffix in EXCEL_SUFFIXES:
        if not magic.startswith(_ZIP_MAGIC):
            raise SegmentorError(
                "this is not a valid Excel .xlsx file",
                file=source,
                fix="save it again from Excel as .xlsx, or export it as CSV",
            )
        return "excel"
    if suffix in PARQUET_SUFFIXES:
        if not magic.startswith(_PARQUET_MAGIC):
            raise SegmentorError(
                "this is not a valid Parquet file",
                file=source,
                fix="write it again as Parquet, or export it as CSV",
            )
        return "parquet"
    if magic.startswith((_ZIP_MAGIC, _PARQUET_MAGIC)):
        raise SegmentorError(
            "this file is binary (Excel or Parquet), not CSV",
            file=source,
            fix="rename it with its real suffix (.xlsx or .parquet)",
        )
    return "csv"


def sniff_csv(head: bytes, source: str) -> CsvDialect:
    """Find the encoding and delimiter of a CSV file from its first bytes."""
    encoding = _sniff_encoding(head)
    if b"\x00" in head and encoding != "utf-16":
        raise SegmentorError(
            "this file is binary, not text",
            file=source,
            fix="give a CSV text file (or the real .xlsx / .parquet file)",
        )
    text = head.decode(encoding, errors="replace")
    return CsvDialect(encoding=encoding, delimiter=_sniff_delimiter(text))


def _sniff_encoding(head: bytes) -> str:
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith(_UTF16_BOMS):  # Excel's "Unicode text" export
        return "utf-16"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sniffed block is still UTF-8.
        if error.start < len(head) - 4:
            return "cp1252" if _decodes(head, "cp1252") else "latin-1"
    return "utf-8"


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _sniff_delimiter(text: str) -> str:
    header = next(iter(text.splitlines()), "")
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] > 0:
        return best
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def _read_csv(data: bytes, source: str) -> pd.DataFrame:
    dialect = sniff_csv(data[:SNIFF_BYTES], source)
    return _parse_csv(io.BytesIO(data), dialect, source)


def _iter_csv(
    path: Path,
    head: bytes,
    chunk_rows: int,
    source: str,
    columns: Callable[[str], bool] | None = None,
) -> Iterator[pd.DataFrame]:
    dialect = sniff_csv(head, source)
    with _open(path) as handle:
        reader = _parse_csv(handle, dialect, source, chunksize=chunk_rows, usecols=columns)
        while True:
            with _csv_errors(dialect, source):
                chunk = next(reader, None)
            if chunk is None:
                return
            check = chunk.empty and columns is None
            yield _check_not_empty(chunk, source) if check else chunk


def _parse_csv(
    handle, dialect: CsvDialect, source: str, chunksize: int | None = None, usecols=None
):  # noqa: ANN001
    try:
        with _csv_errors(dialect, source):
            return pd.read_csv(
                handle,
                sep=dialect.delimiter,
                encoding=dialect.encoding,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=True,
                chunksize=chunksize,
                usecols=usecols,
                # Never take the first column as the index when rows are longer than the
                # header: pandas would shift every value one column left, silently.
                index_col=False,
                engine="c",
            )
    except pd.errors.EmptyDataError:
        raise SegmentorError(
            "the file is empty",
            file=source,
            fix="export the customer table again, with its header row",
        ) from None


@contextmanager
def _csv_errors(dialect: CsvDialect, source: str) -> Iterator[None]:
    """Turn pandas' parse errors (and its warning that it dropped fields) into one line."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        try:
            yield
        except pd.errors.ParserWarning:
            raise SegmentorError(
                "line 2 has more fields than the header row",
                file=source,
                fix="remove the extra fields (a delimiter at the end of each row?) "
                "or give the extra column a name in the header",
            ) from None
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
            raise _csv_error(error, dialect, source) from None


def _csv_error(error: Exception, dialect: CsvDialect, source: str) -> SegmentorError:
    if isinstance(error, UnicodeDecodeError):
        return SegmentorError(
            f"the file is not valid {dialect.encoding} text (byte {error.object[error.start]:#04x}"
            f" at offset {error.start} of a block)",
            file=source,
            fix="save it again as CSV UTF-8",
        )
    fields = _FIELD_COUNT.search(str(error))
    if fields is not None:
        expected, line, saw = fields.groups()
        return SegmentorError(
            f"line {line} has {saw} fields but the header has {expected}",
            file=source,
            fix=f"quote the cells that contain the delimiter {dialect.delimiter!r}, "
            "or remove the extra fields",
        )
    detail = " ".join(str(error).split())
    return SegmentorError(
        f"the CSV file cannot be parsed ({detail})",
        file=source,
        fix="check that every row has as many fields as the header",
    )


def _read_excel(data: bytes, source: str) -> pd.DataFrame:
    try:
        return pd.read_excel(io.BytesIO(data), sheet_name=0, dtype=object, engine="openpyxl")
    except Exception as error:  # openpyxl raises many unrelated types for corrupt files
        raise SegmentorError(
            f"the Excel file cannot be read ({type(error).__name__})",
            file=source,
            fix="open it in Excel and save it again as .xlsx",
        ) from None


def _read_parquet(handle: io.BytesIO | Path, source: str) -> pd.DataFrame:
    try:
        return pd.read_parquet(handle)
    except Exception as error:  # pyarrow raises ArrowInvalid, OSError, ...
        raise SegmentorError(
            f"the Parquet file cannot be read ({type(error).__name__})",
            file=source,
            fix="write the file again as Parquet",
        ) from None


def _iter_parquet(
    path: Path, chunk_rows: int, source: str, columns: Callable[[str], bool] | None = None
) -> Iterator[pd.DataFrame]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
        names = parquet.schema_arrow.names
        selected = None if columns is None else [n for n in names if columns(n)]
        for batch in parquet.iter_batches(batch_size=chunk_rows, columns=selected):
            yield batch.to_pandas()
    except Exception as error:
        raise SegmentorError(
            f"the Parquet file cannot be read ({type(error).__name__})",
            file=source,
            fix="write the file again as Parquet",
        ) from None


def _check_not_empty(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    if len(frame.columns) == 0:
        raise SegmentorError(
            "the file has no header row", file=source, fix="add a header row with the column names"
        )
    if frame.empty:
        raise SegmentorError(
            "the file has a header but no customer rows",
            file=source,
            fix="add at least one customer row",
        )
    return frame


def _read_bytes(path: Path) -> bytes:
    with _open(path) as handle:
        return handle.read()


def _open(path: Path) -> io.BufferedReader:
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise SegmentorError(
            "no such file", file=str(path), fix="check the path and the file name"
        ) from None
    except IsADirectoryError:
        raise SegmentorError(
            "this is a folder, not a file",
            file=str(path),
            fix="name one file (or use --engine dask for a folder)",
        ) from None
    except PermissionError:
        raise SegmentorError(
            "permission denied",
            file=str(path),
            fix="make the file readable, or copy it somewhere readable",
        ) from None
