"""The app's history page and the saving of uploads, through Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from app_driver import start_app

from segmentor.domain.schema import SEGMENTS
from segmentor.engines.scoring import score_frame
from segmentor.io.readers import read_table
from segmentor.io.store import open_store
from segmentor.ml.trained import TrainedModel


@pytest.fixture
def db_url(monkeypatch: pytest.MonkeyPatch, trained_model_dir: Path, tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("SEGMENTOR_MODEL_DIR", str(trained_model_dir))
    monkeypatch.setenv("SEGMENTOR_DB_URL", url)
    monkeypatch.delenv("SEGMENTOR_LANG", raising=False)
    return url


def test_an_empty_history_says_so(db_url: str) -> None:
    at = start_app("pages/history.py")
    assert at.title[0].value == "History of scored files"
    assert "No scored file yet" in at.info[0].value


def test_the_history_lists_batches_and_offers_downloads(
    db_url: str, trained_model: TrainedModel, prospects_path: Path
) -> None:
    scored = score_frame(read_table(prospects_path), trained_model).frame
    store = open_store(db_url)
    first = store.save_batch(scored.head(10), "small.csv", "api", trained_model.version)
    second = store.save_batch(scored, "test.csv", "cli", trained_model.version)
    store.close()
    at = start_app("pages/history.py")
    table = at.dataframe[0].value
    assert list(table["Batch"]) == [second, first]
    assert list(table["Rows"]) == [2627, 10]
    assert list(table["From"]) == ["Command line", "API"]
    assert at.selectbox(key="history_batch").value == second
    assert len(at.download_button) == 2 * (1 + len(SEGMENTS))
    counts = scored["Segmentation"].value_counts()
    labels = " ".join(markdown.value for markdown in at.markdown)
    for segment in SEGMENTS:
        assert f"Segment {segment} ({counts[segment]:,})" in labels
    at.selectbox(key="history_batch").set_value(first).run()
    assert not at.exception
    assert "Every prospect (10)" in " ".join(markdown.value for markdown in at.markdown)


def test_the_history_speaks_french(db_url: str) -> None:
    at = start_app("pages/history.py", lang="fr")
    assert at.title[0].value == "Historique des fichiers segmentés"


def test_an_upload_is_saved_once(db_url: str, prospects_path: Path) -> None:
    frame = pd.read_csv(prospects_path, dtype=str).head(30)
    at = start_app()
    upload = frame.to_csv(index=False).encode()
    at.file_uploader(key="upload").set_value(("leads.csv", upload, "text/csv")).run()
    assert not at.exception and not at.warning
    at.run()  # a rerun (any click) must not store the file again
    store = open_store(db_url)
    (batch,) = store.list_batches()
    assert (batch.source_name, batch.origin, batch.rows) == ("leads.csv", "app", 30)
    store.close()


def test_an_unusable_database_warns_but_the_page_works(
    db_url: str, prospects_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEGMENTOR_DB_URL", "postgresql+psycopg://u:pw@127.0.0.1:1/none")
    frame = pd.read_csv(prospects_path, dtype=str).head(5)
    at = start_app()
    at.file_uploader(key="upload").set_value(
        ("five.csv", frame.to_csv(index=False).encode(), "text/csv")
    ).run()
    assert not at.exception
    assert "could not be kept in the history" in at.warning[0].value
    assert "five.csv" in at.info[0].value
    history = at.switch_page("pages/history.py").run()
    assert "The history is not available" in history.error[0].value
