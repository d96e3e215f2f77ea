"""Where segmentor keeps its files: bundled data inside the package, user data outside."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import platformdirs

BUNDLED_DATA = Path(str(resources.files("segmentor") / "data"))
BUNDLED_TRAIN = BUNDLED_DATA / "train.csv"
BUNDLED_PROSPECTS = BUNDLED_DATA / "test.csv"
# The model registry (segmentor.ml.registry): versions under models/, the champion named in
# models/CHAMPION (a directory relative to the home).
REGISTRY_DIR = "models"
CHAMPION_FILE = "CHAMPION"


def default_home() -> Path:
    """The per-user data directory (models, database), used when SEGMENTOR_HOME is unset."""
    return Path(platformdirs.user_data_dir("segmentor", appauthor=False))


def model_dir(home: Path) -> Path:
    """The default model directory inside a segmentor home: the registry's champion when
    there is one, else ``model``."""
    pointer = home / REGISTRY_DIR / CHAMPION_FILE
    try:
        named = pointer.read_text(encoding="utf-8").strip()
    except OSError:
        return home / "model"
    return home / named if named else home / "model"
