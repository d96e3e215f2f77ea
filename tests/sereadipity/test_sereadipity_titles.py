import pytest

from sereadipity.errors import SereadipityError
from sereadipity.titles import match_title

TITLES = [
    "On the Origin of Species By Means of Natural Selection",
    "Origin of Cultivated Plants",
    "Pride and Prejudice",
    "Pride and Prejudice",
    "Persuasion",
    "Frankenstein; Or, The Modern Prometheus",
]
WORKS = ["origin", "plants", "pride", "pride", "persuasion", "frankenstein"]


@pytest.mark.parametrize(
    ("query", "row"),
    [
        ("pride and prejudice", 2),  # exact, case-insensitive; first of two editions
        ("  PERSUASION ", 4),
        ("frank", 5),  # unique prefix
        ("origin of species", 0),  # unique substring
        ("Frankenstien; or, the modern prometheus", 5),  # fuzzy
    ],
)
def test_titles_match(query: str, row: int) -> None:
    assert match_title(query, TITLES, WORKS) == row


def test_ambiguous_prefix_lists_candidates() -> None:
    with pytest.raises(SereadipityError, match="matches 2 books") as error:
        match_title("p", TITLES, WORKS)
    assert "'Persuasion'" in error.value.message and "'Pride and Prejudice'" in error.value.message


def test_unknown_title_lists_closest() -> None:
    with pytest.raises(SereadipityError, match="no book matches 'Persuaded by Nobody'") as error:
        match_title("Persuaded by Nobody", TITLES, WORKS)
    assert "closest: 'Persuasion'" in error.value.message


def test_empty_title_is_refused() -> None:
    with pytest.raises(SereadipityError, match="empty title"):
        match_title("   ", TITLES, WORKS)


@pytest.fixture(scope="module")
def catalogue_titles():
    from sereadipity.catalog import load_catalog

    catalog = load_catalog()
    return catalog["title"].tolist(), catalog["edition_key"].tolist(), catalog["author"].tolist()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Frankenstien", "Frankenstein; Or, The Modern Prometheus"),
        ("Pride and Prejudise", "Pride and Prejudice"),
        ("Draculla", "Dracula"),
        ("The War of the Wrolds", "The War of the Worlds"),
    ],
)
def test_one_or_two_wrong_letters_find_the_book(catalogue_titles, typed: str, expected: str):
    titles, works, authors = catalogue_titles
    assert titles[match_title(typed, titles, works, authors)] == expected


def test_duplicate_titles_are_listed_with_their_authors() -> None:
    with pytest.raises(SereadipityError, match="matches 2 books") as error:
        match_title("Poems", ["Poems", "Poems"], ["a", "b"], ["Keats, John", "Shelley, Percy"])
    assert "'Poems' by Keats, John" in error.value.message
    assert "'Poems' by Shelley, Percy" in error.value.message
