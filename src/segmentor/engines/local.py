"""Batch scoring of whole files around :func:`segmentor.engines.scoring.score_frame`.

The local engine streams the input in chunks and appends each scored chunk to a temporary
output that is renamed into place at the end, so memory stays bounded by the chunk size and
an interrupted run leaves no half-written result. Duplicated IDs are found in a quick pass
over the ID column before scoring (:mod:`segmentor.io.duplicates`), so that the memory needed
to report them grows with the number of duplicated IDs, not with the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from segmentor.domain.mapping import Mapping, MappingReport
from segmentor.domain.output import OUTPUT_COLUMNS, BatchSummary
from segmentor.domain.schema import RowNote
from segmentor.engines.scoring import ScoredTable, score_frame
from segmentor.io.duplicates import duplicate_first_rows
from segmentor.io.readers import (
    EXCEL_SUFFIXES,
    Layout,
    ReadOptions,
    iter_table_chunks,
    readable_twice,
    table_layout,
)
from segmentor.io.writers import (
    CSV_LINE_END,
    atomic_write,
    neutralise,
    refuse_overwriting_input,
    to_excel_bytes,
)
from segmentor.ml.conformal import DEFAULT_COVERAGE
from segmentor.ml.trained import TrainedModel

DEFAULT_CHUNK_ROWS = 50_000
MAX_NOTES_KEPT = 1_000

OnChunk = Callable[[int], None]
# Receives each scored chunk (the output columns) and the same rows as read (every column of
# the file), e.g. the store's batch writer, which keeps the file's own columns too.
ChunkSink = Callable[[pd.DataFrame, pd.DataFrame], None]


@dataclass
class BatchResult(BatchSummary):
    """What a batch run produced: the counts, and the first row notes (for display)."""

    notes: list[RowNote] = field(default_factory=list)
    mapped: MappingReport = field(default_factory=MappingReport)
    layout: Layout = field(default_factory=Layout)

    def add(self, scored: ScoredTable) -> None:
        self.add_frame(scored.frame)
        self.mapped.merge(scored.mapped)
        room = MAX_NOTES_KEPT - len(self.notes)
        self.notes.extend(scored.notes[: max(room, 0)])


@dataclass(frozen=True)
class ScoringOptions:
    """How a file is scored: known-customer matching, prediction-set coverage, the file
    verdict, the column/value mapping and the read options (sheet, header row)."""

    use_known: bool = True
    coverage: float = DEFAULT_COVERAGE
    accept_unknown: bool = False
    mapping: Mapping | None = None
    options: ReadOptions | None = None


def score_chunks(
    path: Path,
    model: TrainedModel,
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    scoring: ScoringOptions | None = None,
    **options: object,
) -> Iterator[ScoredTable]:
    """Score a file chunk by chunk; row numbers and duplicate IDs span the whole file.

    Duplicated IDs are found first by :func:`segmentor.io.duplicates.duplicate_first_rows` (a
    quick pass over the ID column), so no set of every ID seen is kept while scoring.
    ``options`` are the fields of :class:`ScoringOptions`, as keywords.
    """
    chosen = scoring or ScoringOptions(**options)  # type: ignore[arg-type]
    for _raw, scored in _score_chunks_with_raw(path, model, chunk_rows, chosen):
        yield scored


def _score_chunks_with_raw(
    path: Path, model: TrainedModel, chunk_rows: int, scoring: ScoringOptions
) -> Iterator[tuple[pd.DataFrame, ScoredTable]]:
    """:func:`score_chunks`, each scored chunk with the rows as read."""
    first_row = 1
    seen_ids: dict[str, int] = (
        {}
        if path.suffix.lower() in EXCEL_SUFFIXES
        else duplicate_first_rows(
            path, chunk_rows, mapping=scoring.mapping, options=scoring.options
        )
    )
    for raw in iter_table_chunks(path, chunk_rows, options=scoring.options):
        scored = score_frame(
            raw,
            model,
            source=str(path),
            use_known=scoring.use_known,
            first_row=first_row,
            seen_ids=seen_ids,
            coverage=scoring.coverage,
            accept_unknown=scoring.accept_unknown,
            mapping=scoring.mapping,
        )
        first_row += len(raw)
        yield raw, scored


def score_file(
    path: Path,
    model: TrainedModel,
    target: Path,
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    on_chunk: OnChunk | None = None,
    sink: ChunkSink | None = None,
    scoring: ScoringOptions | None = None,
    **options: object,
) -> BatchResult:
    """Score ``path`` into ``target`` (.csv, .parquet or .xlsx by suffix), atomically.

    ``sink``, if given, also receives every scored chunk and its rows as read (``predict
    --save`` stores them). ``target`` is never the input itself. A named pipe is read once
    (into a temporary copy). ``options`` are the fields of :class:`ScoringOptions`.
    """
    chosen = scoring or ScoringOptions(**options)  # type: ignore[arg-type]
    refuse_overwriting_input(path, target)
    with readable_twice(path) as readable:
        result = BatchResult(layout=table_layout(readable, chosen.options))
        chunks = _score_chunks_with_raw(readable, model, chunk_rows, chosen)

        def write(temporary: Path) -> None:
            with _writer(target.suffix.lower(), temporary) as write_chunk:
                for raw, scored in chunks:
                    write_chunk(scored.frame)
                    if sink is not None:
                        sink(scored.frame, raw.reset_index(drop=True))
                    result.add(scored)
                    if on_chunk is not None:
                        on_chunk(len(scored.frame))

        atomic_write(target, write)
    return result


@contextmanager
def _writer(suffix: str, temporary: Path) -> Iterator[Callable[[pd.DataFrame], None]]:
    if suffix == ".parquet":
        yield from _parquet_writer(temporary)
    elif suffix == ".xlsx":
        frames: list[pd.DataFrame] = []
        yield frames.append
        temporary.write_bytes(to_excel_bytes(pd.concat(frames, ignore_index=True)))
    else:
        yield from _csv_writer(temporary)


def _csv_writer(temporary: Path) -> Iterator[Callable[[pd.DataFrame], None]]:
    with temporary.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(OUTPUT_COLUMNS) + CSV_LINE_END)
        yield lambda frame: neutralise(frame).to_csv(
            handle, header=False, index=False, lineterminator=CSV_LINE_END
        )


def _parquet_writer(temporary: Path) -> Iterator[Callable[[pd.DataFrame], None]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer: pq.ParquetWriter | None = None

    def write_chunk(frame: pd.DataFrame) -> None:
        nonlocal writer
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(temporary, table.schema)
        writer.write_table(table)

    try:
        yield write_chunk
    finally:
        if writer is not None:
            writer.close()
