"""Draft personas: the traits that most distinguish a segment from the whole table.

For every category value the lift is its share within the segment divided by its share in the
whole table (2.9 = "2.9x more"); for every number the segment's median is set beside the
table's. :func:`distinguishing_traits` keeps the strongest lifts (one per attribute, values
held by at least :data:`MIN_SHARE` of the segment) and the numbers whose medians differ, and
:mod:`segmentor.presentation.personas` says them in English or French, e.g. "2.9x more
Healthcare, median age 29, 72% never married". Numbers only here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from segmentor.domain.schema import CATEGORICAL, NUMERIC, SEGMENTS

MIN_SHARE = 0.15  # a trait held by fewer of the segment's customers is not a persona
MAX_LIFTS = 3


@dataclass(frozen=True)
class Lift:
    """A category value over-represented in a segment."""

    attribute: str
    value: str
    share: float  # within the segment
    overall: float  # in the whole table

    @property
    def lift(self) -> float:
        return self.share / self.overall if self.overall else float("inf")


@dataclass(frozen=True)
class Median:
    """A number's median in a segment beside the whole table's."""

    attribute: str
    median: float
    overall: float


@dataclass(frozen=True)
class Traits:
    segment: str
    customers: int
    share: float
    lifts: tuple[Lift, ...]
    medians: tuple[Median, ...]


def distinguishing_traits(features: pd.DataFrame, segments: pd.Series) -> dict[str, Traits]:
    """The distinguishing traits of each segment present in ``segments`` (aligned rows)."""
    labels = pd.Series(np.asarray(segments, dtype=object), index=features.index)
    result = {}
    for segment in SEGMENTS:
        inside = (labels == segment).to_numpy()
        if inside.any():
            result[segment] = Traits(
                segment,
                int(inside.sum()),
                float(inside.mean()),
                _lifts(features, inside),
                _medians(features, inside),
            )
    return result


def _lifts(features: pd.DataFrame, inside: np.ndarray) -> tuple[Lift, ...]:
    best: list[Lift] = []
    for column in CATEGORICAL:
        values = features[column].astype("object")
        overall = values.value_counts(normalize=True)
        within = values[inside].value_counts(normalize=True)
        candidates = [
            Lift(column, str(value), float(share), float(overall[value]))
            for value, share in within.items()
            if share >= MIN_SHARE
        ]
        if candidates:
            best.append(max(candidates, key=lambda lift: lift.lift))
    strong = [lift for lift in best if lift.lift > 1.05]
    return tuple(sorted(strong, key=lambda lift: -lift.lift)[:MAX_LIFTS])


def _medians(features: pd.DataFrame, inside: np.ndarray) -> tuple[Median, ...]:
    medians = []
    for column in NUMERIC:
        numbers = pd.to_numeric(features[column], errors="coerce")
        segment_median, overall = numbers[inside].median(), numbers.median()
        if pd.notna(segment_median) and (column == "Age" or segment_median != overall):
            medians.append(Median(column, float(segment_median), float(overall)))
    return tuple(medians)
