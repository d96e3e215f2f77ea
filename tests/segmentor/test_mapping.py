"""Column and value mapping: built-in synonyms, explicit mappings (YAML, profiles), reports.

Real files through the real CLI and API with the session's trained model; profiles in a real
SQLite store (migrated by Alembic, with revision 0002c).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from segmentor.app import mapping as app_mapping
from segmentor.cli import app as cli_app
from segmentor.cli import core as cli_core
from segmentor.domain.mapping import Mapping
from segmentor.domain.schema import CATEGORIES, FEATURES, ID, parse_customers
from segmentor.domain.synonyms import COLUMN_SYNONYMS, VALUE_SYNONYMS, fold
from segmentor.errors import SegmentorError
from segmentor.io.profiles import (
    list_profiles,
    load_profile,
    profile_for_shape,
    read_mapping_file,
    save_profile,
)
from segmentor.io.store import open_store
from segmentor.ml.trained import TrainedModel

CORPUS = Path(__file__).resolve().parents[1] / "data" / "bad"
ENGLISH = CORPUS / "utf8_bom_crlf.csv"
FRENCH = CORPUS / "french_export_semicolon_cp1252.csv"
CRM_HEADER = "Ref;Civ;Couple;Annees;Etudes;Poste;Anciennete;Depense;Foyer;Groupe"
CRM_ROWS = [
    "458989;Mme;O;36;O;Ingénieur;0;1;1;6",
    "458994;M.;O;37;O;Santé;8;2;4;6",
    "459000;M.;O;59;N;Cadre;11;3;2;6",
    "459001;Mme;N;19;N;Commercial;;1;4;6",
]
CRM_MAPPING = """\
name: crm-nord
columns:
  ID: Ref
  Gender: Civ
  Ever_Married: Couple
  Age: Annees
  Graduated: Etudes
  Profession: Poste
  Work_Experience: Anciennete
  Spending_Score: Depense
  Family_Size: Foyer
  Var_1: Groupe
values:
  Ever_Married: {O: "Yes", N: "No"}
  Graduated: {O: "Yes", N: "No"}
  Spending_Score: {"1": Low, "2": Average, "3": High}
  Var_1: {"6": Cat_6}
"""


@pytest.fixture
def cli_model(trained_model: TrainedModel, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_core, "load_model", lambda _directory: trained_model)


def _predict(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli_app, ["predict", *args], env={"COLUMNS": "200"})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_every_synonym_names_a_schema_column_or_value() -> None:
    for column, names in COLUMN_SYNONYMS.items():
        assert column in (ID, "Segmentation", *FEATURES)
        assert len({fold(name) for name in names}) == len(names), column
    for column, spellings in VALUE_SYNONYMS.items():
        assert set(spellings) <= set(CATEGORIES[column])


def test_french_export_scores_like_the_english_one(cli_model: None, tmp_path: Path) -> None:
    """Same prospects, French headers and values: same segments, the mapping said."""
    english, french = tmp_path / "en.csv", tmp_path / "fr.csv"
    assert _predict(str(ENGLISH), "--out", str(english))[0] == 0
    code, stdout, _ = _predict(str(FRENCH), "--out", str(french))
    assert code == 0
    left, right = _csv(english), _csv(french)
    pd.testing.assert_frame_equal(
        left.drop(columns="Notes"), right.drop(columns="Notes"), check_exact=False
    )
    assert "Mapping applied: built-in synonyms" in stdout
    assert "Spending_Score 'Élevé' as High" in stdout


def test_a_yaml_mapping_reads_a_crm_export(cli_model: None, tmp_path: Path) -> None:
    source = tmp_path / "crm.csv"
    source.write_text("\n".join([CRM_HEADER, *CRM_ROWS]) + "\n", encoding="utf-8")
    refused = _predict(str(source), "--out", str(tmp_path / "x.csv"))
    assert refused[0] == 2 and "--mapping" in refused[2]
    mapping = tmp_path / "crm.yaml"
    mapping.write_text(CRM_MAPPING, encoding="utf-8")
    out = tmp_path / "out.csv"
    code, stdout, stderr = _predict(str(source), "--mapping", str(mapping), "--out", str(out))
    assert code == 0, stderr
    frame = _csv(out)
    assert len(frame) == len(CRM_ROWS)
    assert (frame["Source"] == "known").sum() >= 3  # the IDs are known customers
    assert "Mapping applied: mapping 'crm-nord'" in stdout
    assert frame["Notes"].eq("").all()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\ncolumns: {Sex: Civ}\n", "'columns' names 'Sex', not a schema column"),
        ("name: x\nvalues: {Gender: {M: Man}}\n", "is 'Man', not a value of Gender"),
        ("name: x\nvalues: {Age: {a: b}}\n", "'values' names 'Age', not a categorical column"),
        ("name: [unclosed\n", "not valid YAML at line"),
        ("- a list\n", "a mapping must be a YAML mapping"),
        ("!!python/object/apply:os.system ['true']\n", "not valid YAML"),
    ],
)
def test_bad_mapping_files_are_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(text)
    with pytest.raises(SegmentorError) as error:
        read_mapping_file(path)
    assert message in error.value.message
    assert "\n" not in error.value.message


def test_values_mapped_to_missing_are_reported_not_noted() -> None:
    raw = pd.DataFrame(
        {
            ID: ["1", "2"],
            **{
                c: ["Male", "Yes", "40", "Yes", "Artist", "1", "Low", "2", "Cat_1"][i : i + 1] * 2
                for i, c in enumerate(FEATURES)
            },
        }
    )
    raw["Gender"] = ["Inconnu", "Male"]
    mapping = Mapping("m", values={"Gender": {"Inconnu": None}})
    table = parse_customers(raw, mapping=mapping)
    assert table.frame["Gender"].isna().tolist() == [True, False]
    assert not table.notes
    assert table.mapped.describe() == "mapping 'm'; values Gender 'Inconnu' as missing (1 row)"
    plain = parse_customers(raw)
    assert [note.kind for note in plain.notes] == ["unknown_category"]


def test_profiles_are_saved_and_found_by_name_and_shape(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'p.db'}")
    mapping = Mapping("crm-nord", {"Gender": "Civ"}, {"Gender": {"Mme": "Female"}})
    save_profile(store, mapping, "shape-1")
    save_profile(store, Mapping("crm-nord", {"Gender": "Sexe"}), "shape-2")  # replaced
    assert list_profiles(store) == ["crm-nord"]
    assert load_profile(store, "crm-nord").columns == {"Gender": "Sexe"}
    assert profile_for_shape(store, "shape-1") is None
    assert profile_for_shape(store, "shape-2").name == "crm-nord"
    store.close()


def test_cli_uses_a_saved_profile_by_name(
    cli_model: None, tmp_path: Path, isolated_database: str
) -> None:
    store = open_store(isolated_database)
    data = read_mapping_file(_write(tmp_path / "crm.yaml", CRM_MAPPING))
    save_profile(store, data, "any")
    store.close()
    source = _write(tmp_path / "crm.csv", "\n".join([CRM_HEADER, *CRM_ROWS]) + "\n")
    code, _, stderr = _predict(
        str(source), "--mapping", "crm-nord", "--out", str(tmp_path / "o.csv")
    )
    assert code == 0, stderr
    code, _, stderr = _predict(str(source), "--mapping", "nope", "--out", str(tmp_path / "p.csv"))
    assert code == 2 and "no mapping profile named 'nope' (profiles: 'crm-nord')" in stderr


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_api_takes_a_mapping_document_or_profile(trained_model: TrainedModel, tmp_path: Path):
    from fastapi.testclient import TestClient

    from segmentor.api.app import create_app

    store = open_store(f"sqlite:///{tmp_path / 'api.db'}")
    app = create_app(trained_model, store, api_keys=("k" * 16,))
    body = ("\n".join([CRM_HEADER, *CRM_ROWS]) + "\n").encode()
    headers = {"X-API-Key": "k" * 16}
    with TestClient(app) as client:
        refused = client.post("/predict/file", files={"file": ("crm.csv", body)}, headers=headers)
        assert refused.status_code == 422
        answer = client.post(
            "/predict/file",
            files={"file": ("crm.csv", body)},
            data={"mapping": CRM_MAPPING},
            headers=headers,
        )
        assert answer.status_code == 200, answer.text
        assert len(pd.read_csv(io.BytesIO(answer.content))) == len(CRM_ROWS)
        assert json.loads(answer.headers["X-Segmentor-Mapping"])["name"] == "crm-nord"
        path_like = client.post(
            "/predict/file",
            files={"file": ("crm.csv", body)},
            data={"mapping": "/etc/passwd.yaml"},
            headers=headers,
        )
        assert path_like.status_code == 422
        assert "no mapping profile named '/etc/passwd.yaml'" in path_like.json()["detail"]
        french = client.post(
            "/predict",
            json=[
                {
                    "N° client": "458989",
                    "Sexe": "Femme",
                    "Marié": "Oui",
                    "Âge": 36,
                    "Diplômé": "Oui",
                    "Métier": "Ingénieur",
                    "Expérience": 0,
                    "Score de dépenses": "Faible",
                    "Taille de la famille": 1,
                    "Var_1": "Cat_6",
                }
            ],
            headers=headers,
        )
        assert french.status_code == 200, french.text
        assert french.json()["mapping"]["name"] == "built-in synonyms"
        # Each value read through a synonym, under the schema's own names ("from", not from_).
        values = {value["from"]: value for value in french.json()["mapping"]["values"]}
        assert values["Femme"] == {"column": "Gender", "from": "Femme", "to": "Female", "rows": 1}
        assert french.json()["predictions"][0]["Source"] == "known"
    store.close()


def test_app_draft_guesses_columns_and_values() -> None:
    raw = pd.read_csv(FRENCH, sep=";", dtype=str, encoding="cp1252")
    raw["Sexe"] = raw["Sexe"].replace({"Homme": "Monsieur X"})
    guess = app_mapping.draft(raw)
    assert guess.columns["Gender"] == "Sexe"
    assert guess.columns["Var_1"] == "Catégorie"
    assert guess.values["Gender"] == {"Femme": "Female", "Monsieur X": ""}
    assert app_mapping.needs_step(raw, guess)
    guess.values["Gender"]["Monsieur X"] = "Male"
    chosen = app_mapping.to_mapping("fr", guess)
    table = parse_customers(raw, mapping=chosen)
    assert table.frame["Gender"].notna().all()
    assert not app_mapping.needs_step(raw, app_mapping.draft(raw, chosen))


def test_app_loader_applies_the_confirmed_mapping(trained_model: TrainedModel) -> None:
    from segmentor.app.results import score_upload

    body = ("\n".join([CRM_HEADER, *CRM_ROWS]) + "\n").encode()
    with pytest.raises(SegmentorError):
        score_upload(body, "crm.csv", trained_model)
    import yaml

    mapping = json.dumps(yaml.safe_load(CRM_MAPPING))
    view = score_upload(body, "crm.csv", trained_model, mapping=mapping)
    assert len(view.frame) == len(CRM_ROWS)
    assert view.scored.mapped.name == "crm-nord"
