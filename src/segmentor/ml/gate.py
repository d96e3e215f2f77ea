"""The statistics of the retraining gate: paired comparisons on the same rows, and the
interval of a live accuracy.

Two models scored on the same rows are compared row by row, not by two separate accuracies:
only the rows where exactly one of them is right say anything about which is better.

- ``difference``: accuracy of the challenger minus the champion's, with a 95 % confidence
  interval for paired proportions (Wald interval of the mean per-row difference);
- ``p_value``: the exact McNemar test (two-sided binomial test on the discordant rows).

A challenger is *not worse* on a set of rows when the interval's lower bound is above
``-margin`` (a non-inferiority test): with few rows the interval is wide and the gate says
no, which is the point: it never promotes on luck.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy import stats

Z_95 = float(stats.norm.ppf(0.975))
# Below this many held-out feedback rows no comparison is trusted (the gate refuses).
MIN_FEEDBACK = 30
FEEDBACK_MARGIN = 0.02
OLD_MARKET_MARGIN = 0.01


@dataclass(frozen=True)
class PairedComparison:
    """Champion and challenger scored on the same ``rows`` of one set."""

    name: str
    rows: int
    champion_accuracy: float
    challenger_accuracy: float
    difference: float
    low: float
    high: float
    only_champion_right: int
    only_challenger_right: int
    p_value: float
    margin: float

    @property
    def not_worse(self) -> bool:
        return self.rows > 0 and self.low >= -self.margin

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"not_worse": self.not_worse}


def compare_paired(
    name: str,
    truth: np.ndarray,
    champion: np.ndarray,
    challenger: np.ndarray,
    margin: float,
) -> PairedComparison:
    """Compare two models' predicted segments on the same rows (arrays of equal length)."""
    truth, champion, challenger = (
        np.asarray(a, dtype=object) for a in (truth, champion, challenger)
    )
    rows = len(truth)
    champion_right = champion == truth
    challenger_right = challenger == truth
    per_row = challenger_right.astype(float) - champion_right.astype(float)
    only_champion = int((champion_right & ~challenger_right).sum())
    only_challenger = int((challenger_right & ~champion_right).sum())
    difference = float(per_row.mean()) if rows else 0.0
    half_width = Z_95 * float(per_row.std(ddof=1) / np.sqrt(rows)) if rows > 1 else np.inf
    discordant = only_champion + only_challenger
    p_value = float(stats.binomtest(only_challenger, discordant, 0.5).pvalue) if discordant else 1.0
    return PairedComparison(
        name=name,
        rows=rows,
        champion_accuracy=float(champion_right.mean()) if rows else 0.0,
        challenger_accuracy=float(challenger_right.mean()) if rows else 0.0,
        difference=difference,
        low=difference - half_width,
        high=difference + half_width,
        only_champion_right=only_champion,
        only_challenger_right=only_challenger,
        p_value=p_value,
        margin=margin,
    )


@dataclass(frozen=True)
class GateDecision:
    """The verdict on a challenger: promote only when it is not worse on both sets."""

    feedback: PairedComparison
    old_market: PairedComparison

    @property
    def promote(self) -> bool:
        return not self.reasons

    @property
    def reasons(self) -> list[str]:
        """Why the challenger is refused (empty when it is promoted)."""
        reasons = []
        if self.feedback.rows < MIN_FEEDBACK:
            reasons.append(
                f"only {self.feedback.rows} held-out feedback rows (at least {MIN_FEEDBACK})"
            )
        for comparison in (self.feedback, self.old_market):
            if not comparison.not_worse:
                reasons.append(
                    f"worse on {comparison.name}: accuracy difference "
                    f"{comparison.difference:+.3f}, 95% CI [{comparison.low:+.3f}, "
                    f"{comparison.high:+.3f}] below -{comparison.margin:.2f}"
                )
        return reasons

    def as_dict(self) -> dict[str, Any]:
        return {
            "promote": self.promote,
            "reasons": self.reasons,
            "feedback": self.feedback.as_dict(),
            "old_market": self.old_market.as_dict(),
        }


def wilson_interval(correct: int, rows: int) -> tuple[float, float]:
    """95 % Wilson score interval of an accuracy of ``correct`` out of ``rows`` (0..1)."""
    if rows == 0:
        return (0.0, 1.0)
    interval = stats.binomtest(correct, rows).proportion_ci(0.95, method="wilson")
    return (float(interval.low), float(interval.high))
