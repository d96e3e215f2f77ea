"""Write results safely: atomically, never over the input, and every cell safe for its format.

Text cells are neutralised against spreadsheet formula injection (CSV and Excel); in Excel,
characters the format cannot hold (control characters) are written as visible ``\\xNN``
escapes, and a cell over Excel's 32,767 characters is refused rather than cut.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import socket
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from segmentor.errors import SegmentorError

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


# Temporary outputs are named ".<target name>.<host>.<pid>.<random>.tmp": the owner is known,
# so a run killed by SIGKILL (which no handler sees) has its leftover removed by the next run.
_HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"


def temporary_prefix(target: Path) -> str:
    """The name prefix of this process's temporaries for ``target`` (add a random part, .tmp)."""
    return f".{target.name}.{_HOST}.{os.getpid()}."


def remove_stale_temporaries(target: Path) -> None:
    """Remove the temporaries of ``target`` left by dead processes of this host.

    Only names of the exact pattern of :func:`temporary_prefix` are touched, and only when
    their process is gone: a live writer's temporary, or another host's, is left alone.
    """
    pattern = re.compile(
        rf"\.{re.escape(target.name)}\.{re.escape(_HOST)}\.(?P<pid>[0-9]+)\.[a-z0-9_]+\.tmp"
    )
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is not None and not _process_alive(int(match["pid"])):
            _remove(entry)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process (or a pid we cannot check): not ours to judge
    return True


def _remove(entry: os.DirEntry[str]) -> None:
    """Remove a regular file or a real folder (never follow a symlink); skip on any error."""
    with contextlib.suppress(OSError):
        mode = entry.stat(follow_symlinks=False).st_mode
        if stat.S_ISREG(mode):
            os.unlink(entry.path)
        elif stat.S_ISDIR(mode):
            shutil.rmtree(entry.path)


def atomic_write(target: Path, write: Callable[[Path], object]) -> None:
    """Run ``write(temporary)`` beside ``target``, then rename: readers see old or whole new.

    Stale temporaries of ``target`` left by killed runs are removed first.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(target)
        handle, name = tempfile.mkstemp(
            dir=target.parent, prefix=temporary_prefix(target), suffix=".tmp"
        )
    except OSError as error:
        raise _cannot_write(target, error) from None
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except OSError as error:
        raise _cannot_write(target, error) from None
    finally:
        temporary.unlink(missing_ok=True)


def _mode_for(target: Path) -> int:
    """The permissions ``target`` would get if written in place: its own when it exists, else
    the usual 0o666 less the umask (mkstemp makes temporaries 0o600, private to the owner)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _umask() -> int:
    try:  # Linux reports it without changing it
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def _cannot_write(target: Path, error: OSError) -> SegmentorError:
    return SegmentorError(
        f"cannot write the output ({error.strerror or error})",
        file=str(target),
        fix="free some disk space or choose another --out location",
    )


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
