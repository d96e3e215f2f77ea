"""The market check kept with each scored batch, and the batches' checks over time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from segmentor.io.store import Batch, BatchCheck, BatchInfo, Store


@dataclass(frozen=True)
class CheckedBatch:
    """A batch and its market check (``check`` is None for batches stored without one)."""

    batch: BatchInfo
    check: dict[str, Any] | None


def save_check(store: Store, batch_id: int, values: dict[str, Any]) -> None:
    """Keep (or replace) the market check of one batch; ``values``: the columns of
    ``batch_checks`` but the batch id, ``psi`` a dict {attribute: PSI}."""
    row = dict(values, batch_id=batch_id, psi=json.dumps(values["psi"]))
    with store._errors(), store.engine.begin() as connection:
        connection.execute(delete(BatchCheck).where(BatchCheck.batch_id == batch_id))
        connection.execute(insert(BatchCheck).values(**row))


def checked_batches(store: Store, limit: int | None = None) -> list[CheckedBatch]:
    """The batches, oldest first (the latest ``limit``), each with its check if it has one."""
    query = (
        select(Batch, BatchCheck)
        .outerjoin(BatchCheck, BatchCheck.batch_id == Batch.id)
        .order_by(Batch.created.desc(), Batch.id.desc())
        .limit(limit)
    )
    with store._errors(), Session(store.engine) as session:
        rows = session.execute(query).all()
    found = [CheckedBatch(BatchInfo.from_row(batch), _check(check)) for batch, check in rows]
    return found[::-1]


def _check(row: BatchCheck | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "compared": row.compared,
        "known_excluded": row.known_excluded,
        "psi_max": row.psi_max,
        "psi_attribute": row.psi_attribute,
        "auc": row.auc,
        "auc_std": row.auc_std,
        "level": row.level,
        "psi": json.loads(row.psi),
    }
