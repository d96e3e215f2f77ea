"""The review queue's choices: a person picks the segment of a prospect whose set holds more
than one; every export of the batch then carries that segment with ``Source`` = ``reviewed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from segmentor.domain.output import PROBABILITY_COLUMNS, SOURCE_REVIEWED
from segmentor.domain.schema import SEGMENTS
from segmentor.errors import SegmentorError

REVIEWER_LENGTH = 100


@dataclass(frozen=True)
class ReviewChoice:
    """The segment chosen for one row (1-based position in its batch)."""

    row: int
    segment: str


@dataclass(frozen=True)
class Review:
    """A stored choice: with who made it and when."""

    row: int
    segment: str
    reviewer: str
    created: datetime


def check_choice(row: object, segment: object, rows: int, source: str) -> ReviewChoice:
    """A valid choice for a batch of ``rows`` rows; anything else is a user error."""
    number = whole_number(row) or 0
    if not 1 <= number <= rows:
        raise SegmentorError(
            "no such row in the batch", file=source, value=str(row), fix=f"give a row 1-{rows}"
        )
    letter = str(segment).strip().upper()
    if letter not in SEGMENTS:
        raise SegmentorError(
            "unknown segment", file=source, row=number, value=str(segment), fix="use A, B, C or D"
        )
    return ReviewChoice(number, letter)


def check_reviewer(reviewer: str) -> str:
    name = str(reviewer or "").strip()
    if not name or len(name) > REVIEWER_LENGTH:
        raise SegmentorError(
            "a review needs the reviewer's name",
            value=name[:40],
            fix=f"give who reviewed (1-{REVIEWER_LENGTH} characters)",
        )
    return name


def apply_reviews(
    frame: pd.DataFrame, rows: np.ndarray, reviews: dict[int, Review]
) -> pd.DataFrame:
    """The scored ``frame`` (batch positions ``rows``) with the reviewed segments applied."""
    if not reviews:
        return frame.copy()
    dtypes = frame.dtypes.to_dict()
    frame = frame.astype(dict.fromkeys(("Segmentation", "Source", "Segment_Set"), object))
    chosen = pd.Series([reviews[r].segment if r in reviews else None for r in rows], dtype=object)
    mask = chosen.notna().to_numpy()
    if not mask.any():
        return frame.astype(dtypes)
    frame.loc[mask, "Segmentation"] = chosen[mask].to_numpy()
    frame.loc[mask, "Source"] = SOURCE_REVIEWED
    frame.loc[mask, "Segment_Set"] = chosen[mask].to_numpy()
    frame.loc[mask, "Needs_Review"] = False
    probabilities = frame.loc[mask, list(PROBABILITY_COLUMNS)].to_numpy()
    index = pd.Index(SEGMENTS).get_indexer(chosen[mask])
    # Confidence stays the model's probability of the chosen segment: the person decided, the
    # model's belief did not change.
    frame.loc[mask, "Confidence"] = probabilities[np.arange(len(index)), index]
    return frame.astype(dtypes)


def whole_number(value: object) -> int | None:
    """A spreadsheet cell as a whole number ("7", "7.0" and 7.0 from Excel), else None."""
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() else None
