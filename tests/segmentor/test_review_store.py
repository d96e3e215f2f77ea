"""Reviews and versioned playbooks in the store, on SQLite and (when SEGMENTOR_TEST_PG_URL is
set) on a real PostgreSQL server; migration 0002a on a database created by 0001."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from segmentor.domain.playbook import make_playbook
from segmentor.domain.review import ReviewChoice
from segmentor.engines.scoring import score_frame
from segmentor.errors import SegmentorError
from segmentor.io.readers import read_table
from segmentor.io.store import Store, alembic_config, open_store
from segmentor.ml.trained import TrainedModel

PG_URL = os.environ.get("SEGMENTOR_TEST_PG_URL")
needs_pg = pytest.mark.skipif(PG_URL is None, reason="SEGMENTOR_TEST_PG_URL not set")


@pytest.fixture(scope="module")
def scored(trained_model: TrainedModel, prospects_path: Path) -> pd.DataFrame:
    return score_frame(read_table(prospects_path).head(300), trained_model).frame


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=[pytest.mark.postgres, needs_pg])]
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'segmentor.db'}"
    return request.getfixturevalue("pg_schema_url")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = open_store(db_url)
    yield opened
    opened.close()


def test_sets_round_trip_and_the_newest_review_wins(store: Store, scored: pd.DataFrame) -> None:
    batch = store.save_batch(scored, "p.csv", "cli", "v")
    exported = store.export(batch)
    assert list(exported["Segment_Set"]) == list(scored["Segment_Set"])
    assert list(exported["Needs_Review"]) == list(scored["Needs_Review"])
    row = int(scored.index[scored["Needs_Review"]][0]) + 1
    others = [s for s in "ABCD" if s != scored.at[row - 1, "Segmentation"]]
    store.add_reviews(batch, [ReviewChoice(row, others[0])], "Ann")
    store.add_reviews(batch, [ReviewChoice(row, others[1])], "Bob")
    reviewed = store.export(batch)
    assert reviewed.at[row - 1, "Segmentation"] == others[1]
    assert reviewed.at[row - 1, "Source"] == "reviewed"
    assert store.reviews(batch)[row].reviewer == "Bob"
    assert len(store.export(batch, others[1])) == (reviewed["Segmentation"] == others[1]).sum()
    unreviewed = store.export(batch, reviewed=False)
    assert unreviewed.at[row - 1, "Segmentation"] == scored.at[row - 1, "Segmentation"]
    with pytest.raises(SegmentorError, match="has no row 301"):
        store.add_reviews(batch, [ReviewChoice(301, "A")], "Ann")
    with pytest.raises(SegmentorError, match="reviewer"):
        store.add_reviews(batch, [ReviewChoice(1, "A")], "  ")


def test_playbooks_are_versioned(store: Store) -> None:
    first = store.save_playbook(make_playbook("B", {"name": "Établis", "products": "P1"}), "Ann")
    second = store.save_playbook(make_playbook("B", {"name": "Établis", "products": "P3|P1"}), "Bo")
    assert (first.version, second.version) == (1, 2)
    assert store.playbooks()["B"].playbook.products == ("P3", "P1")
    store.save_playbook(make_playbook("A", {"name": "Pionniers", "products": "P2"}), "Ann")
    newest = store.playbooks()  # the newest version of each segment, never an older one
    versions = {segment: (v.version, v.author) for segment, v in newest.items()}
    assert versions == {"A": (1, "Ann"), "B": (2, "Bo")}
    history = store.playbook_history("b")
    assert [(v.version, v.author) for v in history] == [(2, "Bo"), (1, "Ann")]
    assert history[0].created >= history[1].created and history[0].created.tzinfo is not None


def test_migration_0002a_upgrades_a_0001_database(tmp_path: Path, scored: pd.DataFrame) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    config = alembic_config(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(
            text(
                "INSERT INTO batches VALUES (1, '2026-11-01 10:00:00', 'old.csv', 'cli', 1, 'v',"
                " 1, 0, 0, 0, 0, 0)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO predictions VALUES"
                " (1, 1, '7', 'A', 0.5, 0.5, 0.2, 0.2, 0.1, 'model', '')"
            )
        )
    engine.dispose()
    store = open_store(url)
    tables = set(inspect(store.engine).get_table_names())
    assert {"reviews", "playbook_versions"} <= tables
    old = store.export(1)
    assert old.at[0, "Segment_Set"] == "" and not old.at[0, "Needs_Review"]
    store.close()
