"""Why a book was recommended, as language-neutral reasons the page and CLI put in words.

A reason is a key and its parameters, e.g. ``("same_genre", "Gothic fiction")``; :mod:`i18n`
turns them into English or French.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from sereadipity.similarity import BookFeatures

Reason = tuple[str, str]
# A synopsis counts as "similar story" in the top decile of the liked book's similarities.
SIMILAR_STORY_QUANTILE = 0.9
CONTEMPORARY_YEARS = 20
SAME_ERA_YEARS = 60


def reasons(
    catalog: pd.DataFrame,
    features: BookFeatures,
    liked: int,
    row: int,
    components: Mapping[str, np.ndarray],
) -> tuple[Reason, ...]:
    """The reasons book ``row`` is recommended to a reader of book ``liked``."""
    found: list[Reason] = []
    synopsis = components.get("synopsis")
    if synopsis is not None and synopsis[row] >= np.quantile(synopsis, SIMILAR_STORY_QUANTILE):
        found.append(("story", ""))
    labels = distinct_labels(features.genre.shared_labels(liked, row, limit=4))[:2]
    if labels:
        found.append(("same_genre", ", ".join(label[:1].upper() + label[1:] for label in labels)))
    found.extend(_period(features, liked, row))
    award = str(catalog["award_name"].iloc[row]) if "award_name" in catalog else ""
    if award and features.award[row] > 0:
        found.append(("nobel", "") if award.startswith("Nobel") else ("award_winner", award))
    return tuple(found)


def _period(features: BookFeatures, liked: int, row: int) -> list[Reason]:
    gap = abs(features.active_year[liked] - features.active_year[row])
    if np.isnan(gap):
        return []
    if gap <= CONTEMPORARY_YEARS:
        return [("contemporary", "")]
    return [("era", "")] if gap <= SAME_ERA_YEARS else []


def distinct_labels(labels: list[str]) -> list[str]:
    """Labels without those another label already says ("holmes" beside "holmes, sherlock")."""
    return [
        label
        for i, label in enumerate(labels)
        if not any(label in other for j, other in enumerate(labels) if j != i and j < i)
        and not any(label in other and label != other for other in labels)
    ]
