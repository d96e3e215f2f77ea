"""Load and validate a book catalogue, and derive what the criteria need from it.

A catalogue is a CSV with the columns of the bundled Project Gutenberg extract
(:data:`REQUIRED_COLUMNS`). Validation happens once, here; everything downstream trusts the
frame returned by :func:`load_catalog`.
"""

from __future__ import annotations

import difflib
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from sereadipity.errors import SereadipityError
from sereadipity.genres import is_fiction
from sereadipity.names import AwardRegistry, Winner, full_names
from sereadipity.works import work_key

REQUIRED_COLUMNS = (
    "title",
    "authors",
    "author_birth_year",
    "author_death_year",
    "summary",
    "subjects",
    "bookshelves",
)
TEXT_COLUMNS = ("title", "authors", "summary", "subjects", "bookshelves")
YEAR_COLUMNS = ("author_birth_year", "author_death_year")
# Half a typical writing life: a one-sided life span still places the author in time.
HALF_ACTIVE_SPAN = 30.0
# Plausible author years: the oldest texts (Gilgamesh) to a living author.
EARLIEST_YEAR, LATEST_YEAR = -3000, 2100
_BOILERPLATE = "(This is an automatically generated summary.)"


def bundled_path(name: str) -> Path:
    """Path of a CSV bundled in ``sereadipity/data``."""
    return Path(str(resources.files("sereadipity") / "data" / name))


def load_catalog(
    path: Path | str | None = None, awards: AwardRegistry | None = None
) -> pd.DataFrame:
    """Read and validate a catalogue; the bundled one when ``path`` is None.

    Returns the catalogue with a fresh 0..n-1 index and the derived columns ``author``,
    ``years``, ``active_year`` (float, NaN when unknown), ``award`` (0.0 or 1.0),
    ``award_name`` (the award won, "" if none), ``edition_key`` (one per work, see
    :mod:`sereadipity.works`), ``fiction`` (bool) and ``text`` (what the synopsis embeds).
    """
    source = Path(path) if path is not None else bundled_path("gutenberg_catalog.csv")
    frame = _clean(_read(source), source)
    registry = awards if awards is not None else load_award_registry()
    births = frame[YEAR_COLUMNS[0]].tolist()
    awards_won = [
        registry.award_of(a, b) or "" for a, b in zip(frame["authors"], births, strict=True)
    ]
    return frame.assign(
        author=frame["authors"].str.replace("|", "; ", regex=False),
        years=[
            _years_text(b, d)
            for b, d in zip(frame[YEAR_COLUMNS[0]], frame[YEAR_COLUMNS[1]], strict=True)
        ],
        active_year=active_years(frame[YEAR_COLUMNS[0]], frame[YEAR_COLUMNS[1]]),
        award_name=awards_won,
        award=[float(bool(name)) for name in awards_won],
        edition_key=[work_key(t, a) for t, a in zip(frame["title"], frame["authors"], strict=True)],
        fiction=[
            is_fiction(s, b) for s, b in zip(frame["subjects"], frame["bookshelves"], strict=True)
        ],
        text=[synopsis_text(t, s) for t, s in zip(frame["title"], frame["summary"], strict=True)],
    )


def _read(source: Path) -> pd.DataFrame:
    fix = "pass a UTF-8 CSV with the columns " + ", ".join(REQUIRED_COLUMNS)
    try:
        return pd.read_csv(source, dtype=dict.fromkeys(TEXT_COLUMNS, "string"))
    except FileNotFoundError:
        raise SereadipityError("no such file", file=str(source), fix=fix) from None
    except pd.errors.EmptyDataError:
        raise SereadipityError("the file is empty", file=str(source), fix=fix) from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, ValueError) as error:
        problem = f"cannot read the catalogue ({type(error).__name__})"
        raise SereadipityError(problem, file=str(source), fix=fix) from None


def _clean(frame: pd.DataFrame, source: Path) -> pd.DataFrame:
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise SereadipityError(
            f"missing columns {missing}; {_column_diff(list(frame.columns))}",
            file=str(source),
            fix="rename or add the columns so the header matches the bundled catalogue",
        )
    if frame.empty:
        raise SereadipityError("the catalogue has no books", file=str(source), fix="add rows")
    frame = frame.reset_index(drop=True)
    for column in YEAR_COLUMNS:
        frame[column] = _years(frame[column], column, source)
    for column in TEXT_COLUMNS:
        frame[column] = frame[column].fillna("").astype(str).str.strip()
    if (frame["title"] == "").any():
        row = int(np.flatnonzero(frame["title"] == "")[0]) + 2
        raise SereadipityError(
            f"row {row} has no title", file=str(source), fix="give every book a title"
        )
    return frame


def _years(column: pd.Series, name: str, source: Path) -> pd.Series:
    numbers = pd.to_numeric(column, errors="coerce").astype("float64")
    plausible = numbers.between(EARLIEST_YEAR, LATEST_YEAR)
    bad = column.notna() & ~plausible.fillna(False).astype(bool)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise SereadipityError(
            f"row {row}, column {name!r}: not a year (got {column[bad].iloc[0]!r})",
            file=str(source),
            fix=f"write years as integers from {EARLIEST_YEAR} to {LATEST_YEAR} "
            "(negative for BC) or leave the cell empty",
        )
    return numbers.astype("float64")


def _column_diff(found: list[str]) -> str:
    diff = difflib.ndiff(sorted(REQUIRED_COLUMNS), sorted(str(c) for c in found))
    lines = [line for line in diff if line[:1] in "-+"]
    return "diff of expected (-) and found (+): " + " ".join(
        line.replace(" ", "", 1) for line in lines
    )


def active_years(birth: pd.Series, death: pd.Series) -> np.ndarray:
    """Midpoint of birth and death years; birth+30 or death-30 when one is unknown; else NaN."""
    b, d = birth.to_numpy(dtype="float64"), death.to_numpy(dtype="float64")
    mid = (b + d) / 2
    mid = np.where(np.isnan(d), b + HALF_ACTIVE_SPAN, mid)
    return np.where(np.isnan(b), d - HALF_ACTIVE_SPAN, mid)


def _years_text(birth: float, death: float) -> str:
    def year(value: float) -> str:
        if np.isnan(value):
            return "?"
        return f"{-int(value)} BC" if value < 0 else str(int(value))

    return "" if np.isnan(birth) and np.isnan(death) else f"{year(birth)}–{year(death)}"


def edition_key(title: str, authors: str) -> str:
    """Key shared by editions, volumes and slices of one work (:func:`works.work_key`)."""
    return work_key(title, authors)


def synopsis_text(title: str, summary: str) -> str:
    """What the synopsis criterion embeds: the summary, or the title when it is empty."""
    summary = summary.replace(_BOILERPLATE, "").strip()
    return summary or title


def load_award_registry() -> AwardRegistry:
    """All bundled Nobel laureates (any category) and literary-award winners, with birth years."""
    nobel = pd.read_csv(bundled_path("nobel_laureates.csv"), dtype="string")
    awards = pd.read_csv(bundled_path("literary_awards.csv"), dtype="string")
    rows = [
        *zip(
            nobel["firstname"],
            nobel["surname"],
            nobel["born"].str[:4],
            "Nobel Prize in " + nobel["category"].str.capitalize(),
            strict=True,
        ),
        *zip(
            awards["authorFirst"],
            awards["authorLast"],
            awards["authorDOB"],
            awards["awardName"],
            strict=True,
        ),
    ]
    return AwardRegistry(
        Winner(surname, given, _birth_year(born), str(award))
        for first, last, born, award in rows
        if pd.notna(first) and pd.notna(last)
        for surname, given in full_names(str(first), str(last))
    )


def _birth_year(text: object) -> float | None:
    year = pd.to_numeric(pd.Series([text]), errors="coerce").iloc[0]
    return float(year) if pd.notna(year) and float(year) > 0 else None


def search_books(catalog: pd.DataFrame, query: str) -> pd.DataFrame:
    """Books whose title or author contains ``query`` (case-insensitive); all when empty.

    Falls back to typo-tolerant title matches (:func:`titles.fuzzy_rows`) when nothing
    contains the query.
    """
    from sereadipity.titles import fuzzy_rows

    wanted = query.strip().casefold()
    if not wanted:
        return catalog
    haystack = (catalog["title"] + " " + catalog["authors"]).str.casefold()
    found = catalog[haystack.str.contains(wanted, regex=False)]
    if len(found):
        return found
    return catalog.iloc[fuzzy_rows(wanted, catalog["title"].tolist())]
