"""Why a prospect got its segment, and which existing customers look most like it.

**Reasons** are SHAP values of the members (LightGBM ``pred_contrib``, CatBoost
``ShapValues`` and the network's exact Shapley values over the nine attributes), blended like
the probabilities; see :meth:`segmentor.ml.blend.SegmentModel.contributions`. The four
segments' raw scores go through a softmax, which ignores anything added to all four alike,
so what pushes a prospect *toward* segment k is an attribute's contribution to k minus its
mean contribution to the four segments. Positive: toward k; negative: away from it.

**Lookalikes** are the existing customers nearest by a Gower distance over the nine
attributes: a category counts 0 when equal and 1 when different, a number counts its
absolute difference divided by the attribute's range among the customers; the distance is
the mean over the attributes the prospect has. Missing values are handled explicitly: an
attribute the prospect leaves unknown is ignored, and a customer whose value is unknown
where the prospect's is known counts as different on it (a lookalike should be known to
share the attribute).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from segmentor.domain.schema import FEATURES, ID, NUMERIC, SEGMENTS, TARGET, parse_customers
from segmentor.ml.features import PreparedFeatures
from segmentor.ml.trained import TrainedModel

N_LOOKALIKES = 5


@dataclass
class Explanation:
    """One prospect's segment, its four probabilities and the reasons for it."""

    segment: str
    probabilities: dict[str, float]
    reasons: pd.DataFrame

    @property
    def confidence(self) -> float:
        return self.probabilities[self.segment]


def probabilities(model: TrainedModel, features: pd.DataFrame) -> np.ndarray:
    """Calibrated probabilities, shape (n, 4), columns in :data:`SEGMENTS` order."""
    values = model.estimator.predict_proba(features)
    return values[:, _segment_order(model)]


def attributions(model: TrainedModel, features: pd.DataFrame) -> np.ndarray:
    """SHAP values, shape (n, 9, 4): rows, attributes (:data:`FEATURES`), segments A-D."""
    return _attributions(model, model.estimator.prepare(features))


def _attributions(model: TrainedModel, prepared: PreparedFeatures) -> np.ndarray:
    values = np.asarray(model.estimator.contributions_prepared(prepared))
    return values[:, :, _segment_order(model)]


def pushes_toward(values: np.ndarray, segment: str) -> np.ndarray:
    """How much each attribute pushes toward ``segment``, shape (n, 9), raw-score units.

    The contribution to ``segment`` minus the mean contribution to the four segments.
    """
    index = SEGMENTS.index(segment)
    return values[:, :, index] - values.mean(axis=2)


def explain(model: TrainedModel, features: pd.DataFrame) -> Explanation:
    """Segment, probabilities and reasons for the single prospect in ``features`` (one row).

    ``reasons`` has one row per attribute: ``attribute``, ``value`` (None when unknown) and
    ``push`` (toward the predicted segment), sorted from the strongest push toward it.
    """
    if len(features) != 1:
        raise ValueError(f"explain() takes one prospect, got {len(features)} rows")
    prepared = model.estimator.prepare(features)  # once, for both
    probs = model.estimator.predict_proba_prepared(prepared)[0, _segment_order(model)]
    segment = SEGMENTS[int(probs.argmax())]
    push = pushes_toward(_attributions(model, prepared), segment)[0]
    row = features.iloc[0]
    reasons = pd.DataFrame(
        {
            "attribute": list(FEATURES),
            "value": [None if pd.isna(row[c]) else row[c] for c in FEATURES],
            "push": push,
        }
    )
    reasons = reasons.sort_values("push", ascending=False, kind="stable").reset_index(drop=True)
    return Explanation(segment, dict(zip(SEGMENTS, map(float, probs), strict=True)), reasons)


def gower_distance(reference: pd.DataFrame, prospect: pd.Series) -> np.ndarray:
    """Distance in [0, 1] from each reference row to ``prospect`` over the nine attributes.

    Attributes the prospect leaves unknown are ignored; a reference value that is unknown
    where the prospect's is known counts as fully different. All unknown: zeros.
    """
    total = np.zeros(len(reference))
    used = 0
    for column in FEATURES:
        target = prospect[column]
        if pd.isna(target):
            continue
        used += 1
        total += _attribute_distance(reference[column], target, column)
    return total / used if used else total


def _attribute_distance(values: pd.Series, target: object, column: str) -> np.ndarray:
    if column in NUMERIC:
        numbers = values.to_numpy(dtype="float64", na_value=np.nan)
        span = np.nanmax(numbers) - np.nanmin(numbers) if np.isfinite(numbers).any() else 0.0
        gap = np.abs(numbers - float(target)) / (span or 1.0)  # type: ignore[arg-type]
        return np.where(np.isnan(gap), 1.0, np.minimum(gap, 1.0))
    text = values.astype("object").to_numpy()
    return np.array([0.0 if value == target else 1.0 for value in text])


def lookalikes(reference: pd.DataFrame, prospect: pd.Series, k: int = N_LOOKALIKES) -> pd.DataFrame:
    """The ``k`` existing customers most similar to ``prospect``, most similar first.

    ``reference`` has ID, the nine attributes and Segmentation (see
    :func:`segmentor.analysis.market.existing_customers`). Returns those columns and ``similarity``
    (1 - Gower distance, in [0, 1]); ties go to the smaller ID. Empty when the prospect has
    no known attribute (nothing to compare).
    """
    columns = [ID, TARGET, "similarity", *FEATURES]
    if all(pd.isna(prospect[c]) for c in FEATURES):
        return pd.DataFrame(columns=columns)
    distance = gower_distance(reference, prospect)
    ranked = reference.assign(similarity=1.0 - distance, _id=reference[ID].astype(str))
    ranked = ranked.sort_values(["similarity", "_id"], ascending=[False, True], kind="stable")
    return ranked.head(k).loc[:, columns].reset_index(drop=True)


def prospect_features(values: dict[str, object]) -> pd.DataFrame:
    """A one-row typed feature frame from a form's values (a missing key or None: unknown).

    Goes through :func:`segmentor.domain.schema.parse_customers` like every other entry point.
    """
    raw = pd.DataFrame({column: [values.get(column)] for column in FEATURES}, dtype=object)
    return parse_customers(raw, "<form>").features


def _segment_order(model: TrainedModel) -> list[int]:
    classes = [str(c) for c in model.estimator.classes_]
    return [classes.index(segment) for segment in SEGMENTS]
