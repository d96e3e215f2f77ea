from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sereadipity.catalog import (
    active_years,
    edition_key,
    load_catalog,
    search_books,
    synopsis_text,
)
from sereadipity.errors import SereadipityError


def test_bundled_catalogue_loads_with_derived_columns() -> None:
    catalog = load_catalog()
    assert len(catalog) == 937
    darwin = catalog[catalog["title"].str.startswith("On the Origin of Species")].iloc[0]
    assert darwin["active_year"] == pytest.approx((1809 + 1882) / 2)
    assert darwin["award"] == 0.0
    assert set(catalog["award"].unique()) <= {0.0, 1.0}


def test_empty_summary_falls_back_to_title(small_catalog_path: Path) -> None:
    catalog = load_catalog(small_catalog_path)
    spoon = catalog[catalog["title"] == "Spoon River Anthology"].iloc[0]
    assert spoon["text"] == "Spoon River Anthology"
    assert "automatically generated" not in catalog["text"].iloc[0]


def test_unknown_years_are_nan_and_one_sided_years_estimated() -> None:
    birth = pd.Series([1800.0, np.nan, 1800.0, np.nan])
    death = pd.Series([1880.0, 1880.0, np.nan, np.nan])
    years = active_years(birth, death)
    assert years[:3].tolist() == [1840.0, 1850.0, 1830.0]
    assert np.isnan(years[3])


def test_editions_share_a_key() -> None:
    assert edition_key("Frankenstein; Or, The Modern Prometheus", "Shelley, Mary") == edition_key(
        "Frankenstein", "Shelley, Mary"
    )
    assert edition_key("Hamlet", "Shakespeare, William") != edition_key("Hamlet", "Other, Anne")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Les misérables Tome I: Fantine", "Les Misérables"),
        ("The Red Lily — Complete", "The Red Lily"),
        ("Society in America, Volume 1 (of 2)", "Society in America, Volume 2 (of 2)"),
        ("Faust [part 1]. Translated Into English", "Faust"),
    ],
)
def test_volumes_and_complete_editions_are_one_work(a: str, b: str) -> None:
    assert edition_key(a, "X") == edition_key(b, "X")


def test_titles_that_merely_contain_volume_words_are_kept() -> None:
    assert edition_key("The Complete Works of William Shakespeare", "X").startswith(
        "complete works"
    )
    assert edition_key("The Jungle Book", "X") != edition_key("The Jungle", "X")


def test_synopsis_text_strips_boilerplate() -> None:
    assert synopsis_text("T", "A plot. (This is an automatically generated summary.)") == "A plot."


def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "catalog.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("title,authors\nA,B\n", "missing columns"),
        (b"\xff\xfe\x00garbage\x00\xff", "cannot read"),
        (
            "title,authors,author_birth_year,author_death_year,summary,subjects,bookshelves\n",
            "no books",
        ),
        (
            "title,authors,author_birth_year,author_death_year,summary,subjects,bookshelves\n"
            "A,B,eighteen,1900,s,x,y\n",
            "not a year",
        ),
    ],
)
def test_bad_catalogues_raise_one_line_errors(
    tmp_path: Path, content: str | bytes, message: str
) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(SereadipityError, match=message) as error:
        load_catalog(path)
    assert str(path) in error.value.message
    assert "Fix:" in error.value.message
    assert "\n" not in error.value.message


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(SereadipityError, match="no such file"):
        load_catalog(tmp_path / "nope.csv")


def test_missing_columns_show_a_diff(tmp_path: Path) -> None:
    header = "title,author,author_birth_year,author_death_year,summary,subjects,bookshelves"
    path = _write(tmp_path, header + "\nA,B,1,2,s,x,y\n")
    with pytest.raises(SereadipityError, match=r"\+author -authors"):
        load_catalog(path)


def test_search_books_by_title_author_and_fuzzy(small_catalog_path: Path) -> None:
    catalog = load_catalog(small_catalog_path)
    assert set(search_books(catalog, "austen")["title"]) == {"Pride and Prejudice", "Emma"}
    assert search_books(catalog, "Draculla")["title"].tolist() == ["Dracula"]
    assert len(search_books(catalog, "")) == len(catalog)


@pytest.mark.parametrize("year", ["inf", "1e400", "-inf", "99999"])
def test_infinite_or_implausible_years_are_one_line_errors(tmp_path: Path, year: str) -> None:
    header = "title,authors,author_birth_year,author_death_year,summary,subjects,bookshelves\n"
    path = _write(tmp_path, header + f"A,B,{year},1900,s,x,y\n")
    with pytest.raises(SereadipityError, match="row 2, column 'author_birth_year': not a year"):
        load_catalog(path)
