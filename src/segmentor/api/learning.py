"""API routes of the learning loop: feedback in, live accuracy, model versions, drift.

``POST /feedback`` goes through the same door as the CLI and the review queue
(:func:`segmentor.io.feedback.record_feedback`): conflicts are kept, marked and answered.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, ConfigDict, Field

from segmentor.analysis.drift import drift_frame, drift_series
from segmentor.api.checks import LatestChecks
from segmentor.domain.feedback import FeedbackEntry
from segmentor.domain.schema import FEATURES
from segmentor.io import feedback as records
from segmentor.io import registry as rows
from segmentor.io.store import Store
from segmentor.ml.gate import wilson_interval

Cell = str | int | float | bool | None


class FeedbackItem(BaseModel):
    """One prospect's true segment; the nine attributes too if they are at hand."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"ID": "458989", "True_Segment": "B", "Batch": 1}},
    )

    ID: str | int = Field(description="The ID the prospect was scored with.")
    True_Segment: str = Field(description="A, B, C or D, as the sales team confirmed it.")
    Batch: int | None = Field(default=None, description="The batch that scored it.")
    Gender: Cell = None
    Ever_Married: Cell = None
    Age: Cell = None
    Graduated: Cell = None
    Profession: Cell = None
    Work_Experience: Cell = None
    Spending_Score: Cell = None
    Family_Size: Cell = None
    Var_1: Cell = None

    def entry(self, who: str, position: int) -> FeedbackEntry:
        given = self.model_dump(include=set(FEATURES), exclude_unset=True)
        attributes = given if set(given) == set(FEATURES) else None
        return FeedbackEntry.of(
            self.ID,
            self.True_Segment,
            batch_id=self.Batch,
            who=who,
            attributes=_parsed(attributes),
            where=f"feedback item {position}",
        )


class FeedbackRequest(BaseModel):
    who: str = Field(min_length=1, max_length=128, description="Who confirmed the segments.")
    feedback: list[FeedbackItem] = Field(min_length=1)


def learning_routes(store: Store, checks: LatestChecks) -> APIRouter:
    """The routes; ``checks``: the market checks still waiting behind the answers, which
    ``GET /drift`` runs first so that it reports every request's batch check."""
    router = APIRouter(tags=["learning"])

    @router.post("/feedback")
    def post_feedback(request: Annotated[FeedbackRequest, Body()]) -> dict[str, Any]:
        """Record true segments; answers what was recorded and the conflicts found."""
        entries = [item.entry(request.who, n) for n, item in enumerate(request.feedback, 1)]
        report = records.record_feedback(store, entries, source="api", who=request.who)
        return report.as_dict()

    @router.get("/feedback")
    def get_feedback() -> dict[str, Any]:
        """Counts and the live accuracy (95% Wilson interval) of each model version."""
        summary = records.summarise(store)
        return {
            "confirmed": summary.confirmed,
            "conflicts": summary.conflicts,
            "superseded": summary.superseded,
            "per_segment": summary.per_segment,
            "with_attributes": summary.with_attributes,
            "live_accuracy": [_accuracy(row) for row in summary.per_version],
        }

    @router.get("/models")
    def get_models() -> list[dict[str, Any]]:
        """The registered model versions, newest first; ``champion`` marks the default."""
        return [
            {
                "version": info.version,
                "created": info.created.isoformat(),
                "rows": info.rows,
                "data_sha256": info.data_sha256,
                "cv_accuracy": info.cv_accuracy,
                "parent": info.parent,
                "champion": info.is_champion,
                "promoted_by": info.promoted_by,
                "promoted_at": None if info.promoted_at is None else info.promoted_at.isoformat(),
            }
            for info in rows.list_versions(store)
        ]

    @router.get("/drift")
    def get_drift(limit: int = 50) -> list[dict[str, Any]]:
        """Per batch, oldest first: max PSI, classifier AUC, level and live accuracy (the
        market checks still waiting behind earlier answers run first)."""
        checks.flush()
        frame = drift_frame(drift_series(store, limit))
        if len(frame):
            frame["created"] = frame["created"].map(lambda value: value.isoformat())
        return frame.astype(object).where(frame.notna(), None).to_dict("records")

    return router


def _accuracy(row: records.VersionAccuracy) -> dict[str, Any]:
    low, high = wilson_interval(row.correct, row.scored)
    return {
        "model_version": row.model_version,
        "scored": row.scored,
        "correct": row.correct,
        "accuracy": row.correct / row.scored,
        "low": low,
        "high": high,
    }


def _parsed(attributes: dict[str, Any] | None) -> dict[str, Any] | None:
    """The attributes as the schema reads them (so that a retrain sees what scoring saw)."""
    if attributes is None:
        return None
    import pandas as pd

    from segmentor.domain.schema import NUMERIC, parse_customers

    table = parse_customers(pd.DataFrame([attributes]), "feedback")
    values = table.features.astype(object).iloc[0]
    return {
        name: None
        if pd.isna(values[name])
        else (float(values[name]) if name in NUMERIC else str(values[name]))
        for name in FEATURES
    }
