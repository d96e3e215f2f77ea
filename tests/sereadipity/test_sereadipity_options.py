"""The recommend options change what they say: --weights the order, --same-author-max the cap."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sereadipity.cli import app
from sereadipity.recommend import Recommender

runner = CliRunner()


@pytest.fixture
def base(recommender: Recommender, small_catalog_path: Path, cache_dir: Path) -> list[str]:
    return ["--catalog", str(small_catalog_path), "--cache-dir", str(cache_dir), "--json"]


def _recommend(base: list[str], *options: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["recommend", "Frankenstein", "--top", "15", *base, *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["recommendations"]


def test_weights_option_changes_the_order(base: list[str]) -> None:
    by_period = [book["title"] for book in _recommend(base, "--weights", "period=1")]
    by_story = [book["title"] for book in _recommend(base, "--weights", "synopsis=1")]
    assert by_period != by_story


def test_same_author_max_caps_an_author(base: list[str]) -> None:
    def most_books_by_one_author(limit: int) -> int:
        books = _recommend(base, "--same-author-max", str(limit))
        return max(Counter(str(book["author"]) for book in books).values())

    assert most_books_by_one_author(1) == 1
    assert most_books_by_one_author(10) > 1
