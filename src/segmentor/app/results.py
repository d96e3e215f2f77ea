"""A scored prospect file as the app shows it: tables, filters and outreach lists.

Plain functions of DataFrames, no Streamlit: the pages call them and the tests too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from segmentor.domain.mapping import Mapping
from segmentor.domain.output import PROBABILITY_COLUMNS, SOURCE_KNOWN
from segmentor.domain.schema import (
    CATEGORIES,
    FEATURES,
    SEGMENTS,
    CustomerTable,
    RowNote,
    canonical_name,
    parse_customers,
)
from segmentor.domain.verdict import require_read
from segmentor.engines.scoring import ScoredTable, score_table
from segmentor.i18n import attribute_label, note_problem, note_text, t, value_label
from segmentor.io.readers import ReadOptions, read_bytes
from segmentor.ml.trained import TrainedModel

# Columns the app adds to a file's own rows in the per-segment lists.
LIST_COLUMNS = ("Segmentation", "Confidence", "Source", "Notes")


@dataclass
class BatchView:
    """A file as read (``raw``: every original column), parsed (``table``) and scored."""

    name: str
    raw: pd.DataFrame
    table: CustomerTable
    scored: ScoredTable

    @property
    def frame(self) -> pd.DataFrame:
        """The scored rows: the output columns of :mod:`segmentor.engines.scoring`."""
        return self.scored.frame

    def counts(self) -> dict[str, int]:
        """Prospects per segment, A to D."""
        counts = self.frame["Segmentation"].value_counts()
        return {segment: int(counts.get(segment, 0)) for segment in SEGMENTS}


def score_upload(
    data: bytes,
    name: str,
    model: TrainedModel,
    *,
    accept_unknown: bool = False,
    mapping: str | Mapping | None = None,
    sheet: str | None = None,
) -> BatchView:
    """Read, parse and score an uploaded file (raises SegmentorError on file problems, and
    :class:`~segmentor.domain.verdict.UnreadColumns` when a column was mostly not read,
    unless ``accept_unknown``).

    ``mapping`` is the confirmed mapping of the mapping step (or its JSON text); ``sheet``
    the workbook sheet chosen.
    """
    if isinstance(mapping, str):
        mapping = Mapping.from_dict(json.loads(mapping), name, CATEGORIES) if mapping else None
    raw = read_bytes(data, name, options=ReadOptions(sheet=sheet))
    table = parse_customers(raw, name, mapping=mapping)
    if not accept_unknown:
        require_read(table)
    return BatchView(name, raw, table, score_table(table, model))


def notes_frame(notes: Iterable[RowNote], lang: str = "en") -> pd.DataFrame:
    """Row notes as a table: row (1-based data row), column, value, problem (in ``lang``)."""
    rows = [(note.row, note.column, note.value, note_problem(note, lang)) for note in notes]
    return pd.DataFrame(rows, columns=["row", "column", "value", "problem"])


def notes_column(view: BatchView, lang: str) -> list[str]:
    """The Notes column of the scored rows in ``lang`` (English: the CLI's own column)."""
    if lang == "en":
        return view.frame["Notes"].tolist()
    table = view.table
    scored = CustomerTable(table.frame, view.scored.notes, table.source, table.first_row)
    return scored.notes_by_row(lambda note: note_text(note, lang))


def filter_results(
    frame: pd.DataFrame,
    segments: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
    min_confidence: float = 0.0,
) -> pd.Series:
    """A boolean mask of the scored rows kept by the filters (None or empty: no filter)."""
    keep = frame["Confidence"] >= min_confidence
    segments = list(segments or [])
    sources = list(sources or [])
    if segments:
        keep &= frame["Segmentation"].isin(segments)
    if sources:
        keep &= frame["Source"].isin(sources)
    return keep


def display_frame(view: BatchView, lang: str) -> pd.DataFrame:
    """The scored rows with the nine attributes beside them, values in ``lang``.

    Columns: ID, Segmentation, Confidence and Prob_A-D (in percent, 0-100), Source (a
    display label), the nine attributes (named by :func:`segmentor.i18n.attribute_label`), Notes
    (in ``lang``).
    """
    frame = view.frame.copy()
    frame["Notes"] = notes_column(view, lang)
    for column in ("Confidence", *PROBABILITY_COLUMNS):
        frame[column] = frame[column] * 100  # shown as percentages
    frame["Source"] = frame["Source"].map(lambda source: t(f"source.{source}", lang))
    features = view.table.features.reset_index(drop=True)
    for column in FEATURES:
        values = features[column].astype("object")
        if column in CATEGORIES:
            values = values.map(lambda value: value_label(value, lang) if pd.notna(value) else "")
        frame[attribute_label(column, lang)] = values.to_numpy()
    ordered = ["ID", "Segmentation", "Confidence", *PROBABILITY_COLUMNS, "Source"]
    attributes = [attribute_label(column, lang) for column in FEATURES]
    return frame.loc[:, [*ordered, *attributes, "Notes"]]


def segment_list(view: BatchView, segment: str, lang: str = "en") -> pd.DataFrame:
    """The outreach list of one segment: the file's own rows (every column, in file order)
    of that segment, followed by Segmentation, Confidence, Source and Notes (in ``lang``:
    the list is for the people who call the prospects)."""
    own = view.raw.reset_index(drop=True)
    clashing = {canonical_name(column) for column in LIST_COLUMNS}
    own = own.loc[:, [c for c in own.columns if canonical_name(c) not in clashing]]
    added = view.frame.loc[:, list(LIST_COLUMNS)].reset_index(drop=True)
    added["Notes"] = notes_column(view, lang)
    both = pd.concat([own, added], axis=1)
    return both.loc[both["Segmentation"] == segment].reset_index(drop=True)


def known_count(view: BatchView) -> int:
    """How many rows are known customers (they keep the sales team's segment)."""
    return int((view.frame["Source"] == SOURCE_KNOWN).sum())
