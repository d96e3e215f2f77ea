"""Where segmentor keeps its files: bundled data inside the package, user data outside."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import platformdirs

BUNDLED_DATA = Path(str(resources.files("segmentor") / "data"))
BUNDLED_TRAIN = BUNDLED_DATA / "train.csv"
BUNDLED_PROSPECTS = BUNDLED_DATA / "test.csv"


def default_home() -> Path:
    """The per-user data directory (models, database), used when SEGMENTOR_HOME is unset."""
    return Path(platformdirs.user_data_dir("segmentor", appauthor=False))


def model_dir(home: Path) -> Path:
    """The default model directory inside a segmentor home."""
    return home / "model"
