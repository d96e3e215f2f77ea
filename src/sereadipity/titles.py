"""Find a catalogue book from what a reader types.

In order: case-insensitive exact title (or main title, before the subtitle), unique prefix,
unique substring, then typo-tolerant matching with :mod:`rapidfuzz` (one or two wrong
letters: "Frankenstien", "Pride and Prejudise"). Editions of the same work count as one
candidate; the fuzzy rule takes the best-scoring work unless another scores within
:data:`FUZZY_MARGIN`. An ambiguous or unknown title raises :class:`SereadipityError` listing
the closest candidates, with their authors.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process, utils

from sereadipity.errors import SereadipityError
from sereadipity.works import main_title

MAX_CANDIDATES = 5
FUZZY_CUTOFF = 85.0
FUZZY_MARGIN = 3.0
MIN_PREFIX_QUERY = 6


def normalise_title(title: str) -> str:
    """Casefolded title with single spaces."""
    return " ".join(title.casefold().split())


def match_title(
    query: str,
    titles: Sequence[str],
    works: Sequence[object] | None = None,
    authors: Sequence[str] | None = None,
) -> int:
    """Row index of the book ``query`` names in ``titles``.

    ``works`` gives one key per row shared by editions of one work (default: the title), so
    several editions of one work are not ambiguous; the first edition is returned.
    ``authors`` (optional) are shown beside the titles in error messages.
    """
    wanted = normalise_title(query)
    if not wanted:
        raise SereadipityError(
            "empty title", fix="type part of a title; `sereadipity books` lists them"
        )
    normalised = [normalise_title(t) for t in titles]
    keys = list(works) if works is not None else normalised
    shown = _labels(titles, authors)
    for rule in (_exact, _prefix, _substring):
        rows = rule(wanted, normalised)
        if rows:
            return _unique_work(query, rows, shown, keys)
    rows = _fuzzy(wanted, normalised, keys)
    if rows:
        return _unique_work(query, rows, shown, keys)
    raise SereadipityError(
        f"no book matches {query!r}; closest: {_closest(wanted, shown, normalised)}",
        fix="check the spelling or run `sereadipity books QUERY` to search",
    )


def _labels(titles: Sequence[str], authors: Sequence[str] | None) -> list[str]:
    if authors is None:
        return [repr(t) for t in titles]
    return [f"{t!r} by {a}" if a else repr(t) for t, a in zip(titles, authors, strict=True)]


def _exact(wanted: str, normalised: list[str]) -> list[int]:
    return [i for i, t in enumerate(normalised) if wanted in (t, normalise_title(main_title(t)))]


def _prefix(wanted: str, normalised: list[str]) -> list[int]:
    return [i for i, title in enumerate(normalised) if title.startswith(wanted)]


def _substring(wanted: str, normalised: list[str]) -> list[int]:
    return [i for i, title in enumerate(normalised) if wanted in title]


def similarity(wanted: str, title: str) -> float:
    """0-100: the best of the query against the title, its main title and its start."""
    main = normalise_title(main_title(title))
    scores = [fuzz.ratio(wanted, title), fuzz.ratio(wanted, main)]
    if len(wanted) >= MIN_PREFIX_QUERY:
        scores.append(fuzz.ratio(wanted, title[: len(wanted)]))
    return max(scores)


def _fuzzy(wanted: str, normalised: list[str], keys: Sequence[object]) -> list[int]:
    """Rows of the best-scoring work, and of any other work within FUZZY_MARGIN of it."""
    best_of_work: dict[object, tuple[float, int]] = {}
    for row, title in enumerate(normalised):
        score = similarity(wanted, title)
        if score >= FUZZY_CUTOFF and score > best_of_work.get(keys[row], (-1.0, 0))[0]:
            best_of_work[keys[row]] = (score, row)
    if not best_of_work:
        return []
    top = max(score for score, _ in best_of_work.values())
    close = [(s, r) for s, r in best_of_work.values() if s >= top - FUZZY_MARGIN]
    return [row for _, row in sorted(close, key=lambda item: (-item[0], item[1]))]


def fuzzy_rows(query: str, titles: Sequence[str], limit: int = 10) -> list[int]:
    """Rows of up to ``limit`` titles close to ``query`` (rapidfuzz WRatio >= 80), best first."""
    found = process.extract(
        query,
        titles,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit,
        score_cutoff=80,
    )
    return [index for _, _, index in found]


def _unique_work(query: str, rows: list[int], shown: Sequence[str], keys: Sequence[object]) -> int:
    first_of_work: dict[object, int] = {}
    for row in rows:
        first_of_work.setdefault(keys[row], row)
    if len(first_of_work) == 1:
        return rows[0]
    listed = "; ".join(shown[r] for r in list(first_of_work.values())[:MAX_CANDIDATES])
    more = len(first_of_work) - MAX_CANDIDATES
    suffix = f" and {more} more" if more > 0 else ""
    raise SereadipityError(
        f"{query!r} matches {len(first_of_work)} books: {listed}{suffix}",
        fix="type more of the title",
    )


def _closest(wanted: str, shown: Sequence[str], normalised: list[str]) -> str:
    scored = sorted(range(len(shown)), key=lambda i: -similarity(wanted, normalised[i]))
    names = dict.fromkeys(shown[i] for i in scored)
    return "; ".join(list(names)[:MAX_CANDIDATES])
