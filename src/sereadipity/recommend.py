"""Top-k recommendations for one or more liked books.

Each liked book ranks the catalogue by the weighted score (ties broken by content
similarity); with several liked books the lists are interleaved, so each liked book gets its
share of the answer. Books of the same work as a liked book are never recommended
(:mod:`sereadipity.works`), each work appears once, and no more than ``same_author_max``
books share an author.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from sereadipity.catalog import load_catalog
from sereadipity.errors import SereadipityError
from sereadipity.explain import Reason, reasons
from sereadipity.genres import genre_labels, genre_text, idf_jaccard_matrix
from sereadipity.similarity import (
    CRITERIA,
    GENRE_IDF_POWER,
    BookFeatures,
    content_similarity,
    normalise_weights,
    weighted_score,
)
from sereadipity.titles import match_title
from sereadipity.works import WorkIndex, main_title

# Chosen on the tuning queries of benchmarks/books.py --tune (disjoint from the reported ones)
# with the genre criterion as shipped (subject headings and the summary's stated form, never
# the bookshelves): the best shelf precision with at least 8.5 distinct authors (docs/books.md;
# a plateau, synopsis=7 scored 0.001 lower); the period earned no weight there, so it is 0
# unless the reader moves its slider.
DEFAULT_WEIGHTS: dict[str, float] = {"synopsis": 5.0, "genre": 5.0, "period": 0.0, "award": 1.0}
# The genre criterion reads the subject headings (and the form the summary states), not the
# bookshelves: measured, reading half of the shelves made the other half harder to match
# (docs/books.md, "shelf split"), and it keeps the benchmark, which grades against the
# shelves, from grading its own input.
GENRE_READS_SHELVES = False
MAX_TOP = 100
SAME_AUTHOR_MAX = 3


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
    because: str = ""
    why: tuple[Reason, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form: title, author, years, score, components, the liked book and why."""
        from sereadipity.i18n import describe

        return {
            "rank": self.rank,
            "title": self.title,
            "author": self.author,
            "years": self.years,
            "score": round(self.score, 4),
            "components": {k: round(v, 4) for k, v in self.components.items()},
            "because": self.because,
            "why": describe(self.why, "en"),
        }


def build_features(
    catalog: pd.DataFrame, synopsis: np.ndarray, genre_embedding: np.ndarray | None = None
) -> BookFeatures:
    """Features of a loaded catalogue given its synopsis (and genre-text) embeddings."""
    return BookFeatures(
        synopsis=synopsis,
        genre=idf_jaccard_matrix(genre_label_sets(catalog), GENRE_IDF_POWER),
        active_year=catalog["active_year"].to_numpy(dtype=np.float64),
        award=catalog["award"].to_numpy(dtype=np.float64),
        tfidf=tfidf_matrix(catalog["text"].tolist()),
        genre_embedding=genre_embedding,
    )


def genre_label_sets(catalog: pd.DataFrame) -> list[set[str]]:
    """Each book's genre labels: subject headings and the form its summary states."""
    return [
        genre_labels(s, b, shelves=GENRE_READS_SHELVES, summary=t)
        for s, b, t in zip(
            catalog["subjects"], catalog["bookshelves"], catalog["text"], strict=True
        )
    ]


def genre_texts(catalog: pd.DataFrame) -> list[str]:
    """What the genre embedding reads per book: stated form and subject headings, no shelves."""
    return [
        genre_text(s, t, title)
        for s, t, title in zip(catalog["subjects"], catalog["text"], catalog["title"], strict=True)
    ]


def tfidf_matrix(texts: list[str]) -> object:
    """Unit-length sparse TF-IDF rows (scikit-learn; English stop words, sublinear tf)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1)
    return vectorizer.fit_transform(texts).tocsr()


class Recommender:
    """A catalogue with its features, answering queries in a few milliseconds."""

    def __init__(self, catalog: pd.DataFrame, features: BookFeatures) -> None:
        self.catalog = catalog
        self.features = features
        self._titles = catalog["title"].tolist()
        authors = catalog["authors"] if "authors" in catalog else catalog["author"]
        self.work_index = WorkIndex.build(self._titles, authors.tolist())
        self.works = self.work_index.ids
        self._authors = self.work_index.authors
        self._books = catalog[["title", "author", "years", "summary"]].to_dict("records")

    @classmethod
    def from_catalog(
        cls,
        path: Path | str | None = None,
        cache_dir: Path | str | None = None,
        *,
        progress: bool = False,
    ) -> Recommender:
        """Load a catalogue (bundled when ``path`` is None) and its cached embeddings.

        Two embedding caches: the synopses and the genre texts (:func:`genre_texts`).
        """
        from sereadipity.embeddings import cached_embeddings

        catalog = load_catalog(path)
        directory = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        synopsis = cached_embeddings(catalog["text"].tolist(), directory, progress=progress)
        genre = cached_embeddings(genre_texts(catalog), directory, progress=progress)
        return cls(catalog, build_features(catalog, synopsis, genre))

    def find(self, title: str) -> int:
        """Row of the book ``title`` names (exact, prefix, substring or typo-tolerant)."""
        authors = [str(book["author"]) for book in self._books]
        return match_title(title, self._titles, self.works.tolist(), authors)

    def components(self, liked: Sequence[int]) -> dict[str, np.ndarray]:
        """Each criterion averaged over the liked rows: name -> ``(n,)`` array in [0, 1]."""
        return {
            name: np.mean([criterion(self.features, row) for row in liked], axis=0)
            for name, criterion in CRITERIA.items()
        }

    def excluded(self, liked: Sequence[int]) -> np.ndarray:
        """Boolean mask of the liked books and everything of the same works (see works.py)."""
        mask = np.zeros(len(self.works), dtype=bool)
        for row in liked:
            mask |= self.work_index.same_work(int(row))
        return mask

    def recommend(
        self,
        liked: Sequence[str | int],
        weights: Mapping[str, float] = DEFAULT_WEIGHTS,
        top: int = 10,
        same_author_max: int = SAME_AUTHOR_MAX,
    ) -> list[Recommendation]:
        """The ``top`` books with the highest weighted score for the liked titles or rows."""
        if not liked:
            raise SereadipityError("name at least one book you enjoyed")
        if not 1 <= top <= MAX_TOP:
            raise SereadipityError(f"top must be an int in [1, {MAX_TOP}] (got {top})")
        if same_author_max < 1:
            raise SereadipityError(f"same-author-max must be at least 1 (got {same_author_max})")
        normalised = normalise_weights(weights)
        rows = list(dict.fromkeys(self._row(item) for item in liked))
        per_liked = [self.components([row]) for row in rows]
        scores = [weighted_score(c, normalised) for c in per_liked]
        ties = [content_similarity(self.features, row) for row in rows]
        picks = self.rank(scores, ties, self.excluded(rows), top, same_author_max)
        results = [
            self._recommendation(rank, row, rows[source], scores[source], per_liked[source])
            for rank, (row, source) in enumerate(picks, 1)
        ]
        if len(rows) == 1:
            return results
        return [replace(r, why=(("because", r.because), *r.why)) for r in results]

    def _row(self, item: str | int) -> int:
        if isinstance(item, str):
            return self.find(item)
        if not 0 <= int(item) < len(self._books):
            raise SereadipityError(f"no book at row {item}")
        return int(item)

    def rank(
        self,
        scores: Sequence[np.ndarray],
        ties: Sequence[np.ndarray],
        excluded: np.ndarray,
        top: int,
        same_author_max: int = SAME_AUTHOR_MAX,
    ) -> list[tuple[int, int]]:
        """``(row, liked index)`` of the top books, taking turns between the liked books.

        Each list is ordered by score, then tie score, then catalogue order; a pick skips
        excluded books, works already picked and authors already picked ``same_author_max``
        times.
        """
        orders = [ranked_rows(s, t, excluded) for s, t in zip(scores, ties, strict=True)]
        positions = [0] * len(orders)
        picked: list[tuple[int, int]] = []
        works: set[int] = set()
        per_author: dict[str, int] = {}
        while len(picked) < top and any(p < len(o) for p, o in zip(positions, orders, strict=True)):
            for source, order in enumerate(orders):
                row = self._next(order, positions, source, works, per_author, same_author_max)
                if row is not None and len(picked) < top:
                    picked.append((row, source))
                    works.add(int(self.works[row]))
                    for author in self._authors[row]:
                        per_author[author] = per_author.get(author, 0) + 1
        return picked

    def _next(
        self,
        order: np.ndarray,
        positions: list[int],
        source: int,
        works: set[int],
        per_author: Mapping[str, int],
        same_author_max: int,
    ) -> int | None:
        while positions[source] < len(order):
            row = int(order[positions[source]])
            positions[source] += 1
            capped = any(per_author.get(a, 0) >= same_author_max for a in self._authors[row])
            if int(self.works[row]) not in works and not capped:
                return row
        return None

    def _recommendation(
        self,
        rank: int,
        row: int,
        liked: int,
        score: np.ndarray,
        components: Mapping[str, np.ndarray],
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
            because=main_title(str(self._books[liked]["title"])),
            why=reasons(self.catalog, self.features, liked, row, components),
        )


def ranked_rows(score: np.ndarray, tie: np.ndarray, excluded: np.ndarray) -> np.ndarray:
    """Rows not excluded, best first: by score, then tie score, then catalogue order."""
    candidates = np.flatnonzero(~excluded & np.isfinite(score))
    order = np.lexsort((candidates, -tie[candidates], -score[candidates]))
    return candidates[order]


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
