"""Why a book was recommended, as language-neutral reasons the page and CLI put in words.

A reason is a key and its parameters, e.g. ``("same_genre", "Gothic fiction")``; :mod:`i18n`
turns them into English or French.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from sereadipity.genres import STATED_FORM, STATED_FORM_WORD
from sereadipity.similarity import BookFeatures

Reason = tuple[str, str]
# A synopsis counts as "similar story" in the top decile of the liked book's similarities.
SIMILAR_STORY_QUANTILE = 0.9
CONTEMPORARY_YEARS = 20
SAME_ERA_YEARS = 60
# Labels that count in the genre criterion but say nothing to a reader as "same genre: ...":
# the form labels (genres.form_labels) and the qualifier of character headings.
FORM_LABELS = frozenset({"fiction", "non-fiction", "poetry", "drama", "juvenile"})
UNTOLD_LABELS = FORM_LABELS | {"fictitious character"}


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
    shared = features.genre.shared_labels(liked, row, limit=len(features.genre.vocabulary))
    labels = genre_reason_labels(shared)
    if labels:
        found.append(("same_genre", ", ".join(label[:1].upper() + label[1:] for label in labels)))
    found.extend(_period(features, liked, row))
    award = str(catalog["award_name"].iloc[row]) if "award_name" in catalog else ""
    if award and features.award[row] > 0:
        found.append(("nobel", "") if award.startswith("Nobel") else ("award_winner", award))
    # In a small catalogue a top-10 book may share nothing with the liked one: say so.
    return tuple(found) or (("closest", ""),)


def genre_reason_labels(shared: list[str]) -> list[str]:
    """The two shared labels to name, from all shared labels (rarest first).

    Subject labels other than the form labels come first; only when none is shared, the form
    in common: the form the summaries state ("form: historical account" is told "historical
    account"), then the form read from the headings ("fiction"). The single words of a
    stated form ("form word: ...") and the qualifier "fictitious character" are never told.
    """
    stated = (STATED_FORM, STATED_FORM_WORD)
    subjects = [label for label in shared if not label.startswith(stated)]
    told = [label for label in subjects if label not in UNTOLD_LABELS]
    if told:
        return distinct_labels(told[:4])[:2]
    forms = [label.removeprefix(STATED_FORM) for label in shared if label.startswith(STATED_FORM)]
    return (forms + [label for label in subjects if label in FORM_LABELS])[:2]


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
