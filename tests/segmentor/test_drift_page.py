"""The app's drift page through Streamlit's AppTest: batches over time and model versions."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_driver import start_app
from learning_data import fit_small_model, split_markets

from segmentor.analysis.drift import record_batch_check
from segmentor.domain.feedback import FeedbackEntry
from segmentor.domain.schema import TARGET
from segmentor.engines.scoring import score_frame
from segmentor.io import feedback as records
from segmentor.io.store import open_store
from segmentor.ml import registry, trained


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, isolated_database: str) -> Path:
    old, new = split_markets(old_rows=3000, new_rows=200)
    model = fit_small_model(old)
    folder = tmp_path / "home"
    trained.save(model, folder / "model")
    monkeypatch.setenv("SEGMENTOR_HOME", str(folder))
    monkeypatch.delenv("SEGMENTOR_LANG", raising=False)
    store = open_store(isolated_database)
    registry.ensure_registry(store, folder, "tester")
    for name, frame in (("old.csv", old.head(300)), ("new.csv", new)):
        raw = frame.drop(columns=[TARGET])
        scored = score_frame(raw, model, source=name).frame
        batch = store.save_batch(scored, name, "cli", model.version)
        record_batch_check(store, batch, raw, name, model)
    entries = [FeedbackEntry.of(i, s) for i, s in zip(new["ID"], new[TARGET], strict=True)]
    records.record_feedback(store, entries, source="file", who="tester")
    store.close()
    return folder


def test_the_drift_page_shows_batches_over_time_and_the_champion(home: Path) -> None:
    at = start_app("pages/drift.py")
    assert at.title[0].value == "Drift over time"
    batches, versions = (frame.value for frame in at.dataframe)
    assert list(batches["File"]) == ["old.csv", "new.csv"]
    assert list(batches["Level"])[1] == "major"
    assert list(batches["Confirmed"]) == [0, 200]
    assert batches["Live accuracy"].iloc[1] < 0.4
    assert list(versions["Champion"]) == ["★"]
    assert len(at.get("vega_lite_chart")) == 3


def test_the_drift_page_speaks_french(home: Path) -> None:
    at = start_app("pages/drift.py", lang="fr")
    assert at.title[0].value == "Dérive dans le temps"
    assert "Précision réelle" in at.dataframe[0].value.columns
