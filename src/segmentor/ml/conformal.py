"""Prediction sets with guaranteed coverage: Mondrian (class-conditional) conformal prediction.

For each prospect the set holds every segment whose class-conditional conformal p-value is at
least ``1 - coverage``: the true segment is in the set with probability >= ``coverage`` for
every segment separately (not only on average), provided the calibration rows and the new
prospects come from the same population.

Calibration uses out-of-fold probabilities: at train time the cross-validation
(:func:`segmentor.ml.evaluation.cross_validate_model`) fits the same
:class:`~segmentor.ml.blend.SegmentModel` on k-1 folds and scores the held-out fold, so no
calibration score comes from a row its model was fitted on. The non-conformity
score is crepes' ``hinge`` (1 - probability of the segment), calibrated by crepes'
:class:`~crepes.ConformalClassifier` with the true segment as Mondrian category; its
non-smoothed p-values are computed here on the sorted scores (:func:`_p_values`, the same
values as crepes', which loops over rows in Python). The shipped
model is fitted on all rows, so it is at least as good as the fold models: its scores on new
prospects are, if anything, lower than the calibration scores, which errs towards coverage.

The most probable segment is always in the set, so the set never contradicts the predicted
segment and is never empty (adding a segment can only raise coverage).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from crepes import ConformalClassifier
from crepes.extras import hinge

from segmentor.domain.schema import SEGMENTS
from segmentor.errors import SegmentorError

DEFAULT_COVERAGE = 0.9
MIN_COVERAGE, MAX_COVERAGE = 0.5, 0.99
DEFAULT_FOLDS = 5
CALIBRATION_FILE = "calibration.csv"
SET_SEPARATOR = "|"
_LABEL = "Segmentation"
_PROBABILITIES = tuple(f"Prob_{segment}" for segment in SEGMENTS)


def check_coverage(coverage: float) -> float:
    """``coverage`` as a float in [0.5, 0.99]; anything else is a user error."""
    try:
        value = float(coverage)
    except (TypeError, ValueError):
        value = float("nan")
    if not MIN_COVERAGE <= value <= MAX_COVERAGE:
        raise SegmentorError(
            "the coverage must be a probability between 0.5 and 0.99",
            value=str(coverage),
            fix="give e.g. --coverage 0.9 (90% of the sets hold the true segment)",
        )
    return value


@dataclass
class SegmentSets:
    """A Mondrian conformal classifier calibrated on out-of-fold probabilities.

    ``probabilities``: (n, 4) out-of-fold probabilities of A-D; ``labels``: the n true
    segments. :meth:`predict` turns a model's probabilities into sets.
    """

    probabilities: np.ndarray
    labels: np.ndarray
    _classifier: ConformalClassifier | None = field(default=None, init=False, repr=False)
    _sorted: list[np.ndarray] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.probabilities = np.asarray(self.probabilities, dtype="float64")
        self.labels = np.asarray(self.labels, dtype=object)
        if self.probabilities.shape != (len(self.labels), len(SEGMENTS)):
            raise ValueError("probabilities must be (n, 4) with one label per row")

    @property
    def rows(self) -> int:
        return len(self.labels)

    def classifier(self) -> ConformalClassifier:
        if self._classifier is None:
            classes = np.asarray(SEGMENTS, dtype=object)
            alphas = hinge(self.probabilities, classes, self.labels)
            self._classifier = ConformalClassifier().fit(alphas, bins=self.labels)
        return self._classifier

    def predict(self, probabilities: np.ndarray, coverage: float = DEFAULT_COVERAGE) -> np.ndarray:
        """Boolean membership (n, 4): segment j is in row i's set at the given coverage."""
        confidence = check_coverage(coverage)
        probabilities = np.asarray(probabilities, dtype="float64")
        alphas = hinge(probabilities)
        members = np.zeros(probabilities.shape, dtype=bool)
        for index, calibration in enumerate(self._sorted_calibration_alphas()):
            members[:, index] = _p_values(calibration, alphas[:, index]) >= 1 - confidence
        if len(members):
            members[np.arange(len(members)), probabilities.argmax(axis=1)] = True
        return members

    def _sorted_calibration_alphas(self) -> list[np.ndarray]:
        """Per segment, the non-conformity scores of its calibration rows, sorted."""
        if self._sorted is None:
            classifier = self.classifier()
            bins = np.asarray(classifier.bins, dtype=object)
            self._sorted = [np.sort(classifier.alphas[bins == segment]) for segment in SEGMENTS]
        return self._sorted

    def to_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.probabilities, columns=list(_PROBABILITIES))
        frame.insert(0, _LABEL, self.labels)
        return frame

    def save(self, path: Path) -> None:
        self.to_frame().to_csv(path, index=False, float_format="%.17g")

    @classmethod
    def load(cls, path: Path) -> SegmentSets:
        try:
            frame = pd.read_csv(path, dtype={_LABEL: str})
            return cls(frame[list(_PROBABILITIES)].to_numpy(), frame[_LABEL].to_numpy())
        except (OSError, ValueError, KeyError) as error:
            raise SegmentorError(
                f"the calibration file is missing or corrupt ({error})",
                file=str(path),
                fix="retrain with `segmentor train`",
            ) from None


def _p_values(calibration: np.ndarray, alphas: np.ndarray) -> np.ndarray:
    """crepes' non-smoothed Mondrian p-values, (#{calibration >= alpha} + 1) / (q + 1).

    crepes (``p_values_batch``) counts with one ``np.sum`` per row and class in Python: 24 of
    the 56 s of 200,000 rows. On the sorted scores the count is one binary search per row,
    the same integers divided the same way, hence the same p-values to the bit (tested
    against crepes, ties included).
    """
    above_or_equal = len(calibration) - np.searchsorted(calibration, alphas, side="left")
    return (above_or_equal + 1) / (len(calibration) + 1)


def set_labels(members: np.ndarray) -> np.ndarray:
    """Membership rows as ``A|D`` strings, segments in A-D order."""
    letters = np.asarray(SEGMENTS)
    # Each of the 16 possible sets spelt once, then looked up by its bit pattern.
    patterns = np.arange(2 ** len(SEGMENTS))[:, None] >> np.arange(len(SEGMENTS)) & 1
    spelt = np.array([SET_SEPARATOR.join(letters[row == 1]) for row in patterns], dtype=object)
    members = np.asarray(members, dtype=bool).reshape(-1, len(SEGMENTS))
    return spelt[members @ (1 << np.arange(len(SEGMENTS)))]


def coverage_report(members: np.ndarray, labels: np.ndarray) -> dict[str, dict[str, float]]:
    """Per segment: empirical coverage and mean set size of rows truly in it; and overall."""
    labels = np.asarray(labels, dtype=object)
    truth = np.asarray(SEGMENTS, dtype=object)[None, :] == labels[:, None]
    covered = (members & truth).any(axis=1)
    sizes = members.sum(axis=1)
    report = {
        segment: {
            "coverage": float(covered[labels == segment].mean()),
            "mean_set_size": float(sizes[labels == segment].mean()),
            "rows": int((labels == segment).sum()),
        }
        for segment in SEGMENTS
    }
    report["all"] = {
        "coverage": float(covered.mean()),
        "mean_set_size": float(sizes.mean()),
        "rows": len(labels),
    }
    return report
