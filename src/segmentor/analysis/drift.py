"""Drift over time: the market check of each scored batch, kept in the store, and the
series of PSI, classifier AUC and live accuracy per batch that `segmentor drift` and the
app's drift page show.

The check of a batch is :func:`segmentor.analysis.market.check_market` on its prospects
(a random sample of :data:`MAX_CHECKED_ROWS` for bigger files: PSI and the classifier AUC
are stable long before that, and a save must not take minutes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from segmentor.analysis import market
from segmentor.domain.schema import CustomerTable, parse_customers
from segmentor.domain.verdict import UnreadColumns
from segmentor.io import checks, feedback
from segmentor.io.store import Store
from segmentor.ml.gate import wilson_interval
from segmentor.ml.trained import TrainedModel

MAX_CHECKED_ROWS = 20_000


def check_values(report: market.MarketCheck) -> dict[str, Any]:
    """A market check as the columns kept with a batch."""
    drift = report.drift
    top = drift.iloc[0] if len(drift) else None
    return {
        "compared": report.compared,
        "known_excluded": report.known_excluded,
        "psi_max": None if top is None else float(top["psi"]),
        "psi_attribute": None if top is None else str(top["attribute"]),
        "auc": report.auc,
        "auc_std": report.auc_std,
        "level": report.level,
        "psi": {str(r.attribute): float(r.psi) for r in drift.itertuples()},
    }


def check_batch(
    raw: pd.DataFrame,
    source: str,
    model: TrainedModel,
    existing: pd.DataFrame | None = None,
    *,
    random_state: int = 0,
) -> market.MarketCheck:
    """The market check of a batch's raw rows against the model's existing customers."""
    if len(raw) > MAX_CHECKED_ROWS:
        raw = raw.sample(MAX_CHECKED_ROWS, random_state=random_state)
    table: CustomerTable = parse_customers(raw.reset_index(drop=True), source)
    reference = existing if existing is not None else market.existing_customers(model.known)
    return market.check_market(table, reference, model.known, random_state=random_state)


def existing_or_none(model: TrainedModel) -> pd.DataFrame | None:
    """The model's existing customers with all nine attributes, or None when its known
    customers lack some (models saved with the stable attributes only: no check then)."""
    try:
        return market.existing_customers(model.known)
    except ValueError:
        return None


def record_batch_check(
    store: Store,
    batch_id: int,
    raw: pd.DataFrame,
    source: str,
    model: TrainedModel,
    existing: pd.DataFrame | None = None,
) -> market.MarketCheck | None:
    """Check a stored batch's rows and keep the check with it (None: no reference to check
    against, see :func:`existing_or_none`)."""
    if len(raw) < market.MIN_COMPARED:
        # Too few rows to judge a market (no classifier test would run): a one-customer API
        # call keeps its milliseconds instead of paying for a check that says "too few".
        return None
    reference = existing if existing is not None else existing_or_none(model)
    if reference is None:
        return None
    try:
        report = check_batch(raw, source, model, reference)
    except UnreadColumns:
        # A file scored with --accept-unknown (or read through a mapping, which the check
        # does not apply yet): the check refuses to judge columns it cannot read.
        return None
    checks.save_check(store, batch_id, check_values(report))
    return report


@dataclass(frozen=True)
class DriftPoint:
    """One batch on the drift time line."""

    batch_id: int
    created: pd.Timestamp
    source_name: str
    model_version: str
    rows: int
    compared: int | None
    psi_max: float | None
    psi_attribute: str | None
    auc: float | None
    level: str | None
    feedback_rows: int
    live_accuracy: float | None
    live_low: float | None
    live_high: float | None


def drift_series(store: Store, limit: int | None = None) -> list[DriftPoint]:
    """The batches oldest first, with their market check and live accuracy (if any)."""
    live = feedback.accuracy_per_batch(store)
    points = []
    for item in checks.checked_batches(store, limit):
        check = item.check or {}
        counts = live.get(item.batch.id)
        low = high = accuracy = None
        if counts is not None and counts.scored:
            accuracy = counts.correct / counts.scored
            low, high = wilson_interval(counts.correct, counts.scored)
        points.append(
            DriftPoint(
                batch_id=item.batch.id,
                created=pd.Timestamp(item.batch.created),
                source_name=item.batch.source_name,
                model_version=item.batch.model_version,
                rows=item.batch.rows,
                compared=check.get("compared"),
                psi_max=check.get("psi_max"),
                psi_attribute=check.get("psi_attribute"),
                auc=check.get("auc"),
                level=check.get("level"),
                feedback_rows=0 if counts is None else counts.scored,
                live_accuracy=accuracy,
                live_low=low,
                live_high=high,
            )
        )
    return points


def drift_frame(points: list[DriftPoint]) -> pd.DataFrame:
    """The time line as a table (for the app's chart and ``--json``)."""
    return pd.DataFrame([point.__dict__ for point in points])
