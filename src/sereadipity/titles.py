"""Find a catalogue book from what a reader types.

In order: case-insensitive exact title, unique prefix, unique substring, then fuzzy matching
with :mod:`difflib`. Editions of the same work count as one candidate. An ambiguous or
unknown title raises :class:`SereadipityError` listing the closest candidates.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from sereadipity.errors import SereadipityError

MAX_CANDIDATES = 5
FUZZY_CUTOFF = 0.6


def normalise_title(title: str) -> str:
    """Casefolded title with single spaces."""
    return " ".join(title.casefold().split())


def match_title(query: str, titles: Sequence[str], works: Sequence[str] | None = None) -> int:
    """Row index of the book ``query`` names in ``titles``.

    ``works`` gives one key per row shared by editions of one work (default: the title), so
    several editions of one work are not ambiguous; the first edition is returned.
    """
    wanted = normalise_title(query)
    if not wanted:
        raise SereadipityError(
            "empty title", fix="type part of a title; `sereadipity books` lists them"
        )
    normalised = [normalise_title(t) for t in titles]
    keys = list(works) if works is not None else normalised
    for rule in (_exact, _prefix, _substring, _fuzzy):
        rows = rule(wanted, normalised)
        if rows:
            return _unique_work(query, rows, titles, keys)
    raise SereadipityError(
        f"no book matches {query!r}; closest: {_closest(wanted, titles, normalised)}",
        fix="check the spelling or run `sereadipity books QUERY` to search",
    )


def _exact(wanted: str, normalised: list[str]) -> list[int]:
    return [i for i, title in enumerate(normalised) if title == wanted]


def _prefix(wanted: str, normalised: list[str]) -> list[int]:
    return [i for i, title in enumerate(normalised) if title.startswith(wanted)]


def _substring(wanted: str, normalised: list[str]) -> list[int]:
    return [i for i, title in enumerate(normalised) if wanted in title]


def _fuzzy(wanted: str, normalised: list[str]) -> list[int]:
    close = set(
        difflib.get_close_matches(wanted, normalised, n=MAX_CANDIDATES, cutoff=FUZZY_CUTOFF)
    )
    return [i for i, title in enumerate(normalised) if title in close]


def _unique_work(query: str, rows: list[int], titles: Sequence[str], keys: Sequence[str]) -> int:
    first_of_work: dict[str, int] = {}
    for row in rows:
        first_of_work.setdefault(keys[row], row)
    if len(first_of_work) == 1:
        return rows[0]
    shown = "; ".join(repr(titles[r]) for r in list(first_of_work.values())[:MAX_CANDIDATES])
    more = len(first_of_work) - MAX_CANDIDATES
    suffix = f" and {more} more" if more > 0 else ""
    raise SereadipityError(
        f"{query!r} matches {len(first_of_work)} books: {shown}{suffix}",
        fix="type more of the title",
    )


def _closest(wanted: str, titles: Sequence[str], normalised: list[str]) -> str:
    scored = sorted(
        range(len(titles)),
        key=lambda i: (
            -difflib.SequenceMatcher(None, wanted, normalised[i][: len(wanted) + 20]).ratio()
        ),
    )
    names = dict.fromkeys(titles[i] for i in scored)
    return "; ".join(repr(t) for t in list(names)[:MAX_CANDIDATES])
