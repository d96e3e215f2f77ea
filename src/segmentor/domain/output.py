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
        # Counted over plain lists: pandas' value_counts and comparisons cost more than one
        # API request's rows, and no less per row on a large chunk.
        counts = Counter(frame["Segmentation"].tolist())
        self.rows += len(frame)
        for segment in SEGMENTS:
            self.segments[segment] += counts[segment]
        self.known += frame["Source"].tolist().count(SOURCE_KNOWN)
        self.with_notes += sum(1 for note in frame["Notes"].tolist() if not _blank(note))

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


def _blank(note: object) -> bool:
    return note is None or note is pd.NA or note == "" or (isinstance(note, float) and note != note)
