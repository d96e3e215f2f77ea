"""The store of scored batches: SQLAlchemy models, migrations on open, and queries.

Every batch scored by the app, the API or ``segmentor predict --save`` is kept: one row in
``batches`` (when, what, which model, counts per segment) and one row per scored prospect in
``predictions`` (the scoring output columns). An SQLite file is the default; any SQLAlchemy
URL works (PostgreSQL: ``postgresql+psycopg://user:password@host/db``).

A batch is written in one transaction (:meth:`Store.batch_writer`): a failure anywhere,
in the scoring or in the database, leaves no half batch behind. Database problems
(unreachable server, locked file, bad URL) raise :class:`StoreUnavailable`, a
:class:`~segmentor.errors.SegmentorError` with a one-line message and a fix.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    Connection,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from segmentor.domain.output import OUTPUT_COLUMNS, PROBABILITY_COLUMNS, BatchSummary
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
        self, connection: Connection, source_name: str, origin: str, model_version: str
    ) -> None:
        self._connection = connection
        self._totals = _Totals()
        self.batch_id = _insert_batch(connection, source_name, origin, model_version)

    def __call__(self, frame: pd.DataFrame) -> None:
        """Append the rows of a scored frame (the scoring output columns)."""
        try:
            _insert_predictions(self._connection, self.batch_id, self._totals.rows, frame)
        except SQLAlchemyError as error:
            raise _unavailable(error, _hidden(self._connection.engine)) from None
        self._totals.add(frame)

    @property
    def rows(self) -> int:
        return self._totals.rows

    def finish(self) -> None:
        values = self._totals.columns()
        self._connection.execute(update(Batch).where(Batch.id == self.batch_id).values(**values))


class Store:
    """Scored batches in one SQL database (see :func:`open_store`)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def url(self) -> str:
        """The database URL, password hidden (safe to show and log)."""
        return _hidden(self.engine)

    @contextmanager
    def batch_writer(
        self, source_name: str, origin: str, model_version: str
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
            writer = BatchWriter(connection, source_name, origin, model_version)
            yield writer
            writer.finish()

    def save_batch(
        self, frame: pd.DataFrame, source_name: str, origin: str, model_version: str
    ) -> int:
        """Store a whole scored frame as one batch; returns the new batch id."""
        with self.batch_writer(source_name, origin, model_version) as add_chunk:
            add_chunk(frame)
        return add_chunk.batch_id

    def list_batches(self, limit: int | None = None) -> list[BatchInfo]:
        """The batches, newest first (at most ``limit``)."""
        query = select(Batch).order_by(Batch.created.desc(), Batch.id.desc()).limit(limit)
        with self._errors(), Session(self.engine) as session:
            return [BatchInfo.from_row(batch) for batch in session.scalars(query)]

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

    def export(self, batch_id: int, segment: str | None = None) -> pd.DataFrame:
        """The scored rows of a batch (output columns, in row order), of one segment if given."""
        self.get_batch(batch_id)
        columns = [getattr(Prediction, name) for name in PREDICTION_COLUMNS.values()]
        query = select(*columns).where(Prediction.batch_id == batch_id).order_by(Prediction.row)
        if segment is not None:
            query = query.where(Prediction.segmentation == _segment(segment))
        with self._errors(), self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return _output_frame(rows)

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
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _insert_batch(connection: Connection, source_name: str, origin: str, version: str) -> int:
    values = {
        "created": datetime.now(UTC),
        "source_name": _clip(source_name or "<unnamed>", SOURCE_NAME_LENGTH),
        "origin": origin,
        "model_version": _clip(version, 64),
    }
    key = connection.execute(insert(Batch).values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])


def _insert_predictions(
    connection: Connection, batch_id: int, start: int, frame: pd.DataFrame
) -> None:
    if len(frame) == 0:
        return
    records = pd.DataFrame(
        {
            "batch_id": batch_id,
            "row": np.arange(start + 1, start + len(frame) + 1),
            **{
                column: _column_values(frame[output])
                for output, column in PREDICTION_COLUMNS.items()
            },
        }
    )
    connection.execute(insert(Prediction), _python_records(records))


def _column_values(values: pd.Series) -> pd.Series:
    if pd.api.types.is_float_dtype(values.dtype):
        return values.astype("float64").reset_index(drop=True)
    return values.astype("string").fillna("").astype(object).reset_index(drop=True)


def _python_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    # Plain Python ints/floats/strs: DB drivers reject numpy scalars.
    columns = list(frame.columns)
    arrays = [frame[c].to_numpy(dtype=object) for c in columns]
    return [
        {column: _plain(value) for column, value in zip(columns, row, strict=True)}
        for row in zip(*arrays, strict=True)
    ]


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


class _Totals(BatchSummary):
    def add(self, frame: pd.DataFrame) -> None:
        self.add_frame(frame)

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
    for column in ("ID", "Segmentation", "Source", "Notes"):
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
