"""Outreach lists ready for the CRM: a scored batch with each row's playbook, in the import
formats of the tools sales teams use.

Formats (the column rules each tool documents for its import files):

- ``generic``: UTF-8 CSV, one header row; the headers follow the language (English/French).
- ``hubspot``: a HubSpot contact import: a header row whose headers are property labels
  (``Customer ID`` must be created as a unique-value custom property, ``Segment``,
  ``Products to offer`` (multiple checkboxes: values separated by ``;``), ...), one sheet,
  UTF-8, no more than 1,000 columns.
- ``salesforce``: campaign members for Data Loader / the Data Import Wizard: API field
  names (``CampaignId``, ``Status``; custom fields end in ``__c``), multi-select picklist
  values separated by ``;``.

Every text cell is neutralised against spreadsheet formulas, as every other export.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from segmentor.domain.output import SOURCE_KNOWN, SOURCE_REVIEWED
from segmentor.domain.playbook import Playbook
from segmentor.errors import SegmentorError
from segmentor.i18n import t
from segmentor.io.writers import neutralise

FORMATS = ("generic", "hubspot", "salesforce")
REVIEW_STATES = ("pending", "reviewed", "confident", "known")
N_REASONS = 3
MULTI_VALUE_SEPARATOR = ";"  # HubSpot multiple checkboxes and Salesforce multi-select picklists
SALESFORCE_STATUS = "Sent"  # a default CampaignMember status value


def review_states(frame: pd.DataFrame) -> pd.Series:
    """Per row: ``known``, ``reviewed``, ``pending`` (needs a person) or ``confident``."""
    source = frame["Source"].astype(str)
    needs = frame["Needs_Review"].astype(bool)
    states = needs.map({True: "pending", False: "confident"}).astype(object)
    states[source == SOURCE_REVIEWED] = "reviewed"
    states[source == SOURCE_KNOWN] = "known"
    return states


def select_rows(
    frame: pd.DataFrame, *, segment: str | None = None, state: str | None = None
) -> pd.Series:
    """Boolean mask of the rows of one segment and/or one review state."""
    mask = pd.Series(True, index=frame.index)
    if segment is not None:
        mask &= frame["Segmentation"].astype(str) == segment.strip().upper()
    if state is not None:
        if state not in REVIEW_STATES:
            raise SegmentorError(
                "unknown review state", value=state, fix=f"give one of {', '.join(REVIEW_STATES)}"
            )
        mask &= review_states(frame) == state
    return mask


def outreach_list(
    frame: pd.DataFrame,
    playbooks: dict[str, Playbook],
    reasons: Sequence[Sequence[str]] | None = None,
    *,
    format: str = "generic",
    lang: str = "en",
    campaign_id: str = "",
) -> pd.DataFrame:
    """The rows of ``frame`` (scored output columns) as a CRM import table.

    ``reasons``: per row, the attributes that pushed it most toward its segment (already
    worded); missing reasons leave the reason columns empty.
    """
    if format not in FORMATS:
        raise SegmentorError(
            "unknown CRM format", value=format, fix=f"give one of {', '.join(FORMATS)}"
        )
    if format == "salesforce" and not campaign_id.strip():
        raise SegmentorError(
            "a Salesforce campaign member list needs the campaign",
            fix="give --campaign with the 15- or 18-character Campaign ID",
        )
    base = _base(frame, playbooks, reasons)
    if format == "hubspot":
        return neutralise(_hubspot(base))
    if format == "salesforce":
        return neutralise(_salesforce(base, campaign_id.strip()))
    return neutralise(_generic(base, lang))


def _base(
    frame: pd.DataFrame,
    playbooks: dict[str, Playbook],
    reasons: Sequence[Sequence[str]] | None,
) -> pd.DataFrame:
    segments = frame["Segmentation"].astype(str).to_numpy()
    books = [playbooks.get(segment) for segment in segments]
    base = pd.DataFrame(
        {
            "id": frame["ID"].astype(str).to_numpy(),
            "segment": segments,
            "set": frame["Segment_Set"].astype(str).to_numpy(),
            "state": review_states(frame).to_numpy(),
            "confidence": frame["Confidence"].astype(float).round(4).to_numpy(),
            "playbook": [b.name if b else "" for b in books],
            "products": [list(b.products) if b else [] for b in books],
            "message": [b.message if b else "" for b in books],
            "channel": [b.channel if b else "" for b in books],
        }
    )
    for number in range(N_REASONS):
        base[f"reason_{number + 1}"] = [
            row[number] if reasons is not None and number < len(row) else ""
            for row in (reasons if reasons is not None else [[]] * len(base))
        ]
    return base


def _reason_columns(base: pd.DataFrame, label: str) -> dict[str, object]:
    return {f"{label} {n + 1}": base[f"reason_{n + 1}"] for n in range(N_REASONS)}


def _generic(base: pd.DataFrame, lang: str) -> pd.DataFrame:
    products = base["products"].map(lambda items: "|".join(items))
    states = base["state"].map(lambda state: t(f"review.state.{state}", lang))
    return pd.DataFrame(
        {
            "ID": base["id"],
            t("crm.segment", lang): base["segment"],
            t("crm.set", lang): base["set"],
            t("crm.state", lang): states,
            t("crm.confidence", lang): base["confidence"],
            t("crm.playbook", lang): base["playbook"],
            t("crm.products", lang): products,
            t("crm.message", lang): base["message"],
            t("crm.channel", lang): base["channel"],
            **_reason_columns(base, t("crm.reason", lang)),
        }
    )


def _hubspot(base: pd.DataFrame) -> pd.DataFrame:
    products = base["products"].map(MULTI_VALUE_SEPARATOR.join)
    return pd.DataFrame(
        {
            "Customer ID": base["id"],
            "Segment": base["segment"],
            "Segment candidates": base["set"].str.replace("|", MULTI_VALUE_SEPARATOR),
            "Review state": base["state"],
            "Segment playbook": base["playbook"],
            "Products to offer": products,
            "Outreach message": base["message"],
            "Preferred channel": base["channel"],
            **_reason_columns(base, "Segment reason"),
        }
    )


def _salesforce(base: pd.DataFrame, campaign_id: str) -> pd.DataFrame:
    products = base["products"].map(MULTI_VALUE_SEPARATOR.join)
    return pd.DataFrame(
        {
            "CampaignId": campaign_id,
            "Status": SALESFORCE_STATUS,
            "Customer_ID__c": base["id"],
            "Segment__c": base["segment"],
            "Segment_Set__c": base["set"].str.replace("|", MULTI_VALUE_SEPARATOR),
            "Review_State__c": base["state"],
            "Playbook__c": base["playbook"],
            "Products__c": products,
            "Message__c": base["message"],
            "Channel__c": base["channel"],
            **{f"Reason_{n + 1}__c": base[f"reason_{n + 1}"] for n in range(N_REASONS)},
        }
    )
