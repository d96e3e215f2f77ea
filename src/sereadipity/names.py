"""Author names and the award rule: match by full name, never by surname alone.

A catalogue author ``"Eliot, T. S. (Thomas Stearns)"`` is parsed into a surname and one or
more forms of the given names (``["t s", "thomas stearns"]``). An award winner matches when
the surnames are equal after normalisation (accents folded, case and punctuation dropped) and
the given names are compatible: the shorter list of given names appears, in order, inside the
longer one, where a one-letter initial is compatible with any name starting with that letter,
and at least one name is spelled out on both sides, unless both sides are initials only.
So "Eliot, George" never matches T. S. Eliot, and "Smith, Adam" never matches Vernon Smith.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_FOLD = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "ł": "l", "Ł": "L"})
_NON_LETTERS = re.compile(r"[^a-z ]+")
_PAREN = re.compile(r"\(([^)]*)\)")

FullName = tuple[str, tuple[str, ...]]
"""A normalised surname and the given names as a tuple of lowercase tokens."""


def fold(text: str) -> str:
    """Lowercase ``text``, strip accents and keep letters and single spaces only."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _NON_LETTERS.sub(" ", text.replace("-", " ").replace(".", ". "))
    return " ".join(text.split())


def parse_catalog_author(author: str) -> list[FullName]:
    """Forms of one catalogue author ``"Last, First (Expanded), suffix"``.

    Returns one ``(surname, given_names)`` per written form of the given names; an author
    without a comma (``"Homer"``) has no given names and so never matches an award.
    """
    parts = [part.strip() for part in author.split(",")]
    if len(parts) < 2 or not parts[1]:
        return []
    surname = fold(parts[0])
    given_forms = [_PAREN.sub("", parts[1]), *_PAREN.findall(parts[1])]
    names = {(surname, tuple(fold(given).split())) for given in given_forms}
    return sorted(name for name in names if name[0] and name[1])


def full_name(first: str, last: str) -> FullName | None:
    """The normalised full name of an award winner, or None when a part is missing."""
    surname, given = fold(last), tuple(fold(first).split())
    return (surname, given) if surname and given else None


def given_names_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """True when given names ``a`` and ``b`` can be the same person (see module docstring)."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    position, spelled_out = 0, False
    for token in short:
        while position < len(long) and not _token_compatible(token, long[position]):
            position += 1
        if position == len(long):
            return False
        spelled_out |= len(token) > 1 and token == long[position]
        position += 1
    all_initials = all(len(token) == 1 for token in (*a, *b))
    return spelled_out or all_initials


def _token_compatible(x: str, y: str) -> bool:
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    return x == y


class AwardRegistry:
    """Full names of award winners, indexed by surname for fast lookup."""

    def __init__(self, names: Iterable[FullName]) -> None:
        self.by_surname: dict[str, list[tuple[str, ...]]] = {}
        for surname, given in names:
            self.by_surname.setdefault(surname, []).append(given)

    def has_winner(self, authors: str) -> bool:
        """True if any author in ``"Last, First|Last, First"`` won an award (full-name match)."""
        for author in authors.split("|"):
            for surname, given in parse_catalog_author(author):
                winners = self.by_surname.get(surname, [])
                if any(given_names_compatible(given, other) for other in winners):
                    return True
        return False
