"""Score many files on Dask distributed: ``segmentor predict INPUT --engine dask --out DIR``.

INPUT is a folder, a glob (``'data/*.parquet'``, quoted) or one file, of CSV or Parquet.

- **Pieces.** A Parquet file is split at row-group boundaries into pieces of about
  ``chunk_rows`` rows; a CSV file is one piece (a CSV cannot be cut at a known row number
  without reading it all: split big CSVs, or convert them to Parquet). Each piece knows its
  file and the number of its first row, so notes are numbered per file exactly as the local
  engine numbers them.
- **Scoring.** ``ddf.map_partitions`` runs :func:`segmentor.engines.scoring.score_frame`, the local
  engine's function, on every piece; the parts are written as Parquet, named
  ``<file number>-<file stem>-<piece number>.parquet`` in input order.
- **Duplicated IDs** are found per file, as the local engine does: for a file of several
  pieces a worker first runs :func:`segmentor.io.duplicates.duplicate_first_rows` on it, and
  each piece gets that file's map. An ID repeated in two different files is not reported.
- **The model** reaches each worker once: workers load it from the model directory (which
  they must be able to read, like the input files) on first use and keep it; the version is
  checked against the client's.
"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from foundation.atomic import remove_stale_temporaries, temporary_prefix
from segmentor.domain.output import OUTPUT_COLUMNS
from segmentor.domain.schema import DuplicateFirstRows, canonicalise_columns
from segmentor.engines.local import DEFAULT_CHUNK_ROWS, BatchResult
from segmentor.engines.scoring import score_frame
from segmentor.errors import SegmentorError
from segmentor.io.duplicates import duplicate_first_rows
from segmentor.io.readers import CSV_SUFFIXES, PARQUET_SUFFIXES, iter_table_chunks, read_table
from segmentor.ml import trained
from segmentor.ml.conformal import DEFAULT_COVERAGE, check_coverage

DASK_SUFFIXES = CSV_SUFFIXES + PARQUET_SUFFIXES


@dataclass(frozen=True)
class Piece:
    """One partition: a whole CSV file, or consecutive row groups of a Parquet file."""

    path: str
    row_groups: tuple[int, ...] | None  # None: the whole file
    first_row: int
    name: str


def input_files(input: str | Path) -> list[Path]:
    """The CSV and Parquet files named by a folder, a glob pattern or a file, sorted."""
    text = str(input)
    path = Path(text)
    if path.is_dir():
        files = [p for p in path.iterdir() if p.is_file()]
    elif glob.has_magic(text):
        files = [Path(p) for p in glob.glob(text) if Path(p).is_file()]
    else:
        files = [path] if path.is_file() else []
    files = sorted(p for p in files if p.suffix.lower() in DASK_SUFFIXES)
    if not files:
        raise SegmentorError(
            "no CSV or Parquet files found",
            file=text,
            fix="give a folder, a quoted glob such as 'data/*.parquet', or a file",
        )
    return files


def plan_pieces(files: list[Path], chunk_rows: int = DEFAULT_CHUNK_ROWS) -> list[Piece]:
    """Cut the files into pieces: row groups of about ``chunk_rows`` rows, whole CSV files."""
    pieces: list[Piece] = []
    for number, path in enumerate(files):
        if path.suffix.lower() in PARQUET_SUFFIXES:
            groups = _row_group_pieces(path, chunk_rows)
        else:
            groups = [(None, 1)]
        for index, (row_groups, first_row) in enumerate(groups):
            name = f"{number:04d}-{path.stem}-{index:04d}.parquet"
            pieces.append(Piece(str(path), row_groups, first_row, name))
    return pieces


def _row_group_pieces(path: Path, chunk_rows: int) -> list[tuple[tuple[int, ...] | None, int]]:
    import pyarrow.parquet as pq

    metadata = pq.ParquetFile(path).metadata
    pieces: list[tuple[tuple[int, ...] | None, int]] = []
    current: list[int] = []
    first_row = row = 1
    for group in range(metadata.num_row_groups):
        if current and sum(metadata.row_group(g).num_rows for g in current) >= chunk_rows:
            pieces.append((tuple(current), first_row))
            current, first_row = [], row
        current.append(group)
        row += metadata.row_group(group).num_rows
    if current:
        pieces.append((tuple(current), first_row))
    return pieces or [(None, 1)]


def read_piece(piece: Piece) -> pd.DataFrame:
    """The raw cells of one piece, read as the local engine reads them."""
    if piece.row_groups is None:
        return read_table(piece.path)
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(piece.path).read_row_groups(list(piece.row_groups))
    except Exception as error:  # pyarrow raises ArrowInvalid, OSError, ...
        raise SegmentorError(
            f"the Parquet file cannot be read ({type(error).__name__})",
            file=piece.path,
            fix="write the file again as Parquet",
        ) from None
    return table.to_pandas()


_MODELS: dict[str, trained.TrainedModel] = {}
_MODELS_LOCK = threading.Lock()


def worker_model(model_dir: str, version: str) -> trained.TrainedModel:
    """The model of ``model_dir``, loaded once per worker process and kept."""
    with _MODELS_LOCK:
        model = _MODELS.get(model_dir)
        if model is None:
            model = _MODELS[model_dir] = trained.load(Path(model_dir))
    if model.version != version:
        raise SegmentorError(
            f"a worker loaded model {model.version}, the client {version}",
            file=model_dir,
            fix="give the workers the same model directory as the client",
        )
    return model


def score_partition(
    raw: pd.DataFrame,
    pieces: list[Piece],
    first_rows: dict[str, DuplicateFirstRows],
    model_dir: str,
    version: str,
    use_known: bool,
    coverage: float = DEFAULT_COVERAGE,
    accept_unknown: bool = False,
    partition_info: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Score one piece with the local engine's function (Dask passes ``partition_info``)."""
    if partition_info is None:  # Dask's meta inference on an empty frame
        raise SegmentorError("score_partition needs partition_info")
    piece = pieces[partition_info["number"]]
    scored = score_frame(
        raw,
        worker_model(model_dir, version),
        source=piece.path,
        use_known=use_known,
        first_row=piece.first_row,
        seen_ids=first_rows.get(piece.path),
        coverage=coverage,
        accept_unknown=accept_unknown,
    )
    return scored.frame


def score_files(
    input: str | Path,
    model_dir: Path,
    out_dir: Path,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    use_known: bool = True,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    processes: bool = True,
    coverage: float = DEFAULT_COVERAGE,
    accept_unknown: bool = False,
) -> BatchResult:
    """Score every file of ``input`` on Dask into Parquet parts in ``out_dir`` (atomically)."""
    import dask
    import dask.dataframe as dd

    files = input_files(input)
    model = trained.load(model_dir)
    meta = _check_headers(files, model)
    pieces = plan_pieces(files, chunk_rows)
    _check_output_folder(out_dir)
    _drop_abandoned_gather_logs()
    remove_stale_temporaries(out_dir)  # parts left by a killed run
    temporary = out_dir.with_name(f"{temporary_prefix(out_dir)}{uuid.uuid4().hex[:8]}.tmp")
    try:
        with dask_client(scheduler, workers, processes) as client:
            first_rows = _duplicates_per_file(client, pieces, chunk_rows)
            with dask.config.set({"dataframe.convert-string": False}):
                raw = dd.from_map(read_piece, pieces, enforce_metadata=False)
                scored = raw.map_partitions(
                    score_partition,
                    pieces,
                    first_rows,
                    str(model_dir.resolve()),
                    model.version,
                    use_known,
                    check_coverage(coverage),
                    accept_unknown,
                    meta=meta,
                )
                scored.to_parquet(
                    temporary,
                    write_index=False,
                    name_function=lambda number: pieces[number].name,
                )
        _replace_folder(temporary, out_dir)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return summarise_parts(out_dir)


class _AbandonedGatherFilter(logging.Filter):
    """Drops asyncio's "Task exception was never retrieved" for distributed's ``AllExit``.

    A gather stops early by raising ``AllExit`` in helper tasks. When a run is interrupted
    (Ctrl-C, SIGTERM) nobody retrieves them, and asyncio would log a traceback for each,
    after the CLI's one line. It is control flow, never an error.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return type(error).__name__ != "AllExit"


def _drop_abandoned_gather_logs() -> None:
    asyncio_logger = logging.getLogger("asyncio")
    if not any(isinstance(f, _AbandonedGatherFilter) for f in asyncio_logger.filters):
        asyncio_logger.addFilter(_AbandonedGatherFilter())


@contextmanager
def dask_client(scheduler: str | None, workers: int, processes: bool = True) -> Iterator[Any]:
    """A client of the scheduler at ``scheduler``, or of a LocalCluster of ``workers``."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except OSError as error:
            raise SegmentorError(
                f"cannot reach the Dask scheduler ({error})",
                value=scheduler,
                fix="check the address (tcp://host:8786) and that `dask scheduler` runs there",
            ) from None
        with client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=processes,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _duplicates_per_file(
    client: Any, pieces: list[Piece], chunk_rows: int
) -> dict[str, DuplicateFirstRows]:
    """For files cut into several pieces, their duplicated IDs, found on the workers."""
    counts: dict[str, int] = {}
    for piece in pieces:
        counts[piece.path] = counts.get(piece.path, 0) + 1
    split = [path for path, count in counts.items() if count > 1]
    futures = [client.submit(duplicate_first_rows, Path(p), chunk_rows, pure=False) for p in split]
    return dict(zip(split, client.gather(futures), strict=True))


def _check_headers(files: list[Path], model: trained.TrainedModel) -> pd.DataFrame:
    """Fail early, on the client, for a file without the needed columns; return the meta."""
    meta: pd.DataFrame | None = None
    for path in files:
        with closing(iter_table_chunks(path, 5)) as chunks:
            head = next(chunks)
        canonicalise_columns(head, str(path))
        if meta is None:
            meta = score_frame(head, model, source=str(path)).frame.iloc[:0]
    assert meta is not None and tuple(meta.columns) == OUTPUT_COLUMNS
    return meta


def _check_output_folder(out_dir: Path) -> None:
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise SegmentorError(
            "the output folder exists and is not empty",
            file=str(out_dir),
            fix="give a new --out folder (the Dask engine writes Parquet parts into it)",
        )


def _replace_folder(temporary: Path, out_dir: Path) -> None:
    if out_dir.exists():
        out_dir.rmdir()
    os.replace(temporary, out_dir)


def summarise_parts(out_dir: Path) -> BatchResult:
    """The counts of a folder of scored Parquet parts, read column by column."""
    import pyarrow.parquet as pq

    result = BatchResult()
    for part in sorted(out_dir.glob("*.parquet")):
        result.add_frame(
            pq.read_table(part, columns=["Segmentation", "Source", "Notes"]).to_pandas()
        )
    return result
