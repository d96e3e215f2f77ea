"""The model registry's rows in the store: versions, the champion, and who promoted what.

The model files stay in their directories (see :mod:`segmentor.ml.registry`); here are the
records: each version's card, training data hash, CV figures and creation time, one
champion at a time, and every promotion and rollback with who did it and when.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.orm import Session

from segmentor.errors import SegmentorError
from segmentor.io.store import ModelVersion, Promotion, Store


@dataclass(frozen=True)
class VersionInfo:
    version: str
    directory: str
    created: datetime
    data_sha256: str
    rows: int
    cv_accuracy: float | None
    cv_log_loss: float | None
    parent: str | None
    is_champion: bool
    promoted_by: str | None
    promoted_at: datetime | None
    card: dict[str, Any]
    gate: dict[str, Any] | None


def register(
    store: Store,
    *,
    version: str,
    directory: str,
    card: dict[str, Any],
    who: str,
    champion: bool,
    gate: dict[str, Any] | None = None,
) -> None:
    """Record a model version (and make it the champion if asked)."""
    cv = card.get("cv") or {}
    values = {
        "version": version,
        "directory": directory,
        "created": _created(card),
        "data_sha256": str(card.get("data_sha256", "?"))[:64],
        "rows": int(card.get("rows", 0)),
        "cv_accuracy": cv.get("accuracy_mean"),
        "cv_log_loss": cv.get("log_loss_mean"),
        "parent": card.get("parent"),
        "card": json.dumps(card),
        "gate": None if gate is None else json.dumps(gate),
        "is_champion": False,
    }
    with store._errors(), store.engine.begin() as connection:
        exists = connection.execute(
            select(ModelVersion.version).where(ModelVersion.version == version)
        ).first()
        if exists is not None:
            raise SegmentorError(
                "this model version is already registered",
                value=version,
                fix="run `segmentor models` to see it",
            )
        connection.execute(insert(ModelVersion).values(**values))
        _log(connection, version, None, "register", who)
        if champion:
            _set_champion(connection, version, "register", who)


def set_champion(store: Store, version: str, action: str, who: str) -> str | None:
    """Make ``version`` the champion; returns the previous one."""
    with store._errors(), store.engine.begin() as connection:
        _require(connection, version)
        return _set_champion(connection, version, action, who)


def rollback_target(store: Store) -> str:
    """The champion before the current one (repeated rollbacks walk further back)."""
    current = champion(store)
    if current is None:
        raise SegmentorError("there is no champion to roll back", fix="run `segmentor models`")
    with store._errors(), store.engine.connect() as connection:
        history = connection.execute(
            select(Promotion.version, Promotion.previous, Promotion.action)
            .where(Promotion.action != "register")
            .order_by(Promotion.id.desc())
        ).all()
    for version, previous, action in history:
        if version == current and action != "rollback" and previous is not None:
            return str(previous)
    raise SegmentorError(
        "the champion has no predecessor to roll back to",
        value=current,
        fix="promote a version by name with `segmentor models promote VERSION`",
    )


def champion(store: Store) -> str | None:
    with store._errors(), store.engine.connect() as connection:
        row = connection.execute(
            select(ModelVersion.version).where(ModelVersion.is_champion.is_(True))
        ).first()
    return None if row is None else str(row[0])


def get_version(store: Store, version: str) -> VersionInfo:
    with store._errors(), store.engine.connect() as connection:
        _require(connection, version)
    return next(info for info in list_versions(store) if info.version == version)


def list_versions(store: Store) -> list[VersionInfo]:
    """Every registered version, newest first, with who last made it champion."""
    with store._errors(), Session(store.engine) as session:
        versions = list(session.scalars(select(ModelVersion).order_by(ModelVersion.created.desc())))
        promotions = session.execute(
            select(Promotion.version, Promotion.who, Promotion.created)
            .where(Promotion.action != "register")
            .order_by(Promotion.id)
        ).all()
    last = {version: (who, _utc(created)) for version, who, created in promotions}
    return [_info(row, last.get(row.version)) for row in versions]


def _info(row: ModelVersion, promoted: tuple[str, datetime] | None) -> VersionInfo:
    return VersionInfo(
        version=row.version,
        directory=row.directory,
        created=_utc(row.created),
        data_sha256=row.data_sha256,
        rows=row.rows,
        cv_accuracy=row.cv_accuracy,
        cv_log_loss=row.cv_log_loss,
        parent=row.parent,
        is_champion=bool(row.is_champion),
        promoted_by=promoted[0] if promoted else None,
        promoted_at=promoted[1] if promoted else None,
        card=json.loads(row.card),
        gate=json.loads(row.gate) if row.gate else None,
    )


def _set_champion(connection: Connection, version: str, action: str, who: str) -> str | None:
    row = connection.execute(
        select(ModelVersion.version).where(ModelVersion.is_champion.is_(True))
    ).first()
    previous = None if row is None else str(row[0])
    connection.execute(update(ModelVersion).values(is_champion=False))
    connection.execute(
        update(ModelVersion).where(ModelVersion.version == version).values(is_champion=True)
    )
    _log(connection, version, previous, action, who)
    return previous


def _log(connection: Connection, version: str, previous: str | None, action: str, who: str) -> None:
    connection.execute(
        insert(Promotion).values(
            version=version,
            previous=previous,
            action=action,
            who=(who or "unknown")[:128],
            created=datetime.now(UTC),
        )
    )


def _require(connection: Connection, version: str) -> None:
    found = connection.execute(
        select(ModelVersion.version).where(ModelVersion.version == version)
    ).first()
    if found is None:
        raise SegmentorError(
            "there is no model of this version",
            value=version,
            fix="run `segmentor models` to see the versions",
        )


def _created(card: dict[str, Any]) -> datetime:
    try:
        return _utc(datetime.fromisoformat(str(card["created"])))
    except (KeyError, ValueError):
        return datetime.now(UTC)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
