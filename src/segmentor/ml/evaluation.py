"""Repeated stratified cross-validation of the segment model beside its baselines.

:func:`cross_validate_model` runs the product's model, a majority-class baseline and default
LightGBM on the same folds, in the same run, and returns one :class:`CVReport` per model.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd
from sklearn.dummy import DummyClassifier
from sklearn.metrics import accuracy_score, confusion_matrix, log_loss
from sklearn.model_selection import RepeatedStratifiedKFold

from segmentor.domain import schema
from segmentor.ml.blend import SegmentModel
from segmentor.ml.features import coerce_features

CLASSES: tuple[str, ...] = schema.SEGMENTS


class ProbabilisticClassifier(Protocol):
    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Any: ...
    def predict_proba(self, X: pd.DataFrame) -> np.ndarray: ...


EstimatorFactory = Callable[[], ProbabilisticClassifier]
# progress(done_fits, total_fits, model_name)
ProgressCallback = Callable[[int, int, str], None]


@dataclass
class CVReport:
    """Cross-validated figures of one model; per-fold lists are in fold order.

    Accuracy in [0, 1]; log loss >= 0 (natural log); precision and recall per segment in
    [0, 1] from the confusion matrix summed over all folds of all repeats.
    """

    name: str
    accuracies: list[float] = field(default_factory=list)
    log_losses: list[float] = field(default_factory=list)
    fit_seconds: list[float] = field(default_factory=list)
    confusion: np.ndarray = field(default_factory=lambda: np.zeros((4, 4), dtype=int))
    oof_probabilities: np.ndarray | None = None  # last repeat, (n_rows, 4)

    @property
    def accuracy_mean(self) -> float:
        return float(np.mean(self.accuracies))

    @property
    def accuracy_std(self) -> float:
        return float(np.std(self.accuracies))

    @property
    def log_loss_mean(self) -> float:
        return float(np.mean(self.log_losses))

    @property
    def log_loss_std(self) -> float:
        return float(np.std(self.log_losses))

    @property
    def fit_seconds_mean(self) -> float:
        return float(np.mean(self.fit_seconds))

    @property
    def precision(self) -> dict[str, float]:
        """Per segment: correct predictions of it / all predictions of it (0 when none)."""
        predicted = self.confusion.sum(axis=0)
        return {c: _ratio(self.confusion[i, i], predicted[i]) for i, c in enumerate(CLASSES)}

    @property
    def recall(self) -> dict[str, float]:
        """Per segment: correct predictions of it / customers truly in it."""
        actual = self.confusion.sum(axis=1)
        return {c: _ratio(self.confusion[i, i], actual[i]) for i, c in enumerate(CLASSES)}

    def summary(self) -> dict[str, Any]:
        """Plain-Python figures (for a model card or JSON)."""
        return {
            "model": self.name,
            "folds": len(self.accuracies),
            "accuracy_mean": round(self.accuracy_mean, 4),
            "accuracy_std": round(self.accuracy_std, 4),
            "log_loss_mean": round(self.log_loss_mean, 4),
            "log_loss_std": round(self.log_loss_std, 4),
            "fit_seconds_mean": round(self.fit_seconds_mean, 2),
            "precision": {k: round(v, 4) for k, v in self.precision.items()},
            "recall": {k: round(v, 4) for k, v in self.recall.items()},
            "confusion": self.confusion.tolist(),
        }


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator / denominator) if denominator else 0.0


# --------------------------------------------------------------------------- baselines
class MajorityBaseline:
    """Majority-class baseline (sklearn DummyClassifier, 'prior' probabilities)."""

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> MajorityBaseline:
        self.model_ = DummyClassifier(strategy="prior").fit(np.zeros((len(y), 1)), y)
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        return self.model_.predict_proba(np.zeros((len(X), 1)))


class DefaultLightGBM:
    """``LGBMClassifier()`` with its defaults on the nine attributes, native categoricals."""

    def __init__(self, n_jobs: int = 2, random_state: int = 0) -> None:
        self.n_jobs = n_jobs
        self.random_state = random_state

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> DefaultLightGBM:
        from lightgbm import LGBMClassifier

        self.model_ = LGBMClassifier(n_jobs=self.n_jobs, random_state=self.random_state, verbose=-1)
        self.model_.fit(coerce_features(X), np.asarray(y, dtype=object))
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        return np.asarray(self.model_.predict_proba(coerce_features(X)))


def default_factories(random_state: int = 0) -> dict[str, EstimatorFactory]:
    """The models :func:`cross_validate_model` compares: baselines first, product last."""
    return {
        "majority class": MajorityBaseline,
        "LightGBM defaults": lambda: DefaultLightGBM(random_state=random_state),
        "segment model": lambda: SegmentModel(random_state=random_state),
    }


# --------------------------------------------------------------------------- protocol
def cross_validate_model(
    X: pd.DataFrame,
    y: Any,
    *,
    n_splits: int = 5,
    n_repeats: int = 3,
    random_state: int = 0,
    estimator_factory: EstimatorFactory | None = None,
    baselines: bool = True,
    progress: ProgressCallback | None = None,
) -> dict[str, CVReport]:
    """Repeated stratified k-fold CV; every model sees exactly the same folds.

    ``estimator_factory`` builds the product's model (default :class:`SegmentModel`); with
    ``baselines`` the majority class and default LightGBM are run in the same loop. Returns
    ``{name: CVReport}`` in the order baselines, then "segment model". ``n_splits`` in
    [2, 20], ``n_repeats`` >= 1. ``progress(done, total, name)`` is called after each fit.
    """
    factories = default_factories(random_state)
    if estimator_factory is not None:
        factories["segment model"] = estimator_factory
    if not baselines:
        factories = {"segment model": factories["segment model"]}
    return run_protocol(
        X,
        y,
        factories,
        n_splits=n_splits,
        n_repeats=n_repeats,
        random_state=random_state,
        progress=progress,
    )


def run_protocol(
    X: pd.DataFrame,
    y: Any,
    factories: dict[str, EstimatorFactory],
    *,
    n_splits: int = 5,
    n_repeats: int = 3,
    random_state: int = 0,
    progress: ProgressCallback | None = None,
) -> dict[str, CVReport]:
    """Cross-validate each factory's model on the same repeated stratified folds."""
    labels = np.asarray(pd.Series(np.asarray(y, dtype=object)).astype(str), dtype=object)
    features = X.reset_index(drop=True)
    splitter = RepeatedStratifiedKFold(
        n_splits=n_splits, n_repeats=n_repeats, random_state=random_state
    )
    folds = list(splitter.split(np.zeros(len(labels)), labels))
    reports = {name: CVReport(name=name) for name in factories}
    total, done = len(folds) * len(factories), 0
    for fold_number, (train, test) in enumerate(folds):
        last_repeat = fold_number >= len(folds) - n_splits
        for name, factory in factories.items():
            _score_fold(reports[name], factory, features, labels, train, test, last_repeat)
            done += 1
            if progress is not None:
                progress(done, total, name)
    return reports


def _score_fold(
    report: CVReport,
    factory: EstimatorFactory,
    X: pd.DataFrame,
    y: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
    keep_oof: bool,
) -> None:
    started = time.perf_counter()
    model = factory()
    model.fit(X.iloc[train].reset_index(drop=True), y[train])
    report.fit_seconds.append(time.perf_counter() - started)
    probabilities = np.asarray(model.predict_proba(X.iloc[test].reset_index(drop=True)))
    predicted = np.array(CLASSES, dtype=object)[probabilities.argmax(axis=1)]
    report.accuracies.append(float(accuracy_score(y[test], predicted)))
    report.log_losses.append(float(log_loss(y[test], probabilities, labels=list(CLASSES))))
    report.confusion += confusion_matrix(y[test], predicted, labels=list(CLASSES))
    if keep_oof:
        if report.oof_probabilities is None:
            report.oof_probabilities = np.full((len(y), len(CLASSES)), np.nan)
        report.oof_probabilities[test] = probabilities
