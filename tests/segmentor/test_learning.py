"""The learning loop end to end: feedback through every entry point, the registry and its
champion, gated retraining (promoted and refused), rollback and drift per batch.

A small real SegmentModel (seconds to fit) on a part of train.csv plays the champion; the
new market is simulated from the other rows (see ``learning_data``).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from learning_data import (
    FAST,
    ShuffledLabelsModel,
    fit_small_model,
    split_markets,
    write_markets,
)
from typer.testing import CliRunner

from segmentor.api.app import create_app
from segmentor.cli import app
from segmentor.domain.feedback import FeedbackEntry
from segmentor.domain.schema import TARGET, parse_customers
from segmentor.io import feedback as records
from segmentor.io import registry as rows
from segmentor.io.feedback import TrainingFeedback
from segmentor.io.store import FeedbackRecord, open_store
from segmentor.ml import retrain, trained
from segmentor.ml.gate import compare_paired, wilson_interval

runner = CliRunner()
KEY = "learning-key-0123456789"


@pytest.fixture(scope="module")
def markets() -> tuple[pd.DataFrame, pd.DataFrame]:
    return split_markets()


@pytest.fixture(scope="module")
def champion(markets: tuple[pd.DataFrame, pd.DataFrame]) -> trained.TrainedModel:
    return fit_small_model(markets[0])


@pytest.fixture
def home(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    champion: trained.TrainedModel,
    isolated_database: str,
) -> Path:
    """A SEGMENTOR_HOME whose default model is the small champion."""
    folder = tmp_path / "home"
    trained.save(champion, folder / "model")
    monkeypatch.setenv("SEGMENTOR_HOME", str(folder))
    return folder


@pytest.fixture
def files(tmp_path: Path, markets: tuple[pd.DataFrame, pd.DataFrame]) -> dict[str, Path]:
    return write_markets(tmp_path / "files", *markets)


def run(*arguments: str) -> str:
    result = runner.invoke(app, list(arguments))
    assert result.exit_code == 0, result.output
    return result.output


def fails(*arguments: str) -> str:
    result = runner.invoke(app, list(arguments))
    assert result.exit_code == 2, result.output
    return " ".join(result.output.split())


def predict_save(path: Path, tmp_path: Path) -> pd.DataFrame:
    out = tmp_path / f"{path.stem}.scored.csv"
    run("predict", str(path), "--out", str(out), "--save")
    return pd.read_csv(out, dtype={"ID": str})


def champion_pointer(home: Path) -> str:
    return (home / "models" / "CHAMPION").read_text().strip()


# --------------------------------------------------------------------------- feedback
def test_feedback_from_a_file_gives_the_live_accuracy_of_the_model(
    home: Path, files: dict[str, Path], tmp_path: Path, markets: tuple, isolated_database: str
) -> None:
    scored = predict_save(files["prospects"], tmp_path)
    output = run("feedback", "import", str(files["feedback"]), "--who", "ana")
    assert "300 recorded (300 linked to a model prediction)" in output
    truth = markets[1].set_index("ID")[TARGET]
    correct = int((scored.set_index("ID")["Segmentation"] == truth).sum())
    store = open_store(isolated_database)
    summary = records.summarise(store)
    store.close()
    assert summary.confirmed == 300 and summary.with_attributes == 300
    store_rows = _feedback_rows(isolated_database)
    assert {(row.who, row.source) for row in store_rows} == {("ana", "file")}
    assert summary.per_segment == truth.value_counts().reindex(list("ABCD")).to_dict()
    [live] = summary.per_version
    assert (live.scored, live.correct) == (300, correct)
    assert live.correct / live.scored < 0.4  # the shifted market fools the champion
    low, high = wilson_interval(correct, 300)
    report = run("feedback")
    assert "Confirmed prospects: 300" in report
    assert f"[{low:.3f}, {high:.3f}]" in report


def test_a_conflict_is_kept_reported_and_resolved(
    home: Path, files: dict[str, Path], tmp_path: Path, isolated_database: str
) -> None:
    run("feedback", "import", str(files["feedback"]))
    first = pd.read_csv(files["feedback"], dtype=str).head(2)
    again = first.copy()
    again.loc[0, "True_Segment"] = "A" if first.loc[0, "True_Segment"] != "A" else "B"
    path = tmp_path / "again.csv"
    again.to_csv(path, index=False)
    output = " ".join(run("feedback", "import", str(path)).split())
    assert "1 recorded" in output and "1 already recorded, 1 conflicts" in output
    assert first.loc[0, "ID"] in output
    store = open_store(isolated_database)
    summary = records.summarise(store)
    assert (summary.confirmed, summary.conflicts) == (299, 2)
    assert records.conflicts(store) == [
        (first.loc[0, "ID"], [first.loc[0, "True_Segment"], again.loc[0, "True_Segment"]])
    ]
    run("feedback", "resolve", first.loc[0, "ID"], again.loc[0, "True_Segment"])
    summary = records.summarise(store)
    store.close()
    assert (summary.confirmed, summary.conflicts, summary.superseded) == (300, 0, 1)


def test_bad_feedback_is_one_line_naming_row_column_and_value(
    home: Path, files: dict[str, Path], tmp_path: Path
) -> None:
    frame = pd.read_csv(files["feedback"], dtype=str).head(5)
    frame.loc[1, "True_Segment"] = "E"
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False)
    message = fails("feedback", "import", str(path))
    assert "row 3, column 'True_Segment'" in message and "(got 'E')" in message
    assert "Fix:" in message and "Traceback" not in message
    predicted = tmp_path / "scored.csv"
    run("predict", str(files["prospects"]), "--out", str(predicted))
    message = fails("feedback", "import", str(predicted))
    assert "'True_Segment' is missing (Segmentation here is the model's prediction)" in message
    frame = pd.read_csv(files["feedback"], dtype=str).head(2).assign(Batch="7")
    frame.to_csv(path, index=False)
    assert "is not in batch 7" in fails("feedback", "import", str(path))


def test_the_review_queue_records_feedback_through_the_same_door(
    champion: trained.TrainedModel, markets: tuple, isolated_database: str
) -> None:
    store = open_store(isolated_database)
    from segmentor.engines.scoring import score_frame

    new = markets[1].drop(columns=[TARGET]).head(40)
    scored = score_frame(new, champion, source="queue.csv").frame
    batch = store.save_batch(scored, "queue.csv", "app", champion.version)
    entries = [
        FeedbackEntry.of(customer_id, "b", batch_id=batch, who="reviewer-1")
        for customer_id in scored["ID"]
    ]
    report = records.record_feedback(store, entries, source="review", who="queue")
    assert (report.recorded, report.linked, report.conflicts) == (40, 40, [])
    with store.engine.connect() as connection:
        stored = connection.execute(
            FeedbackRecord.__table__.select().order_by(FeedbackRecord.id)
        ).all()
    assert {(row.source, row.who, row.batch_id, row.segment) for row in stored} == {
        ("review", "reviewer-1", batch, "B")
    }
    assert [row.predicted for row in stored] == list(scored["Segmentation"])
    again = records.record_feedback(store, entries[:3], source="review", who="queue")
    assert (again.recorded, again.already_recorded) == (0, 3)
    store.close()


def test_the_api_takes_feedback_and_answers_accuracy_models_and_drift(
    champion: trained.TrainedModel, markets: tuple, isolated_database: str
) -> None:
    store = open_store(isolated_database)
    client = TestClient(create_app(champion, store, api_keys=[KEY]))
    headers = {"X-API-Key": KEY}
    new = markets[1].head(60)
    customers = new.drop(columns=[TARGET]).to_dict("records")
    answer = client.post("/predict", json=customers, headers=headers)
    assert answer.status_code == 200, answer.text
    predicted = [p["Segmentation"] for p in answer.json()["predictions"]]
    items = [
        {**customer, "True_Segment": segment}
        for customer, segment in zip(customers, new[TARGET], strict=True)
    ]
    posted = client.post("/feedback", json={"who": "crm", "feedback": items}, headers=headers)
    assert posted.status_code == 200, posted.text
    assert posted.json()["recorded"] == 60 and posted.json()["linked_to_a_prediction"] == 60
    summary = client.get("/feedback", headers=headers).json()
    [live] = summary["live_accuracy"]
    assert live["scored"] == 60
    assert live["correct"] == sum(p == s for p, s in zip(predicted, new[TARGET], strict=True))
    assert summary["with_attributes"] == 60
    [point] = client.get("/drift", headers=headers).json()
    assert point["level"] == "major" and point["psi_attribute"] == "Work_Experience"
    assert point["feedback_rows"] == 60
    bad = client.post(
        "/feedback",
        json={"who": "crm", "feedback": [{"ID": "N0000", "True_Segment": "Z"}]},
        headers=headers,
    )
    assert bad.status_code == 422 and "True_Segment" in bad.json()["detail"]
    assert client.post("/feedback", json={"who": "x", "feedback": items[:1]}).status_code == 401
    assert client.get("/models", headers=headers).json() == []
    store.close()


# --------------------------------------------------------------------------- the gate
def test_a_paired_comparison_counts_the_discordant_rows() -> None:
    truth = np.array(["A"] * 100, dtype=object)
    champion = np.where(np.arange(100) < 50, "A", "B")
    challenger = np.where((np.arange(100) >= 10) & (np.arange(100) < 70), "A", "B")
    result = compare_paired("set", truth, champion, challenger, margin=0.02)
    assert (result.champion_accuracy, result.challenger_accuracy) == (0.5, 0.6)
    assert (result.only_champion_right, result.only_challenger_right) == (10, 20)
    assert result.difference == pytest.approx(0.1)
    assert result.low < 0.1 < result.high and result.not_worse
    from scipy.stats import binomtest

    assert result.p_value == pytest.approx(binomtest(20, 30).pvalue)


def _feedback_table(new: pd.DataFrame) -> retrain.FeedbackTable:
    table = parse_customers(new, "feedback.csv", require_target=True)
    features = table.features.astype(object)
    entries = [
        TrainingFeedback(
            customer_id,
            segment,
            {k: (None if pd.isna(v) else v) for k, v in row.items()},
            None,
            None,
        )
        for customer_id, segment, (_, row) in zip(
            new["ID"], new[TARGET], features.iterrows(), strict=True
        )
    ]
    for entry in entries:
        for name in ("Age", "Work_Experience", "Family_Size"):
            value = entry.attributes[name]
            entry.attributes[name] = None if value is None else float(value)
    return retrain.FeedbackTable.of(entries)


def test_a_challenger_trained_on_shuffled_labels_is_refused(
    champion: trained.TrainedModel, markets: tuple
) -> None:
    old, new = markets
    decision = retrain.evaluate_challenger(
        champion,
        parse_customers(old, "old.csv", require_target=True),
        _feedback_table(new),
        challenger_factory=lambda: ShuffledLabelsModel(**FAST),
    )
    assert not decision.promote
    assert decision.old_market.challenger_accuracy < decision.old_market.champion_accuracy - 0.1
    assert decision.old_market.high < 0 and decision.old_market.p_value < 1e-6
    assert any("worse on old market" in reason for reason in decision.reasons)


def test_a_challenger_that_learned_the_shifted_market_is_promoted_then_rolled_back(
    home: Path, files: dict[str, Path], tmp_path: Path, champion: trained.TrainedModel
) -> None:
    predict_save(files["prospects"], tmp_path)
    run("feedback", "import", str(files["feedback"]))
    dry = " ".join(
        run("retrain", "--data", str(files["old"]), "--weight", "3", "--dry-run").split()
    )
    assert "Would be promoted" in dry and "McNemar" in dry
    assert champion_pointer(home) == "model"
    output = " ".join(
        run("retrain", "--data", str(files["old"]), "--weight", "3", "--who", "bot").split()
    )
    assert "Promoted" in output
    pointer = champion_pointer(home)
    assert pointer.startswith("models/")
    challenger = trained.load(home / pointer)
    assert challenger.card["parent"] == champion.version
    assert challenger.card["gate"]["promote"] is True
    gate = challenger.card["gate"]["feedback"]
    assert gate["challenger_accuracy"] > gate["champion_accuracy"] + 0.1 and gate["low"] > 0
    listing = run("models")
    assert challenger.version in listing and "★" in listing and "bot" in listing
    # Every entry point now scores with the challenger by default...
    fresh = tmp_path / "fresh.csv"
    pd.read_csv(files["old"], dtype=str).head(30).drop(columns=[TARGET]).to_csv(fresh, index=False)
    predict_save(fresh, tmp_path)
    # ...until a rollback makes the previous champion the default again.
    assert "Rolled back" in run("models", "rollback", "--who", "manager")
    assert champion_pointer(home) == "model"
    predict_save(fresh, tmp_path)
    store = open_store(str(_db_url()))
    used = [batch.model_version for batch in store.list_batches()][::-1]
    versions = {info.version: info for info in rows.list_versions(store)}
    store.close()
    assert used == [champion.version, challenger.version, champion.version]
    assert versions[champion.version].is_champion
    assert versions[champion.version].promoted_by == "manager"
    assert "no predecessor" in fails("models", "rollback")


def _feedback_rows(url: str) -> list:
    store = open_store(url)
    with store.engine.connect() as connection:
        found = connection.execute(FeedbackRecord.__table__.select()).all()
    store.close()
    return list(found)


def _db_url() -> str:
    import os

    return os.environ["SEGMENTOR_DB_URL"]


def test_too_little_feedback_is_refused_and_the_champion_stays(
    home: Path, files: dict[str, Path], tmp_path: Path
) -> None:
    few = tmp_path / "few.csv"
    pd.read_csv(files["feedback"], dtype=str).head(12).to_csv(few, index=False)
    run("feedback", "import", str(few))
    output = " ".join(run("retrain", "--data", str(files["old"]), "--folds", "2").split())
    assert "Refused" in output and "only 12 held-out feedback rows" in output
    assert "2-fold cross-fitting" in output
    assert champion_pointer(home) == "model"
    store = open_store(_db_url())
    assert len(rows.list_versions(store)) == 1
    store.close()


def test_promote_by_name_and_unknown_versions(home: Path, champion: trained.TrainedModel) -> None:
    run("models")
    assert "Champion: " + champion.version in run(
        "models", "promote", champion.version, "--who", "lead"
    )
    store = open_store(_db_url())
    [info] = rows.list_versions(store)
    store.close()
    assert info.is_champion and info.promoted_by == "lead"
    message = fails("models", "promote", "no-such-version")
    assert "there is no model of this version (got 'no-such-version')" in message


# --------------------------------------------------------------------------- drift
def test_drift_shows_each_batch_over_time(
    home: Path, files: dict[str, Path], tmp_path: Path
) -> None:
    like_old = tmp_path / "like_old.csv"
    old = pd.read_csv(files["old"], dtype=str)
    old.head(400).drop(columns=[TARGET]).assign(ID=lambda f: "X" + f["ID"]).to_csv(
        like_old, index=False
    )
    predict_save(like_old, tmp_path)
    predict_save(files["prospects"], tmp_path)
    run("feedback", "import", str(files["feedback"]))
    series = json.loads(run("drift", "--json"))
    assert [point["source_name"] for point in series] == ["like_old.csv", "new_prospects.csv"]
    first, second = series
    assert first["level"] in ("similar", "moderate") and first["auc"] < 0.6
    assert second["level"] == "major" and second["psi_attribute"] == "Work_Experience"
    assert first["feedback_rows"] == 0 and first["live_accuracy"] is None
    assert second["feedback_rows"] == 300 and second["live_accuracy"] < 0.4
    assert [p["source_name"] for p in json.loads(run("drift", "--json", "--limit", "1"))] == [
        "new_prospects.csv"
    ]
    table = run("drift")
    cells = [line for line in table.splitlines() if line.startswith("│")]
    assert any("major" in line for line in cells)
    assert any(line.split("│")[1].strip() == "1" for line in cells)
