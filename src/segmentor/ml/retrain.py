"""Retraining on the new market's confirmed customers, behind a gate.

:func:`evaluate_challenger` measures a challenger against the champion on two sets of rows,
each scored by both (see :mod:`segmentor.ml.gate`):

- **held-out feedback**: the confirmed prospects of the new market. The champion never saw
  them; the challenger predicts each one from a fold it was not trained on (k-fold
  cross-fitting, so every feedback row is held out once and none is wasted);
- **the old market**: the existing customers, out of fold on the same k folds, the
  champion's recipe trained on the old folds only, the challenger's on the same old folds
  plus the feedback folds.

The challenger's recipe is the champion's estimator parameters (``clone``) trained on the
existing customers plus each feedback row repeated ``weight`` times (the new market may
deserve more weight than its share of rows; ``benchmarks/retrain_weight.py`` measures it).
:func:`fit_challenger` then fits it on everything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import KFold, StratifiedKFold

from segmentor.domain.feedback import attributes_frame
from segmentor.domain.known import KnownCustomers
from segmentor.domain.schema import FEATURES, ID, SEGMENTS, TARGET, CustomerTable, parse_customers
from segmentor.errors import SegmentorError
from segmentor.io.feedback import TrainingFeedback
from segmentor.ml.gate import FEEDBACK_MARGIN, OLD_MARKET_MARGIN, GateDecision, compare_paired
from segmentor.ml.trained import TrainedModel, library_versions

EstimatorFactory = Callable[[], Any]
Progress = Callable[[str], None]
DEFAULT_WEIGHT = 1


@dataclass
class FeedbackTable:
    """Confirmed prospects as a feature table with their true segments."""

    features: pd.DataFrame
    labels: np.ndarray
    ids: np.ndarray

    @classmethod
    def of(cls, feedback: Sequence[TrainingFeedback]) -> FeedbackTable:
        if not feedback:
            raise SegmentorError(
                "there is no confirmed feedback with the prospects' attributes to train on",
                fix="import feedback files that hold the nine attributes "
                "(`segmentor feedback import FILE`)",
            )
        raw = attributes_frame([entry.attributes for entry in feedback])
        table = parse_customers(raw, "feedback")
        return cls(
            features=table.features.reset_index(drop=True),
            labels=np.array([entry.segment for entry in feedback], dtype=object),
            ids=np.array([entry.customer_id for entry in feedback], dtype=object),
        )


def evaluate_challenger(
    champion: TrainedModel,
    old: CustomerTable,
    feedback: FeedbackTable,
    *,
    weight: int = DEFAULT_WEIGHT,
    folds: int = 3,
    random_state: int = 0,
    challenger_factory: EstimatorFactory | None = None,
    progress: Progress = lambda _message: None,
) -> GateDecision:
    """Champion against challenger on the same rows: held-out feedback and the old market."""
    make_challenger = challenger_factory or (lambda: clone(champion.estimator))
    old_features = old.features.reset_index(drop=True)
    old_labels = old.frame[TARGET].astype(str).to_numpy(dtype=object)
    champion_old = np.empty(len(old_labels), dtype=object)
    challenger_old = np.empty(len(old_labels), dtype=object)
    challenger_feedback = np.empty(len(feedback.labels), dtype=object)
    old_folds = StratifiedKFold(folds, shuffle=True, random_state=random_state)
    new_folds = _feedback_folds(feedback.labels, folds, random_state)
    for number, ((old_fit, old_held), (new_fit, new_held)) in enumerate(
        zip(old_folds.split(old_features, old_labels), new_folds, strict=True), start=1
    ):
        progress(f"fold {number}/{folds}: champion's recipe on the old market")
        recipe = clone(champion.estimator).fit(
            old_features.iloc[old_fit].reset_index(drop=True), old_labels[old_fit]
        )
        champion_old[old_held] = _predict(recipe, old_features.iloc[old_held])
        progress(f"fold {number}/{folds}: challenger on old market + feedback")
        features, labels = _combined(
            old_features.iloc[old_fit],
            old_labels[old_fit],
            feedback.features.iloc[new_fit],
            feedback.labels[new_fit],
            weight,
        )
        challenger = make_challenger().fit(features, labels)
        challenger_old[old_held] = _predict(challenger, old_features.iloc[old_held])
        challenger_feedback[new_held] = _predict(challenger, feedback.features.iloc[new_held])
    champion_feedback = _predict(champion.estimator, feedback.features)
    return GateDecision(
        feedback=compare_paired(
            "held-out feedback",
            feedback.labels,
            champion_feedback,
            challenger_feedback,
            FEEDBACK_MARGIN,
        ),
        old_market=compare_paired(
            "old market (CV)", old_labels, champion_old, challenger_old, OLD_MARKET_MARGIN
        ),
    )


def fit_challenger(
    champion: TrainedModel,
    old: CustomerTable,
    feedback: FeedbackTable,
    decision: GateDecision | None,
    *,
    weight: int = DEFAULT_WEIGHT,
    old_sha256: str,
    challenger_factory: EstimatorFactory | None = None,
) -> TrainedModel:
    """Fit the challenger on all old customers and all feedback; its card says how."""
    make_challenger = challenger_factory or (lambda: clone(champion.estimator))
    old_labels = old.frame[TARGET].astype(str).to_numpy(dtype=object)
    features, labels = _combined(
        old.features, old_labels, feedback.features, feedback.labels, weight
    )
    estimator = make_challenger().fit(features, labels)
    card = {
        "model": type(estimator).__name__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "data_source": f"{old.source} + {len(feedback.labels)} confirmed prospects",
        "data_sha256": training_sha256(old_sha256, feedback),
        "rows": len(old.frame) + len(feedback.labels),
        "classes": list(SEGMENTS),
        "class_counts": {s: int((labels == s).sum()) for s in SEGMENTS},
        "feedback_rows": len(feedback.labels),
        "feedback_weight": weight,
        "parent": champion.version,
        "cv": _card_cv(decision),
        "gate": decision.as_dict() if decision is not None else None,
        "versions": library_versions(),
    }
    return TrainedModel(estimator, _known(old, feedback), card)


def training_sha256(old_sha256: str, feedback: FeedbackTable) -> str:
    """A hash of what the challenger learned from: the old data's hash and the feedback."""
    digest = hashlib.sha256(old_sha256.encode())
    for customer_id, segment in zip(feedback.ids, feedback.labels, strict=True):
        digest.update(f"\n{customer_id}\t{segment}".encode())
    digest.update(pd.util.hash_pandas_object(feedback.features, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def _card_cv(decision: GateDecision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    old = decision.old_market
    return {
        "model": "challenger",
        "folds": "gate",
        "accuracy_mean": round(old.challenger_accuracy, 4),
        "feedback_accuracy": round(decision.feedback.challenger_accuracy, 4),
    }


def _known(old: CustomerTable, feedback: FeedbackTable) -> KnownCustomers:
    confirmed = feedback.features.copy()
    confirmed.insert(0, ID, pd.array(feedback.ids, dtype="string"))
    confirmed[TARGET] = feedback.labels
    old_frame = old.frame.loc[:, [ID, *FEATURES, TARGET]].copy()
    old_frame[TARGET] = old_frame[TARGET].astype(str)
    frame = pd.concat([old_frame, confirmed], ignore_index=True)
    return KnownCustomers(frame)


def _combined(
    old_features: pd.DataFrame,
    old_labels: np.ndarray,
    new_features: pd.DataFrame,
    new_labels: np.ndarray,
    weight: int,
) -> tuple[pd.DataFrame, np.ndarray]:
    # A weight is a repetition: SegmentModel takes no sample weights, and repeating rows is
    # what any estimator understands.
    repeated = np.tile(np.arange(len(new_labels)), weight)
    features = pd.concat(
        [old_features, new_features.iloc[repeated]], ignore_index=True
    ).reset_index(drop=True)
    labels = np.concatenate([old_labels, new_labels[repeated]]).astype(object)
    return features, labels


def _feedback_folds(labels: np.ndarray, folds: int, random_state: int) -> list[Any]:
    counts = pd.Series(labels).value_counts()
    if len(labels) < folds:
        raise SegmentorError(
            f"only {len(labels)} confirmed prospects with attributes, fewer than {folds} folds",
            fix="collect more feedback before retraining",
        )
    if counts.min() >= folds:
        splitter: Any = StratifiedKFold(folds, shuffle=True, random_state=random_state)
    else:
        splitter = KFold(folds, shuffle=True, random_state=random_state)
    return list(splitter.split(np.zeros(len(labels)), labels))


def _predict(estimator: Any, features: pd.DataFrame) -> np.ndarray:
    probabilities = np.asarray(estimator.predict_proba(features.reset_index(drop=True)))
    return np.array(SEGMENTS, dtype=object)[probabilities.argmax(axis=1)]
