"""The counts of a scored frame: the same whichever way they are taken (domain/output.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segmentor.domain.output import SMALL_FRAME, BatchSummary


def _scored(n_rows: int, dtype: object) -> pd.DataFrame:
    rng = np.random.default_rng(n_rows)
    notes = rng.choice(np.array(["", "Age: out of range", None, np.nan], dtype=object), n_rows)
    return pd.DataFrame(
        {
            # No row in D: a segment absent from a frame counts 0.
            "Segmentation": pd.array(rng.choice(["A", "B", "C"], n_rows), dtype=dtype),
            "Source": pd.array(rng.choice(["known", "model", "reviewed"], n_rows), dtype=dtype),
            "Notes": pd.array(notes, dtype=dtype),
        }
    )


@pytest.mark.parametrize("dtype", ["string", object])
@pytest.mark.parametrize("n_rows", [0, 1, SMALL_FRAME, SMALL_FRAME + 1, 5000])
def test_counts_are_those_of_the_rows(n_rows: int, dtype: object) -> None:
    frame = _scored(n_rows, dtype)
    summary = BatchSummary.of(frame)
    segments = frame["Segmentation"].tolist()
    notes = frame["Notes"].astype(object).tolist()
    assert summary.rows == n_rows
    assert summary.segments == {s: segments.count(s) for s in "ABCD"}
    assert summary.known == frame["Source"].tolist().count("known")
    assert summary.with_notes == sum(isinstance(n, str) and n != "" for n in notes)
