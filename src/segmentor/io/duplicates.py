"""Find the IDs that occur more than once in a whole file, with bounded memory.

Scoring streams a file chunk by chunk, yet a duplicated ID must be reported with the row it
was first seen on, wherever in the file that was. Remembering every ID seen would take memory
in proportion to the rows (gigabytes for tens of millions), so this module finds the
duplicated IDs first, in a quick pass over the ID column alone:

1. Stream the IDs; write a 64-bit hash of each into one of 64 bucket files on disk, chosen by
   the hash's top bits.
2. Sort each bucket on its own: a hash seen twice marks a candidate.
3. Only if there are candidates, stream the IDs again and record the exact text and first row
   of each candidate: two different IDs that share a hash are told apart here, so the result
   is exact.

Memory: one chunk, one bucket (8 bytes x rows / 64) and the duplicated IDs themselves.
Temporary disk: 8 bytes per row.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import numpy as np
import pandas as pd

from segmentor.domain.mapping import Mapping
from segmentor.domain.schema import ID, DuplicateFirstRows, normalise_ids, resolve_columns
from segmentor.errors import SegmentorError
from segmentor.io.readers import ReadOptions, iter_table_chunks

BUCKET_BITS = 6


def duplicate_first_rows(
    path: Path,
    chunk_rows: int = 50_000,
    *,
    mapping: Mapping | None = None,
    options: ReadOptions | None = None,
) -> DuplicateFirstRows:
    """The first row (1-based, as in notes) of every ID that occurs more than once in ``path``.

    The ID column is the one parsing will take (its own name, the mapping's or a synonym's).
    """
    id_header = _id_header(path, mapping, options)
    if id_header is None:
        return DuplicateFirstRows()
    candidates = _candidate_hashes(_id_chunks(path, chunk_rows, id_header, options))
    if len(candidates) == 0:
        return DuplicateFirstRows()
    first_rows: dict[str, int] = {}
    counts: Counter[str] = Counter()
    for first_row, ids, hashes in _id_chunks(path, chunk_rows, id_header, options):
        hit = np.flatnonzero(np.isin(hashes, candidates) & pd.notna(ids))
        for position in hit:
            value = ids[position]
            first_rows.setdefault(value, first_row + int(position))
            counts[value] += 1
    return DuplicateFirstRows({v: row for v, row in first_rows.items() if counts[v] > 1})


def _id_header(path: Path, mapping: Mapping | None, options: ReadOptions | None) -> str | None:
    """The header of the column parsing reads as the ID (None: none, or unreadable: the
    scoring pass gives the error)."""
    try:
        with closing(iter_table_chunks(path, 1, options=options)) as chunks:
            head = next(chunks, None)
        if head is None:
            return None
        renames = resolve_columns(list(head.columns), str(path), mapping)
    except SegmentorError:
        return None
    return next((str(header) for header, column in renames.items() if column == ID), None)


def _id_chunks(
    path: Path, chunk_rows: int, id_header: str, options: ReadOptions | None
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """(first row, IDs, their hashes) per chunk, for the rows that have an ID."""
    first_row = 1
    chunks = iter_table_chunks(
        path, chunk_rows, columns=lambda name: name == id_header, options=options
    )
    for chunk in chunks:
        if len(chunk.columns) != 1:
            return  # no ID column (or two: the scoring pass reports that)
        ids = normalise_ids(chunk.iloc[:, 0])
        present = np.flatnonzero(pd.notna(ids))
        yield first_row, ids, _hashes(ids, present)
        first_row += len(chunk)


def _hashes(ids: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Hashes of the present IDs, aligned with ``ids`` (0 where missing: callers skip those)."""
    hashes = np.zeros(len(ids), dtype=np.uint64)
    if len(present):
        hashes[present] = pd.util.hash_array(ids[present].astype(object), categorize=False)
    return hashes


def _candidate_hashes(chunks: Iterator[tuple[int, np.ndarray, np.ndarray]]) -> np.ndarray:
    n_buckets = 1 << BUCKET_BITS
    with tempfile.TemporaryDirectory(prefix="segmentor-ids-") as folder:
        paths = [Path(folder) / f"{bucket:02d}.u64" for bucket in range(n_buckets)]
        handles = [path.open("wb") for path in paths]
        try:
            for _, ids, hashes in chunks:
                present = hashes[pd.notna(ids)]
                buckets = (present >> np.uint64(64 - BUCKET_BITS)).astype(np.intp)
                order = np.argsort(buckets, kind="stable")
                bounds = np.cumsum(np.bincount(buckets, minlength=n_buckets))[:-1]
                for handle, part in zip(handles, np.split(present[order], bounds), strict=True):
                    part.tofile(handle)
        finally:
            for handle in handles:
                handle.close()
        return np.concatenate([_repeated(np.fromfile(path, dtype=np.uint64)) for path in paths])


def _repeated(hashes: np.ndarray) -> np.ndarray:
    hashes.sort()
    return np.unique(hashes[1:][hashes[1:] == hashes[:-1]])
