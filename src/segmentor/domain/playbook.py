"""Segment playbooks: what the sales team does with a segment (name, persona, P1-P5, message,
channel), read from and written to YAML.

The YAML file is a mapping from segment letter to its playbook::

    A:
      name: Established professionals
      persona: ...
      products: [P1, P3]
      message: ...
      channel: email
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import yaml

from segmentor.domain.schema import SEGMENTS
from segmentor.errors import SegmentorError

PRODUCTS = ("P1", "P2", "P3", "P4", "P5")
PRODUCT_SEPARATOR = "|"
FIELDS = ("name", "persona", "products", "message", "channel")
LIMITS = {"name": 100, "persona": 2000, "message": 2000, "channel": 100}


@dataclass(frozen=True)
class Playbook:
    """One segment's outreach: products in the order to offer them (a subset of P1-P5)."""

    segment: str
    name: str
    persona: str
    products: tuple[str, ...]
    message: str
    channel: str

    @property
    def products_text(self) -> str:
        return PRODUCT_SEPARATOR.join(self.products)

    def as_dict(self) -> dict[str, Any]:
        values = asdict(self)
        values["products"] = list(self.products)
        return values


@dataclass(frozen=True)
class PlaybookVersion:
    """A stored playbook: its version number (1, 2, ...), who wrote it and when."""

    playbook: Playbook
    version: int
    author: str
    created: datetime


def make_playbook(segment: str, values: dict[str, Any], source: str = "playbook") -> Playbook:
    """A checked playbook from a mapping of :data:`FIELDS`; a bad value is a user error."""
    letter = str(segment).strip().upper()
    if letter not in SEGMENTS:
        raise SegmentorError("unknown segment", file=source, value=segment, fix="use A, B, C or D")
    if not isinstance(values, dict):
        raise SegmentorError(
            f"the playbook of segment {letter} must be a mapping",
            file=source,
            fix=f"give {', '.join(FIELDS)} under the segment letter",
        )
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise SegmentorError(
            f"unknown playbook field in segment {letter}",
            file=source,
            value=unknown[0],
            fix=f"the fields are {', '.join(FIELDS)}",
        )
    texts = {field: _text(values, field, letter, source) for field in LIMITS}
    return Playbook(letter, products=_products(values, letter, source), **texts)


def parse_yaml(text: str, source: str = "playbooks.yaml") -> list[Playbook]:
    """The playbooks of a YAML document (one or more segments)."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise SegmentorError(
            "the file is not valid YAML",
            file=source,
            row=mark.line + 1 if mark is not None else None,
            fix="check the indentation and quoting of that line",
        ) from None
    if not isinstance(document, dict) or not document:
        raise SegmentorError(
            "the file holds no playbooks",
            file=source,
            fix="write one mapping per segment letter (A:, B:, ...)",
        )
    return [make_playbook(str(segment), values, source) for segment, values in document.items()]


def to_yaml(playbooks: list[Playbook]) -> str:
    document = {
        p.segment: {k: v for k, v in p.as_dict().items() if k != "segment"} for p in playbooks
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


def _text(values: dict[str, Any], field: str, segment: str, source: str) -> str:
    value = values.get(field, "")
    text = "" if value is None else str(value).strip()
    if field == "name" and not text:
        raise SegmentorError(
            f"the playbook of segment {segment} has no name", file=source, fix="give it a name"
        )
    if len(text) > LIMITS[field]:
        raise SegmentorError(
            f"the {field} of segment {segment} is too long ({len(text)} characters)",
            file=source,
            fix=f"keep it under {LIMITS[field]} characters",
        )
    return text


def _products(values: dict[str, Any], segment: str, source: str) -> tuple[str, ...]:
    raw = values.get("products") or []
    items = raw.split(PRODUCT_SEPARATOR) if isinstance(raw, str) else list(raw)
    products = tuple(str(item).strip().upper() for item in items if str(item).strip())
    for product in products:
        if product not in PRODUCTS:
            raise SegmentorError(
                f"unknown product in the playbook of segment {segment}",
                file=source,
                value=product,
                fix=f"offer products among {', '.join(PRODUCTS)}",
            )
    if len(set(products)) != len(products):
        raise SegmentorError(
            f"a product is listed twice in the playbook of segment {segment}",
            file=source,
            value=PRODUCT_SEPARATOR.join(products),
            fix="list each product once, in the order to offer them",
        )
    return products
