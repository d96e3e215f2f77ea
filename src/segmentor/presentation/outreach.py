"""From a scored batch to outreach: each row's reasons, the segments' playbooks (stored, or
drafted from the data) and the CRM list."""

from __future__ import annotations

import numpy as np
import pandas as pd

from segmentor.analysis.explain import attributions, pushes_toward
from segmentor.analysis.personas import distinguishing_traits
from segmentor.domain.playbook import Playbook
from segmentor.domain.schema import FEATURES, SEGMENTS, TARGET
from segmentor.i18n import attribute_label, t, value_label
from segmentor.io.store import Store
from segmentor.ml.trained import TrainedModel
from segmentor.presentation.crm import N_REASONS, outreach_list, select_rows
from segmentor.presentation.personas import persona_text


def top_reasons(
    model: TrainedModel,
    features: pd.DataFrame,
    segments: pd.Series,
    lang: str = "en",
    k: int = N_REASONS,
) -> list[list[str]]:
    """Per row, the ``k`` known attributes pushing it most toward its segment, worded
    "Profession: Healthcare"."""
    if len(features) == 0:
        return []
    values = attributions(model, features.reset_index(drop=True))
    labels = np.asarray(segments, dtype=object)
    push = np.zeros((len(labels), len(FEATURES)))
    for segment in SEGMENTS:
        rows = labels == segment
        if rows.any():
            push[rows] = pushes_toward(values[rows], segment)
    frame = features.reset_index(drop=True).loc[:, list(FEATURES)]
    known = frame.notna().to_numpy()
    push = np.where(known, push, -np.inf)
    order = np.argsort(-push, axis=1, kind="stable")[:, :k]
    return [
        [
            _reason(FEATURES[j], frame.iat[i, j], lang)
            for j in order[i]
            if np.isfinite(push[i, j]) and push[i, j] > 0
        ]
        for i in range(len(frame))
    ]


def _reason(attribute: str, value: object, lang: str) -> str:
    return f"{attribute_label(attribute, lang)}: {value_label(value, lang)}"


def draft_playbooks(existing: pd.DataFrame, lang: str = "en") -> dict[str, Playbook]:
    """A draft playbook per segment: its name and the persona of its distinguishing traits."""
    traits = distinguishing_traits(existing.loc[:, list(FEATURES)], existing[TARGET])
    return {
        segment: Playbook(
            segment,
            name=t("segment.n", lang, segment=segment),
            persona=persona_text(item, lang),
            products=(),
            message="",
            channel="",
        )
        for segment, item in traits.items()
    }


def current_playbooks(
    store: Store, existing: pd.DataFrame, lang: str = "en"
) -> dict[str, Playbook]:
    """The stored playbook of each segment, the draft where none is stored yet."""
    playbooks = draft_playbooks(existing, lang)
    playbooks.update({s: v.playbook for s, v in store.playbooks().items()})
    return playbooks


def batch_outreach(
    store: Store,
    batch_id: int,
    playbooks: dict[str, Playbook],
    *,
    format: str = "generic",
    segment: str | None = None,
    state: str | None = None,
    reasons: list[list[str]] | None = None,
    lang: str = "en",
    campaign_id: str = "",
) -> pd.DataFrame:
    """The CRM list of a stored batch (reviews applied), of one segment and/or review state.

    ``reasons``: one list per batch row (all rows, batch order), or None.
    """
    frame = store.export(batch_id)
    mask = select_rows(frame, segment=segment, state=state).to_numpy()
    chosen = [reasons[i] for i in np.flatnonzero(mask)] if reasons is not None else None
    return outreach_list(
        frame[mask].reset_index(drop=True),
        playbooks,
        chosen,
        format=format,
        lang=lang,
        campaign_id=campaign_id,
    )
