"""Review queue, playbooks and CRM lists on the real model and a real SQLite store: a review
stored and used in every export, a playbook edited and seen in an export and in the API, the
CRM formats read back with their documented column rules, a French export."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from segmentor.analysis.personas import distinguishing_traits
from segmentor.api.app import create_app
from segmentor.cli import app
from segmentor.cli.playbook import existing_customers
from segmentor.domain.playbook import PRODUCTS, make_playbook, parse_yaml, to_yaml
from segmentor.domain.schema import FEATURES, TARGET
from segmentor.errors import SegmentorError
from segmentor.io.readers import read_table
from segmentor.io.store import open_store
from segmentor.ml.trained import TrainedModel
from segmentor.presentation.personas import persona_text

runner = CliRunner()
KEY = "review-key-0123456789"
PLAYBOOK_D = """\
D:
  name: Young first-time buyers
  persona: Young, single, often in healthcare
  products: [P2, P5]
  message: Your first car, financed your way
  channel: social
"""


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def batch(segmentor_home: Path, prospects_path: Path, tmp_path: Path) -> int:
    """The bundled prospects scored and saved as batch 1 of the test's database."""
    run("predict", str(prospects_path), "--out", str(tmp_path / "scored.csv"), "--save")
    return 1


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def test_a_review_is_stored_and_used_in_every_export(batch: int, tmp_path: Path) -> None:
    queue_file = tmp_path / "queue.xlsx"
    run("review", "export", str(batch), "--out", str(queue_file))
    queue = read_table(queue_file)
    assert len(queue) > 100 and (queue["Segment_Set"].str.contains("|", regex=False)).all()
    chosen = queue.head(3).copy()
    chosen["Chosen_Segment"] = [s.split("|")[-1] for s in chosen["Segment_Set"]]
    chosen.to_csv(tmp_path / "chosen.csv", index=False)
    output = run("review", "import", str(tmp_path / "chosen.csv"), "--reviewer", "Ann Martin")
    assert "3 reviews stored" in output

    run("history", "export", str(batch), "--out", str(tmp_path / "export.csv"))
    export = read_csv(tmp_path / "export.csv")
    rows = chosen["Row"].astype(int) - 1
    assert (export.loc[rows, "Source"] == "reviewed").all()
    assert list(export.loc[rows, "Segmentation"]) == list(chosen["Chosen_Segment"])
    assert (export.loc[rows, "Needs_Review"] == "False").all()
    assert (export["Source"] == "reviewed").sum() == 3
    # The reviewed rows leave the queue; `--all` shows them with their choice.
    run("review", "export", str(batch), "--out", str(tmp_path / "rest.csv"))
    assert len(read_csv(tmp_path / "rest.csv")) == len(queue) - 3
    store = open_store_from_env()
    reviews = store.reviews(batch)
    assert {r.reviewer for r in reviews.values()} == {"Ann Martin"}
    run("outreach", str(batch), "--out", str(tmp_path / "reviewed.csv"), "--state", "reviewed")
    assert len(read_csv(tmp_path / "reviewed.csv")) == 3


def open_store_from_env():  # type: ignore[no-untyped-def]
    import os

    return open_store(os.environ["SEGMENTOR_DB_URL"])


def test_a_review_file_with_a_changed_id_is_refused(batch: int, tmp_path: Path) -> None:
    run("review", "export", str(batch), "--out", str(tmp_path / "queue.csv"))
    queue = read_csv(tmp_path / "queue.csv").head(2)
    queue["Chosen_Segment"] = "A"
    queue.loc[1, "ID"] = "not-this-one"
    queue.to_csv(tmp_path / "edited.csv", index=False)
    result = runner.invoke(
        app, ["review", "import", str(tmp_path / "edited.csv"), "--reviewer", "A"]
    )
    assert result.exit_code == 2
    assert "not not-this-one" in result.output and len(result.output.strip().splitlines()) == 1
    assert open_store_from_env().reviews(batch) == {}  # nothing half-stored


def test_a_playbook_is_versioned_and_seen_in_the_crm_lists(batch: int, tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text(PLAYBOOK_D, encoding="utf-8")
    run("playbook", "import", str(tmp_path / "d.yaml"), "--author", "Sales lead")
    run("playbook", "edit", "D", "--author", "Claire", "--products", "P5,P2")
    history = run("playbook", "history", "D")
    assert "version 2 by Claire" in history and "version 1 by Sales lead" in history
    exported = tmp_path / "all.yaml"
    run("playbook", "export", "--out", str(exported))
    books = {p.segment: p for p in parse_yaml(exported.read_text(encoding="utf-8"))}
    assert books["D"].products == ("P5", "P2") and books["D"].name == "Young first-time buyers"
    assert books["A"].persona  # a draft from the data where none is stored

    hubspot = tmp_path / "hubspot.csv"
    run("outreach", str(batch), "--out", str(hubspot), "--format", "hubspot", "--segment", "D")
    frame = read_csv(hubspot)
    # HubSpot import rules: one header row of unique property labels, UTF-8, < 1000 columns,
    # multiple-checkbox values separated by semicolons.
    assert frame.columns.is_unique and len(frame.columns) < 1000
    assert {"Customer ID", "Segment", "Products to offer", "Segment playbook"} <= set(frame)
    assert (frame["Segment"] == "D").all() and len(frame) > 0
    assert (frame["Products to offer"] == "P5;P2").all()
    assert (frame["Segment playbook"] == "Young first-time buyers").all()
    assert (frame["Outreach message"] == "Your first car, financed your way").all()

    salesforce = tmp_path / "salesforce.csv"
    command = ["outreach", str(batch), "--out", str(salesforce), "--format", "salesforce"]
    run(*command, "--campaign", "7015g000000AbCdAAK")
    members = read_csv(salesforce)
    # Salesforce Data Loader: API field names, custom fields end in __c, CampaignId and
    # Status on every campaign member, multi-select picklist values separated by semicolons.
    assert all(c in ("CampaignId", "Status") or c.endswith("__c") for c in members.columns)
    assert (members["CampaignId"] == "7015g000000AbCdAAK").all() and (members["Status"] != "").all()
    products = members.loc[members["Segment__c"] == "D", "Products__c"]
    assert (products == "P5;P2").all()
    assert set(";".join(members["Products__c"]).split(";")) <= set(PRODUCTS) | {""}
    no_campaign = runner.invoke(app, command)
    assert no_campaign.exit_code == 2 and "Campaign ID" in no_campaign.output


def test_a_french_generic_export(batch: int, tmp_path: Path, prospects_path: Path) -> None:
    target = tmp_path / "fr.csv"
    command = ["outreach", str(batch), "--out", str(target), "--lang", "fr", "--state", "pending"]
    run(*command, "--prospects", str(prospects_path))
    frame = read_csv(target)
    assert {"Segments candidats", "État de revue", "Fiche", "Produits", "Raison 1"} <= set(frame)
    assert (frame["État de revue"] == "à revoir").all() and len(frame) > 0
    assert frame["Fiche"].str.startswith("Segment ").all()
    assert (frame["Raison 1"] != "").mean() > 0.9
    labels = frame["Raison 1"].str.split(":").str[0]
    assert set(labels) <= {
        "Genre",
        "Déjà marié(e)",
        "Âge",
        "Diplômé(e)",
        "Profession",
        "Expérience professionnelle (années)",
        "Niveau de dépenses",
        "Taille du foyer",
        "Catégorie (Var_1)",
    }
    other = tmp_path / "other.csv"
    pd.read_csv(prospects_path, dtype=str).head(10).to_csv(other, index=False)
    refused = runner.invoke(app, [*command, "--prospects", str(other)])
    assert refused.exit_code == 2 and "not those of the batch" in refused.output


def test_bad_playbooks_are_one_line_user_errors(segmentor_home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("D:\n  name: X\n  products: [P2, P9]\n", encoding="utf-8")
    result = runner.invoke(app, ["playbook", "import", str(bad), "--author", "A"])
    assert result.exit_code == 2 and "P9" in result.output
    with pytest.raises(SegmentorError, match="unknown playbook field"):
        make_playbook("A", {"name": "x", "colour": "red"})
    with pytest.raises(SegmentorError, match="not valid YAML"):
        parse_yaml("A: [unclosed")


def test_yaml_round_trip_keeps_french_text() -> None:
    book = make_playbook("B", {"name": "Cadres établis", "products": "P1|P3", "message": "Été"})
    assert parse_yaml(to_yaml([book])) == [book]


def test_personas_name_what_sets_each_segment_apart(train_path: Path) -> None:
    existing = existing_customers(train_path)
    traits = distinguishing_traits(existing.loc[:, list(FEATURES)], existing[TARGET])
    texts = {s: persona_text(item) for s, item in traits.items()}
    assert len(set(texts.values())) == 4  # no two segments described alike
    assert "Healthcare" in texts["D"] and "never married" in texts["D"]
    assert "Santé" in persona_text(traits["D"], "fr")
    lift = traits["D"].lifts[0]
    assert lift.lift > 2 and lift.share >= 0.15


def test_api_returns_sets_and_playbooks_and_takes_reviews(
    trained_model: TrainedModel, prospects_path: Path, tmp_path: Path
) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'api.db'}")
    store.save_playbook(parse_yaml(PLAYBOOK_D)[0], "Sales lead")
    client = TestClient(create_app(trained_model, store, api_keys=[KEY], max_rows=50))
    headers = {"X-API-Key": KEY}
    customers = json.loads(
        read_table(prospects_path).head(40).to_json(orient="records", force_ascii=False)
    )
    answer = client.post("/predict", json=customers, headers=headers, params={"coverage": 0.8})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    predictions = body["predictions"]
    assert all({"Segment_Set", "Needs_Review", "Playbook"} <= set(p) for p in predictions)
    for prediction in predictions:
        assert prediction["Playbook"]["segment"] == prediction["Segmentation"]
        if prediction["Segmentation"] == "D":
            assert prediction["Playbook"]["products"] == ["P2", "P5"]
            assert prediction["Playbook"]["version"] == 1
    pending = [i + 1 for i, p in enumerate(predictions) if p["Needs_Review"]]
    assert pending
    review = {"reviewer": "Ann", "reviews": [{"row": pending[0], "segment": "C"}]}
    stored = client.post(f"/batches/{body['batch_id']}/reviews", json=review, headers=headers)
    assert stored.status_code == 200 and stored.json()["stored"] == 1
    listed = client.get(f"/batches/{body['batch_id']}/outreach", headers=headers)
    frame = pd.read_csv(io.StringIO(listed.text), dtype=str, keep_default_na=False)
    assert frame.loc[pending[0] - 1, "Review state"] == "reviewed"
    assert frame.loc[pending[0] - 1, "Segment"] == "C"
    too_far = {"reviewer": "Ann", "reviews": [{"row": 41, "segment": "C"}]}
    refused = client.post(f"/batches/{body['batch_id']}/reviews", json=too_far, headers=headers)
    assert refused.status_code == 422 and "row 1-40" in refused.json()["detail"]
    assert client.post(f"/batches/{body['batch_id']}/reviews", json=review).status_code == 401
    too_many = {"reviewer": "Ann", "reviews": [{"row": 1, "segment": "A"}] * 51}
    over = client.post(f"/batches/{body['batch_id']}/reviews", json=too_many, headers=headers)
    assert over.status_code == 413
    assert client.get("/playbooks", headers=headers).json()[3]["name"] == "Young first-time buyers"
    # A version saved by another process (the app's page) is in the next answer.
    other = open_store(f"sqlite:///{tmp_path / 'api.db'}")
    other.save_playbook(parse_yaml(PLAYBOOK_D)[0], "Manager")
    other.close()
    again = client.post("/predict", json=customers[:20], headers=headers).json()["predictions"]
    assert {p["Playbook"]["version"] for p in again if p["Segmentation"] == "D"} == {2}
    store.close()
