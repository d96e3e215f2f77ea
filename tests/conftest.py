"""Fixtures shared by the whole suite: the real model, trained once per test session."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock
from hypothesis import settings

from segmentor.ml import trained
from segmentor.paths import BUNDLED_PROSPECTS, BUNDLED_TRAIN
from segmentor.settings import get_settings

DATA = Path(__file__).parent / "data"

# The suite is a gate: the same examples on every run, so a red CI is a real regression.
# `HYPOTHESIS_PROFILE=explore pytest` draws fresh random examples to hunt for new failures.
settings.register_profile("gate", derandomize=True, print_blob=True)
settings.register_profile("explore", max_examples=500, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "gate"))


@pytest.fixture(scope="session")
def trained_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding the default model, trained on the bundled train.csv.

    Trained once per run, not once per pytest-xdist worker: the first worker trains under a
    file lock while the others wait, then every worker copies the result. Two trainings at
    once on a 2-core machine oversubscribe the OpenMP pools of LightGBM, CatBoost and torch,
    and their spinning threads made CI run past its time limit.
    """
    directory = tmp_path_factory.mktemp("model")
    shared = _cached_model_dir() or _run_directory(tmp_path_factory) / "session-model"
    shared.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{shared}.lock"):
        if not (shared / "model_card.json").is_file():
            _publish(_train_default(directory), shared)
            return directory  # trained right here: nothing to copy back
    shutil.copytree(shared, directory, dirs_exist_ok=True)
    return directory


def _run_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary directory of this run, shared by all its xdist workers."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _train_default(directory: Path) -> Path:
    table = trained.load_training_table(BUNDLED_TRAIN)
    model = trained.train(table, data_sha256=trained.file_sha256(BUNDLED_TRAIN))
    trained.save(model, directory)
    return directory


def _publish(directory: Path, cached: Path) -> None:
    """Copy a trained model into the cache atomically (parallel sessions may race)."""
    staging = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
    shutil.copytree(directory, staging)
    try:
        staging.rename(cached)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)


def _cached_model_dir() -> Path | None:
    """A developer's cache of the session model (SEGMENTOR_TEST_MODEL_CACHE), or None.

    Keyed by the model code and the training data, so a change to either trains anew. CI
    never sets it: there the suite always trains the real model from scratch.
    """
    root = os.environ.get("SEGMENTOR_TEST_MODEL_CACHE")
    if not root:
        return None
    digest = hashlib.sha256(BUNDLED_TRAIN.read_bytes())
    for source in sorted(Path(trained.__file__).parent.rglob("*.py")):
        digest.update(source.read_bytes())
    return Path(root) / digest.hexdigest()[:16]


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


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    """Each test reads the settings of its own environment (they are cached per process)."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A URL to a fresh, empty schema of the test PostgreSQL server, dropped afterwards."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    server = os.environ.get("SEGMENTOR_TEST_PG_URL")
    assert server is not None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    yield f"{server}?options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()
