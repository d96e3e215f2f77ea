"""Shared fixtures: a 20-book slice of the real catalogue, embedded once by the real model."""

from __future__ import annotations

from pathlib import Path

import pytest

from sereadipity.recommend import Recommender

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def small_catalog_path() -> Path:
    return DATA / "small_catalog.csv"


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sereadipity-cache")


@pytest.fixture(scope="session")
def recommender(small_catalog_path: Path, cache_dir: Path) -> Recommender:
    """Real MiniLM embeddings of the 20 books, cached in ``cache_dir`` for the CLI tests."""
    return Recommender.from_catalog(small_catalog_path, cache_dir)
