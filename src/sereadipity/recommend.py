"""Top-k recommendations for one or more liked books."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sereadipity.catalog import load_catalog
from sereadipity.errors import SereadipityError
from sereadipity.genres import genre_labels, idf_jaccard_matrix
from sereadipity.similarity import CRITERIA, BookFeatures, normalise_weights, weighted_score
from sereadipity.titles import match_title

# Chosen by measurement (docs/sereadipity.md): equal weights let period and award swamp the rest.
DEFAULT_WEIGHTS: dict[str, float] = {"synopsis": 5.0, "genre": 5.0, "period": 2.0, "award": 1.0}
MAX_TOP = 100


@dataclass(frozen=True)
class Recommendation:
    """One recommended book: ``score`` and every component are in [0, 1]."""

    rank: int
    row: int
    title: str
    author: str
    years: str
    score: float
    components: dict[str, float]
    summary: str

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form: title, author, years, score, components (rounded to 4 places)."""
        return {
            "rank": self.rank,
            "title": self.title,
            "author": self.author,
            "years": self.years,
            "score": round(self.score, 4),
            "components": {k: round(v, 4) for k, v in self.components.items()},
        }


def build_features(catalog: pd.DataFrame, synopsis: np.ndarray) -> BookFeatures:
    """Features of a loaded catalogue given its synopsis embeddings."""
    labels = [
        genre_labels(s, b) for s, b in zip(catalog["subjects"], catalog["bookshelves"], strict=True)
    ]
    return BookFeatures(
        synopsis=synopsis,
        genre=idf_jaccard_matrix(labels),
        active_year=catalog["active_year"].to_numpy(dtype=np.float64),
        award=catalog["award"].to_numpy(dtype=np.float64),
    )


class Recommender:
    """A catalogue with its features, answering queries in a few milliseconds."""

    def __init__(self, catalog: pd.DataFrame, features: BookFeatures) -> None:
        self.catalog = catalog
        self.features = features
        self._titles = catalog["title"].tolist()
        self.works = pd.factorize(catalog["edition_key"])[0]
        self._books = catalog[["title", "author", "years", "summary"]].to_dict("records")

    @classmethod
    def from_catalog(
        cls,
        path: Path | str | None = None,
        cache_dir: Path | str | None = None,
        *,
        progress: bool = False,
    ) -> Recommender:
        """Load a catalogue (bundled when ``path`` is None) and its cached embeddings."""
        from sereadipity.embeddings import cached_embeddings

        catalog = load_catalog(path)
        directory = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        synopsis = cached_embeddings(catalog["text"].tolist(), directory, progress=progress)
        return cls(catalog, build_features(catalog, synopsis))

    def find(self, title: str) -> int:
        """Row of the book ``title`` names (exact, prefix, substring or fuzzy)."""
        return match_title(title, self._titles, self.works.tolist())

    def components(self, liked: Sequence[int]) -> dict[str, np.ndarray]:
        """Each criterion averaged over the liked rows: name -> ``(n,)`` array in [0, 1]."""
        return {
            name: np.mean([criterion(self.features, row) for row in liked], axis=0)
            for name, criterion in CRITERIA.items()
        }

    def excluded(self, liked: Sequence[int]) -> np.ndarray:
        """Boolean mask of the liked books and every edition of the same works."""
        return np.isin(self.works, self.works[list(liked)], kind="table")

    def recommend(
        self,
        liked: Sequence[str | int],
        weights: Mapping[str, float] = DEFAULT_WEIGHTS,
        top: int = 10,
    ) -> list[Recommendation]:
        """The ``top`` books with the highest weighted score for the liked titles or rows."""
        if not liked:
            raise SereadipityError("name at least one book you enjoyed")
        if not 1 <= top <= MAX_TOP:
            raise SereadipityError(f"top must be an int in [1, {MAX_TOP}] (got {top})")
        normalised = normalise_weights(weights)
        rows = [self.find(item) if isinstance(item, str) else int(item) for item in liked]
        components = self.components(rows)
        score = np.where(self.excluded(rows), -np.inf, weighted_score(components, normalised))
        return [
            self._recommendation(rank, row, score, components)
            for rank, row in enumerate(top_rows(score, top, self.works), 1)
        ]

    def _recommendation(
        self, rank: int, row: int, score: np.ndarray, components: Mapping[str, np.ndarray]
    ) -> Recommendation:
        book = self._books[row]
        return Recommendation(
            rank=rank,
            row=int(row),
            title=str(book["title"]),
            author=str(book["author"]),
            years=str(book["years"]),
            score=float(score[row]),
            components={name: float(values[row]) for name, values in components.items()},
            summary=str(book["summary"]),
        )


def top_rows(score: np.ndarray, top: int, works: np.ndarray | None = None) -> list[int]:
    """Indices of the ``top`` highest finite scores, best first (ties by catalogue order).

    With ``works`` (one id per row), only the best-scoring edition of each work is kept.
    """
    candidates = np.flatnonzero(np.isfinite(score))
    pool = top if works is None else 4 * top
    while True:
        best = _best(score, candidates, pool)
        rows = best if works is None else _first_of_each_work(best, works)
        if len(rows) >= top or pool >= len(candidates):
            return [int(i) for i in rows[:top]]
        pool *= 4


def _best(score: np.ndarray, candidates: np.ndarray, pool: int) -> np.ndarray:
    if len(candidates) > pool:
        candidates = candidates[np.argpartition(-score[candidates], pool - 1)[:pool]]
    return candidates[np.lexsort((candidates, -score[candidates]))]


def _first_of_each_work(rows: np.ndarray, works: np.ndarray) -> np.ndarray:
    _, first = np.unique(works[rows], return_index=True)
    return rows[np.sort(first)]


def default_cache_dir() -> Path:
    """Per-user cache directory for the embeddings."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("sereadipity"))


def parse_weights(text: str) -> dict[str, float]:
    """Parse ``"synopsis=5,genre=5,period=5,award=5"``; criteria not named get 0.

    Each value must be a number in [0, 10] (the sliders' range).
    """
    weights: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, value = item.partition("=")
        name = name.strip().lower()
        try:
            number = float(value) if sep else float("nan")
        except ValueError:
            number = float("nan")
        if not 0 <= number <= 10:
            raise SereadipityError(
                f"bad weight {item!r}",
                fix="write name=value with value in [0, 10], e.g. synopsis=5,genre=5",
            )
        if name in weights:
            raise SereadipityError(f"weight {name!r} given twice", fix="name each criterion once")
        weights[name] = number
    normalise_weights(weights)
    return weights
