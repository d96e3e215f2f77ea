"""A trained model as it is saved and shipped: estimator, known customers and model card.

A model directory holds three files:

- ``model.skops``: the :class:`~segmentor.ml.blend.SegmentModel` (skops, explicit trusted types);
- ``known_customers.csv``: the labelled customers it was trained on, for ID matching;
- ``model_card.json``: training data hash, rows, classes, CV metrics, versions, creation time;
- ``calibration.csv``: out-of-fold probabilities of the training rows, which calibrate the
  prediction sets (:mod:`segmentor.ml.conformal`; absent in models trained before them).;
- ``model_card.json``: training data hash, rows, classes, CV metrics, versions, creation time,
  and (in the card) the SHA-256 of the other files (``files``): load refuses a directory whose files
  do not match, and checks the LightGBM texts before LightGBM parses them
  (:mod:`segmentor.ml.integrity`).

Nothing here unpickles anything: the estimator goes through skops, the rest is CSV and JSON.
"""

from __future__ import annotations

import hashlib
import json
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from segmentor import __version__
from segmentor.domain.known import KnownCustomers
from segmentor.domain.schema import SEGMENTS, TARGET, CustomerTable, parse_customers
from segmentor.errors import SegmentorError
from segmentor.io.readers import read_table
from segmentor.io.writers import CSV_LINE_END, atomic_write
from segmentor.ml import integrity
from segmentor.ml.blend import SegmentModel
from segmentor.ml.conformal import CALIBRATION_FILE, DEFAULT_FOLDS, SegmentSets
from segmentor.ml.evaluation import cross_validate_model
from segmentor.ml.persistence import load_estimator, save_estimator

MODEL_FILE = "model.skops"
KNOWN_FILE = "known_customers.csv"
CARD_FILE = "model_card.json"
_VERSIONED_LIBRARIES = (
    "scikit-learn",
    "lightgbm",
    "catboost",
    "torch",
    "numpy",
    "pandas",
    "skops",
)

Progress = Callable[[str], None]


@dataclass
class TrainedModel:
    """Everything scoring needs: the estimator, the known customers and the card."""

    estimator: SegmentModel
    known: KnownCustomers
    card: dict[str, Any] = field(default_factory=dict)
    sets: SegmentSets | None = None  # None: a model trained before prediction sets

    @property
    def version(self) -> str:
        """A short identifier of this model: creation time and training data hash."""
        return f"{self.card.get('created', '?')[:19]}-{self.card.get('data_sha256', '?')[:8]}"


def load_training_table(path: Path) -> CustomerTable:
    """Read and check a labelled customer file (every row needs a segment)."""
    return parse_customers(read_table(path), str(path), require_target=True)


def train(
    table: CustomerTable,
    *,
    data_sha256: str,
    cv_metrics: dict[str, Any] | None = None,
    random_state: int = 0,
    calibration: Any = None,
    calibration_folds: int = DEFAULT_FOLDS,
) -> TrainedModel:
    """Fit the segment model on a labelled table and describe it in a model card.

    ``calibration``: out-of-fold probabilities of A-D for the table's rows, from the
    cross-validation whose figures are ``cv_metrics`` (what `segmentor train` runs anyway).
    When None, a ``calibration_folds``-fold cross-validation runs here: its out-of-fold
    probabilities calibrate the prediction sets and, unless ``cv_metrics`` is given, its
    figures go into the card, so no model ships without a measured accuracy.
    """
    labels = table.frame[TARGET].astype(str).to_numpy()
    started = time.perf_counter()
    if calibration is None:
        report = cross_validate_model(
            table.features,
            labels,
            n_splits=calibration_folds,
            n_repeats=1,
            random_state=random_state,
            baselines=False,
        )["segment model"]
        calibration = report.oof_probabilities
        cv_metrics = cv_metrics or report.summary()
        calibration_source = f"{calibration_folds}-fold out-of-fold probabilities"
    else:
        calibration_source = "out-of-fold probabilities of the cross-validation"
    calibration_seconds = time.perf_counter() - started
    started = time.perf_counter()
    estimator = SegmentModel(random_state=random_state).fit(table.features, labels)
    card = {
        "model": "SegmentModel",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "data_source": Path(table.source).name,
        "data_sha256": data_sha256,
        "rows": len(table.frame),
        "classes": list(SEGMENTS),
        "class_counts": {s: int((labels == s).sum()) for s in SEGMENTS},
        "row_notes": len(table.notes),
        "fit_seconds": round(time.perf_counter() - started, 1),
        "cv": cv_metrics,
        "prediction_sets": {
            "method": "Mondrian (class-conditional) conformal, crepes, hinge score",
            "calibration": calibration_source,
            "calibration_seconds": round(calibration_seconds, 1),
        },
        "versions": library_versions(),
    }
    sets = SegmentSets(calibration, labels)
    return TrainedModel(estimator, KnownCustomers.from_table(table), card, sets)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def library_versions() -> dict[str, str]:
    # segmentor's own version from the code, not the install metadata, which an editable
    # install only refreshes when reinstalled (load_or_train compares it with __version__).
    versions = {"python": platform.python_version(), "segmentor": __version__}
    for name in _VERSIONED_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def save(model: TrainedModel, directory: Path) -> None:
    """Write the files of a model directory (each one atomically), the card last."""
    directory.mkdir(parents=True, exist_ok=True)
    atomic_write(directory / MODEL_FILE, lambda tmp: save_estimator(model.estimator, tmp))
    atomic_write(
        directory / KNOWN_FILE,
        lambda tmp: model.known.to_frame().to_csv(tmp, index=False, lineterminator=CSV_LINE_END),
    )
    files = [MODEL_FILE, KNOWN_FILE]
    if model.sets is not None:
        sets = model.sets
        atomic_write(directory / CALIBRATION_FILE, lambda tmp: sets.save(tmp))
        files.append(CALIBRATION_FILE)
    model.card["files"] = integrity.directory_hashes(directory, tuple(files))
    atomic_write(  # the card last: it vouches for the files written before it
        directory / CARD_FILE, lambda tmp: tmp.write_text(json.dumps(model.card, indent=2) + "\n")
    )


def load(
    directory: Path, *, engine: str = "compiled", cache_dir: Path | None = None
) -> TrainedModel:
    """Load a model directory; anything missing, corrupt or untrusted is refused.

    ``engine="compiled"`` (the default) scores on the members' fast paths
    (:meth:`SegmentModel.compile`, derived data cached in ``cache_dir`` if given);
    ``"reference"`` keeps the libraries' own predictors.
    """
    if not (directory / MODEL_FILE).is_file():
        raise SegmentorError(
            "no trained model here",
            file=str(directory),
            fix="run `segmentor train` (or give --model DIR)",
        )
    card = _load_card(directory / CARD_FILE)
    integrity.check_directory(directory, card, MODEL_FILE, __version__)
    estimator = load_estimator(directory / MODEL_FILE)
    if engine == "compiled":
        estimator.compile(cache_dir)
    known = _load_known(directory / KNOWN_FILE)
    calibration = directory / CALIBRATION_FILE
    sets = SegmentSets.load(calibration) if calibration.is_file() else None
    return TrainedModel(estimator, known, card, sets)


def exists(directory: Path) -> bool:
    return all((directory / name).is_file() for name in (MODEL_FILE, KNOWN_FILE, CARD_FILE))


def load_or_train(
    directory: Path, train_path: Path, progress: Progress, *, cache_dir: Path | None = None
) -> TrainedModel:
    """Load the default model in ``directory``; train it there first if there is none, or if
    it was trained by another version of segmentor (whose model this version may not read)."""
    trained_by = _trained_by(directory) if exists(directory) else None
    if trained_by == __version__:
        return load(directory, cache_dir=cache_dir)
    if trained_by is None:
        progress(
            f"No trained model in {directory}: training the default model on "
            f"{train_path.name} first (about a minute)."
        )
    else:
        progress(
            f"The default model in {directory} was trained by segmentor {trained_by}: "
            f"retraining it for {__version__} on {train_path.name} (about a minute)."
        )
    model = train(load_training_table(train_path), data_sha256=file_sha256(train_path))
    save(model, directory)
    progress(f"Model saved to {directory}.")
    return model


def _trained_by(directory: Path) -> str:
    """The segmentor version in the model card ("unknown" when the card cannot say)."""
    try:
        card = json.loads((directory / CARD_FILE).read_text())
        if not isinstance(card.get("files"), dict):
            return "unknown"  # a card without file hashes predates them: retrain
        return str(card["versions"]["segmentor"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return "unknown"


def _load_known(path: Path) -> KnownCustomers:
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        return KnownCustomers.from_table(parse_customers(raw, str(path)))
    except (OSError, ValueError, SegmentorError) as error:
        raise SegmentorError(
            f"the known-customer file is missing or corrupt ({error})",
            file=str(path),
            fix="retrain with `segmentor train`",
        ) from None


def _load_card(path: Path) -> dict[str, Any]:
    try:
        card = json.loads(path.read_text())
    except (OSError, ValueError):
        raise SegmentorError(
            "the model card is missing or not valid JSON",
            file=str(path),
            fix="retrain with `segmentor train`",
        ) from None
    if not isinstance(card, dict):
        raise SegmentorError(
            "the model card is not a JSON object",
            file=str(path),
            fix="retrain with `segmentor train`",
        )
    problem = integrity.card_problem(card)
    if problem is not None:
        raise SegmentorError(
            f"the model card is not valid: {problem}",
            file=str(path),
            fix="retrain with `segmentor train`",
        )
    return card
