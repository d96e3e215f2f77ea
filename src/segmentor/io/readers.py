"""Read customer files as they come out of real spreadsheets and CRMs.

Formats: CSV (also gzip-compressed ``.csv.gz`` or the only CSV of a ``.zip``), Excel
``.xlsx``/``.xlsm``/``.xls`` and LibreOffice ``.ods`` (all through python-calamine, which reads
cached formula values), and Parquet. CSV files are sniffed for their encoding (UTF-8 with or
without BOM, UTF-16, else Windows-1252 / latin-1, checked over the whole file), their
delimiter (``,`` ``;`` tab or ``|``) and line endings. The header row is found under title
lines (or given, :class:`ReadOptions`), and in a workbook the first sheet holding the schema's
columns is read (or the one named). Cells are read as text (CSV) or as stored (Excel);
:mod:`segmentor.domain.schema` does the typing. A file that cannot be read raises
:class:`~segmentor.errors.SegmentorError`.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import itertools
import re
import shutil
import stat
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from segmentor.domain.schema import recognised_columns
from segmentor.errors import SegmentorError

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
PARQUET_SUFFIXES = (".parquet", ".pq")
COMPRESSED_SUFFIXES = (".gz", ".zip")
SUPPORTED = CSV_SUFFIXES + EXCEL_SUFFIXES + PARQUET_SUFFIXES + COMPRESSED_SUFFIXES
# A header is the first row (of the first HEADER_SEARCH_ROWS) naming this many schema columns.
HEADER_MIN_COLUMNS = 3
HEADER_SEARCH_ROWS = 30
# A decompressed CSV larger than this is refused (a "zip bomb" would fill the memory or disk).
MAX_DECOMPRESSED_BYTES = 4 * 1024**3
DELIMITERS = ",;\t|"
SNIFF_BYTES = 64 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003)
_GZIP_MAGIC = b"\x1f\x8b"
_PARQUET_MAGIC = b"PAR1"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_FIELD_COUNT = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is written: what :func:`sniff_csv` found."""

    encoding: str
    delimiter: str


@dataclass(frozen=True)
class ReadOptions:
    """The user's choices: the sheet of a workbook, the (1-based) row holding the header."""

    sheet: str | None = None
    header_row: int | None = None


@dataclass(frozen=True)
class Layout:
    """Where the table was found: the header's row (1-based) and, in a workbook, the sheet."""

    header_row: int = 1
    sheet: str | None = None
    sheets: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line for summaries ("" for a plain file: header on row 1, one sheet)."""
        parts = []
        if self.sheet is not None and len(self.sheets) > 1:
            parts.append(f"sheet {self.sheet!r} of {len(self.sheets)}")
        if self.header_row > 1:
            skipped = self.header_row - 1
            parts.append(
                f"header on row {self.header_row} ({skipped} row{'s' if skipped > 1 else ''} "
                "above it skipped)"
            )
        return ", ".join(parts)


def read_table(path: Path | str, options: ReadOptions | None = None) -> pd.DataFrame:
    """Read a whole customer file into a frame of raw cells (text for CSV)."""
    path = Path(path)
    data = _read_bytes(path)
    return read_bytes(data, path.name, source=str(path), options=options)


def read_bytes(
    data: bytes, filename: str, *, source: str | None = None, options: ReadOptions | None = None
) -> pd.DataFrame:
    """Read an uploaded file's bytes; the format is chosen by the file name's suffix."""
    return read_upload(data, filename, source=source, options=options)[0]


def read_upload(
    data: bytes, filename: str, *, source: str | None = None, options: ReadOptions | None = None
) -> tuple[pd.DataFrame, Layout]:
    """Read a file's bytes: the frame of raw cells and where in the file it was found."""
    source = source or filename
    options = options or ReadOptions()
    kind = file_kind(filename, data[:8], source)
    if kind in ("gzip", "zip"):
        inner, data = _decompress(data, filename, kind, source)
        return read_upload(data, inner, source=source, options=options)
    if not data.strip():
        raise _empty(source)
    if kind == "excel":
        frame, layout = _read_workbook(data, source, options)
    elif kind == "parquet":
        frame, layout = _read_parquet(io.BytesIO(data), source), Layout()
    else:
        frame, layout = _read_csv(data, source, options)
    return _check_not_empty(frame, source), layout


def iter_table_chunks(
    path: Path | str,
    chunk_rows: int = 50_000,
    *,
    columns: Callable[[str], bool] | None = None,
    options: ReadOptions | None = None,
) -> Iterator[pd.DataFrame]:
    """Stream a CSV (plain or compressed) or Parquet file in chunks of raw cells.

    Workbooks are read whole (the formats cannot be streamed) and yielded in slices.
    ``columns`` keeps only the columns whose header it accepts (a quick pass over the IDs);
    chunks are then not checked for emptiness (the full read does that).
    """
    path = Path(path)
    source = str(path)
    options = options or ReadOptions()
    with _open(path) as handle:
        magic = handle.read(8)
    kind = file_kind(path.name, magic, source)
    if kind == "parquet":
        yield from _iter_parquet(path, chunk_rows, source, columns)
    elif kind == "excel" or (kind == "zip" and _zip_member_kind(path, source) != "csv"):
        frame = read_table(path, options)
        if columns is not None:
            frame = frame.loc[:, [c for c in frame.columns if columns(str(c))]]
        for start in range(0, len(frame), chunk_rows):
            yield frame.iloc[start : start + chunk_rows]
    else:
        yield from _iter_csv(path, kind, chunk_rows, source, columns, options)


def table_layout(path: Path | str, options: ReadOptions | None = None) -> Layout:
    """Where :func:`iter_table_chunks` finds the table of ``path`` (for summaries)."""
    path = Path(path)
    options = options or ReadOptions()
    with _open(path) as handle:
        magic = handle.read(8)
    kind = file_kind(path.name, magic, str(path))
    if kind == "parquet":
        return Layout()
    if kind == "excel" or (kind == "zip" and _zip_member_kind(path, str(path)) != "csv"):
        return read_upload(_read_bytes(path), path.name, source=str(path), options=options)[1]
    with _csv_stream(path, kind, str(path)) as stream:
        head = stream.read(SNIFF_BYTES)
    dialect = sniff_csv(head, str(path))
    return Layout(header_row=_csv_header_row(head, dialect, options, str(path)))


def workbook_sheets(data: bytes, filename: str) -> tuple[str, ...]:
    """The sheet names of a workbook's bytes (() for any other file, or one unreadable)."""
    if Path(filename).suffix.lower() not in EXCEL_SUFFIXES:
        return ()
    try:
        return tuple(_workbook(data, filename).sheet_names)
    except SegmentorError:
        return ()


@contextmanager
def readable_twice(path: Path) -> Iterator[Path]:
    """``path`` itself when it is a regular file, else (a named pipe, a device) a temporary
    copy: scoring reads a file more than once, and a pipe can only be read once."""
    try:
        mode = path.stat().st_mode
    except OSError:
        yield path  # the readers give the one-line error
        return
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="segmentor-") as folder:
        copy = Path(folder) / path.name
        with _open(path) as source, copy.open("wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
        yield copy


def file_kind(filename: str, magic: bytes, source: str) -> str:
    """'csv', 'excel', 'parquet', 'gzip' or 'zip', from the suffix, checked against the
    file's first bytes."""
    suffix = Path(filename).suffix.lower()
    if suffix not in SUPPORTED:
        raise SegmentorError(
            "unsupported file type {suffix!r}",
            file=source,
            fields={"suffix": suffix or "(no suffix)"},
            fix="give a .csv, .xlsx, .xls, .ods or .parquet file (a .csv may be in a .gz/.zip)",
        )
    if suffix in EXCEL_SUFFIXES:
        _check_workbook_magic(suffix, magic, source)
        return "excel"
    if suffix in PARQUET_SUFFIXES:
        if not magic.startswith(_PARQUET_MAGIC):
            raise SegmentorError(
                "this is not a valid Parquet file",
                file=source,
                fix="write it again as Parquet, or export it as CSV",
            )
        return "parquet"
    if suffix == ".gz":
        if not magic.startswith(_GZIP_MAGIC):
            raise SegmentorError(
                "this is not a gzip file", file=source, fix="compress it again with gzip"
            )
        return "gzip"
    if suffix == ".zip":
        if not magic.startswith(_ZIP_MAGIC):
            raise SegmentorError("this is not a zip file", file=source, fix="zip it again")
        return "zip"
    if magic.startswith((_ZIP_MAGIC, _PARQUET_MAGIC, _OLE_MAGIC, _GZIP_MAGIC)):
        raise SegmentorError(
            "this file is binary (Excel or Parquet), not CSV",
            file=source,
            fix="rename it with its real suffix (.xlsx, .xls or .parquet)",
        )
    return "csv"


def _check_workbook_magic(suffix: str, magic: bytes, source: str) -> None:
    # Excel also saves "xlsx" files as OLE (encrypted) and "xls" as zip (renamed): let
    # calamine judge any real workbook container.
    if magic.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        return
    names = {".xlsx": "Excel .xlsx", ".xlsm": "Excel .xlsm", ".xls": "Excel .xls"}
    name = names.get(suffix, "LibreOffice .ods")
    raise SegmentorError(
        "this is not a valid {name} file",
        file=source,
        fix="save it again as {suffix} from the spreadsheet, or export it as CSV",
        fields={"name": name, "suffix": suffix},
    )


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
    return CsvDialect(encoding=encoding, delimiter=_sniff_delimiter(_after_titles(text)))


def _after_titles(text: str) -> str:
    """The text from the first line that names schema columns (the delimiter is sniffed
    there, not on a title line)."""
    lines = text.splitlines()
    for index, line in enumerate(lines[:HEADER_SEARCH_ROWS]):
        for delimiter in DELIMITERS:
            if recognised_columns(line.split(delimiter)) >= HEADER_MIN_COLUMNS:
                return "\n".join(lines[index:])
    return text


def _whole_encoding(blocks: Iterator[bytes], sniffed: str) -> str:
    """The sniffed encoding, checked over every block: a UTF-8 file whose first accent is
    after the sniffed head, in Windows-1252, is Windows-1252 (or latin-1)."""
    if sniffed != "utf-8":
        return sniffed
    decoder = codecs.getincrementaldecoder("utf-8")()
    kept: list[bytes] = []
    try:
        for block in blocks:
            kept.append(block)
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252" if _stream_decodes(kept, blocks, "cp1252") else "latin-1"
    return "utf-8"


def _stream_decodes(kept: list[bytes], rest: Iterator[bytes], encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for block in itertools.chain(kept, rest):
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


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


def _read_csv(data: bytes, source: str, options: ReadOptions) -> tuple[pd.DataFrame, Layout]:
    head = data[:SNIFF_BYTES]
    dialect = sniff_csv(head, source)
    encoding = _whole_encoding(iter([data]), dialect.encoding)
    dialect = CsvDialect(encoding, dialect.delimiter)
    header_row = _csv_header_row(head, dialect, options, source)
    frame = _parse_csv(io.BytesIO(data), dialect, source, skiprows=header_row - 1)
    _refuse_merged_lines(frame, dialect, source)
    return frame, Layout(header_row=header_row)


def _iter_csv(
    path: Path,
    kind: str,
    chunk_rows: int,
    source: str,
    columns: Callable[[str], bool] | None,
    options: ReadOptions,
) -> Iterator[pd.DataFrame]:
    with _csv_stream(path, kind, source) as stream:
        head = stream.read(SNIFF_BYTES)
        if not head.strip():
            raise _empty(source)
        dialect = sniff_csv(head, source)
        blocks = iter(lambda: stream.read(1 << 20), b"")
        encoding = _whole_encoding(itertools.chain([head], blocks), dialect.encoding)
    dialect = CsvDialect(encoding, dialect.delimiter)
    header_row = _csv_header_row(head, dialect, options, source)
    with _csv_stream(path, kind, source) as stream:
        reader = _parse_csv(
            stream,
            dialect,
            source,
            chunksize=chunk_rows,
            usecols=columns,
            skiprows=header_row - 1,
        )
        while True:
            with _csv_errors(dialect, source):
                chunk = next(reader, None)
            if chunk is None:
                return
            if columns is None:
                _refuse_merged_lines(chunk, dialect, source)
            check = chunk.empty and columns is None
            yield _check_not_empty(chunk, source) if check else chunk


@contextmanager
def _csv_stream(path: Path, kind: str, source: str) -> Iterator[io.BufferedIOBase]:
    """The CSV bytes of ``path``: the file itself, or decompressed from .gz / .zip."""
    with _open(path) as handle:
        if kind == "gzip":
            with gzip.GzipFile(fileobj=handle) as stream, _decompress_errors(source):
                yield _Limited(stream, source)
        elif kind == "zip":
            with _decompress_errors(source):
                archive = zipfile.ZipFile(handle)
                member = _zip_member(archive, source)
                with archive.open(member) as stream:
                    yield _Limited(stream, source)
        else:
            yield handle


class _Limited(io.RawIOBase):
    """A decompressed stream that refuses to grow past MAX_DECOMPRESSED_BYTES."""

    def __init__(self, stream: io.BufferedIOBase, source: str) -> None:
        self._stream, self._source, self._read = stream, source, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._read += len(data)
        if self._read > MAX_DECOMPRESSED_BYTES:
            raise _too_big(self._source)
        return data

    def readinto(self, buffer) -> int:  # noqa: ANN001
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _too_big(source: str) -> SegmentorError:
    return SegmentorError(
        f"the compressed file holds more than {MAX_DECOMPRESSED_BYTES // 1024**3} GiB",
        file=source,
        fix="split it into smaller files",
    )


@contextmanager
def _decompress_errors(source: str) -> Iterator[None]:
    try:
        yield
    except (OSError, EOFError, zipfile.BadZipFile, gzip.BadGzipFile) as error:
        raise SegmentorError(
            f"the compressed file cannot be read ({type(error).__name__})",
            file=source,
            fix="compress the CSV again (gzip, or a zip holding one .csv)",
        ) from None


def _decompress(data: bytes, filename: str, kind: str, source: str) -> tuple[str, bytes]:
    """(the inner file's name, its bytes) of a .gz or .zip upload."""
    with _decompress_errors(source):
        if kind == "gzip":
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
                inner = _Limited(stream, source).read()
            name = Path(filename).stem
            return (name if Path(name).suffix else name + ".csv"), inner
        archive = zipfile.ZipFile(io.BytesIO(data))
        member = _zip_member(archive, source)
        if member.file_size > MAX_DECOMPRESSED_BYTES:
            raise _too_big(source)
        with archive.open(member) as stream:
            return Path(member.filename).name, _Limited(stream, source).read()


def _zip_member(archive: zipfile.ZipFile, source: str) -> zipfile.ZipInfo:
    members = [m for m in archive.infolist() if not m.is_dir() and not _hidden(m.filename)]
    tables = [m for m in members if Path(m.filename).suffix.lower() in _TABLE_SUFFIXES]
    if len(tables) != 1:
        shown = ", ".join(repr(m.filename) for m in members[:8]) or "none"
        raise SegmentorError(
            f"the zip file must hold exactly one table file; it holds {shown}",
            file=source,
            fix="zip one .csv (or .xlsx) file, or unzip it and give the file",
        )
    return tables[0]


def _zip_member_kind(path: Path, source: str) -> str:
    with _open(path) as handle, _decompress_errors(source):
        member = _zip_member(zipfile.ZipFile(handle), source)
    suffix = Path(member.filename).suffix.lower()
    return "csv" if suffix in CSV_SUFFIXES else "other"


_TABLE_SUFFIXES = CSV_SUFFIXES + EXCEL_SUFFIXES + PARQUET_SUFFIXES


def _hidden(name: str) -> bool:
    return name.startswith("__MACOSX/") or Path(name).name.startswith(".")


def _csv_header_row(head: bytes, dialect: CsvDialect, options: ReadOptions, source: str) -> int:
    """The 1-based line holding the header: the user's choice, else the first of the first
    rows that names schema columns (title lines above a CRM export's table), else 1."""
    text = head.decode(dialect.encoding, errors="replace").lstrip("\ufeff")
    records = _head_records(text, dialect.delimiter)
    if options.header_row is not None:
        last = records[-1][1] if records else 1
        if options.header_row < 1 or options.header_row > last:
            raise SegmentorError(
                f"--header-row {options.header_row} is not a line of the file's first {last} lines",
                file=source,
                fix="give the number of the line holding the column names (1 = the first line)",
            )
        return options.header_row
    position = _header_position([record for record, _ in records])
    return records[position - 1][1] if records else 1


def _head_records(text: str, delimiter: str) -> list[tuple[list[str], int]]:
    """The first non-blank records of the head, each with the line it starts on."""
    # The sniffed head may end inside a record: only the first rows matter here.
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    records: list[tuple[list[str], int]] = []
    start = 1
    try:
        for record in reader:
            if record:  # pandas skips blank lines as well
                records.append((record, start))
            start = reader.line_num + 1
            if len(records) >= HEADER_SEARCH_ROWS:
                break
    except csv.Error:
        pass
    return records


def _header_position(rows: list[list[object]]) -> int:
    if not rows or recognised_columns(rows[0]) >= HEADER_MIN_COLUMNS:
        return 1
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if recognised_columns(row) >= HEADER_MIN_COLUMNS:
            return index + 1
    return 1


def _refuse_merged_lines(frame: pd.DataFrame, dialect: CsvDialect, source: str) -> None:
    """Refuse a quoted cell that swallowed whole lines: a stray opening quote (``"4589``)
    makes the parser read up to the next quote as one cell, merging rows without a trace."""
    fields = len(frame.columns)
    if fields < 3 or frame.empty:
        return
    for column in frame.columns:
        values = frame[column]
        if not pd.api.types.is_string_dtype(values):
            continue
        multiline = values.str.contains("\n", regex=False, na=False).to_numpy()
        for position in multiline.nonzero()[0]:
            lines = str(values.iloc[position]).splitlines()
            merged = sum(line.count(dialect.delimiter) >= fields - 1 for line in lines)
            if merged:
                raise SegmentorError(
                    f"a quote opened in this cell is closed {len(lines) - 1} lines later, "
                    f"so {merged} line(s) holding whole rows were read as part of it",
                    file=source,
                    row=int(frame.index[position]) + 1,
                    column=str(column),
                    value=lines[0],
                    fix='remove the stray " (or double it, "", inside a quoted cell)',
                )


def _parse_csv(  # noqa: ANN201
    handle,  # noqa: ANN001
    dialect: CsvDialect,
    source: str,
    chunksize: int | None = None,
    usecols=None,  # noqa: ANN001
    skiprows: int = 0,
):
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
                skiprows=skiprows,
                # Never take the first column as the index when rows are longer than the
                # header: pandas would shift every value one column left, silently.
                index_col=False,
                engine="c",
            )
    except pd.errors.EmptyDataError:
        raise _empty(source) from None


def _empty(source: str) -> SegmentorError:
    return SegmentorError(
        "the file is empty",
        file=source,
        fix="export the customer table again, with its header row",
    )


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
            "the file is not valid {encoding} text (byte {byte} at offset {offset} of a block)",
            file=source,
            fix="save it again as CSV UTF-8",
            fields={
                "encoding": dialect.encoding,
                "byte": f"{error.object[error.start]:#04x}",
                "offset": error.start,
            },
        )
    fields = _FIELD_COUNT.search(str(error))
    if fields is not None:
        expected, line, saw = fields.groups()
        return SegmentorError(
            "line {line} has {saw} fields but the header has {expected}",
            file=source,
            fix="quote the cells holding the delimiter {delimiter!r} or remove the extra fields",
            fields={"line": line, "saw": saw, "expected": expected, "delimiter": dialect.delimiter},
        )
    detail = " ".join(str(error).split())
    return SegmentorError(
        f"the CSV file cannot be parsed ({detail})",
        file=source,
        fix="check that every row has as many fields as the header",
    )


def _workbook(data: bytes, source: str):  # noqa: ANN202
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine raises its own errors, and others, for bad files
        raise _unreadable_workbook(error, source) from None


def _unreadable_workbook(error: Exception, source: str) -> SegmentorError:
    if type(error).__name__ == "PasswordError":
        return SegmentorError(
            "the workbook is protected by a password",
            file=source,
            fix="save a copy without the password, or export the sheet as CSV",
        )
    return SegmentorError(
        f"the Excel file cannot be read ({type(error).__name__})",
        file=source,
        fix="open it in Excel or LibreOffice and save it again (.xlsx or .ods)",
    )


def _read_workbook(data: bytes, source: str, options: ReadOptions) -> tuple[pd.DataFrame, Layout]:
    """The table of a workbook: the sheet named, else the first whose rows name the schema's
    columns (else the first sheet), from its header row down."""
    book = _workbook(data, source)
    names = tuple(book.sheet_names)
    if not names:
        raise SegmentorError("the workbook has no sheet", file=source, fix="add the table")
    try:
        if options.sheet is not None:
            chosen = _named_sheet(names, options.sheet, source)
            rows = book.get_sheet_by_name(chosen).to_python()
        else:
            chosen, rows = _first_table_sheet(book, names)
    except SegmentorError:
        raise
    except Exception as error:
        raise _unreadable_workbook(error, source) from None
    header_row = _sheet_header_row(rows, options, source)
    frame = _sheet_frame(rows[header_row - 1 :])
    return frame, Layout(header_row=header_row, sheet=chosen, sheets=names)


def _named_sheet(names: tuple[str, ...], wanted: str, source: str) -> str:
    for name in names:
        if name == wanted or name.casefold() == wanted.strip().casefold():
            return name
    raise SegmentorError(
        f"no sheet named {wanted!r}; the sheets are {', '.join(repr(n) for n in names)}",
        file=source,
        fix="give one of those names to --sheet",
    )


def _first_table_sheet(book, names: tuple[str, ...]) -> tuple[str, list[list[object]]]:  # noqa: ANN001
    first: list[list[object]] | None = None
    for name in names:
        rows = book.get_sheet_by_name(name).to_python()
        first = rows if first is None else first
        head = rows[:HEADER_SEARCH_ROWS]
        if any(recognised_columns(row) >= HEADER_MIN_COLUMNS for row in head):
            return name, rows
    return names[0], first or []


def _sheet_header_row(rows: list[list[object]], options: ReadOptions, source: str) -> int:
    content = [row for row in rows if any(cell != "" for cell in row)]
    if options.header_row is not None:
        if options.header_row < 1 or options.header_row > max(len(rows), 1):
            raise SegmentorError(
                f"--header-row {options.header_row} is not a row of the sheet "
                f"(it has {len(rows)} rows)",
                file=source,
                fix="give the number of the row holding the column names (1 = the first row)",
            )
        return options.header_row
    position = _header_position([[str(c) for c in row] for row in content])
    # Back from the n-th non-empty row to its row number in the sheet.
    seen = 0
    for index, row in enumerate(rows):
        if any(cell != "" for cell in row):
            seen += 1
            if seen == position:
                return index + 1
    return 1


def _sheet_frame(rows: list[list[object]]) -> pd.DataFrame:
    """A frame from a sheet's rows, header first; blank rows are not rows (as in CSV)."""
    if not rows:
        return pd.DataFrame()
    header = _unique_headers(rows[0])
    body = [
        [None if cell == "" else cell for cell in row]
        for row in rows[1:]
        if any(cell != "" for cell in row)
    ]
    return pd.DataFrame(body, columns=header, dtype=object)


def _unique_headers(cells: list[object]) -> list[str]:
    """Header texts as pandas names them: empty -> "Unnamed: i", repeated "Age" -> "Age.1"."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = _header_text(cell) or f"Unnamed: {index}"
        count = seen.get(name, 0)
        seen[name] = count + 1
        names.append(name if count == 0 else f"{name}.{count}")
    return names


def _header_text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


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
