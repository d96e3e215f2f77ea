"""One function from a customer table to the scored table; every entry point calls it.

The columns it produces are the output contract of :mod:`segmentor.domain.output`.
"""

from __future__ import annotations

from collections.abc import Mapping as RecordMapping
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from segmentor.domain.mapping import Mapping, MappingReport
from segmentor.domain.output import (
    OUTPUT_COLUMNS,
    PROBABILITY_COLUMNS,
    SOURCE_KNOWN,
    SOURCE_MODEL,
    BatchSummary,
)
from segmentor.domain.plain import parse_plain_records
from segmentor.domain.schema import ID, SEGMENTS, CustomerTable, RowNote, parse_customers
from segmentor.domain.verdict import require_read
from segmentor.ml.conformal import DEFAULT_COVERAGE, check_coverage, set_labels
from segmentor.ml.trained import TrainedModel

__all__ = [
    "OUTPUT_COLUMNS",
    "ScoredTable",
    "score_frame",
    "score_records",
    "score_table",
    "summarise",
]


@dataclass
class ScoredTable:
    """The scored rows (``frame``, one per input row, in input order) and every row note."""

    frame: pd.DataFrame
    notes: list[RowNote]
    mapped: MappingReport = field(default_factory=MappingReport)

    def summary(self) -> dict[str, object]:
        """Rows, count per segment, known customers and rows with notes."""
        return summarise(self.frame)


def summarise(frame: pd.DataFrame) -> dict[str, object]:
    """Counts of a scored frame, for the CLI's summary and the batch store."""
    return BatchSummary.of(frame).as_dict()


def score_table(
    table: CustomerTable,
    model: TrainedModel,
    *,
    use_known: bool = True,
    coverage: float = DEFAULT_COVERAGE,
) -> ScoredTable:
    """Score every row of a parsed table: known customers first, the model for the rest.

    ``coverage`` (0.5-0.99) is the probability that a model-scored row's ``Segment_Set``
    holds its true segment.
    """
    coverage = check_coverage(coverage)
    n_rows = len(table.frame)
    probabilities = np.zeros((n_rows, len(SEGMENTS)))
    source = np.full(n_rows, SOURCE_MODEL, dtype=object)
    notes = list(table.notes)
    if use_known and n_rows:
        match = model.known.match(table)
        notes.extend(match.notes)
        known = match.is_known
        if known.any():
            codes = pd.Categorical(match.segments[known], categories=list(SEGMENTS)).codes
            probabilities[np.flatnonzero(known), codes] = 1.0
            source[known] = SOURCE_KNOWN
    else:
        known = np.zeros(n_rows, dtype=bool)
    to_predict = ~known
    if to_predict.any():
        # The whole frame (the model reads its feature columns by name), masked only when
        # known rows are left out: a copy of the features costs more than one row's scoring.
        features = table.frame
        if not to_predict.all():
            features = features[to_predict]
        probabilities[to_predict] = _model_probabilities(model, features)
    notes.sort(key=lambda note: note.row)
    scored = CustomerTable(table.frame, notes, table.source, table.first_row)
    segments = np.asarray(SEGMENTS, dtype=object)[probabilities.argmax(axis=1)]
    sets = _segment_sets(segments, probabilities, to_predict, model, coverage)
    frame = _output_frame(table.frame[ID], probabilities, segments, source, scored, sets)
    return ScoredTable(frame, notes, table.mapped)


def score_frame(
    raw: pd.DataFrame,
    model: TrainedModel,
    *,
    source: str = "<table>",
    use_known: bool = True,
    first_row: int = 1,
    seen_ids: dict[str, int] | None = None,
    coverage: float = DEFAULT_COVERAGE,
    accept_unknown: bool = False,
    mapping: Mapping | None = None,
) -> ScoredTable:
    """Parse a raw table (as read from a file or a request) and score it.

    A column whose values are mostly unrecognised raises the file verdict's SegmentorError
    (:mod:`segmentor.domain.verdict`) unless ``accept_unknown``: then its rows are scored as
    unknown values, each with its note. ``mapping`` renames columns and values first.
    """
    table = parse_customers(raw, source, first_row=first_row, seen_ids=seen_ids, mapping=mapping)
    if not accept_unknown:
        require_read(table)
    return score_table(table, model, use_known=use_known, coverage=coverage)


def score_records(
    records: Sequence[RecordMapping[str, object]],
    model: TrainedModel,
    *,
    source: str = "<table>",
    coverage: float = DEFAULT_COVERAGE,
    accept_unknown: bool = False,
    mapping: Mapping | None = None,
) -> ScoredTable:
    """:func:`score_frame` of ``pd.DataFrame(records)`` (an API request's customers).

    Records in the schema's own spelling skip the table parser
    (:mod:`segmentor.domain.plain`, the same table); any other request is parsed as a table.
    """
    table = parse_plain_records(records, source) if mapping is None else None
    if table is None:
        return score_frame(
            pd.DataFrame(list(records)),
            model,
            source=source,
            coverage=coverage,
            accept_unknown=accept_unknown,
            mapping=mapping,
        )
    return score_table(table, model, coverage=coverage)


def _model_probabilities(model: TrainedModel, features: pd.DataFrame) -> np.ndarray:
    probabilities = model.estimator.predict_proba(features)
    order = [list(model.estimator.classes_).index(segment) for segment in SEGMENTS]
    return probabilities[:, order]


def _output_frame(
    ids: pd.Series,
    probabilities: np.ndarray,
    segments: np.ndarray,
    source: np.ndarray,
    table: CustomerTable,
    sets: np.ndarray,
) -> pd.DataFrame:
    """The output columns, built in one frame (an insert per column costs more than one
    request's rows)."""
    columns = {
        "ID": ids.astype("string").to_numpy(dtype=object, na_value=""),
        "Segmentation": segments,
        "Confidence": probabilities.max(axis=1),
        **{column: probabilities[:, index] for index, column in enumerate(PROBABILITY_COLUMNS)},
        "Source": source,
        "Notes": table.notes_by_row(),
        "Segment_Set": sets,
        "Needs_Review": np.array([len(label) > 1 for label in sets], dtype=bool),
    }
    return pd.DataFrame(columns)


def _segment_sets(
    segments: np.ndarray,
    probabilities: np.ndarray,
    predicted: np.ndarray,
    model: TrainedModel,
    coverage: float,
) -> np.ndarray:
    """Segment_Set: a prediction set per model-scored row ("A|D"), the segment otherwise."""
    sets = segments.copy()
    if model.sets is None:
        sets[predicted] = ""  # a model trained before prediction sets: no honest set to give
    elif predicted.any():
        sets[predicted] = set_labels(model.sets.predict(probabilities[predicted], coverage))
    return sets
