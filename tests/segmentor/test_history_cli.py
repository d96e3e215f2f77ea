"""``segmentor predict --save`` and ``segmentor history`` with the real model and SQLite."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from segmentor.cli import app
from segmentor.engines.scoring import OUTPUT_COLUMNS
from segmentor.io.store import open_store

runner = CliRunner()


@pytest.fixture
def db_url(segmentor_home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{segmentor_home / 'history.db'}"
    monkeypatch.setenv("SEGMENTOR_DB_URL", url)
    return url


def _predict_save(prospects_path: Path, tmp_path: Path, *extra: str) -> str:
    out = tmp_path / "scored.csv"
    result = runner.invoke(
        app, ["predict", str(prospects_path), "--out", str(out), "--save", *extra]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_predict_save_stores_the_same_rows_as_the_output_file(
    db_url: str, prospects_path: Path, tmp_path: Path
) -> None:
    output = _predict_save(prospects_path, tmp_path)
    assert "Saved as batch 1 (2627 rows)" in output
    store = open_store(db_url)
    (batch,) = store.list_batches()
    assert (batch.source_name, batch.origin, batch.rows, batch.known) == (
        "test.csv",
        "cli",
        2627,
        2332,
    )
    written = pd.read_csv(tmp_path / "scored.csv", dtype={"ID": str}, keep_default_na=False)
    stored = store.export(batch.id)
    assert list(stored["ID"]) == list(written["ID"])
    assert list(stored["Segmentation"]) == list(written["Segmentation"])
    assert list(stored["Notes"]) == list(written["Notes"])
    store.close()


def test_predict_without_save_stores_nothing(
    db_url: str, prospects_path: Path, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["predict", str(prospects_path), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 0, result.output
    assert "Saved as batch" not in result.output
    assert open_store(db_url).list_batches() == []


def test_a_failed_predict_save_leaves_no_batch(db_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Gender,Age\nMale,30\n")
    result = runner.invoke(app, ["predict", str(bad), "--out", str(tmp_path / "o.csv"), "--save"])
    assert result.exit_code == 2
    assert "required column(s) missing" in result.output
    assert open_store(db_url).list_batches() == []


def test_an_unreachable_database_is_one_line_exit_2(
    segmentor_home: Path, prospects_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEGMENTOR_DB_URL", "postgresql+psycopg://u:pw@127.0.0.1:1/none")
    result = runner.invoke(
        app, ["predict", str(prospects_path), "--out", str(tmp_path / "o.csv"), "--save"]
    )
    assert result.exit_code == 2
    assert "the database cannot be used" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o.csv").exists()
    assert runner.invoke(app, ["history"]).exit_code == 2


def test_history_lists_and_exports(db_url: str, prospects_path: Path, tmp_path: Path) -> None:
    empty = runner.invoke(app, ["history"])
    assert empty.exit_code == 0 and "No stored batches yet" in empty.output
    _predict_save(prospects_path, tmp_path)
    listed = runner.invoke(app, ["history"])
    assert listed.exit_code == 0, listed.output
    assert "Stored batches" in listed.output and "2627" in listed.output
    assert "2332" in listed.output

    out = tmp_path / "segment_a.xlsx"
    exported = runner.invoke(app, ["history", "export", "1", "--segment", "A", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    frame = pd.read_excel(out, dtype={"ID": str})
    # The output columns, then the file's own columns (all but ID, which is already there).
    own = [c for c in pd.read_csv(prospects_path, nrows=0).columns if c != "ID"]
    assert list(frame.columns) == [*OUTPUT_COLUMNS, *own]
    assert len(frame) > 0 and set(frame["Segmentation"]) == {"A"}
    assert f"{len(frame)} rows of batch 1" in exported.output

    every = tmp_path / "all.csv"
    assert runner.invoke(app, ["history", "export", "1", "--out", str(every)]).exit_code == 0
    assert len(pd.read_csv(every)) == 2627


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["history", "export", "42", "--out", "x.csv"], "there is no batch 42"),
        (["history", "export", "1", "--segment", "Z", "--out", "x.csv"], "unknown segment"),
    ],
)
def test_history_export_errors_are_one_line(
    db_url: str, prospects_path: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    _predict_save(prospects_path, tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
