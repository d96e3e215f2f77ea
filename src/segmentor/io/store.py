"""The store of scored batches: SQLAlchemy models, migrations on open, and queries.

Every batch scored by the app, the API or ``segmentor predict --save`` is kept: one row in
``batches`` (when, what, which model, counts per segment) and one row per scored prospect in
``predictions`` (the scoring output columns, and the file's own columns as a JSON object).

History is a record, not noise: a file whose content (SHA-256) was already stored with the
same model is not stored again (:meth:`Store.find_by_content`), and single API requests are
appended to one batch per client and day (:meth:`Store.append_to_group`).

An SQLite file is the default; any SQLAlchemy URL works (PostgreSQL:
``postgresql+psycopg://user:password@host/db``).

A batch is written in one transaction (:meth:`Store.batch_writer`): a failure anywhere,
in the scoring or in the database, leaves no half batch behind. Database problems
(unreachable server, locked file, bad URL) raise :class:`StoreUnavailable`, a
:class:`~segmentor.errors.SegmentorError` with a one-line message and a fix.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    Boolean,
    Connection,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from segmentor.domain.output import OUTPUT_COLUMNS, PROBABILITY_COLUMNS, BatchSummary
from segmentor.domain.playbook import PRODUCT_SEPARATOR, Playbook, PlaybookVersion
from segmentor.domain.review import Review, ReviewChoice, apply_reviews, check_reviewer
from segmentor.domain.schema import SEGMENTS
from segmentor.errors import SegmentorError

ORIGINS = ("cli", "api", "app")
MIGRATIONS = Path(__file__).parent / "migrations"
SOURCE_NAME_LENGTH = 255
# Output column -> predictions column.
PREDICTION_COLUMNS = {
    "ID": "customer_id",
    "Segmentation": "segmentation",
    "Confidence": "confidence",
    **{column: column.lower() for column in PROBABILITY_COLUMNS},
    "Source": "source",
    "Notes": "notes",
    "Segment_Set": "segment_set",
    "Needs_Review": "needs_review",
}
_DB_FIX = (
    "check SEGMENTOR_DB_URL (e.g. postgresql+psycopg://user:password@host/db) and that the "
    "database server is running, or unset it to use the local SQLite file"
)


class Base(DeclarativeBase):
    pass


class Batch(Base):
    """One scored file or request."""

    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    source_name: Mapped[str] = mapped_column(String(SOURCE_NAME_LENGTH))
    origin: Mapped[str] = mapped_column(String(8))
    rows: Mapped[int] = mapped_column(Integer, default=0)
    model_version: Mapped[str] = mapped_column(String(64))
    count_a: Mapped[int] = mapped_column(Integer, default=0)
    count_b: Mapped[int] = mapped_column(Integer, default=0)
    count_c: Mapped[int] = mapped_column(Integer, default=0)
    count_d: Mapped[int] = mapped_column(Integer, default=0)
    known: Mapped[int] = mapped_column(Integer, default=0)
    with_notes: Mapped[int] = mapped_column(Integer, default=0)
    content_sha256: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)
    group_key: Mapped[str | None] = mapped_column(String(120), index=True, nullable=True)


class Prediction(Base):
    """One scored prospect of a batch (``row``: 1-based position in the batch)."""

    __tablename__ = "predictions"

    batch_id: Mapped[int] = mapped_column(
        ForeignKey("batches.id", ondelete="CASCADE"), primary_key=True
    )
    row: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[str] = mapped_column(Text)
    segmentation: Mapped[str] = mapped_column(String(1), index=True)
    confidence: Mapped[float] = mapped_column(Float(53))
    prob_a: Mapped[float] = mapped_column(Float(53))
    prob_b: Mapped[float] = mapped_column(Float(53))
    prob_c: Mapped[float] = mapped_column(Float(53))
    prob_d: Mapped[float] = mapped_column(Float(53))
    source: Mapped[str] = mapped_column(String(8))
    notes: Mapped[str] = mapped_column(Text)
    segment_set: Mapped[str | None] = mapped_column(String(7), nullable=True)
    needs_review: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    # The file's own columns of this row (names, e-mails…) as a JSON object of texts.
    own_columns: Mapped[str | None] = mapped_column(Text, nullable=True)


# --------------------------------------------------------------------------- review queue and
# playbooks (migration 0002a)
class ReviewRow(Base):
    """A person's choice of segment for one prediction; the newest per row is the one used."""

    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_batch_row", "batch_id", "row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"))
    row: Mapped[int] = mapped_column(Integer)
    segment: Mapped[str] = mapped_column(String(1))
    reviewer: Mapped[str] = mapped_column(String(100))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PlaybookRow(Base):
    """One version of a segment's playbook; versions are never changed, only added."""

    __tablename__ = "playbook_versions"
    __table_args__ = (UniqueConstraint("segment", "version", name="uq_playbook_segment_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    segment: Mapped[str] = mapped_column(String(1))
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    persona: Mapped[str] = mapped_column(Text)
    products: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(100))
    author: Mapped[str] = mapped_column(String(100))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    def as_version(self) -> PlaybookVersion:
        products = tuple(p for p in self.products.split(PRODUCT_SEPARATOR) if p)
        playbook = Playbook(
            self.segment, self.name, self.persona, products, self.message, self.channel
        )
        return PlaybookVersion(playbook, self.version, self.author, _utc(self.created))


class ReviewsAndPlaybooks:
    """The store's review and playbook queries (mixed into :class:`Store`)."""

    engine: Engine

    def add_reviews(self, batch_id: int, choices: Sequence[ReviewChoice], reviewer: str) -> int:
        """Store the choices of ``reviewer`` for rows of a batch (one transaction)."""
        name = check_reviewer(reviewer)
        info = self.get_batch(batch_id)  # type: ignore[attr-defined]
        for choice in choices:
            if not 1 <= choice.row <= info.rows:
                raise SegmentorError(
                    f"batch {batch_id} has no row {choice.row}", fix=f"give a row 1-{info.rows}"
                )
        created = datetime.now(UTC)
        records = [
            {"batch_id": batch_id, "row": c.row, "segment": c.segment, "reviewer": name}
            for c in choices
        ]
        with self._errors(), self.engine.begin() as connection:  # type: ignore[attr-defined]
            if records:
                connection.execute(insert(ReviewRow), [{**r, "created": created} for r in records])
        return len(records)

    def reviews(self, batch_id: int) -> dict[int, Review]:
        """The newest review of each reviewed row of a batch, by row."""
        query = select(ReviewRow).where(ReviewRow.batch_id == batch_id).order_by(ReviewRow.id)
        with self._errors(), Session(self.engine) as session:  # type: ignore[attr-defined]
            return {
                r.row: Review(r.row, r.segment, r.reviewer, _utc(r.created))
                for r in session.scalars(query)
            }

    def save_playbook(self, playbook: Playbook, author: str) -> PlaybookVersion:
        """Add a new version of a segment's playbook."""
        name = check_reviewer(author)
        latest = select(func.max(PlaybookRow.version)).where(
            PlaybookRow.segment == playbook.segment
        )
        with self._errors(), Session(self.engine) as session:  # type: ignore[attr-defined]
            version = (session.execute(latest).scalar_one_or_none() or 0) + 1
            row = PlaybookRow(
                segment=playbook.segment,
                version=version,
                name=playbook.name,
                persona=playbook.persona,
                products=playbook.products_text,
                message=playbook.message,
                channel=playbook.channel,
                author=name,
                created=datetime.now(UTC),
            )
            session.add(row)
            session.commit()
            return row.as_version()

    def playbooks(self) -> dict[str, PlaybookVersion]:
        """The newest version of each segment's playbook (segments without one are absent)."""
        # Only the newest rows are read: every /predict asks, and versions only accumulate.
        newest = (
            select(PlaybookRow.segment, func.max(PlaybookRow.version).label("version"))
            .group_by(PlaybookRow.segment)
            .subquery()
        )
        query = select(PlaybookRow).join(
            newest,
            (PlaybookRow.segment == newest.c.segment) & (PlaybookRow.version == newest.c.version),
        )
        with self._errors(), Session(self.engine) as session:  # type: ignore[attr-defined]
            return {row.segment: row.as_version() for row in session.scalars(query)}

    def playbooks_stamp(self) -> tuple[int, int]:
        """(versions stored, highest row id): changes whenever a version is added (versions
        are only ever added), so that a reader knows when to read the playbooks again."""
        query = select(func.count(), func.coalesce(func.max(PlaybookRow.id), 0))
        with self._errors(), self.engine.connect() as connection:  # type: ignore[attr-defined]
            count, highest = connection.execute(query).one()
        return int(count), int(highest)

    def playbook_history(self, segment: str) -> list[PlaybookVersion]:
        """Every version of a segment's playbook, newest first."""
        query = (
            select(PlaybookRow)
            .where(PlaybookRow.segment == _segment(segment))
            .order_by(PlaybookRow.version.desc())
        )
        with self._errors(), Session(self.engine) as session:  # type: ignore[attr-defined]
            return [row.as_version() for row in session.scalars(query)]


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


# ------------------------------------------------------------- feedback, models and drift
# Tables of migration 0002b; their queries live in io/feedback.py, io/registry.py, io/checks.py.
class FeedbackRecord(Base):
    """The true segment of one prospect, as the sales team learned it.

    ``status``: ``confirmed``, ``conflict`` (another entry gives the same prospect another
    segment: neither is used until resolved) or ``superseded`` (replaced by a resolution).
    ``batch_id``, ``model_version`` and ``predicted``: the latest model prediction of that
    prospect when the feedback came in (null when no stored batch scored it).
    """

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(String(SOURCE_NAME_LENGTH), index=True)
    segment: Mapped[str] = mapped_column(String(1))
    status: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    who: Mapped[str] = mapped_column(String(128))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("batches.id", ondelete="SET NULL"), nullable=True
    )
    model_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    predicted: Mapped[str | None] = mapped_column(String(1), nullable=True)
    attributes: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON, for retraining


class ModelVersion(Base):
    """One trained model kept in the registry (its files: ``directory``)."""

    __tablename__ = "model_versions"

    version: Mapped[str] = mapped_column(String(64), primary_key=True)
    directory: Mapped[str] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    data_sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    cv_accuracy: Mapped[float | None] = mapped_column(Float(53), nullable=True)
    cv_log_loss: Mapped[float | None] = mapped_column(Float(53), nullable=True)
    parent: Mapped[str | None] = mapped_column(String(64), nullable=True)
    card: Mapped[str] = mapped_column(Text)  # model_card.json as it was registered
    gate: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON, retrained models
    is_champion: Mapped[bool] = mapped_column(Boolean, default=False)


class Promotion(Base):
    """Who made which version the champion, when, and which one it replaced."""

    __tablename__ = "promotions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[str] = mapped_column(ForeignKey("model_versions.version"))
    previous: Mapped[str | None] = mapped_column(String(64), nullable=True)
    action: Mapped[str] = mapped_column(String(16))  # register, promote, retrain, rollback
    who: Mapped[str] = mapped_column(String(128))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BatchCheck(Base):
    """The market check of one scored batch (its prospects against the existing customers)."""

    __tablename__ = "batch_checks"

    batch_id: Mapped[int] = mapped_column(
        ForeignKey("batches.id", ondelete="CASCADE"), primary_key=True
    )
    compared: Mapped[int] = mapped_column(Integer)
    known_excluded: Mapped[int] = mapped_column(Integer)
    psi_max: Mapped[float | None] = mapped_column(Float(53), nullable=True)
    psi_attribute: Mapped[str | None] = mapped_column(String(32), nullable=True)
    auc: Mapped[float | None] = mapped_column(Float(53), nullable=True)
    auc_std: Mapped[float | None] = mapped_column(Float(53), nullable=True)
    level: Mapped[str] = mapped_column(String(16))
    psi: Mapped[str] = mapped_column(Text)  # JSON {attribute: PSI}


# ------------------------------------------------ end of feedback, models and drift


class MappingProfile(Base):
    """A saved column and value mapping (see :mod:`segmentor.io.profiles`), found again by its
    name or by the shape (header fingerprint) of the file it was made for."""

    __tablename__ = "mapping_profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    shape: Mapped[str] = mapped_column(String(32), index=True)
    mapping: Mapped[str] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class BatchInfo:
    """A batch as listed: id, when, where from, and its counts."""

    id: int
    created: datetime
    source_name: str
    origin: str
    rows: int
    model_version: str
    segments: dict[str, int]
    known: int
    with_notes: int

    @classmethod
    def from_row(cls, batch: Batch) -> BatchInfo:
        created = batch.created
        if created.tzinfo is None:  # SQLite keeps no time zone; we always write UTC
            created = created.replace(tzinfo=UTC)
        return cls(
            id=batch.id,
            created=created,
            source_name=batch.source_name,
            origin=batch.origin,
            rows=batch.rows,
            model_version=batch.model_version,
            segments={s: getattr(batch, f"count_{s.lower()}") for s in SEGMENTS},
            known=batch.known,
            with_notes=batch.with_notes,
        )


class StoreUnavailable(SegmentorError):
    """The database cannot be used (a problem of the server or its configuration)."""


class BatchWriter:
    """Adds scored chunks to one open batch (see :meth:`Store.batch_writer`)."""

    def __init__(
        self,
        connection: Connection,
        source_name: str,
        origin: str,
        model_version: str,
        *,
        content_sha256: str | None = None,
        group_key: str | None = None,
        existing: Batch | None = None,
    ) -> None:
        self._connection = connection
        self._totals = _Totals()
        if existing is None:
            self.batch_id = _insert_batch(
                connection, source_name, origin, model_version, content_sha256, group_key
            )
        else:  # appending to a group: counts go on from the batch's own
            self.batch_id = existing.id
            self._totals.add_counts(existing)

    def __call__(self, frame: pd.DataFrame, own: pd.DataFrame | None = None) -> None:
        """Append the rows of a scored frame (the scoring output columns) and, if given, the
        file's own columns of the same rows (``own``, same length and order)."""
        try:
            _insert_predictions(self._connection, self.batch_id, self._totals.rows, frame, own)
        except SQLAlchemyError as error:
            raise _unavailable(error, _hidden(self._connection.engine)) from None
        self._totals.add(frame)

    @property
    def rows(self) -> int:
        return self._totals.rows

    def finish(self) -> None:
        values = self._totals.columns()
        self._connection.execute(update(Batch).where(Batch.id == self.batch_id).values(**values))


class Store(ReviewsAndPlaybooks):
    """Scored batches in one SQL database (see :func:`open_store`)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def url(self) -> str:
        """The database URL, password hidden (safe to show and log)."""
        return _hidden(self.engine)

    @contextmanager
    def batch_writer(
        self,
        source_name: str,
        origin: str,
        model_version: str,
        *,
        content_sha256: str | None = None,
    ) -> Iterator[BatchWriter]:
        """Write one batch in one transaction, chunk by chunk (bounded memory).

        ``with store.batch_writer("prospects.csv", "cli", model.version) as add_chunk:``
        then ``add_chunk(scored_frame)`` for each scored chunk (frames with the scoring
        output columns). The batch is committed when the block ends; if it raises, nothing
        of the batch is kept. The new batch's id is ``add_chunk.batch_id``.
        """
        if origin not in ORIGINS:
            raise ValueError(f"origin must be one of {ORIGINS}, got {origin!r}")
        with self._errors(), self.engine.begin() as connection:
            writer = BatchWriter(
                connection, source_name, origin, model_version, content_sha256=content_sha256
            )
            yield writer
            writer.finish()

    def save_batch(
        self,
        frame: pd.DataFrame,
        source_name: str,
        origin: str,
        model_version: str,
        *,
        own: pd.DataFrame | None = None,
        content_sha256: str | None = None,
    ) -> int:
        """Store a whole scored frame as one batch; returns its id. With ``content_sha256``,
        a file already stored with the same model is not stored again: its batch id is
        returned."""
        if content_sha256 is not None:
            found = self.find_by_content(content_sha256, model_version)
            if found is not None:
                return found
        with self.batch_writer(
            source_name, origin, model_version, content_sha256=content_sha256
        ) as add_chunk:
            add_chunk(frame, own)
        return add_chunk.batch_id

    def find_by_content(self, content_sha256: str, model_version: str) -> int | None:
        """The first batch of a file of this content scored by this model, if any."""
        query = (
            select(Batch.id)
            .where(Batch.content_sha256 == content_sha256, Batch.model_version == model_version)
            .order_by(Batch.id)
            .limit(1)
        )
        with self._errors(), self.engine.connect() as connection:
            return connection.execute(query).scalar_one_or_none()

    def append_to_group(
        self,
        group_key: str,
        frame: pd.DataFrame,
        source_name: str,
        origin: str,
        model_version: str,
    ) -> int:
        """Append scored rows to the batch of ``group_key`` (one per API client and day),
        creating it on first use; returns its id."""
        query = select(Batch).where(
            Batch.group_key == group_key, Batch.model_version == model_version
        )
        with self._errors(), self.engine.begin() as connection:
            _lock_group(connection, f"{group_key}|{model_version}")
            existing = connection.execute(query.with_for_update()).first()
            batch = None if existing is None else Batch(**existing._mapping)
            writer = BatchWriter(
                connection,
                source_name,
                origin,
                model_version,
                group_key=group_key,
                existing=batch,
            )
            writer(frame)
            writer.finish()
        return writer.batch_id

    def list_batches(self, limit: int | None = None, offset: int = 0) -> list[BatchInfo]:
        """The batches, newest first (at most ``limit``, after skipping ``offset``)."""
        query = select(Batch).order_by(Batch.created.desc(), Batch.id.desc())
        query = query.limit(limit).offset(offset or None)
        with self._errors(), Session(self.engine) as session:
            return [BatchInfo.from_row(batch) for batch in session.scalars(query)]

    def count_batches(self) -> int:
        """How many batches are stored (to say what a limited list leaves out)."""
        with self._errors(), self.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(Batch)).scalar_one())

    def get_batch(self, batch_id: int) -> BatchInfo:
        """One batch; an unknown id is a user error."""
        # Beyond a 64-bit id no batch can exist (and the drivers overflow).
        in_range = 0 < batch_id < 2**63
        with self._errors(), Session(self.engine) as session:
            batch = session.get(Batch, batch_id) if in_range else None
        if batch is None:
            raise SegmentorError(
                f"there is no batch {batch_id}",
                file=self.url,
                fix="run `segmentor history` to see the batches",
            )
        return BatchInfo.from_row(batch)

    def export(
        self, batch_id: int, segment: str | None = None, *, reviewed: bool = True
    ) -> pd.DataFrame:
        """The scored rows of a batch (output columns, in row order), of one segment if given,
        followed by the file's own columns when they were stored (as text, in file order).

        With ``reviewed`` (the default) the review queue's choices replace the model's segment
        (``Source`` = ``reviewed``); the segment filter applies to the reviewed segment.
        """
        frame, _rows = self.export_with_rows(batch_id, reviewed=reviewed)
        if segment is not None:
            keep = (frame["Segmentation"] == _segment(segment)).to_numpy()
            frame = frame[keep].reset_index(drop=True)
        return frame

    def export_with_rows(
        self, batch_id: int, *, reviewed: bool = True
    ) -> tuple[pd.DataFrame, np.ndarray]:
        """A batch's output frame (own columns after) and each row's 1-based position."""
        self.get_batch(batch_id)
        columns = [getattr(Prediction, name) for name in PREDICTION_COLUMNS.values()]
        query = select(Prediction.row, *columns, Prediction.own_columns)
        query = query.where(Prediction.batch_id == batch_id).order_by(Prediction.row)
        with self._errors(), self.engine.connect() as connection:
            rows = connection.execute(query).all()
        positions = np.array([row[0] for row in rows], dtype=int)
        frame = _output_frame([row[1:-1] for row in rows])
        if reviewed:
            frame = apply_reviews(frame, positions, self.reviews(batch_id))
        return _with_own_columns(frame, [row[-1] for row in rows]), positions

    def count_predictions(self, batch_id: int | None = None) -> int:
        """Stored prediction rows (of one batch, or all): for checks and tests."""
        query = select(func.count()).select_from(Prediction)
        if batch_id is not None:
            query = query.where(Prediction.batch_id == batch_id)
        with self._errors(), self.engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except SQLAlchemyError as error:
            raise _unavailable(error, self.url) from None


def open_store(url: str, *, busy_timeout: float = 30.0) -> Store:
    """Connect to the database at ``url`` and bring its schema up to date (Alembic).

    An SQLite file's folder is created if needed; a writer finding the file locked by
    another one waits up to ``busy_timeout`` seconds. Raises :class:`StoreUnavailable` with a
    one-line message when the URL is malformed or the database cannot be reached.
    """
    shown = _shown_url(url)
    try:
        engine = _engine(url, busy_timeout)
    except (ArgumentError, NoSuchModuleError, ValueError) as error:
        raise StoreUnavailable(
            f"the database URL is not valid ({_first_line(error)})", file=shown, fix=_DB_FIX
        ) from None
    try:
        upgrade(engine)
    except SQLAlchemyError as error:
        engine.dispose()
        raise _unavailable(error, shown) from None
    return Store(engine)


def alembic_config(url: str | None = None) -> Any:
    """An Alembic Config built in code (no alembic.ini): the package's migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` (no-op when the schema is already there)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = alembic_config()
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with engine.connect() as connection:
        if set(MigrationContext.configure(connection).get_current_heads()) == heads:
            return
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _engine(url: str, busy_timeout: float) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        folder = Path(parsed.database).expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreUnavailable(
                f"cannot create the database folder ({error.strerror or error})",
                file=str(folder),
                fix="set SEGMENTOR_HOME to a writable folder, or SEGMENTOR_DB_URL",
            ) from None
    # Wait for a writer holding the file (a long `predict --save`) instead of failing at once.
    engine = create_engine(parsed, connect_args={"timeout": busy_timeout})
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _lock_group(connection: Connection, key: str) -> None:
    """Serialise the appends to one group until the transaction ends. FOR UPDATE locks the
    group's batch row, but the first requests of a day find no row to lock and each created
    its own batch (PostgreSQL: a transaction-level advisory lock on the key; SQLite: every
    transaction already holds the write lock, see _begin_immediate)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # The rollback journal, not WAL: each commit creates its journal beside the database, so
    # a database folder removed under a running API fails the next write (503). In WAL mode
    # the open log of the deleted file took the writes and answered 200: rows lost silently
    # (tests/segmentor/test_faults.py), for 0.6 ms a commit.
    cursor.close()
    # SQLAlchemy emits BEGIN itself (_begin_immediate), not the sqlite3 module, which would
    # only begin at the first write (SQLAlchemy's documented pysqlite recipe).
    dbapi_connection.isolation_level = None


def _begin_immediate(connection: Connection) -> None:
    """Every transaction takes SQLite's write lock when it begins. A transaction that reads
    then writes (appending to an API client's batch of the day) otherwise holds a read lock
    while another does the same, and one of the two fails at once with "database is
    locked" instead of waiting its busy timeout (four API clients got HTTP 503)."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _insert_batch(
    connection: Connection,
    source_name: str,
    origin: str,
    version: str,
    content_sha256: str | None = None,
    group_key: str | None = None,
) -> int:
    values = {
        "created": datetime.now(UTC),
        "source_name": _clip(source_name or "<unnamed>", SOURCE_NAME_LENGTH),
        "origin": origin,
        "model_version": _clip(version, 64),
        "content_sha256": content_sha256,
        "group_key": group_key,
    }
    key = connection.execute(insert(Batch).values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])


def _insert_predictions(
    connection: Connection,
    batch_id: int,
    start: int,
    frame: pd.DataFrame,
    own: pd.DataFrame | None = None,
) -> None:
    if len(frame) == 0:
        return
    # Column lists zipped into row dicts: a frame per call costs more than one API row.
    columns = {
        "batch_id": [batch_id] * len(frame),
        "row": range(start + 1, start + len(frame) + 1),
        **{column: _column_values(frame[output]) for output, column in PREDICTION_COLUMNS.items()},
        "own_columns": _own_json(own, len(frame)),
    }
    rows = zip(*columns.values(), strict=True)
    _insert_many(connection, Prediction.__table__, list(columns), rows)


def _insert_many(
    connection: Connection, table: Table, names: list[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """INSERT the rows (values in ``names`` order) with the driver's own executemany.

    Every value is already a plain str, int, float, bool or None, which the drivers bind as
    they are: SQLAlchemy's per-value processing of an ``insert()`` cost about as much as the
    database's work (13 of 32 ms for 1000 rows on SQLite). The statement is still SQLAlchemy's,
    compiled for the connection's dialect and its parameter style.
    """
    sql, order = _insert_sql(table, connection.dialect, tuple(names))
    if order is not None and order == tuple(range(len(names))):
        parameters: list[Any] = list(rows)  # the placeholders are in the names' order
    elif order is not None:
        parameters = [tuple(row[i] for i in order) for row in rows]
    else:
        parameters = [dict(zip(names, row, strict=True)) for row in rows]
    connection.exec_driver_sql(sql, parameters)


@functools.lru_cache(maxsize=16)
def _insert_sql(
    table: Table, dialect: Dialect, names: tuple[str, ...]
) -> tuple[str, tuple[int, ...] | None]:
    """The INSERT's SQL for ``dialect``, and for a positional parameter style the position in
    ``names`` of each placeholder's value (None: named placeholders)."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(names))
    if not compiled.positional:
        return str(compiled), None
    return str(compiled), tuple(names.index(name) for name in compiled.positiontup or ())


def _own_json(own: pd.DataFrame | None, rows: int) -> list[str | None]:
    """Each row's own columns as a JSON object of texts (missing cells left out)."""
    if own is None or own.shape[1] == 0:
        return [None] * rows
    if len(own) != rows:
        raise ValueError(f"own columns have {len(own)} rows for {rows} scored rows")
    kept = own.loc[:, [c for c in own.columns if str(c) not in OUTPUT_COLUMNS]]
    names = [str(c) for c in kept.columns]
    texts = kept.astype("object").to_numpy()
    return [
        json.dumps(
            {n: str(v) for n, v in zip(names, row, strict=True) if not _missing(v)},
            ensure_ascii=False,
        )
        for row in texts
    ]


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _with_own_columns(frame: pd.DataFrame, stored: list[str | None]) -> pd.DataFrame:
    """The output frame with the stored own columns appended after it (first seen order)."""
    objects = [json.loads(text) if text else {} for text in stored]
    names: dict[str, None] = {}
    for values in objects:
        names.update(dict.fromkeys(values))
    for name in names:
        frame[name] = pd.array([values.get(name) for values in objects], dtype="string")
    return frame


def _column_values(values: pd.Series) -> list[Any]:
    """A column as plain Python values (DB drivers reject numpy scalars); text columns with
    missing cells as "". Without ``astype``: three of them cost more than one API row."""
    if pd.api.types.is_float_dtype(values.dtype):
        return values.to_numpy(dtype="float64", na_value=np.nan).tolist()
    objects = values.to_numpy(dtype=object)
    if pd.api.types.is_bool_dtype(values.dtype):
        return [_plain(value) for value in objects]
    # A str as it is (most cells): the checks of the others cost 2 ms per 1000 rows.
    return [
        value if type(value) is str else "" if _missing(value) else str(value) for value in objects
    ]


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


class _Totals(BatchSummary):
    def add(self, frame: pd.DataFrame) -> None:
        self.add_frame(frame)

    def add_counts(self, batch: Batch) -> None:
        """Start from a stored batch's counts (a group batch that grows)."""
        self.rows += batch.rows
        for segment in SEGMENTS:
            self.segments[segment] += getattr(batch, f"count_{segment.lower()}")
        self.known += batch.known
        self.with_notes += batch.with_notes

    def columns(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            **{f"count_{s.lower()}": n for s, n in self.segments.items()},
            "known": self.known,
            "with_notes": self.with_notes,
        }


def _output_frame(rows: Sequence[Any]) -> pd.DataFrame:
    names = list(OUTPUT_COLUMNS)
    frame = pd.DataFrame.from_records([tuple(row) for row in rows], columns=names)
    for column in ("Confidence", *PROBABILITY_COLUMNS):
        frame[column] = frame[column].astype("float64")
    # Batches stored before prediction sets have none: empty set, no review flag.
    frame["Segment_Set"] = frame["Segment_Set"].fillna("")
    frame["Needs_Review"] = frame["Needs_Review"].fillna(False).astype(bool)
    for column in ("ID", "Segmentation", "Source", "Notes", "Segment_Set"):
        frame[column] = frame[column].astype("string")
    return frame


def _segment(segment: str) -> str:
    value = segment.strip().upper()
    if value not in SEGMENTS:
        raise SegmentorError(
            "unknown segment",
            value=segment,
            fix=f"give one of {', '.join(SEGMENTS)}",
        )
    return value


def _unavailable(error: SQLAlchemyError, shown_url: str) -> StoreUnavailable:
    reason = _first_line(getattr(error, "orig", None) or error)
    return StoreUnavailable(f"the database cannot be used ({reason})", file=shown_url, fix=_DB_FIX)


def _shown_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # too broken to parse: show nothing of it (it may hold a password)
        return "SEGMENTOR_DB_URL"


def _first_line(error: object) -> str:
    text = " ".join(str(error).strip().splitlines()[:1]) or type(error).__name__
    return text[:200]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _hidden(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)
