"""The output contract: the columns of a scored table and the summary of a batch.

Output columns (a public contract: other tools read them)::

    ID, Segmentation, Confidence, Prob_A, Prob_B, Prob_C, Prob_D, Source, Notes,
    Segment_Set, Needs_Review

``Source`` is ``known`` (the sales team's own label of an existing customer: probability 1),
``model``, or ``reviewed`` (a person chose the segment in the review queue). ``Notes`` says
what was wrong with the row and how it was handled. ``Segment_Set`` is the conformal
prediction set (``A|D``: the segments that hold the true one with the chosen coverage; a
known or reviewed customer's own segment; empty for a model without calibration) and
``Needs_Review`` is true when it holds more than one segment.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from segmentor.domain.schema import SEGMENTS

PROBABILITY_COLUMNS = tuple(f"Prob_{segment}" for segment in SEGMENTS)
SET_COLUMNS = ("Segment_Set", "Needs_Review")
OUTPUT_COLUMNS = (
    "ID",
    "Segmentation",
    "Confidence",
    *PROBABILITY_COLUMNS,
    "Source",
    "Notes",
    *SET_COLUMNS,
)
SOURCE_KNOWN = "known"
SOURCE_MODEL = "model"
SOURCE_REVIEWED = "reviewed"
SOURCES = (SOURCE_KNOWN, SOURCE_MODEL, SOURCE_REVIEWED)


@dataclass
class BatchSummary:
    """Counts of scored rows: rows, per segment, known customers, rows with notes.

    The one place these counts are computed; scoring, the engines, the store and the app
    all add scored frames to one.
    """

    rows: int = 0
    segments: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEGMENTS, 0))
    known: int = 0
    with_notes: int = 0

    def add_frame(self, frame: pd.DataFrame) -> None:
        """Count a scored frame (needs the Segmentation, Source and Notes columns)."""
        self.rows += len(frame)
        counts = _counts(frame) if len(frame) > SMALL_FRAME else _small_counts(frame)
        for segment in SEGMENTS:
            self.segments[segment] += int(counts.segments.get(segment, 0))
        self.known += counts.known
        self.with_notes += counts.with_notes

    @classmethod
    def of(cls, frame: pd.DataFrame) -> BatchSummary:
        summary = cls()
        summary.add_frame(frame)
        return summary

    def as_dict(self) -> dict[str, object]:
        return {
            "rows": self.rows,
            "segments": dict(self.segments),
            "known": self.known,
            "with_notes": self.with_notes,
        }


# pandas' value_counts and comparisons cost about 1.5 ms whatever the size, more than an API
# request of one customer pays for the rest of its store append; plain lists cost 6 x more
# per row on a chunk of 100,000 (39 against 6 ms). Below this size, lists.
SMALL_FRAME = 256


@dataclass(frozen=True)
class _Counts:
    segments: Mapping[str, int]
    known: int
    with_notes: int


def _counts(frame: pd.DataFrame) -> _Counts:
    return _Counts(
        frame["Segmentation"].value_counts().to_dict(),
        int((frame["Source"] == SOURCE_KNOWN).sum()),
        int((frame["Notes"].fillna("") != "").sum()),
    )


def _small_counts(frame: pd.DataFrame) -> _Counts:
    notes = frame["Notes"].tolist()
    return _Counts(
        Counter(frame["Segmentation"].tolist()),
        frame["Source"].tolist().count(SOURCE_KNOWN),
        sum(
            1 for note in notes if not (note is None or note is pd.NA or note != note or note == "")
        ),
    )


def _blank(note: object) -> bool:
    """No note: missing (None, NA, NaN) or empty, as ``fillna("") == ""`` decides."""
    return note is None or note is pd.NA or note != note or note == ""
