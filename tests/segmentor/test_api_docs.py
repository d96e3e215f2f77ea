"""API docs served offline, and a schema with the allowed values of every field."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from segmentor.api.app import create_app
from segmentor.api.docs import accepted_values_markdown
from segmentor.domain.schema import CATEGORIES, FEATURES, RANGES
from segmentor.io.store import open_store
from segmentor.ml.trained import TrainedModel

DOCS = Path(__file__).parents[2] / "docs" / "accepted-values.md"


@pytest.fixture
def client(trained_model: TrainedModel, tmp_path: Path) -> TestClient:
    store = open_store(f"sqlite:///{tmp_path / 'api.db'}")
    return TestClient(create_app(trained_model, store, api_keys=["secret"]))


def test_docs_page_loads_its_assets_from_the_api_itself(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/docs/assets/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower() and "http" not in page.text.split("<body")[1]
    script = client.get("/docs/assets/swagger-ui-bundle.js")
    assert script.status_code == 200 and len(script.content) > 100_000
    assert client.get("/docs/assets/swagger-ui.css").status_code == 200
    assert client.get("/redoc").status_code == 404  # CDN-only page: off


def test_the_schema_gives_allowed_values_and_ranges(client: TestClient) -> None:
    fields = client.get("/openapi.json").json()["components"]["schemas"]["Customer"]
    for column in FEATURES:
        allowed = fields["properties"][column]["anyOf"][0]
        if column in CATEGORIES:
            assert allowed == {"type": "string", "enum": list(CATEGORIES[column])}, column
        else:
            low, high = RANGES[column]
            assert allowed == {"type": "number", "minimum": low, "maximum": high}, column


def test_other_values_are_still_accepted_as_row_notes(client: TestClient) -> None:
    customer = dict.fromkeys(FEATURES) | {
        "Gender": "Mann",
        "Age": "40",
        "Profession": "Astronaut",
    }
    answer = client.post("/predict", json=[customer], headers={"X-API-Key": "secret"})
    assert answer.status_code == 200
    notes = answer.json()["predictions"][0]["Notes"]
    assert "Gender: unknown value 'Mann'" in notes and "Astronaut" in notes


def test_the_docs_list_the_accepted_values_of_the_schema() -> None:
    assert accepted_values_markdown() in DOCS.read_text(encoding="utf-8")
