"""Fixtures shared by the whole suite: the real model, trained once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from segmentor import trained
from segmentor.paths import BUNDLED_PROSPECTS, BUNDLED_TRAIN

DATA = Path(__file__).parent / "data"

# The suite is a gate: the same examples on every run, so a red CI is a real regression.
# `HYPOTHESIS_PROFILE=explore pytest` draws fresh random examples to hunt for new failures.
settings.register_profile("gate", derandomize=True, print_blob=True)
settings.register_profile("explore", max_examples=500, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "gate"))


@pytest.fixture(scope="session")
def trained_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding the default model, trained on the bundled train.csv."""
    directory = tmp_path_factory.mktemp("model")
    table = trained.load_training_table(BUNDLED_TRAIN)
    model = trained.train(table, data_sha256=trained.file_sha256(BUNDLED_TRAIN))
    trained.save(model, directory)
    return directory


@pytest.fixture(scope="session")
def trained_model(trained_model_dir: Path) -> trained.TrainedModel:
    """The default model, as loaded from its directory (what every entry point does)."""
    return trained.load(trained_model_dir)


@pytest.fixture(scope="session")
def prospects_path() -> Path:
    return BUNDLED_PROSPECTS


@pytest.fixture(scope="session")
def train_path() -> Path:
    return BUNDLED_TRAIN


@pytest.fixture
def segmentor_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trained_model_dir: Path
) -> Path:
    """A fresh SEGMENTOR_HOME whose default model is the session's trained model."""
    import shutil

    home = tmp_path / "home"
    shutil.copytree(trained_model_dir, home / "model")
    monkeypatch.setenv("SEGMENTOR_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def isolated_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test gets its own SQLite store, so no test writes to the user's data folder."""
    url = f"sqlite:///{tmp_path / 'segmentor-test.db'}"
    monkeypatch.setenv("SEGMENTOR_DB_URL", url)
    return url
