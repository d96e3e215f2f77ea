"""Work identity: which catalogue books are the same work as a liked book.

Two books are the same work when one is an edition, a volume, a slice or an illustrated
copy of the other (same :func:`work_key`: main title without leading article or volume
markers, and the same authors), when they share an author and their main titles are
near-equal or one holds the other's words (rapidfuzz ``token_set_ratio`` >=
:data:`SAME_TITLE_SCORE`: "The Republic" / "The Republic of Plato", "Essays of
Schopenhauer" / "The Essays of Arthur Schopenhauer"), when one is a collection of its
author's works ("The Complete Works of ...", "The Works of ...") and shares an author with
the other, or when
one is a companion of the other: its title contains the other's whole main title of at least
two words and they share an author or one has none ("A Key to Uncle Tom's Cabin" by Stowe,
"Walden, and On The Duty Of Civil Disobedience").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from sereadipity.names import fold

_NUMERAL = r"([ivxlcdm]+|\d+|one|two|three|four|five|six|seven|eight|nine|ten|\w+teen|\w+ty)"
_MARKER = r"tome|volume|vol|part|slice|number|no|v|book|series"
_VOLUME = re.compile(rf"[\s,—-]*[(\[]?\b({_MARKER})\.?\s+{_NUMERAL}\b.*$", re.I)
_RANGE = re.compile(r',\s*["“].*$')  # Encyclopaedia Britannica, 11th Edition, "A" to "B"
_TRAILING = re.compile(
    r"[\s,—-]*[(\[]?\b(complete|illustrated|unabridged|abridged)\b[)\]]?\s*$", re.I
)
_ARTICLE = re.compile(r"^(the|a|an|le|la|les|l|el|der|die|das)\s+")
_COLLECTION = re.compile(
    r"\b(complete|collected|selected)\b.*\b(works|writings|stories|poems)\b"
    r"|^(the )?works\b|\bworks of\b|^\w+ s works\b"
)
ANONYMOUS = frozenset({"", "various", "anonymous", "unknown"})
MIN_COMPANION_WORDS = 2
SAME_TITLE_SCORE = 90.0


def main_title(title: str) -> str:
    """The title before its subtitle (``;``, ``:`` or a MARC ``$b``)."""
    return re.split(r"[;:]|\$b", title, maxsplit=1)[0].strip() or title


def work_title(title: str) -> str:
    """Main title folded, without volume markers, "Complete" / "Illustrated" or article."""
    text = main_title(title)
    text = _RANGE.sub("", text)
    for pattern in (_VOLUME, _TRAILING, _VOLUME):
        text = pattern.sub("", text) or text
    folded = fold(text) or " ".join(text.casefold().split())  # non-Latin titles keep theirs
    return _ARTICLE.sub("", folded) or folded


def author_set(authors: str) -> frozenset[str]:
    """Folded authors of ``"Last, First|Last, First"``, without "Various" or "Anonymous"."""
    names = (fold(author) for author in authors.split("|"))
    return frozenset(name for name in names if name not in ANONYMOUS)


def work_key(title: str, authors: str) -> str:
    """Key shared by the editions, volumes and slices of one work."""
    return f"{work_title(title)}|{' '.join(sorted(author_set(authors)))}"


def is_collection(title: str) -> bool:
    """True for "The Complete Works of ...", "Chaucer's Works", "Complete Short Stories of"."""
    return bool(_COLLECTION.search(fold(main_title(title))))


@dataclass(frozen=True)
class WorkIndex:
    """Per-book work identity: ``ids`` (one per work key), collections, authors and titles."""

    ids: np.ndarray
    collection: np.ndarray
    authors: tuple[frozenset[str], ...]
    work_titles: tuple[str, ...]
    folded_titles: tuple[str, ...]

    @classmethod
    def build(cls, titles: Sequence[str], authors: Sequence[str]) -> WorkIndex:
        """Index the catalogue's titles and ``"|"``-separated authors."""
        keys = [work_key(t, a) for t, a in zip(titles, authors, strict=True)]
        _, ids = np.unique(keys, return_inverse=True)
        return cls(
            ids=ids.astype(np.int64),
            collection=np.array([is_collection(t) for t in titles], dtype=bool),
            authors=tuple(author_set(a) for a in authors),
            work_titles=tuple(work_title(t) for t in titles),
            folded_titles=tuple(f" {fold(t)} " for t in titles),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def same_work(self, row: int) -> np.ndarray:
        """Boolean mask of the books that are the same work as book ``row`` (itself included)."""
        mask = self.ids == self.ids[row]
        shares_author = self._shares_author(row)
        mask |= shares_author & (self.collection | self.collection[row])
        mask |= self._same_title(row, shares_author)
        return mask | (self._companions(row) & (shares_author | self._anonymous(row)))

    def _shares_author(self, row: int) -> np.ndarray:
        mine = self.authors[row]
        if not mine:
            return np.zeros(len(self), dtype=bool)
        return np.fromiter((bool(mine & other) for other in self.authors), bool, len(self))

    def _same_title(self, row: int, shares_author: np.ndarray) -> np.ndarray:
        mask = np.zeros(len(self), dtype=bool)
        mine = self.work_titles[row]
        for other in np.flatnonzero(shares_author):
            score = fuzz.token_set_ratio(mine, self.work_titles[other])
            mask[other] = score >= SAME_TITLE_SCORE
        return mask

    def _anonymous(self, row: int) -> np.ndarray:
        if not self.authors[row]:
            return np.ones(len(self), dtype=bool)
        return np.fromiter((not other for other in self.authors), bool, len(self))

    def _companions(self, row: int) -> np.ndarray:
        """Books whose title contains this book's whole main title, or the other way round."""
        mine = self.work_titles[row]
        mask = np.zeros(len(self), dtype=bool)
        if len(mine.split()) >= MIN_COMPANION_WORDS:
            mask |= np.fromiter((f" {mine} " in t for t in self.folded_titles), bool, len(self))
        title = self.folded_titles[row]
        for other, candidate in enumerate(self.work_titles):
            if len(candidate.split()) >= MIN_COMPANION_WORDS and f" {candidate} " in title:
                mask[other] = True
        return mask
