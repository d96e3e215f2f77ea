"""Work identity on the real bundled catalogue (no embeddings needed)."""

import numpy as np
import pytest

from sereadipity.catalog import load_catalog
from sereadipity.works import WorkIndex, is_collection, work_key


@pytest.fixture(scope="module")
def catalog_and_index():
    catalog = load_catalog()
    return catalog, WorkIndex.build(catalog["title"].tolist(), catalog["authors"].tolist())


def _same(catalog_and_index, title: str) -> set[str]:
    catalog, index = catalog_and_index
    row = int(np.flatnonzero(catalog["title"] == title)[0])
    return set(catalog.loc[index.same_work(row), "title"])


def test_complete_works_are_the_same_work_as_each_novel(catalog_and_index) -> None:
    same = _same(catalog_and_index, "Pride and Prejudice")
    assert any(t.startswith("The Complete Project Gutenberg Works of Jane Austen") for t in same)
    assert "Emma" not in same


def test_leading_article_and_illustrated_editions_are_ignored(catalog_and_index) -> None:
    same = _same(catalog_and_index, "The Adventures of Sherlock Holmes")
    assert "Adventures of Sherlock Holmes: Illustrated" in same
    assert "The Return of Sherlock Holmes" not in same


def test_encyclopaedia_slices_are_one_work(catalog_and_index) -> None:
    catalog, _ = catalog_and_index
    slices = catalog[catalog["title"].str.startswith("Encyclopaedia Britannica")]["title"]
    assert len(slices) == 24
    assert set(slices) <= _same(catalog_and_index, slices.iloc[0])


@pytest.mark.parametrize(
    ("liked", "other"),
    [
        ("The Republic", "The Republic of Plato"),
        ("Essays of Schopenhauer", "The Essays of Arthur Schopenhauer; Studies in Pessimism"),
        ("On the Duty of Civil Disobedience", "Walden, and On The Duty Of Civil Disobedience"),
    ],
)
def test_near_equal_titles_and_companions_by_one_author(
    catalog_and_index, liked: str, other: str
) -> None:
    assert other in _same(catalog_and_index, liked)


def test_different_works_of_one_author_stay_apart() -> None:
    assert work_key("The Time Machine", "Wells, H. G.") != work_key(
        "The War of the Worlds", "Wells, H. G."
    )
    assert is_collection("The Complete Works of William Shakespeare")
    assert not is_collection("The Tempest: The Works of William Shakespeare [Cambridge Edition]")
