"""The four criteria and the weighted score.

Every criterion is a pure function with one signature, ``criterion(features, query) ->
array``: the similarity of every catalogue book to book ``query``, shape ``(n,)``, each value
in [0, 1]. The overall score is the weighted sum over the dict :data:`CRITERIA`. The
constants below were chosen on a tuning query set disjoint from the reported one
(``benchmarks/books.py --tune``, docs/books.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sereadipity.errors import SereadipityError
from sereadipity.genres import GenreMatrix

# Share of the MiniLM cosine in the synopsis criterion; the rest is the TF-IDF cosine.
SYNOPSIS_EMBEDDING_SHARE = 0.25
# Books PERIOD_TAU_YEARS apart score exp(-1) = 0.37 (80 was best of 10-80 on tuning queries).
PERIOD_TAU_YEARS = 80.0
# An unknown year gives no evidence of a shared period: 0, best on the tuning queries.
UNKNOWN_PERIOD_SIMILARITY = 0.0
# Share of the MiniLM cosine of the genre texts (stated form + subject headings) in the genre
# criterion; the rest is the plain Jaccard of the labels (0.5 best of 0.25-0.75 on tuning).
GENRE_EMBEDDING_SHARE = 0.5
# Label weights of the genre Jaccard are idf ** GENRE_IDF_POWER: 0 (plain Jaccard) was best of
# 0, 0.5, 1 on the tuning queries.
GENRE_IDF_POWER = 0.0


@dataclass(frozen=True)
class BookFeatures:
    """What the criteria compare, one row per catalogue book.

    ``synopsis``: unit-length float32 embeddings ``(n, d)``; ``genre``: a :class:`GenreMatrix`;
    ``active_year``: float years, NaN when unknown; ``award``: 1.0 if an author won, else 0.0;
    ``tfidf``: unit-length sparse TF-IDF rows of the synopses (None: embeddings only);
    ``genre_embedding``: unit-length float32 MiniLM embeddings ``(n, d)`` of the genre texts
    (stated form and subject headings, never the bookshelves; None: labels only).
    """

    synopsis: np.ndarray
    genre: GenreMatrix
    active_year: np.ndarray
    award: np.ndarray
    tfidf: Any = None
    genre_embedding: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.active_year)


Criterion = Callable[[BookFeatures, int], np.ndarray]


def synopsis_similarity(
    features: BookFeatures, query: int, *, embedding_share: float = SYNOPSIS_EMBEDDING_SHARE
) -> np.ndarray:
    """Blend of the MiniLM cosine and the TF-IDF cosine of the synopses, each clipped at 0."""
    embedded = embedding_similarity(features, query)
    if features.tfidf is None or embedding_share >= 1:
        return embedded
    words = tfidf_similarity(features, query)
    return np.clip(embedding_share * embedded + (1 - embedding_share) * words, 0.0, 1.0)


def embedding_similarity(features: BookFeatures, query: int) -> np.ndarray:
    """Cosine of the MiniLM embeddings, clipped at 0 (unrelated and opposite both give 0)."""
    return cosine_to_unit(features.synopsis @ features.synopsis[query])


def tfidf_similarity(features: BookFeatures, query: int) -> np.ndarray:
    """Cosine of the TF-IDF rows (non-negative already); zeros without a TF-IDF matrix."""
    if features.tfidf is None:
        return np.zeros(len(features))
    column = features.tfidf @ features.tfidf[query].T
    return cosine_to_unit(np.asarray(column.todense()).ravel())


def cosine_to_unit(cosine: np.ndarray) -> np.ndarray:
    """Map cosines in [-1, 1] to [0, 1] by clipping at 0. Returns float64."""
    return np.clip(np.asarray(cosine, dtype=np.float64), 0.0, 1.0)


def genre_similarity(
    features: BookFeatures, query: int, *, embedding_share: float = GENRE_EMBEDDING_SHARE
) -> np.ndarray:
    """Genre similarity in [0, 1]: the labels' similarity, blended with the genre embedding.

    ``(1 - embedding_share) * labels + embedding_share * cosine`` when the features carry a
    genre embedding (the cosine clipped at 0); the labels' similarity alone otherwise.
    """
    labels = label_similarity(features.genre, query)
    if features.genre_embedding is None or embedding_share <= 0:
        return labels
    vectors = features.genre_embedding
    embedded = cosine_to_unit(vectors @ vectors[query])
    return np.clip((1 - embedding_share) * labels + embedding_share * embedded, 0.0, 1.0)


def label_similarity(genre: GenreMatrix, query: int) -> np.ndarray:
    """Weighted Jaccard of the label rows, or the clipped cosine of "cosine" rows."""
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


def period_similarity(
    features: BookFeatures,
    query: int,
    *,
    tau: float = PERIOD_TAU_YEARS,
    unknown: float = UNKNOWN_PERIOD_SIMILARITY,
) -> np.ndarray:
    """exp(-|gap| / tau) between active years; ``unknown`` when either year is unknown."""
    return year_similarity(features.active_year, features.active_year[query], tau, unknown)


def year_similarity(
    years: np.ndarray,
    other: float | np.ndarray,
    tau: float = PERIOD_TAU_YEARS,
    unknown: float = UNKNOWN_PERIOD_SIMILARITY,
) -> np.ndarray:
    """Elementwise exp(-|years - other| / tau) in (0, 1]; NaN on either side gives ``unknown``."""
    gap = np.abs(np.asarray(years, dtype=np.float64) - other)
    with np.errstate(invalid="ignore"):
        similarity = np.exp(-gap / tau)
    return np.where(np.isnan(gap), unknown, similarity)


def content_similarity(features: BookFeatures, query: int) -> np.ndarray:
    """Mean of the synopsis and genre criteria: how much a book is about the same things."""
    return (synopsis_similarity(features, query) + genre_similarity(features, query)) / 2


def award_similarity(features: BookFeatures, query: int) -> np.ndarray:
    """Award bonus: 1.0 for an award-winning author times the book's content similarity.

    A bonus among books already similar: a winner with nothing in common with the query
    (content similarity 0) gets 0, so the award can never lift an unrelated book.
    """
    return features.award * content_similarity(features, query)


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
