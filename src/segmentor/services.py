"""The use-cases that the CLI, the API and the app call, and nothing else does.

Each takes plain arguments (paths, URLs, callbacks) chosen by the entry point from its
options and the settings, so the three front ends do the same thing in the same way:
which model to use (and when to train the default one), which existing customers to
compare a file with, which store to keep batches in, and how a model is trained.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from segmentor.analysis import market
from segmentor.errors import SegmentorError
from segmentor.io.store import Store, open_store
from segmentor.ml import trained
from segmentor.ml.evaluation import CVReport, cross_validate_model
from segmentor.paths import BUNDLED_TRAIN

Progress = Callable[[str], None]
FitProgress = Callable[[int, int, str], None]


def _silent(_: str) -> None:
    pass


def load_model(
    chosen: Path | None,
    default_dir: Path,
    *,
    train_path: Path = BUNDLED_TRAIN,
    progress: Progress = _silent,
    cache_dir: Path | None = None,
) -> trained.TrainedModel:
    """The model the user chose (``chosen``), else the default one in ``default_dir``.

    A model the user chose is loaded as it is, never replaced behind their back; the
    default model is trained first when there is none, or when another version of
    segmentor trained it. ``cache_dir``: the compiled scoring paths' cache (None: none).
    """
    if chosen is None:
        return trained.load_or_train(default_dir, train_path, progress, cache_dir=cache_dir)
    if not trained.exists(chosen):
        raise SegmentorError(
            "no trained model in this folder",
            file=str(chosen),
            fix=f"run `segmentor train --model {chosen}` first",
        )
    return trained.load(chosen, cache_dir=cache_dir)


def existing_customers(
    model: trained.TrainedModel, *, train_path: Path = BUNDLED_TRAIN
) -> pd.DataFrame:
    """The labelled customers a model was trained on, with all nine attributes.

    A model directory keeps its known customers without Age and Work_Experience when
    they were saved by an older release; those come from the training file instead.
    """
    columns = model.known.frame.columns
    complete = all(column in columns for column in ("Age", "Work_Experience"))
    training = None if complete else trained.load_training_table(train_path)
    return market.existing_customers(model.known, training)


def batch_store(database_url: str) -> Store:
    """The store of scored batches at ``database_url`` (migrated to the current schema)."""
    return open_store(database_url)


@dataclass
class TrainingRun:
    """A trained model and, when cross-validated first, the CV report behind its card."""

    model: trained.TrainedModel
    cv: CVReport | None


def train_model(
    data_path: Path,
    *,
    folds: int | None,
    fit_progress: FitProgress | None = None,
) -> TrainingRun:
    """Fit the segment model on the labelled customers of ``data_path``.

    With ``folds`` (2-20), a stratified ``folds``-fold CV runs first and its figures go
    into the model card; ``None`` skips it.
    """
    table = trained.load_training_table(data_path)
    report = None
    if folds is not None:
        labels = table.frame["Segmentation"].astype(str).to_numpy()
        reports = cross_validate_model(
            table.features,
            labels,
            n_splits=folds,
            n_repeats=1,
            baselines=False,
            progress=fit_progress,
        )
        report = reports["segment model"]
    model = trained.train(
        table,
        data_sha256=trained.file_sha256(data_path),
        cv_metrics=None if report is None else report.summary(),
        # the prediction sets are calibrated on the CV's out-of-fold probabilities when
        # there was a CV, else on out-of-fold probabilities computed by ``train``
        calibration=None if report is None else report.oof_probabilities,
    )
    return TrainingRun(model, report)
