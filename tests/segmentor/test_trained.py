"""The default model's life cycle: trained on first use, retrained when segmentor changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from segmentor import __version__
from segmentor.cli import app
from segmentor.ml import trained


@pytest.fixture(scope="module")
def small_train(tmp_path_factory: pytest.TempPathFactory, train_path: Path) -> Path:
    """The first 600 labelled customers: enough for every segment, quick to fit."""
    path = tmp_path_factory.mktemp("small") / "train.csv"
    pd.read_csv(train_path, dtype=str, keep_default_na=False).head(600).to_csv(path, index=False)
    return path


def _set_trained_by(directory: Path, version: str) -> None:
    card_path = directory / trained.CARD_FILE
    card = json.loads(card_path.read_text())
    card["versions"]["segmentor"] = version
    card_path.write_text(json.dumps(card))


def test_default_model_is_trained_once_then_loaded(tmp_path: Path, small_train: Path) -> None:
    messages: list[str] = []
    directory = tmp_path / "model"
    first = trained.load_or_train(directory, small_train, messages.append)
    assert trained.exists(directory) and "No trained model" in messages[0]
    assert first.card["versions"]["segmentor"] == __version__
    messages.clear()
    trained.load_or_train(directory, small_train, messages.append)
    assert messages == []


def test_default_model_of_another_version_is_retrained(tmp_path: Path, small_train: Path) -> None:
    directory = tmp_path / "model"
    trained.load_or_train(directory, small_train, lambda _: None)
    _set_trained_by(directory, "0.0.1")
    messages: list[str] = []
    model = trained.load_or_train(directory, small_train, messages.append)
    assert len(messages) == 2
    assert f"trained by segmentor 0.0.1: retraining it for {__version__}" in messages[0]
    assert model.card["versions"]["segmentor"] == __version__
    assert trained.load(directory).card["versions"]["segmentor"] == __version__


def test_a_model_the_user_chose_is_never_replaced(
    segmentor_home: Path, prospects_path: Path, tmp_path: Path
) -> None:
    chosen = tmp_path / "chosen"
    shutil.copytree(segmentor_home / "model", chosen)
    _set_trained_by(chosen, "0.0.1")
    before = (chosen / trained.MODEL_FILE).read_bytes()
    out = tmp_path / "scored.csv"
    result = CliRunner().invoke(
        app, ["predict", str(prospects_path), "--model", str(chosen), "--out", str(out)]
    )
    # Neither replaced nor used silently (issue 13): refused in one line, the files untouched.
    assert result.exit_code == 2, result.output
    assert "this model was trained by segmentor 0.0.1" in result.stderr
    assert "retraining" not in result.output
    assert (chosen / trained.MODEL_FILE).read_bytes() == before
    assert not out.exists()


def test_the_default_model_card_has_the_cv_of_its_calibration_folds(
    trained_model: trained.TrainedModel,
) -> None:
    # trained without `segmentor train`'s CV: the 5 out-of-fold fits are its measured figures
    cv = trained_model.card["cv"]
    assert cv["folds"] == 5
    assert 0.45 < cv["accuracy_mean"] < 0.6  # 3x5-fold CV of docs/model.md: 0.53
    assert sum(map(sum, cv["confusion"])) == trained_model.card["rows"]
