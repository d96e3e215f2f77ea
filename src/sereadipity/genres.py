"""Genre representations built from a book's subjects and bookshelves.

Each book gets a set of genre labels: the parts of its Library of Congress subject headings
(``"Whales -- Fiction"`` gives ``whales`` and ``fiction``) and its bookshelves with the
``"Category: "`` prefix dropped. The product uses IDF-weighted Jaccard over these labels
(chosen by measurement, see docs/books.md); the TF-IDF and embedding alternatives stay
here so the benchmark can compare them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

_WORD = re.compile(r"[a-z]+")
_BRACKETED = re.compile(r"\(([^)]*)\)")
_STOPWORDS = frozenset({"and", "of", "the", "in", "to", "a", "for", "on", "by", "with", "other"})


@dataclass(frozen=True)
class GenreMatrix:
    """Per-book genre vectors, float32 ``(n, g)``, and how to compare two rows.

    ``kind`` is ``"jaccard"`` (binary rows, ``weights`` are the per-label IDF weights) or
    ``"cosine"`` (unit-length rows, ``weights`` unused).
    """

    vectors: np.ndarray
    kind: str
    weights: np.ndarray | None = None
    vocabulary: tuple[str, ...] = ()

    def shared_labels(self, a: int, b: int, limit: int = 2) -> list[str]:
        """Up to ``limit`` labels books ``a`` and ``b`` share, the most specific (rarest) first."""
        if not self.vocabulary:
            return []
        shared = np.flatnonzero((self.vectors[a] > 0) & (self.vectors[b] > 0))
        weights = self.weights[shared] if self.weights is not None else np.ones(len(shared))
        best = shared[np.lexsort((shared, -weights))]
        return [self.vocabulary[j] for j in best[:limit]]

    @property
    def totals(self) -> np.ndarray:
        """Per-row sum of label weights (computed once; rows are binary for "jaccard")."""
        cached = self.__dict__.get("_totals")
        if cached is None:
            weights = self.weights if self.weights is not None else 1.0
            cached = (self.vectors * weights).sum(axis=1, dtype=np.float64)
            object.__setattr__(self, "_totals", cached)
        return cached


def genre_labels(subjects: str, bookshelves: str, *, shelves: bool = True) -> set[str]:
    """Lowercase genre labels of one book; ``shelves=False`` keeps the subjects only.

    Besides each full heading part, a shelf ``"Science - Biology"`` also gives ``science`` and
    ``biology``, and ``"Evolution (Biology)"`` also gives ``evolution`` and ``biology``, so
    related books share labels even when their exact headings differ.
    """
    parts = [part for s in _split(subjects) for part in s.split(" -- ")]
    if shelves:
        parts += [s.removeprefix("Category: ") for s in _split(bookshelves)]
    labels: set[str] = set()
    for part in parts:
        labels |= _label_variants(part.strip().lower())
    return {label for label in labels if label}


def _label_variants(label: str) -> set[str]:
    variants = {label, *(p.strip() for p in label.split(" - "))}
    bracketed = _BRACKETED.search(label)
    if bracketed:
        variants |= {_BRACKETED.sub("", label).strip(), bracketed.group(1).strip()}
    return variants


def _split(text: str) -> list[str]:
    return [item for item in text.split("|") if item.strip()]


def idf_jaccard_matrix(label_sets: Sequence[set[str]]) -> GenreMatrix:
    """Binary label matrix with IDF weights ``log(1 + n / df)`` for weighted Jaccard."""
    vocabulary = sorted(set().union(*label_sets))
    matrix = _incidence(label_sets, vocabulary)
    document_frequency = matrix.sum(axis=0)
    weights = np.log1p(len(label_sets) / np.maximum(document_frequency, 1)).astype(np.float32)
    return GenreMatrix(matrix, "jaccard", weights, tuple(vocabulary))


def tfidf_cosine_matrix(label_sets: Sequence[set[str]]) -> GenreMatrix:
    """Unit-length TF-IDF vectors over the words of the labels (smoothed IDF)."""
    documents = [_words(labels) for labels in label_sets]
    vocabulary = sorted(set().union(*map(set, documents)))
    counts = _counts(documents, vocabulary)
    document_frequency = (counts > 0).sum(axis=0)
    idf = np.log((1 + len(documents)) / (1 + document_frequency)) + 1
    return GenreMatrix(unit_rows(counts * idf), "cosine")


def embedding_matrix(label_sets: Sequence[set[str]]) -> GenreMatrix:
    """MiniLM embeddings of the comma-joined label list (slow: runs the model)."""
    from sereadipity.embeddings import embed

    texts = [", ".join(sorted(labels)) or "unknown" for labels in label_sets]
    return GenreMatrix(embed(texts), "cosine")


GENRE_FORMULAS = {
    "idf-jaccard": idf_jaccard_matrix,
    "tfidf-cosine": tfidf_cosine_matrix,
    "embedding-cosine": embedding_matrix,
}


def _incidence(label_sets: Sequence[set[str]], vocabulary: list[str]) -> np.ndarray:
    column = {label: j for j, label in enumerate(vocabulary)}
    matrix = np.zeros((len(label_sets), len(vocabulary)), dtype=np.float32)
    for i, labels in enumerate(label_sets):
        matrix[i, [column[label] for label in labels]] = 1.0
    return matrix


def _words(labels: Iterable[str]) -> list[str]:
    return [w for label in labels for w in _WORD.findall(label) if w not in _STOPWORDS]


def _counts(documents: Sequence[list[str]], vocabulary: list[str]) -> np.ndarray:
    column = {word: j for j, word in enumerate(vocabulary)}
    counts = np.zeros((len(documents), len(vocabulary)), dtype=np.float32)
    for i, words in enumerate(documents):
        np.add.at(counts[i], [column[w] for w in words], 1.0)
    return counts


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length; all-zero rows stay zero. Returns float32."""
    # float64 so that tiny (even subnormal float32) rows still come out of unit length.
    wide = np.asarray(matrix, dtype=np.float64)
    norms = np.linalg.norm(wide, axis=1, keepdims=True)
    return (wide / np.where(norms == 0, 1, norms)).astype(np.float32)


_FICTION_SUBJECT = re.compile(
    r"(^|-- )(fiction|juvenile fiction|drama|poetry)$|\b(fiction|stories|tales|novels?|plays|"
    r"poems|poetry|drama|tragedies|comedies|fables|romances?|epic)\b",
    re.I,
)
_FICTION_SHELF = re.compile(
    r"Category: (Novels|Short Stories|Poetry|Plays/Films/Dramas|Science-Fiction & Fantasy|"
    r"Romance|Adventure|Crime, Thrillers and Mystery|Historical Novels|Humour)\b"
)


def is_fiction(subjects: str, bookshelves: str) -> bool:
    """Imaginative literature (fiction, poetry, drama) by its subject headings or shelves."""
    if any(_FICTION_SHELF.match(shelf) for shelf in _split(bookshelves)):
        return True
    return any(_FICTION_SUBJECT.search(subject) for subject in _split(subjects))
