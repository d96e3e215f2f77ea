"""Migrating a database made by the current release (schema 0001) to the feedback, model
registry and batch-check tables of 0002b, without losing a stored batch: on SQLite always,
on PostgreSQL when SEGMENTOR_TEST_PG_URL is set."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import NullPool

from segmentor.domain.feedback import FeedbackEntry
from segmentor.engines.scoring import score_frame
from segmentor.io import feedback as records
from segmentor.io.readers import read_table
from segmentor.io.store import Store, open_store, upgrade
from segmentor.ml.trained import TrainedModel

PG_URL = os.environ.get("SEGMENTOR_TEST_PG_URL")
needs_pg = pytest.mark.skipif(PG_URL is None, reason="SEGMENTOR_TEST_PG_URL not set")
NEW_TABLES = {"feedback", "model_versions", "promotions", "batch_checks"}


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    assert PG_URL is not None
    schema = f"m_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=[pytest.mark.postgres, needs_pg])]
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'release.db'}"
    return request.getfixturevalue("pg_schema_url")


def test_a_release_database_keeps_its_batch_through_the_upgrade(
    db_url: str, trained_model: TrainedModel, prospects_path: Path
) -> None:
    scored = score_frame(read_table(prospects_path).head(300), trained_model).frame
    engine = create_engine(db_url, poolclass=NullPool)
    upgrade(engine, "0001")  # the schema of the current release
    assert not NEW_TABLES & set(inspect(engine).get_table_names())
    release = Store(engine)
    batch_id = release.save_batch(scored, "test.csv", "cli", trained_model.version)
    before = release.export(batch_id)
    listed = release.get_batch(batch_id)
    release.close()

    store = open_store(db_url)  # what the new version does on start: upgrade to head
    with store.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_heads() == ("0002b",)
    assert NEW_TABLES <= set(inspect(store.engine).get_table_names())
    pd.testing.assert_frame_equal(store.export(batch_id), before, check_exact=True)
    assert store.get_batch(batch_id) == listed
    assert store.count_predictions() == 300
    model_rows = scored.loc[scored["Source"] == "model"]
    entries = [FeedbackEntry.of(model_rows["ID"].iloc[0], "A")]
    report = records.record_feedback(store, entries, source="cli", who="migration test")
    assert (report.recorded, report.linked) == (1, 1)
    store.close()
