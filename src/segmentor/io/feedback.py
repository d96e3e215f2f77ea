"""Feedback in the store: record true segments, report conflicts, count live accuracy.

:func:`record_feedback` is the one door for every source (the review queue, a spreadsheet,
the API): each entry is linked to the latest *model* prediction of that prospect (or of the
batch it names), so that the accuracy of each model version on the new market can be
counted. Two different segments for one prospect are a conflict: both entries are kept,
marked ``conflict``, reported, and used by nothing until :func:`resolve` settles them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, case, func, insert, select, update

from segmentor.domain.feedback import (
    CONFIRMED,
    CONFLICT,
    FEEDBACK_SOURCES,
    SUPERSEDED,
    FeedbackEntry,
)
from segmentor.domain.output import SOURCE_MODEL
from segmentor.domain.schema import SEGMENTS
from segmentor.errors import SegmentorError
from segmentor.io.store import Batch, FeedbackRecord, Prediction, Store

_IN_CHUNK = 500  # IDs per IN (...) query: well under every driver's parameter limit


@dataclass(frozen=True)
class Conflict:
    """A prospect given two different segments: what was there and what came in."""

    customer_id: str
    stored: tuple[str, ...]
    given: str


@dataclass
class FeedbackReport:
    """What :func:`record_feedback` did with the entries it was given."""

    recorded: int = 0
    already_recorded: int = 0
    linked: int = 0  # recorded entries tied to a model prediction of the prospect
    conflicts: list[Conflict] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "recorded": self.recorded,
            "already_recorded": self.already_recorded,
            "linked_to_a_prediction": self.linked,
            "conflicts": [
                {"ID": c.customer_id, "stored": list(c.stored), "given": c.given}
                for c in self.conflicts
            ],
        }


@dataclass(frozen=True)
class VersionAccuracy:
    """Live accuracy counts of one model version: prospects it scored whose truth is known."""

    model_version: str
    scored: int
    correct: int


@dataclass
class FeedbackSummary:
    confirmed: int
    conflicts: int
    superseded: int
    per_segment: dict[str, int]
    with_attributes: int
    per_version: list[VersionAccuracy]


@dataclass(frozen=True)
class TrainingFeedback:
    """A confirmed prospect usable for training: its attributes and its true segment."""

    customer_id: str
    segment: str
    attributes: dict[str, Any]
    model_version: str | None
    predicted: str | None


def record_feedback(
    store: Store, entries: Sequence[FeedbackEntry], *, source: str, who: str
) -> FeedbackReport:
    """Store true segments (one transaction); conflicts are kept, marked and reported."""
    if source not in FEEDBACK_SOURCES:
        raise ValueError(f"source must be one of {FEEDBACK_SOURCES}, got {source!r}")
    report = FeedbackReport()
    ids = sorted({entry.customer_id for entry in entries})
    with store._errors(), store.engine.begin() as connection:
        stored = _stored_segments(connection, ids)
        latest = _latest_predictions(connection, ids)
        for entry in entries:
            prediction = _prediction_of(connection, entry, latest)
            _record_one(connection, entry, prediction, stored, report, source, who)
    return report


def resolve(store: Store, customer_id: str, segment: str, who: str) -> int:
    """Settle a prospect's segment: entries with another one become ``superseded``, those
    with ``segment`` confirmed (one is added if there is none). Returns the entries changed."""
    with store._errors(), store.engine.begin() as connection:
        rows = connection.execute(
            select(FeedbackRecord.id, FeedbackRecord.segment).where(
                FeedbackRecord.customer_id == customer_id, FeedbackRecord.status != SUPERSEDED
            )
        ).all()
        if not rows:
            raise SegmentorError(
                "there is no feedback for this prospect",
                value=customer_id,
                fix="run `segmentor feedback` to see the conflicts",
            )
        for row_id, stored in rows:
            status = CONFIRMED if stored == segment else SUPERSEDED
            connection.execute(
                update(FeedbackRecord).where(FeedbackRecord.id == row_id).values(status=status)
            )
        if segment not in {stored for _, stored in rows}:
            entry = FeedbackEntry(customer_id=customer_id, segment=segment)
            prediction = _latest_predictions(connection, [customer_id]).get(customer_id)
            _insert(connection, entry, prediction, CONFIRMED, "cli", who)
        return len(rows)


def summarise(store: Store) -> FeedbackSummary:
    """Counts by status, confirmed prospects per segment, live accuracy per model version."""
    with store._errors(), store.engine.connect() as connection:
        statuses = dict(
            connection.execute(
                select(FeedbackRecord.status, func.count()).group_by(FeedbackRecord.status)
            ).all()
        )
        confirmed = FeedbackRecord.status == CONFIRMED
        per_segment = dict(
            connection.execute(
                select(FeedbackRecord.segment, func.count())
                .where(confirmed)
                .group_by(FeedbackRecord.segment)
            ).all()
        )
        with_attributes = connection.execute(
            select(func.count()).where(confirmed, FeedbackRecord.attributes.is_not(None))
        ).scalar_one()
        versions = connection.execute(
            select(
                FeedbackRecord.model_version,
                func.count(),
                _correct(),
            )
            .where(confirmed, FeedbackRecord.predicted.is_not(None))
            .group_by(FeedbackRecord.model_version)
            .order_by(FeedbackRecord.model_version)
        ).all()
    return FeedbackSummary(
        confirmed=int(statuses.get(CONFIRMED, 0)),
        conflicts=int(statuses.get(CONFLICT, 0)),
        superseded=int(statuses.get(SUPERSEDED, 0)),
        per_segment={s: int(per_segment.get(s, 0)) for s in SEGMENTS},
        with_attributes=int(with_attributes),
        per_version=[VersionAccuracy(str(v), int(n), int(c or 0)) for v, n, c in versions],
    )


def conflicts(store: Store) -> list[tuple[str, list[str]]]:
    """Prospects in conflict, with the segments given to each."""
    with store._errors(), store.engine.connect() as connection:
        rows = connection.execute(
            select(FeedbackRecord.customer_id, FeedbackRecord.segment)
            .where(FeedbackRecord.status == CONFLICT)
            .order_by(FeedbackRecord.customer_id, FeedbackRecord.id)
        ).all()
    grouped: dict[str, list[str]] = {}
    for customer_id, segment in rows:
        grouped.setdefault(customer_id, []).append(segment)
    return list(grouped.items())


def training_feedback(store: Store) -> tuple[list[TrainingFeedback], int]:
    """Confirmed prospects with attributes (in recording order), and how many lack them."""
    with store._errors(), store.engine.connect() as connection:
        rows = connection.execute(
            select(
                FeedbackRecord.customer_id,
                FeedbackRecord.segment,
                FeedbackRecord.attributes,
                FeedbackRecord.model_version,
                FeedbackRecord.predicted,
            )
            .where(FeedbackRecord.status == CONFIRMED)
            .order_by(FeedbackRecord.id)
        ).all()
    usable = [
        TrainingFeedback(c, s, json.loads(a), v, p) for c, s, a, v, p in rows if a is not None
    ]
    return usable, len(rows) - len(usable)


def accuracy_per_batch(store: Store) -> dict[int, VersionAccuracy]:
    """Live accuracy counts per scoring batch (confirmed feedback linked to it)."""
    with store._errors(), store.engine.connect() as connection:
        rows = connection.execute(
            select(
                FeedbackRecord.batch_id,
                FeedbackRecord.model_version,
                func.count(),
                _correct(),
            )
            .where(FeedbackRecord.status == CONFIRMED, FeedbackRecord.batch_id.is_not(None))
            .group_by(FeedbackRecord.batch_id, FeedbackRecord.model_version)
        ).all()
    return {int(b): VersionAccuracy(str(v), int(n), int(c or 0)) for b, v, n, c in rows}


# --------------------------------------------------------------------------- internals
_Prediction = tuple[int, str, str]


def _correct() -> Any:
    return func.sum(case((FeedbackRecord.predicted == FeedbackRecord.segment, 1), else_=0))


# batch id, model version, predicted segment


def _record_one(
    connection: Connection,
    entry: FeedbackEntry,
    prediction: _Prediction | None,
    stored: dict[str, list[tuple[int, str, str]]],
    report: FeedbackReport,
    source: str,
    who: str,
) -> None:
    previous = stored.setdefault(entry.customer_id, [])
    segments = {segment for _, segment, _ in previous}
    if segments == {entry.segment} and all(s == CONFIRMED for *_, s in previous):
        report.already_recorded += 1
        return
    status = CONFIRMED if segments <= {entry.segment} else CONFLICT
    if status == CONFLICT:
        report.conflicts.append(Conflict(entry.customer_id, tuple(sorted(segments)), entry.segment))
        ids = [row_id for row_id, _, _ in previous]
        connection.execute(
            update(FeedbackRecord).where(FeedbackRecord.id.in_(ids)).values(status=CONFLICT)
        )
        previous[:] = [(row_id, segment, CONFLICT) for row_id, segment, _ in previous]
    row_id = _insert(connection, entry, prediction, status, source, entry.who or who)
    previous.append((row_id, entry.segment, status))
    report.recorded += 1
    report.linked += prediction is not None


def _insert(
    connection: Connection,
    entry: FeedbackEntry,
    prediction: _Prediction | None,
    status: str,
    source: str,
    who: str,
) -> int:
    batch_id, version, predicted = prediction if prediction else (entry.batch_id, None, None)
    values = {
        "customer_id": entry.customer_id[:255],
        "segment": entry.segment,
        "status": status,
        "source": source,
        "who": (who or "unknown")[:128],
        "created": datetime.now(UTC),
        "batch_id": batch_id,
        "model_version": version,
        "predicted": predicted,
        "attributes": None if entry.attributes is None else json.dumps(entry.attributes),
    }
    key = connection.execute(insert(FeedbackRecord).values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])


def _stored_segments(
    connection: Connection, ids: Sequence[str]
) -> dict[str, list[tuple[int, str, str]]]:
    stored: dict[str, list[tuple[int, str, str]]] = {}
    for chunk in _chunks(ids):
        rows = connection.execute(
            select(
                FeedbackRecord.customer_id,
                FeedbackRecord.id,
                FeedbackRecord.segment,
                FeedbackRecord.status,
            ).where(FeedbackRecord.customer_id.in_(chunk), FeedbackRecord.status != SUPERSEDED)
        ).all()
        for customer_id, row_id, segment, status in rows:
            stored.setdefault(customer_id, []).append((row_id, segment, status))
    return stored


def _latest_predictions(connection: Connection, ids: Sequence[str]) -> dict[str, _Prediction]:
    """Per prospect, its most recent model prediction in any stored batch."""
    latest: dict[str, _Prediction] = {}
    for chunk in _chunks(ids):
        rows = connection.execute(
            select(
                Prediction.customer_id,
                Prediction.batch_id,
                Batch.model_version,
                Prediction.segmentation,
            )
            .join(Batch, Batch.id == Prediction.batch_id)
            .where(Prediction.customer_id.in_(chunk), Prediction.source == SOURCE_MODEL)
            .order_by(Batch.created, Batch.id)
        ).all()
        for customer_id, batch_id, version, segment in rows:
            latest[customer_id] = (int(batch_id), str(version), str(segment))
    return latest


def _prediction_of(
    connection: Connection, entry: FeedbackEntry, latest: dict[str, _Prediction]
) -> _Prediction | None:
    if entry.batch_id is None:
        return latest.get(entry.customer_id)
    row = connection.execute(
        select(Prediction.segmentation, Prediction.source, Batch.model_version)
        .join(Batch, Batch.id == Prediction.batch_id)
        .where(Prediction.batch_id == entry.batch_id, Prediction.customer_id == entry.customer_id)
    ).first()
    if row is None:
        raise SegmentorError(
            f"prospect {entry.customer_id} is not in batch {entry.batch_id}",
            column="Batch",
            value=entry.batch_id,
            fix="give the batch that scored it (see `segmentor history`), or leave it empty",
        )
    segment, prediction_source, version = row
    if prediction_source != SOURCE_MODEL:  # a known customer's label is no model prediction
        return None
    return (entry.batch_id, str(version), str(segment))


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), _IN_CHUNK):
        yield ids[start : start + _IN_CHUNK]
