"""Model versions on disk and in the store; the champion every entry point uses.

Each version is a model directory of the usual format (model.skops, known_customers.csv,
model_card.json) under ``$SEGMENTOR_HOME/models/<version>/``; the store records it (see
:mod:`segmentor.io.registry`). The file ``$SEGMENTOR_HOME/models/CHAMPION`` names the
champion's directory (relative to the home), so that loading the default model needs no
database: :func:`segmentor.paths.model_dir` follows it. The first time the registry is used,
the model already in ``$SEGMENTOR_HOME/model`` is registered in place as the first champion.
"""

from __future__ import annotations

import re
from pathlib import Path

from segmentor.errors import SegmentorError
from segmentor.io import registry as rows
from segmentor.io.store import Store
from segmentor.io.writers import atomic_write
from segmentor.ml import trained
from segmentor.paths import CHAMPION_FILE, REGISTRY_DIR, model_dir


def version_directory(home: Path, version: str) -> Path:
    """Where a version's files go: ``models/<version>`` with only safe characters."""
    return home / REGISTRY_DIR / re.sub(r"[^A-Za-z0-9._-]", "", version)


def ensure_registry(store: Store, home: Path, who: str) -> None:
    """Register the home's current model as the first champion if the registry is empty."""
    if rows.list_versions(store):
        return
    directory = model_dir(home)
    if not trained.exists(directory):
        raise SegmentorError(
            "there is no trained model to start the registry with",
            file=str(directory),
            fix="run `segmentor train` first",
        )
    model = trained.load(directory)
    rows.register(
        store,
        version=model.version,
        directory=_relative(directory, home),
        card=model.card,
        who=who,
        champion=True,
    )
    _point_to(home, directory)


def add_version(
    store: Store,
    home: Path,
    model: trained.TrainedModel,
    *,
    who: str,
    champion: bool,
    action: str = "promote",
) -> Path:
    """Save ``model`` as a new version (and make it the champion if asked)."""
    directory = version_directory(home, model.version)
    if directory.exists():
        raise SegmentorError(
            "a model of this version is already saved",
            file=str(directory),
            fix="wait a second and retrain (versions are named by creation time)",
        )
    trained.save(model, directory)
    rows.register(
        store,
        version=model.version,
        directory=_relative(directory, home),
        card=model.card,
        who=who,
        champion=False,
        gate=model.card.get("gate"),
    )
    if champion:
        promote(store, home, model.version, who, action=action)
    return directory


def promote(
    store: Store, home: Path, version: str, who: str, action: str = "promote"
) -> str | None:
    """Make ``version`` the champion (store first, then the pointer); the previous one."""
    info = rows.get_version(store, version)
    directory = home / info.directory
    if not trained.exists(directory):
        raise SegmentorError(
            "the files of this model version are missing",
            file=str(directory),
            fix="restore the folder, or promote another version",
        )
    previous = rows.set_champion(store, version, action, who)
    _point_to(home, directory)
    return previous


def rollback(store: Store, home: Path, who: str) -> tuple[str, str]:
    """Make the previous champion the champion again: (from, to)."""
    target = rows.rollback_target(store)
    current = rows.champion(store) or "?"
    promote(store, home, target, who, action="rollback")
    return current, target


def has_champion(home: Path) -> bool:
    return (home / REGISTRY_DIR / CHAMPION_FILE).is_file()


def champion_directory(home: Path) -> Path:
    """The directory every entry point loads by default (the champion when there is one)."""
    return model_dir(home)


def _point_to(home: Path, directory: Path) -> None:
    pointer = home / REGISTRY_DIR / CHAMPION_FILE
    pointer.parent.mkdir(parents=True, exist_ok=True)
    relative = _relative(directory, home)
    atomic_write(pointer, lambda tmp: tmp.write_text(relative + "\n"))


def _relative(directory: Path, home: Path) -> str:
    try:
        return directory.resolve().relative_to(home.resolve()).as_posix()
    except ValueError:
        return str(directory.resolve())
