"""API routes of the review queue and the playbooks: ``POST /batches/{id}/reviews``,
``GET /playbooks`` and ``GET /batches/{id}/outreach``; and the playbook of each prediction."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from segmentor.analysis.market import existing_customers
from segmentor.api.deps import RowLimit
from segmentor.domain.playbook import Playbook
from segmentor.domain.review import REVIEWER_LENGTH, check_choice
from segmentor.io.store import Store
from segmentor.io.writers import to_csv_bytes
from segmentor.ml.trained import TrainedModel
from segmentor.presentation.outreach import batch_outreach, draft_playbooks


class PlaybookOut(BaseModel):
    """A segment's playbook: what to offer and say (version 0: a draft, not stored yet)."""

    segment: Literal["A", "B", "C", "D"]
    name: str
    persona: str
    products: list[str]
    message: str
    channel: str
    version: int = Field(ge=0)


class ReviewIn(BaseModel):
    row: int = Field(ge=1, description="1-based row of the batch.")
    segment: Literal["A", "B", "C", "D"]


class ReviewsIn(BaseModel):
    reviewer: str = Field(min_length=1, max_length=REVIEWER_LENGTH)
    reviews: list[ReviewIn] = Field(min_length=1)


class ReviewsStored(BaseModel):
    batch_id: int
    stored: int


class Playbooks:
    """The current playbooks: stored versions over drafts from the model's known customers."""

    def __init__(self, model: TrainedModel, store: Store) -> None:
        self.store = store
        try:
            self.drafts = draft_playbooks(existing_customers(model.known))
        except ValueError:  # a model kept without all attributes: no drafts
            self.drafts = {}
        # (the store's playbooks stamp, the playbooks read at that stamp): every /predict
        # asks, and reading the stamp costs a third of reading the newest versions. One
        # tuple, replaced whole, so that the request threads never see half an update.
        self._read: tuple[tuple[int, int], dict[str, PlaybookOut]] | None = None

    def current(self) -> dict[str, PlaybookOut]:
        """Each segment's playbook as stored now (another process may have added one)."""
        stamp = self.store.playbooks_stamp()
        read = self._read
        if read is None or read[0] != stamp:
            stored = self.store.playbooks()
            result = {s: _out(p, 0) for s, p in self.drafts.items()}
            result.update({s: _out(v.playbook, v.version) for s, v in stored.items()})
            read = self._read = (stamp, result)
        return dict(read[1])

    def plain(self) -> dict[str, Playbook]:
        playbooks = dict(self.drafts)
        playbooks.update({s: v.playbook for s, v in self.store.playbooks().items()})
        return playbooks


def _out(playbook: Playbook, version: int) -> PlaybookOut:
    return PlaybookOut(**playbook.as_dict(), version=version)


def outreach_routes(playbooks: Playbooks, store: Store, rows: RowLimit) -> APIRouter:
    router = APIRouter()

    @router.get("/playbooks", tags=["playbooks"])
    def list_playbooks() -> list[PlaybookOut]:
        """The playbook of each segment (stored, or the draft from the data: version 0)."""
        return list(playbooks.current().values())

    @router.post("/batches/{batch_id}/reviews", tags=["review"])
    def add_reviews(batch_id: int, body: Annotated[ReviewsIn, Body()]) -> ReviewsStored:
        """Store the segments a person chose for rows of a stored batch."""
        rows.check(len(body.reviews), "reviews in the request")
        info = store.get_batch(batch_id)
        choices = [check_choice(r.row, r.segment, info.rows, "request") for r in body.reviews]
        stored = store.add_reviews(batch_id, choices, body.reviewer)
        return ReviewsStored(batch_id=batch_id, stored=stored)

    @router.get(
        "/batches/{batch_id}/outreach",
        tags=["review"],
        responses={200: {"content": {"text/csv": {}}, "description": "CRM list"}},
        response_class=Response,
    )
    def outreach(
        batch_id: int,
        format: Annotated[Literal["generic", "hubspot", "salesforce"], Query()] = "generic",
        segment: Annotated[Literal["A", "B", "C", "D"] | None, Query()] = None,
        state: Annotated[
            Literal["pending", "reviewed", "confident", "known"] | None, Query()
        ] = None,
        campaign: Annotated[str, Query(max_length=18)] = "",
    ) -> Response:
        """The batch as a CRM import list (reviews applied, each row's playbook)."""
        frame = batch_outreach(
            store,
            batch_id,
            playbooks.plain(),
            format=format,
            segment=segment,
            state=state,
            campaign_id=campaign,
        )
        return Response(to_csv_bytes(frame), media_type="text/csv; charset=utf-8")

    return router


def with_playbooks(records: list[dict[str, object]], current: dict[str, PlaybookOut]) -> None:
    """Add each prediction's playbook (that of its segment) in place."""
    for record in records:
        record["Playbook"] = current.get(str(record["Segmentation"]))
