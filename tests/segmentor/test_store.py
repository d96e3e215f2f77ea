"""The store of scored batches, on SQLite always and on a real PostgreSQL server when
SEGMENTOR_TEST_PG_URL is set (``source scripts/postgres.sh; start_postgres``)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, make_url, text
from sqlalchemy.pool import NullPool

from segmentor.engines.scoring import OUTPUT_COLUMNS, score_frame, summarise
from segmentor.errors import SegmentorError
from segmentor.io.readers import read_table
from segmentor.io.store import Base, Store, StoreUnavailable, alembic_config, open_store
from segmentor.ml.trained import TrainedModel

PG_URL = os.environ.get("SEGMENTOR_TEST_PG_URL")
needs_pg = pytest.mark.skipif(PG_URL is None, reason="SEGMENTOR_TEST_PG_URL not set")


@pytest.fixture(scope="module")
def scored(trained_model: TrainedModel, prospects_path: Path) -> pd.DataFrame:
    """The bundled prospects scored by the real model (2627 rows)."""
    return score_frame(read_table(prospects_path), trained_model, source="test.csv").frame


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=[pytest.mark.postgres, needs_pg]),
    ]
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'nested' / 'segmentor.db'}"
    return request.getfixturevalue("pg_schema_url")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = open_store(db_url)
    yield opened
    opened.close()


def test_a_batch_round_trips_exactly(store: Store, scored: pd.DataFrame) -> None:
    batch_id = store.save_batch(scored, "test.csv", "cli", "v-test")
    exported = store.export(batch_id)
    assert list(exported.columns) == list(OUTPUT_COLUMNS)
    text_columns = ("ID", "Segmentation", "Source", "Notes", "Segment_Set")
    expected = scored.astype(dict.fromkeys(text_columns, "string"))
    pd.testing.assert_frame_equal(exported, expected, check_exact=True)


def test_the_batch_list_holds_the_counts(store: Store, scored: pd.DataFrame) -> None:
    first = store.save_batch(scored.head(10), "first.csv", "api", "v1")
    second = store.save_batch(scored, "second.csv", "cli", "v2")
    batches = store.list_batches()
    assert [batch.id for batch in batches] == [second, first]
    counts = summarise(scored)
    latest = batches[0]
    assert latest.source_name == "second.csv" and latest.origin == "cli"
    assert latest.model_version == "v2" and latest.created.tzinfo is not None
    assert latest.rows == 2627 == counts["rows"]
    assert latest.segments == counts["segments"]
    assert latest.known == 2332 == counts["known"]
    assert latest.with_notes == counts["with_notes"]
    assert store.list_batches(limit=1) == [latest]


def test_export_of_one_segment(store: Store, scored: pd.DataFrame) -> None:
    batch_id = store.save_batch(scored, "test.csv", "app", "v1")
    only_b = store.export(batch_id, segment="b")
    assert len(only_b) == (scored["Segmentation"] == "B").sum() > 0
    assert set(only_b["Segmentation"]) == {"B"}
    assert list(only_b["ID"]) == list(scored.loc[scored["Segmentation"] == "B", "ID"])


def test_unknown_batch_and_segment_are_user_errors(store: Store, scored: pd.DataFrame) -> None:
    batch_id = store.save_batch(scored.head(3), "x.csv", "cli", "v1")
    with pytest.raises(SegmentorError, match="there is no batch 999"):
        store.export(999)
    with pytest.raises(SegmentorError, match="unknown segment.*'E'.*A, B, C, D"):
        store.export(batch_id, segment="E")


def test_chunks_make_one_batch_with_continuous_rows(store: Store, scored: pd.DataFrame) -> None:
    with store.batch_writer("big.csv", "cli", "v1") as add_chunk:
        for start in range(0, len(scored), 1000):
            add_chunk(scored.iloc[start : start + 1000])
    assert add_chunk.rows == len(scored)
    (batch,) = store.list_batches()
    assert batch.id == add_chunk.batch_id and batch.rows == len(scored)
    assert list(store.export(batch.id)["ID"]) == list(scored["ID"])


def test_a_failure_mid_batch_leaves_nothing(store: Store, scored: pd.DataFrame) -> None:
    with pytest.raises(RuntimeError, match="scoring died"):
        with store.batch_writer("broken.csv", "cli", "v1") as add_chunk:
            add_chunk(scored.head(500))
            raise RuntimeError("scoring died")
    assert store.list_batches() == []
    assert store.count_predictions() == 0
    assert store.save_batch(scored.head(5), "after.csv", "cli", "v1") > 0


def test_migrations_upgrade_downgrade_and_match_the_models(db_url: str) -> None:
    if db_url.startswith("sqlite"):
        Path(str(make_url(db_url).database)).parent.mkdir(parents=True)
    engine = create_engine(db_url)
    config = alembic_config(db_url)
    command.upgrade(config, "head")
    assert {"batches", "predictions", "alembic_version"} <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    command.upgrade(config, "head")
    engine.dispose()
    reopened = open_store(db_url)
    assert reopened.list_batches() == []
    reopened.close()


def test_a_bad_url_is_one_clear_error() -> None:
    with pytest.raises(StoreUnavailable, match="URL is not valid.*Fix: check SEGMENTOR_DB_URL"):
        open_store("not a url")
    with pytest.raises(StoreUnavailable, match="URL is not valid"):
        open_store("nosuchdb://host/db")


def test_an_unreachable_server_is_one_clear_error() -> None:
    url = "postgresql+psycopg://user:s3cret@127.0.0.1:1/segmentor"
    with pytest.raises(StoreUnavailable) as caught:
        open_store(url)
    message = caught.value.message
    assert "cannot be used" in message and "Connection refused" in message
    assert "s3cret" not in message and "\n" not in message


def test_a_locked_sqlite_file_fails_cleanly_and_loses_nothing(
    tmp_path: Path, scored: pd.DataFrame
) -> None:
    path = tmp_path / "segmentor.db"
    store = open_store(f"sqlite:///{path}", busy_timeout=0.1)
    store.save_batch(scored.head(20), "before.csv", "cli", "v1")
    other = sqlite3.connect(path)
    other.execute("BEGIN EXCLUSIVE")
    with pytest.raises(StoreUnavailable, match="database is locked"):
        store.save_batch(scored, "during.csv", "cli", "v1")
    other.rollback()
    other.close()
    assert [batch.source_name for batch in store.list_batches()] == ["before.csv"]
    assert store.count_predictions() == 20
    store.close()


@pytest.mark.postgres
@needs_pg
def test_a_server_lost_mid_batch_leaves_nothing(pg_schema_url: str, scored: pd.DataFrame) -> None:
    store = open_store(f"{pg_schema_url}&application_name=doomed")
    with pytest.raises(StoreUnavailable, match="cannot be used"):
        with store.batch_writer("lost.csv", "cli", "v1") as add_chunk:
            add_chunk(scored.head(100))
            _terminate_backends(pg_schema_url, "doomed")
            add_chunk(scored.iloc[100:200])
    assert store.list_batches() == []
    assert store.count_predictions() == 0
    store.close()


def _terminate_backends(url: str, application_name: str) -> None:
    admin = create_engine(url, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = :name"
            ),
            {"name": application_name},
        )
    admin.dispose()


def test_concurrent_api_requests_append_to_one_group_without_losing_any(
    store: Store, scored: pd.DataFrame
) -> None:
    """Four API clients at once (benchmarks/throughput.py): on SQLite two read-then-write
    transactions deadlocked ("database is locked" at once, HTTP 503) until every
    transaction took the write lock first (BEGIN IMMEDIATE), so that they wait instead."""
    from concurrent.futures import ThreadPoolExecutor

    requests = [scored.iloc[i : i + 5] for i in range(0, 200, 5)]

    def append(rows: pd.DataFrame) -> int:
        return store.append_to_group("api:client:2026-12-03", rows, "API", "api", "v1")

    with ThreadPoolExecutor(max_workers=4) as pool:
        batch_ids = set(pool.map(append, requests))
    assert len(batch_ids) == 1
    assert store.count_predictions() == 200
