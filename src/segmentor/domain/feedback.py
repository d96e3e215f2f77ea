"""Feedback: the true segment of a prospect, as the sales team learned it after outreach.

A feedback table has one row per prospect: ``ID`` and ``True_Segment`` (A-D), optionally
``Batch`` (the batch that scored it), ``Who`` and the nine attributes (then the row can
also train the next model). A labelled customer file (``ID``, the nine attributes and
``Segmentation``, the shape of ``train.csv``) is accepted as it is. Nothing is dropped: a
row without an ID or with an unknown segment refuses the whole file, naming the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from segmentor.domain.schema import (
    FEATURES,
    ID,
    NUMERIC,
    SEGMENTS,
    TARGET,
    canonical_name,
    normalise_ids,
    parse_customers,
)
from segmentor.errors import SegmentorError

TRUE_SEGMENT = "True_Segment"
BATCH = "Batch"
WHO = "Who"
# Where feedback comes from (the store's ``feedback.source``).
FEEDBACK_SOURCES = ("review", "file", "api", "cli")
CONFIRMED, CONFLICT, SUPERSEDED = "confirmed", "conflict", "superseded"
_PREDICTED_COLUMNS = ("confidence", "prob_a", "source")


@dataclass(frozen=True)
class FeedbackEntry:
    """One prospect's true segment; ``attributes``: the nine attributes when known."""

    customer_id: str
    segment: str
    batch_id: int | None = None
    who: str | None = None
    attributes: dict[str, Any] | None = None

    @classmethod
    def of(
        cls,
        customer_id: object,
        segment: object,
        *,
        batch_id: int | None = None,
        who: str | None = None,
        attributes: dict[str, Any] | None = None,
        where: str = "feedback",
    ) -> FeedbackEntry:
        """A checked entry (a missing ID or an unknown segment is a user error)."""
        return cls(
            customer_id=_customer_id(customer_id, where),
            segment=true_segment(segment, where),
            batch_id=batch_id,
            who=who,
            attributes=attributes,
        )


def true_segment(value: object, where: str = "feedback", row: int | None = None) -> str:
    """``value`` as one of A-D (case and spaces ignored), else a user error."""
    text = "" if value is None or pd.isna(value) else str(value).strip().upper()  # type: ignore[arg-type]
    if text not in SEGMENTS:
        raise SegmentorError(
            "the true segment must be A, B, C or D",
            file=where,
            row=row,
            column=TRUE_SEGMENT,
            value=value,
            fix="correct the cell (or leave the prospect out until its segment is known)",
        )
    return text


def parse_feedback(raw: pd.DataFrame, source: str) -> list[FeedbackEntry]:
    """The entries of a feedback table, in row order (row numbers as in a spreadsheet: 2+)."""
    columns = {canonical_name(column): column for column in raw.columns}
    segment_column = _segment_column(columns, source)
    if canonical_name(ID) not in columns:
        raise SegmentorError(
            "the column 'ID' is missing",
            file=source,
            fix=f"give each prospect's ID and its {TRUE_SEGMENT} (A, B, C or D)",
        )
    ids = normalise_ids(raw[columns[canonical_name(ID)]])
    attributes = _attributes(raw, columns, segment_column, source)
    batches = _batches(raw, columns.get(canonical_name(BATCH)), source)
    who = raw[columns[canonical_name(WHO)]] if canonical_name(WHO) in columns else None
    entries = []
    for position, customer_id in enumerate(ids):
        row = position + 2
        if customer_id is None:
            raise SegmentorError(
                "the prospect has no ID",
                file=source,
                row=row,
                column=ID,
                fix="give the ID the prospect was scored with",
            )
        segment = true_segment(raw[segment_column].iloc[position], source, row)
        entries.append(
            FeedbackEntry(
                customer_id=str(customer_id),
                segment=segment,
                batch_id=batches[position],
                who=_text(who.iloc[position]) if who is not None else None,
                attributes=attributes[position] if attributes is not None else None,
            )
        )
    return entries


def attributes_frame(entries: list[dict[str, Any]]) -> pd.DataFrame:
    """Stored attribute dicts back to a raw feature table (the nine columns, in order)."""
    frame = pd.DataFrame.from_records(entries, columns=list(FEATURES))
    return frame.astype(object).where(frame.notna(), None)


def _segment_column(columns: dict[str, Any], source: str) -> Any:
    if canonical_name(TRUE_SEGMENT) in columns:
        return columns[canonical_name(TRUE_SEGMENT)]
    is_scored_output = any(name in columns for name in _PREDICTED_COLUMNS)
    if canonical_name(TARGET) in columns and not is_scored_output:
        return columns[canonical_name(TARGET)]
    raise SegmentorError(
        f"the column {TRUE_SEGMENT!r} is missing"
        + (" (Segmentation here is the model's prediction)" if is_scored_output else ""),
        file=source,
        fix=f"add a {TRUE_SEGMENT} column with the segment the sales team confirmed",
    )


def _attributes(
    raw: pd.DataFrame, columns: dict[str, Any], segment_column: Any, source: str
) -> list[dict[str, Any]] | None:
    if not all(canonical_name(feature) in columns for feature in FEATURES):
        return None
    features = raw.drop(columns=[segment_column]) if segment_column in raw.columns else raw
    if canonical_name(TARGET) in {canonical_name(c) for c in features.columns}:
        features = features.drop(columns=[columns[canonical_name(TARGET)]])
    table = parse_customers(features, source)
    frame = table.features.astype(object)
    records = []
    for values in frame.itertuples(index=False):
        records.append(
            {
                name: _plain(value, name in NUMERIC)
                for name, value in zip(FEATURES, values, strict=True)
            }
        )
    return records


def _plain(value: object, numeric: bool) -> object:
    if value is None or pd.isna(value):  # type: ignore[arg-type]
        return None
    return float(value) if numeric else str(value)  # type: ignore[arg-type]


def _batches(raw: pd.DataFrame, column: Any, source: str) -> list[int | None]:
    if column is None:
        return [None] * len(raw)
    numbers = pd.to_numeric(raw[column], errors="coerce")
    bad = numbers.notna() & (numbers % 1 != 0) | raw[column].notna() & numbers.isna()
    if bad.any():
        position = int(bad.to_numpy().nonzero()[0][0])
        raise SegmentorError(
            "the batch must be a batch number",
            file=source,
            row=position + 2,
            column=BATCH,
            value=raw[column].iloc[position],
            fix="give the number `segmentor history` shows, or leave the cell empty",
        )
    return [None if pd.isna(value) else int(value) for value in numbers]


def _customer_id(value: object, where: str) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        raise SegmentorError(
            "the prospect has no ID", file=where, column=ID, fix="give the prospect's ID"
        )
    return text.removesuffix(".0") if text.removesuffix(".0").isdigit() else text


def _text(value: object) -> str | None:
    if value is None or pd.isna(value):  # type: ignore[arg-type]
        return None
    return str(value).strip() or None
