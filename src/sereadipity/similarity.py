"""The four criteria and the weighted score.

Every criterion is a pure function with one signature, ``criterion(features, query) ->
array``: the similarity of every catalogue book to book ``query``, shape ``(n,)``, each value
in [0, 1]. The overall score is the weighted sum over the dict :data:`CRITERIA`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from sereadipity.errors import SereadipityError
from sereadipity.genres import GenreMatrix

# A literary generation: books 30 years apart score exp(-1) = 0.37, 100 years apart 0.04.
PERIOD_TAU_YEARS = 30.0
# Unknown years carry no evidence either way: the same neutral 0.5 everywhere.
UNKNOWN_PERIOD_SIMILARITY = 0.5


@dataclass(frozen=True)
class BookFeatures:
    """What the criteria compare, one row per catalogue book.

    ``synopsis``: unit-length float32 embeddings ``(n, d)``; ``genre``: a :class:`GenreMatrix`;
    ``active_year``: float years, NaN when unknown; ``award``: 1.0 if an author won, else 0.0.
    """

    synopsis: np.ndarray
    genre: GenreMatrix
    active_year: np.ndarray
    award: np.ndarray

    def __len__(self) -> int:
        return len(self.active_year)


Criterion = Callable[[BookFeatures, int], np.ndarray]


def synopsis_similarity(features: BookFeatures, query: int) -> np.ndarray:
    """Cosine of the MiniLM embeddings, clipped at 0 (unrelated and opposite both give 0)."""
    return cosine_to_unit(features.synopsis @ features.synopsis[query])


def cosine_to_unit(cosine: np.ndarray) -> np.ndarray:
    """Map cosines in [-1, 1] to [0, 1] by clipping at 0. Returns float64."""
    return np.clip(np.asarray(cosine, dtype=np.float64), 0.0, 1.0)


def genre_similarity(features: BookFeatures, query: int) -> np.ndarray:
    """Genre similarity in [0, 1]: IDF-weighted Jaccard of labels, or clipped cosine."""
    genre = features.genre
    if genre.kind == "cosine":
        return cosine_to_unit(genre.vectors @ genre.vectors[query])
    return weighted_jaccard(genre, query)


def weighted_jaccard(genre: GenreMatrix, query: int) -> np.ndarray:
    """Weighted Jaccard of the binary label row ``query`` against every row.

    Returns sum(w over shared labels) / sum(w over the union) in [0, 1]; 0 when both are empty.
    Only the query's own label columns are read, so one query over 100,000 books stays fast.
    """
    labels = np.flatnonzero(genre.vectors[query])
    w = genre.weights[labels] if genre.weights is not None else np.ones(len(labels))
    intersection = genre.vectors[:, labels] @ w.astype(np.float64)
    union = genre.totals + genre.totals[query] - intersection
    ratio = np.divide(intersection, union, out=np.zeros(len(union)), where=union > 1e-9)
    return np.clip(ratio, 0.0, 1.0)


def period_similarity(features: BookFeatures, query: int) -> np.ndarray:
    """exp(-|gap| / 30 years) between active years; 0.5 when either year is unknown."""
    return year_similarity(features.active_year, features.active_year[query])


def year_similarity(years: np.ndarray, other: float | np.ndarray) -> np.ndarray:
    """Elementwise exp(-|years - other| / tau) in (0, 1]; NaN on either side gives 0.5."""
    gap = np.abs(np.asarray(years, dtype=np.float64) - other)
    with np.errstate(invalid="ignore"):
        similarity = np.exp(-gap / PERIOD_TAU_YEARS)
    return np.where(np.isnan(gap), UNKNOWN_PERIOD_SIMILARITY, similarity)


def award_similarity(features: BookFeatures, query: int) -> np.ndarray:
    """1.0 for books whose author won a Nobel Prize or a listed literary award, else 0.0.

    The only criterion that does not depend on the query: it rewards the candidate.
    """
    return features.award.astype(np.float64, copy=True)


CRITERIA: dict[str, Criterion] = {
    "synopsis": synopsis_similarity,
    "genre": genre_similarity,
    "period": period_similarity,
    "award": award_similarity,
}


def normalise_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights for every criterion, scaled to sum to 1; missing criteria get 0.

    Raises :class:`SereadipityError` for unknown names, negative or non-finite values, and
    all-zero weights.
    """
    unknown = sorted(set(weights) - set(CRITERIA))
    if unknown:
        raise SereadipityError(
            f"unknown criterion {unknown[0]!r}", fix=f"use {', '.join(CRITERIA)}"
        )
    values = {name: float(weights.get(name, 0.0)) for name in CRITERIA}
    if any(not np.isfinite(v) or v < 0 for v in values.values()):
        raise SereadipityError(f"weights must be finite and >= 0 (got {values})")
    total = sum(values.values())
    if total == 0:
        raise SereadipityError(
            "all weights are zero, so no criterion would rank the books",
            fix="give at least one of synopsis, genre, period, award a weight above 0",
        )
    return {name: value / total for name, value in values.items()}


def weighted_score(
    components: Mapping[str, np.ndarray], weights: Mapping[str, float]
) -> np.ndarray:
    """sum_k w_k * component_k with normalised weights; in [0, 1] when the components are."""
    normalised = normalise_weights(weights)
    first = next(iter(components.values()))
    score = np.zeros(len(first), dtype=np.float64)
    for name, weight in normalised.items():
        if weight:
            score += weight * components[name]
    return score
