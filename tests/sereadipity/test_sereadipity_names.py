import pytest

from sereadipity.catalog import load_award_registry, load_catalog
from sereadipity.names import (
    AwardRegistry,
    fold,
    full_name,
    given_names_compatible,
    surnames_compatible,
)


@pytest.fixture(scope="module")
def registry() -> AwardRegistry:
    return load_award_registry()


@pytest.mark.parametrize(
    ("author", "born", "won"),
    [
        ("Eliot, George", 1819, False),  # T. S. Eliot won the Nobel Prize, George Eliot did not
        ("Eliot, T. S. (Thomas Stearns)", 1888, True),
        ("Eliot, T. S.", 1888, True),  # initials, with the birth year as evidence
        ("Smith, Adam", 1723, False),  # Vernon L. Smith won economics
        ("Kipling, Rudyard", 1865, True),
        ("Kipling, Rudyard", None, True),  # same given names, no year needed
        ("Rudyard Kipling", 1865, True),  # no comma
        ("Shaw, Bernard", 1856, True),  # George Bernard Shaw, born 1856
        ("Shaw, George", 1751, False),  # George Shaw the naturalist, not G. B. Shaw
        ("Shaw, George", None, False),  # one given name of two, no year: not enough
        ("Wilson, Thomas", 1524, False),  # not (Thomas) Woodrow Wilson
        ("Wilson, Thomas", None, False),
        ("Wilson, Woodrow", 1856, True),  # Nobel Peace Prize 1919
        ("Echegaray, José", 1832, True),  # Nobel surname "Echegaray y Eizaguirre"
        ("Mueller, Herta", 1953, True),  # "Müller" in the Nobel table
        ("Müller, F. Max (Friedrich Max)", 1823, False),  # no Nobel Müller born 1823
        ("Russell, Bertrand", 1872, True),  # "Earl (Bertrand Arthur William)" in the table
        ("Lagerlof, Selma", 1858, True),  # accents folded: Lagerlöf
        ("Wharton, Edith", 1862, True),  # Pulitzer Prize
        ("Darwin, Charles", 1809, False),
        ("Homer", None, False),  # no given name: never matched on a surname alone
        ("Dumas, Alexandre|Kipling, Rudyard", 1802, True),  # any of several authors
        ("Lewis, Meriwether", 1774, False),  # Sinclair Lewis won
    ],
)
def test_award_matching_needs_the_same_person(
    registry: AwardRegistry, author: str, born: int | None, won: bool
) -> None:
    assert registry.has_winner(author, None if born is None else float(born)) is won


def test_award_names_are_kept(registry: AwardRegistry) -> None:
    assert registry.award_of("Kipling, Rudyard", 1865.0) == "Nobel Prize in Literature"
    assert registry.award_of("Wharton, Edith", 1862.0) == "Pulitzer Prize (Fiction)"


def test_bundled_catalogue_award_winners_are_the_known_eleven() -> None:
    catalog = load_catalog()
    winners = set(catalog.loc[catalog["award"] == 1, "authors"])
    assert winners == {
        "Kipling, Rudyard",
        "Russell, Bertrand",
        "Shaw, Bernard",
        "Sinclair, Upton",
        "Lewis, Sinclair",
        "Hesse, Hermann",
        "Wharton, Edith",
        "Hemingway, Ernest",
        "Sienkiewicz, Henryk",
        "France, Anatole",
    }


def test_fold_strips_accents_case_and_punctuation() -> None:
    assert fold("Bjørnson, Bjørnstjerne") == "bjornson bjornstjerne"
    assert fold("García Márquez") == "garcia marquez"


def test_surnames_fold_umlauts_and_compounds() -> None:
    assert surnames_compatible(fold("Mueller"), fold("Müller"))
    assert surnames_compatible(fold("Echegaray"), fold("Echegaray y Eizaguirre"))
    assert not surnames_compatible(fold("Eliot"), fold("Elliott"))


def test_given_names_fit_in_order_with_initials() -> None:
    assert given_names_compatible(("t", "s"), ("thomas", "stearns"))
    assert given_names_compatible(("bernard",), ("george", "bernard"))
    assert not given_names_compatible(("george",), ("thomas", "stearns"))
    assert not given_names_compatible(("stearns", "thomas"), ("thomas", "stearns"))


def test_full_name_requires_both_parts() -> None:
    assert full_name("", "Curie") is None
    assert full_name("Marie", "Curie") == ("curie", ("marie",))
