import pytest

from sereadipity.catalog import load_award_registry
from sereadipity.names import AwardRegistry, fold, full_name, given_names_compatible


@pytest.fixture(scope="module")
def registry() -> AwardRegistry:
    return load_award_registry()


@pytest.mark.parametrize(
    ("author", "won"),
    [
        ("Eliot, George", False),  # T. S. Eliot won the Nobel Prize, George Eliot did not
        ("Eliot, T. S. (Thomas Stearns)", True),
        ("Smith, Adam", False),  # Vernon L. Smith won economics
        ("Kipling, Rudyard", True),
        ("Shaw, Bernard", True),  # George Bernard Shaw
        ("Russell, Bertrand", True),  # "Earl (Bertrand Arthur William)" in the Nobel table
        ("Lagerlof, Selma", True),  # accents folded: Lagerlöf
        ("Wharton, Edith", True),  # Pulitzer Prize
        ("Darwin, Charles", False),
        ("Homer", False),  # no given name: never matched on a surname alone
        ("Dumas, Alexandre|Kipling, Rudyard", True),  # any of several authors
        ("Lewis, Meriwether", False),  # Sinclair Lewis won
    ],
)
def test_award_matching_uses_full_names(registry: AwardRegistry, author: str, won: bool) -> None:
    assert registry.has_winner(author) is won


def test_fold_strips_accents_case_and_punctuation() -> None:
    assert fold("Bjørnson, Bjørnstjerne") == "bjornson bjornstjerne"
    assert fold("García Márquez") == "garcia marquez"


def test_initials_alone_never_match_spelled_names() -> None:
    assert not given_names_compatible(("a",), ("adam",))
    assert given_names_compatible(("t", "s"), ("t", "s"))
    assert given_names_compatible(("bernard",), ("george", "bernard"))
    assert not given_names_compatible(("george",), ("thomas", "stearns"))


def test_full_name_requires_both_parts() -> None:
    assert full_name("", "Curie") is None
    assert full_name("Marie", "Curie") == ("curie", ("marie",))
