"""Genre representations built from a book's subjects, its summary's stated form, and shelves.

Each book gets a set of genre labels: the parts of its Library of Congress subject headings
(``"Whales -- Fiction"`` gives ``whales`` and ``fiction``), their leading runs (the heading
hierarchy), the book's form read from the headings, the form its summary states in its
opening sentence (``"... is a collection of short stories written in ..."``, see
:func:`stated_form`), and its bookshelves with the ``"Category: "`` prefix dropped
(``shelves=False`` leaves the shelves out, so that the benchmark can grade against shelves the
criterion never read; the product never reads them). The product compares these labels by
plain Jaccard and blends that with the MiniLM cosine of :func:`genre_text` (chosen by
measurement, see docs/books.md); the TF-IDF and other alternatives stay here so the benchmark
can compare them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

_WORD = re.compile(r"[a-z]+")
_BRACKETED = re.compile(r"\(([^)]*)\)")
_STOPWORDS = frozenset({"and", "of", "the", "in", "to", "a", "for", "on", "by", "with", "other"})
# The opening of the bundled (automatically generated) summaries: '"Title" by Author is a
# historical novel written in the early 19th century. ...'. The form is what follows "is a",
# up to the first verb or preposition that starts the rest of the sentence.
_STATED_FORM = re.compile(
    r'^\s*"[^"]*"[^"]{0,160}?\s(?:is|are|was)\s+(?:an?\s+|the\s+)?(?P<form>[^,.;:()"]{1,100}?)'
    r"(?=\s+(?:written|published|that|which|by|from|in|on|during|composed|set|attributed|"
    r"first|originally|dating|created|compiled|penned|translated|authored|edited|around|"
    r'likely|believed|produced|presented|released|for|focusing|exploring)\b|[,.;:()"]|$)'
)
_FORM_WORD = re.compile(r"[a-z][a-z'-]+")
_FORM_STOPWORDS = _STOPWORDS | {"an", "or", "its", "his", "her", "their"}
# Prefixes of the labels read from the summary's stated form: the whole phrase, and its words.
STATED_FORM = "form: "
STATED_FORM_WORD = "form word: "


@dataclass(frozen=True)
class GenreMatrix:
    """Per-book genre vectors, float32 ``(n, g)``, and how to compare two rows.

    ``kind`` is ``"jaccard"`` (binary rows, ``weights`` are the per-label weights of the
    weighted Jaccard) or ``"cosine"`` (unit-length rows, ``weights`` unused). ``rarity``
    (per-label IDF) orders the shared labels an explanation names; ``weights`` when None.
    """

    vectors: np.ndarray
    kind: str
    weights: np.ndarray | None = None
    vocabulary: tuple[str, ...] = ()
    rarity: np.ndarray | None = None

    def shared_labels(self, a: int, b: int, limit: int = 2) -> list[str]:
        """Up to ``limit`` labels books ``a`` and ``b`` share, the most specific (rarest) first."""
        if not self.vocabulary:
            return []
        shared = np.flatnonzero((self.vectors[a] > 0) & (self.vectors[b] > 0))
        order = self.rarity if self.rarity is not None else self.weights
        weights = order[shared] if order is not None else np.ones(len(shared))
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


def genre_labels(
    subjects: str, bookshelves: str, *, shelves: bool = True, summary: str = ""
) -> set[str]:
    """Lowercase genre labels of one book; ``shelves=False`` leaves the bookshelves out.

    From each subject heading: every part (``"Whales -- Fiction"`` gives ``whales`` and
    ``fiction``), every leading run of parts (the heading hierarchy: ``"France -- History --
    Revolution, 1789-1799 -- Fiction"`` also gives ``france -- history`` and ``france --
    history -- revolution, 1789-1799``), and the book's form read from the headings
    (:func:`form_labels`). Besides each full part, a shelf ``"Science - Biology"`` also gives
    ``science`` and ``biology``, and ``"Evolution (Biology)"`` also gives ``evolution`` and
    ``biology``, so related books share labels even when their exact headings differ. With a
    ``summary``, the form it states (:func:`stated_form_labels`) is added.
    """
    headings = [heading.strip().lower() for heading in _split(subjects)]
    parts = [part for heading in headings for part in heading.split(" -- ")]
    if shelves:
        parts += [s.removeprefix("Category: ") for s in _split(bookshelves)]
    labels: set[str] = set(form_labels(subjects))
    for part in parts:
        labels |= _label_variants(part.strip().lower())
    for heading in headings:
        levels = [level.strip() for level in heading.split(" -- ")]
        labels |= {" -- ".join(levels[:n]) for n in range(2, len(levels) + 1)}
    labels |= stated_form_labels(summary)
    return {label for label in labels if label}


def stated_form(summary: str) -> str:
    """The form the summary's opening sentence states, lowercase; "" when it states none.

    ``'"Dracula" by Bram Stoker is a gothic horror novel written in the late 19th century.'``
    gives ``"gothic horror novel"``; a summary that is only a title gives "".
    """
    found = _STATED_FORM.match(summary)
    return " ".join(found.group("form").lower().split()) if found else ""


def stated_form_labels(summary: str) -> set[str]:
    """``"form: <phrase>"`` and ``"form word: <word>"`` for each content word of the phrase."""
    phrase = stated_form(summary)
    if not phrase:
        return set()
    words = {w for w in _FORM_WORD.findall(phrase) if w not in _FORM_STOPWORDS}
    return {STATED_FORM + phrase} | {STATED_FORM_WORD + w for w in words}


def genre_text(subjects: str, summary: str, title: str = "") -> str:
    """What the genre embedding reads: the stated form, then the subject headings.

    ``"gothic horror novel; Gothic fiction; Horror tales; Vampires -- Fiction"``; the title
    when there is neither (never the bookshelves).
    """
    parts = [stated_form(summary), *(heading.strip() for heading in _split(subjects))]
    return "; ".join(part for part in parts if part) or title


def form_labels(subjects: str) -> set[str]:
    """The form of a book from its subject headings alone: ``fiction`` or ``non-fiction``,
    plus ``poetry``, ``drama`` and ``juvenile`` when a heading says so."""
    if not _split(subjects):
        return set()
    low = subjects.lower()
    labels = {"fiction" if is_fiction(subjects, "") else "non-fiction"}
    return labels | {form for form in ("poetry", "drama", "juvenile") if form in low}


def _label_variants(label: str) -> set[str]:
    variants = {label, *(p.strip() for p in label.split(" - "))}
    bracketed = _BRACKETED.search(label)
    if bracketed:
        variants |= {_BRACKETED.sub("", label).strip(), bracketed.group(1).strip()}
    return variants


def _split(text: str) -> list[str]:
    return [item for item in text.split("|") if item.strip()]


def idf_jaccard_matrix(label_sets: Sequence[set[str]], idf_power: float = 1.0) -> GenreMatrix:
    """Binary label matrix for weighted Jaccard, label weights ``idf ** idf_power``.

    ``idf = log(1 + n / df)``; ``idf_power=0`` gives plain (unweighted) Jaccard. The IDF is
    kept as ``rarity`` either way, so explanations still name the rarest shared labels.
    """
    vocabulary = sorted(set().union(*label_sets))
    matrix = _incidence(label_sets, vocabulary)
    document_frequency = matrix.sum(axis=0)
    idf = np.log1p(len(label_sets) / np.maximum(document_frequency, 1)).astype(np.float32)
    weights = np.ones_like(idf) if idf_power == 0 else (idf**idf_power).astype(np.float32)
    return GenreMatrix(matrix, "jaccard", weights, tuple(vocabulary), rarity=idf)


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
