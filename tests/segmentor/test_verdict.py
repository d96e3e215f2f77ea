"""The file-level verdict: a column whose values are mostly unknown stops the CLI, the API
and the app before scoring, with the column, the values found and the way out."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from segmentor.api.app import create_app
from segmentor.app.results import score_upload
from segmentor.cli import app
from segmentor.domain.schema import parse_customers
from segmentor.domain.verdict import MIN_VALUES, WAY_OUT, UnreadColumns, file_verdict
from segmentor.io.store import open_store
from segmentor.ml.trained import TrainedModel
from segmentor.presentation.wording import unread_columns_text

# A CRM export with English headers and French values, as in issue 15.
FRENCH_VALUES = {
    "Gender": {"Male": "Hombre", "Female": "Mujer"},
    "Ever_Married": {"Yes": "Verdadero", "No": "Falso"},
    "Graduated": {"Yes": "Verdadero", "No": "Falso"},
    "Profession": {"Engineer": "Ingeniero", "Doctor": "Medico", "Artist": "Artista"},
    "Spending_Score": {"Low": "Bajo", "Average": "Medio", "High": "Alto"},
}


def _french_crm(prospects_path: Path) -> pd.DataFrame:
    frame = pd.read_csv(prospects_path, dtype=str)
    for column, values in FRENCH_VALUES.items():
        frame[column] = frame[column].replace(values)
    return frame


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


def test_a_french_crm_export_names_its_unread_columns(prospects_path: Path) -> None:
    verdict = file_verdict(parse_customers(_french_crm(prospects_path), "crm.csv"))
    assert not verdict.ok and verdict.rows == 2627
    assert [c.column for c in verdict.unread] == [
        "Gender",
        "Ever_Married",
        "Graduated",
        "Spending_Score",
    ]
    gender = verdict.unread[0]
    assert (gender.present, gender.unread) == (2627, 2627)
    assert dict(gender.examples).keys() == {"Hombre", "Mujer"}
    assert sum(dict(gender.examples).values()) == 2627
    # Profession: only three of nine professions renamed, a minority of rows: notes only.
    assert "Profession" not in [c.column for c in verdict.unread]


def test_the_bundled_prospects_and_a_few_odd_values_pass(prospects_path: Path) -> None:
    frame = pd.read_csv(prospects_path, dtype=str)
    assert file_verdict(parse_customers(frame)).ok
    frame.loc[:100, "Gender"] = "Hombre"  # a minority of rows: row notes, not a verdict
    assert file_verdict(parse_customers(frame)).ok
    few = frame.head(MIN_VALUES - 1).assign(Gender="Hombre")
    assert file_verdict(parse_customers(few)).ok  # judged row by row


def test_text_in_a_number_column_is_unread_too(prospects_path: Path) -> None:
    frame = pd.read_csv(prospects_path, dtype=str).head(200)
    frame["Age"] = "trente"
    (age,) = file_verdict(parse_customers(frame)).unread
    assert (age.column, age.unread, age.examples) == ("Age", 200, (("trente", 200),))


def test_the_verdict_in_english_and_french(prospects_path: Path) -> None:
    verdict = file_verdict(parse_customers(_french_crm(prospects_path), "crm.csv"))
    english = unread_columns_text(verdict, "en")
    assert english.startswith("crm.csv was not scored: some columns were not read.")
    assert "Gender: 2,627 of 2,627 values (100%) are not recognised" in english
    french = unread_columns_text(verdict, "fr")
    assert "Genre : 2\u202f627 valeurs sur 2\u202f627 (100\u00a0%) ne sont pas reconnues" in french
    assert "« Hombre » (1\u202f424 lignes)" in french and "Niveau de dépenses" in french


def test_predict_exits_2_unless_unknown_values_are_accepted(
    segmentor_home: Path, prospects_path: Path, tmp_path: Path
) -> None:
    crm = tmp_path / "crm.csv"
    _french_crm(prospects_path).to_csv(crm, index=False)
    out = tmp_path / "crm.segments.csv"
    refused = CliRunner().invoke(app, ["predict", str(crm), "--out", str(out)])
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    message = " ".join(refused.stderr.split())
    assert "column 'Gender'" in message and "'Hombre' (1424 rows)" in message
    assert WAY_OUT in message and not out.exists()
    accepted = CliRunner().invoke(app, ["predict", str(crm), "--out", str(out), "--accept-unknown"])
    assert accepted.exit_code == 0, accepted.output
    assert len(pd.read_csv(out)) == 2627
    assert f"Output: {out}" in accepted.output  # the path is never broken across lines


def test_the_api_answers_422_with_the_verdict(
    trained_model: TrainedModel, prospects_path: Path, tmp_path: Path
) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'api.db'}")
    client = TestClient(create_app(trained_model, store, auth=False))
    crm = _csv(_french_crm(prospects_path).head(300))
    answer = client.post("/predict/file", files={"file": ("crm.csv", io.BytesIO(crm))})
    assert answer.status_code == 422
    body = answer.json()
    assert "column 'Gender'" in body["detail"] and "--mapping FILE.yaml" in body["detail"]
    assert body["verdict"]["unread_columns"][0]["column"] == "Gender"
    accepted = client.post(
        "/predict/file",
        params={"accept_unknown": "true"},
        files={"file": ("crm.csv", io.BytesIO(crm))},
    )
    assert accepted.status_code == 200
    head = _french_crm(prospects_path).head(30).astype(object)
    rows = head.where(head.notna(), None).to_dict("records")
    assert client.post("/predict", json=rows).status_code == 422
    one = client.post("/predict", json=rows[:1])  # one prospect: row notes, as before
    assert one.status_code == 200 and "Gender" in one.json()["predictions"][0]["Notes"]
    store.close()


def test_the_app_refuses_the_upload_unless_accepted(
    trained_model: TrainedModel, prospects_path: Path
) -> None:
    data = _csv(_french_crm(prospects_path))
    with pytest.raises(UnreadColumns) as refused:
        score_upload(data, "crm.csv", trained_model)
    assert refused.value.verdict.unread[0].column == "Gender"
    view = score_upload(data, "crm.csv", trained_model, accept_unknown=True)
    assert len(view.frame) == 2627
