"""The `segmentor` command end to end, with the real model."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from segmentor.cli import app
from segmentor.engines.scoring import OUTPUT_COLUMNS

runner = CliRunner()


def test_predict_bundled_prospects(
    segmentor_home: Path, prospects_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "scored.csv"
    result = runner.invoke(app, ["predict", str(prospects_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out, dtype={"ID": str}, keep_default_na=False)
    assert list(frame.columns) == list(OUTPUT_COLUMNS)
    assert len(frame) == 2627
    assert (frame["Source"] == "known").sum() == 2332
    assert "Known customers: 2332" in result.output
    assert "Rows: 2627" in result.output


def test_default_output_is_beside_the_input(
    segmentor_home: Path, prospects_path: Path, tmp_path: Path
) -> None:
    local = tmp_path / "prospects.csv"
    shutil.copy(prospects_path, local)
    result = runner.invoke(app, ["predict", str(local), "--no-known"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(tmp_path / "prospects.segments.csv")
    assert (frame["Source"] == "model").all()


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_predict_reads_and_writes_other_formats(
    segmentor_home: Path, prospects_path: Path, tmp_path: Path, suffix: str
) -> None:
    source = tmp_path / f"prospects{suffix}"
    raw = pd.read_csv(prospects_path).head(50)
    if suffix == ".xlsx":
        raw.to_excel(source, index=False)
    else:
        raw.to_parquet(source, index=False)
    out = tmp_path / f"scored{suffix}"
    result = runner.invoke(app, ["predict", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    scored = pd.read_excel(out) if suffix == ".xlsx" else pd.read_parquet(out)
    assert len(scored) == 50 and list(scored.columns) == list(OUTPUT_COLUMNS)


def test_missing_column_is_exit_2_with_one_line(segmentor_home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("ID,Gender,Age\n1,Male,30\n")
    result = subprocess.run(
        [sys.executable, "-m", "segmentor", "predict", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(bad) in lines[0] and "required column(s) missing" in lines[0]
    assert "Fix:" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_unknown_model_directory_is_exit_2(prospects_path: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["predict", str(prospects_path), "--model", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "segmentor train" in result.output


def test_corrupt_model_is_refused(segmentor_home: Path, prospects_path: Path) -> None:
    (segmentor_home / "model" / "model.skops").write_bytes(b"not a model")
    result = runner.invoke(app, ["predict", str(prospects_path)])
    assert result.exit_code == 2
    assert "retrain" in result.output


def test_train_saves_a_model_with_its_card(tmp_path: Path, train_path: Path) -> None:
    data = tmp_path / "train.csv"
    pd.read_csv(train_path).sample(800, random_state=0).to_csv(data, index=False)
    model_dir = tmp_path / "model"
    command = ["train", "--data", str(data), "--model", str(model_dir), "--folds", "2"]
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    assert "2-fold CV: accuracy" in result.output
    card = json.loads((model_dir / "model_card.json").read_text())
    assert card["rows"] == 800 and card["classes"] == ["A", "B", "C", "D"]
    assert card["cv"]["accuracy_mean"] > 0.3
    assert card["cv"]["folds"] == 2  # the CV, the text and the card agree
    assert {"scikit-learn", "lightgbm", "skops"} <= set(card["versions"])


def test_output_folder_that_cannot_exist_is_exit_2(
    segmentor_home: Path, prospects_path: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be")
    result = runner.invoke(app, ["predict", str(prospects_path), "--out", str(blocker / "o.csv")])
    assert result.exit_code == 2, result.output
    assert "cannot write the output" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_evaluate_reports_the_model_beside_the_baselines(tmp_path: Path, train_path: Path) -> None:
    data = tmp_path / "train.csv"
    pd.read_csv(train_path).sample(500, random_state=1).to_csv(data, index=False)
    result = runner.invoke(app, ["evaluate", "--data", str(data), "--repeats", "1"])
    assert result.exit_code == 0, result.output
    assert "Repeated stratified 5-fold CV (1 repeat, same folds)" in result.output
    for model in ("majority class", "LightGBM defaults", "segment model"):
        assert re.search(rf"│ {model}\s+│ 0\.\d{{4}} ± 0\.\d{{4}} │ \d\.\d{{4}} ±", result.output)
    assert "Segment model: per segment" in result.output
    for segment in "ABCD":  # precision, recall, then the confusion counts of that segment
        assert re.search(
            rf"│\s+{segment} │\s+0\.\d{{3}} │\s+0\.\d{{3}} │(\s+\d+ │){{4}}", result.output
        )
