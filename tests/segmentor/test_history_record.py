"""History as a record (issue 15, item 3): one batch per distinct file content, API requests
grouped per client and day, the file's own columns kept, paging that says what it hides."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from segmentor.api.app import create_app
from segmentor.cli import app
from segmentor.cli import history as history_cli
from segmentor.cli.history import paging_note
from segmentor.engines.scoring import OUTPUT_COLUMNS, score_frame
from segmentor.io.readers import read_table
from segmentor.io.store import Store, open_store
from segmentor.ml.trained import TrainedModel

runner = CliRunner()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'history.db'}")
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def raw(prospects_path: Path) -> pd.DataFrame:
    frame = read_table(prospects_path).head(120)
    frame.insert(1, "Name", [f"Élodie {i}" for i in range(120)])
    frame["E-mail"] = [f"p{i}@exemple.fr" if i % 3 else None for i in range(120)]
    return frame


@pytest.fixture(scope="module")
def scored(raw: pd.DataFrame, trained_model: TrainedModel) -> pd.DataFrame:
    return score_frame(raw, trained_model, source="crm.csv").frame


def test_the_same_content_is_stored_once(store: Store, scored: pd.DataFrame) -> None:
    first = store.save_batch(scored, "crm.csv", "app", "v1", content_sha256="ab" * 32)
    again = store.save_batch(scored, "crm (1).csv", "app", "v1", content_sha256="ab" * 32)
    other_model = store.save_batch(scored, "crm.csv", "app", "v2", content_sha256="ab" * 32)
    assert again == first and other_model != first
    assert store.count_batches() == 2 and store.count_predictions(first) == len(scored)


def test_the_files_own_columns_come_back_in_exports(
    store: Store, scored: pd.DataFrame, raw: pd.DataFrame
) -> None:
    batch = store.save_batch(scored, "crm.csv", "app", "v1", own=raw)
    exported = store.export(batch)
    columns = list(exported.columns)
    assert columns[: len(OUTPUT_COLUMNS)] == list(OUTPUT_COLUMNS)  # the contract first
    assert columns[len(OUTPUT_COLUMNS) :][:2] == ["Name", "Gender"]  # then the file's, in order
    assert exported["Name"].tolist() == raw["Name"].tolist()
    assert exported["E-mail"].isna().tolist() == raw["E-mail"].isna().tolist()
    assert exported["Segmentation"].tolist() == scored["Segmentation"].tolist()
    segment = scored["Segmentation"].iloc[0]
    only = store.export(batch, segment)
    assert set(only["Segmentation"]) == {segment} and only["Name"].notna().all()


def test_a_group_batch_grows_with_continuous_rows_and_counts(
    store: Store, scored: pd.DataFrame
) -> None:
    ids = [store.append_to_group("api:k:2026-12-03", scored.iloc[0:1], "r", "api", "v1")]
    ids += [store.append_to_group("api:k:2026-12-03", scored.iloc[1:40], "r", "api", "v1")]
    ids += [store.append_to_group("api:k:2026-12-04", scored.iloc[40:41], "r", "api", "v1")]
    assert ids[0] == ids[1] != ids[2]
    (newest, grown) = store.list_batches()
    assert (grown.rows, newest.rows) == (40, 1)
    assert sum(grown.segments.values()) == 40
    assert grown.known == int((scored.iloc[:40]["Source"] == "known").sum())
    assert store.export(grown.id)["ID"].tolist() == scored["ID"].iloc[:40].tolist()


def test_api_requests_are_one_batch_per_key_and_day_and_files_once(
    trained_model: TrainedModel, store: Store, raw: pd.DataFrame
) -> None:
    client = TestClient(create_app(trained_model, store, api_keys=["alpha", "beta"]))
    one = [
        {
            "ID": "1",
            "Gender": "Male",
            "Ever_Married": "Yes",
            "Age": 40,
            "Graduated": "No",
            "Profession": "Artist",
            "Work_Experience": 1,
            "Spending_Score": "Low",
            "Family_Size": 2,
            "Var_1": "Cat_6",
        }
    ]
    answers = [client.post("/predict", json=one, headers={"X-API-Key": "alpha"}) for _ in range(5)]
    answers.append(client.post("/predict", json=one, headers={"X-API-Key": "beta"}))
    assert [a.status_code for a in answers] == [200] * 6, answers[0].text
    batch_ids = [answer.json()["batch_id"] for answer in answers]
    assert len(set(batch_ids[:5])) == 1 and batch_ids[5] != batch_ids[0]
    assert store.get_batch(batch_ids[0]).rows == 5 and store.count_batches() == 2
    assert "alpha" not in str([b.source_name for b in store.list_batches()])

    data = raw.to_csv(index=False).encode("utf-8")
    sent = [
        client.post(
            "/predict/file",
            files={"file": ("crm.csv", io.BytesIO(data))},
            headers={"X-API-Key": "alpha"},
        )
        for _ in range(2)
    ]
    assert [answer.status_code for answer in sent] == [200, 200]
    assert sent[0].headers["X-Batch-Id"] == sent[1].headers["X-Batch-Id"]
    batch = int(sent[0].headers["X-Batch-Id"])
    assert store.count_batches() == 3
    assert store.export(batch)["Name"].tolist() == raw["Name"].tolist()


def test_predict_save_twice_keeps_one_batch(
    segmentor_home: Path, prospects_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{segmentor_home / 'history.db'}"
    monkeypatch.setenv("SEGMENTOR_DB_URL", url)
    out = str(tmp_path / "o.csv")
    first = runner.invoke(app, ["predict", str(prospects_path), "--out", out, "--save"])
    second = runner.invoke(app, ["predict", str(prospects_path), "--out", out, "--save"])
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert "Saved as batch 1" in first.output
    assert "Already in the history as batch 1" in second.output
    store = open_store(url)
    (batch,) = store.list_batches()
    digest = hashlib.sha256(prospects_path.read_bytes()).hexdigest()
    assert store.find_by_content(digest, batch.model_version) == batch.id
    store.close()


def test_history_says_what_the_page_hides(
    segmentor_home: Path, scored: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{segmentor_home / 'history.db'}"
    monkeypatch.setenv("SEGMENTOR_DB_URL", url)
    store = open_store(url)
    for number in range(7):
        store.save_batch(scored.head(3), f"file{number}.csv", "cli", "v1")
    store.close()
    wide = {"COLUMNS": "200"}
    monkeypatch.setattr(history_cli.out, "width", 200)  # the console was made at import
    page = runner.invoke(app, ["history", "--limit", "5"], env=wide)
    assert page.exit_code == 0, page.output
    text = " ".join(page.output.split())
    assert "Showing batches 1-5 of 7, newest first. Older ones: --offset 5 (or --limit 7)." in text
    assert "Created (local)" in text and "file6.csv" in text and "file1.csv" not in text
    older = runner.invoke(app, ["history", "--limit", "5", "--offset", "5"], env=wide).output
    older = " ".join(older.split())
    assert "file1.csv" in older and "file0.csv" in older and "Newer ones: --offset 0." in older
    everything = runner.invoke(app, ["history"])
    assert "Showing" not in everything.output


def test_paging_note() -> None:
    assert paging_note(7, 7, 50, 0) == ""
    assert paging_note(2, 12, 5, 10) == (
        "Showing batches 11-12 of 12, newest first. Newer ones: --offset 5."
    )
