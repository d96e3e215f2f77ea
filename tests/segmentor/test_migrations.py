"""Migrating a database made by the release (schema 0001) to head (prediction sets and
reviews 0002a, feedback and registry 0002b, mapping profiles 0002c, history record 0002d)
without losing a stored batch: on SQLite always, on PostgreSQL when SEGMENTOR_TEST_PG_URL is
set. The release's batch is written with the 0001 tables themselves (reflected), as the
release wrote it."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, MetaData, create_engine, insert, inspect
from sqlalchemy.pool import NullPool

from segmentor.domain.feedback import FeedbackEntry
from segmentor.domain.output import OUTPUT_COLUMNS
from segmentor.engines.scoring import score_frame
from segmentor.io import feedback as records
from segmentor.io.readers import read_table
from segmentor.io.store import open_store, upgrade
from segmentor.ml.trained import TrainedModel

PG_URL = os.environ.get("SEGMENTOR_TEST_PG_URL")
needs_pg = pytest.mark.skipif(PG_URL is None, reason="SEGMENTOR_TEST_PG_URL not set")
NEW_TABLES = {
    "feedback",
    "model_versions",
    "promotions",
    "batch_checks",
    "reviews",
    "playbook_versions",
    "mapping_profiles",
}


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
    batch_id = _write_as_the_release(engine, scored)
    engine.dispose()

    store = open_store(db_url)  # what the new version does on start: upgrade to head
    with store.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_heads() == ("0002d",)
    assert NEW_TABLES <= set(inspect(store.engine).get_table_names())
    exported = store.export(batch_id, reviewed=False)
    columns = list(OUTPUT_COLUMNS[:9])  # the release's columns (sets came later)
    pd.testing.assert_frame_equal(
        exported[columns].astype(str), scored[columns].astype(str), check_exact=True
    )
    listed = store.get_batch(batch_id)
    assert (listed.source_name, listed.rows) == ("test.csv", 300)
    assert store.count_predictions() == 300
    model_rows = scored.loc[scored["Source"] == "model"]
    entries = [FeedbackEntry.of(model_rows["ID"].iloc[0], "A")]
    report = records.record_feedback(store, entries, source="cli", who="migration test")
    assert (report.recorded, report.linked) == (1, 1)
    store.close()


def _write_as_the_release(engine: Engine, scored: pd.DataFrame) -> int:
    """Store a scored batch through the 0001 tables (reflected), as release 0.2 did."""
    tables = MetaData()
    tables.reflect(engine)
    batches, predictions = tables.tables["batches"], tables.tables["predictions"]
    counts = scored["Segmentation"].value_counts()
    batch = {
        "created": datetime.now(UTC),
        "source_name": "test.csv",
        "origin": "cli",
        "rows": len(scored),
        "model_version": "release-0.2",
        **{f"count_{s.lower()}": int(counts.get(s, 0)) for s in "ABCD"},
        "known": int((scored["Source"] == "known").sum()),
        "with_notes": int((scored["Notes"] != "").sum()),
    }
    with engine.begin() as connection:
        batch_id = int(connection.execute(insert(batches).values(**batch)).inserted_primary_key[0])
        rows = [
            {
                "batch_id": batch_id,
                "row": index + 1,
                "customer_id": str(row.ID),
                "segmentation": row.Segmentation,
                "confidence": float(row.Confidence),
                **{f"prob_{s.lower()}": float(getattr(row, f"Prob_{s}")) for s in "ABCD"},
                "source": row.Source,
                "notes": row.Notes,
            }
            for index, row in enumerate(scored.itertuples())
        ]
        connection.execute(insert(predictions), rows)
    return batch_id
