"""Author names and the award rule: the same person, never a namesake.

A catalogue author ``"Eliot, T. S. (Thomas Stearns)"`` (or ``"T. S. Eliot"``, without a
comma) is parsed into a surname and one or more forms of the given names (``["t s", "thomas
stearns"]``). An award winner is the same person when

- the surnames agree after normalisation (accents folded, ``ue``/``oe``/``ae`` read as
  ``u``/``o``/``a`` so "Mueller" is "Müller", particles such as "de", "von", "y" dropped) or
  one is the start of the other (``"Echegaray"`` and ``"Echegaray y Eizaguirre"``);
- the given names are compatible: the shorter list appears, in order, inside the longer one,
  a one-letter initial standing for any name with that letter;
- and the evidence is enough: when both birth years are known they must agree within
  :data:`BIRTH_YEAR_TOLERANCE` years (this tells George Bernard Shaw, 1856, from George Shaw,
  1751, and Woodrow Wilson from Thomas Wilson); when a year is missing the given names must
  agree token for token with the first name spelled out on both sides.

So "Eliot, George" never matches T. S. Eliot, "Shaw, George" without years never matches
George Bernard Shaw, and an author without a given name (``"Homer"``) never matches.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_FOLD = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "ł": "l", "Ł": "L"})
_NON_LETTERS = re.compile(r"[^a-z ]+")
_PAREN = re.compile(r"\(([^)]*)\)")
_DIGRAPHS = (("ue", "u"), ("oe", "o"), ("ae", "a"))
PARTICLES = frozenset({"de", "da", "del", "der", "di", "du", "la", "le", "van", "von", "y", "e"})
BIRTH_YEAR_TOLERANCE = 2

FullName = tuple[str, tuple[str, ...]]
"""A normalised surname and the given names as a tuple of lowercase tokens."""


def fold(text: str) -> str:
    """Lowercase ``text``, strip accents and keep letters and single spaces only."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _NON_LETTERS.sub(" ", text.replace("-", " ").replace(".", ". "))
    return " ".join(text.split())


def surname_tokens(surname: str) -> tuple[str, ...]:
    """Comparable tokens of a folded surname: particles dropped, umlaut digraphs merged."""
    tokens = [token for token in surname.split() if token not in PARTICLES]
    for digraph, vowel in _DIGRAPHS:
        tokens = [token.replace(digraph, vowel) for token in tokens]
    return tuple(tokens)


def parse_catalog_author(author: str) -> list[FullName]:
    """Forms of one catalogue author ``"Last, First (Expanded), suffix"`` or ``"First Last"``.

    Returns one ``(surname, given_names)`` per written form of the given names; an author
    with a single name (``"Homer"``) has no given names and so never matches an award.
    """
    parts = [part.strip() for part in author.split(",")]
    if len(parts) < 2:
        words = _PAREN.sub("", author).split()
        if len(words) < 2:
            return []
        parts = [words[-1], " ".join(words[:-1])]
    surname = fold(parts[0])
    given_forms = [_PAREN.sub("", parts[1]), *_PAREN.findall(parts[1])]
    names = {(surname, tuple(fold(given).split())) for given in given_forms}
    return sorted(name for name in names if name[0] and name[1])


def full_names(first: str, last: str) -> list[FullName]:
    """The normalised forms of an award winner's name (``"Earl (Bertrand Arthur)"`` gives 2)."""
    surname = fold(last)
    forms = [_PAREN.sub("", first), *_PAREN.findall(first)]
    names = {(surname, tuple(fold(form).split())) for form in forms}
    return sorted(name for name in names if name[0] and name[1])


def full_name(first: str, last: str) -> FullName | None:
    """The first normalised form of an award winner's name, or None when a part is missing."""
    names = full_names(first, last)
    return names[0] if names else None


def surnames_compatible(a: str, b: str) -> bool:
    """Equal surnames, or one the start of the other ("echegaray" / "echegaray y eizaguirre")."""
    x, y = surname_tokens(a), surname_tokens(b)
    short, long = (x, y) if len(x) <= len(y) else (y, x)
    return bool(short) and long[: len(short)] == short


def given_names_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """True when the shorter list of given names fits, in order, inside the longer one."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    position = 0
    for token in short:
        while position < len(long) and not _token_compatible(token, long[position]):
            position += 1
        if position == len(long):
            return False
        position += 1
    return bool(short)


def given_names_identical(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Token-for-token compatible, with the first given name spelled out and equal."""
    same_length = len(a) == len(b) and all(map(_token_compatible, a, b))
    return same_length and len(a[0]) > 1 and a[0] == b[0]


def _token_compatible(x: str, y: str) -> bool:
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    return x == y


def years_agree(a: float | None, b: float | None) -> bool | None:
    """True/False when both birth years are known, None when either is not."""
    if a is None or b is None or math.isnan(a) or math.isnan(b):
        return None
    return abs(a - b) <= BIRTH_YEAR_TOLERANCE


@dataclass(frozen=True)
class Winner:
    """One award winner: name forms, birth year (None if unknown) and the award's name."""

    surname: str
    given: tuple[str, ...]
    birth_year: float | None
    award: str

    def is_same_person(self, name: FullName, birth_year: float | None) -> bool:
        """The rule of the module docstring for one parsed catalogue name."""
        surname, given = name
        if not (surnames_compatible(surname, self.surname) and given):
            return False
        if not given_names_compatible(given, self.given):
            return False
        agree = years_agree(birth_year, self.birth_year)
        return agree if agree is not None else given_names_identical(given, self.given)


class AwardRegistry:
    """Award winners, indexed by the first token of their surname for fast lookup."""

    def __init__(self, winners: Iterable[Winner | FullName]) -> None:
        self.by_surname: dict[str, list[Winner]] = {}
        for winner in winners:
            if not isinstance(winner, Winner):
                winner = Winner(winner[0], winner[1], None, "award")
            tokens = surname_tokens(winner.surname)
            if tokens:
                self.by_surname.setdefault(tokens[0], []).append(winner)

    def award_of(self, authors: str, birth_year: float | None = None) -> str | None:
        """Name of an award won by an author of ``"Last, First|Last, First"``, else None.

        ``birth_year`` is the first author's (the catalogue gives years for it only).
        """
        for position, author in enumerate(authors.split("|")):
            year = birth_year if position == 0 else None
            for name in parse_catalog_author(author):
                tokens = surname_tokens(name[0])
                for winner in self.by_surname.get(tokens[0] if tokens else "", []):
                    if winner.is_same_person(name, year):
                        return winner.award
        return None

    def has_winner(self, authors: str, birth_year: float | None = None) -> bool:
        """True if an author won an award (see :meth:`award_of`)."""
        return self.award_of(authors, birth_year) is not None
