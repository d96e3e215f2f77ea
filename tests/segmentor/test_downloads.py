"""Outreach lists for people: in French, ;-separated UTF-8 with BOM, French headers and values,
percentages, numbers as numbers in Excel; the tools' full result unchanged."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd

from segmentor.app import downloads, results
from segmentor.io.writers import to_csv_bytes
from segmentor.ml.trained import TrainedModel


def _french_export(prospects_path: Path) -> bytes:
    """A French CRM export: ;-separated, decimal commas, a name and an e-mail column."""
    frame = pd.read_csv(prospects_path, dtype=str).head(80)
    frame.insert(1, "Nom", [f"Élodie Prospect {i}" for i in range(80)])
    frame["Courriel"] = [f"p{i}@exemple.fr" for i in range(80)]
    frame["Remise"] = [f"{i % 7},5" for i in range(80)]
    frame["Code"] = "007"
    frame.loc[0, "Nom"] = "=HYPERLINK(1)"
    return frame.to_csv(index=False, sep=";").encode("utf-8")


def _view(trained_model: TrainedModel, prospects_path: Path) -> results.BatchView:
    return results.score_upload(_french_export(prospects_path), "crm.csv", trained_model)


def _biggest_segment(view: results.BatchView) -> str:
    return max(view.counts(), key=view.counts().get)


def test_a_french_list_opens_in_french_excel(
    trained_model: TrainedModel, prospects_path: Path
) -> None:
    view = _view(trained_model, prospects_path)
    segment = _biggest_segment(view)
    data = downloads.people_csv_bytes(results.segment_list(view, segment, "fr"), "fr")
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM
    text = data.decode("utf-8-sig")
    header = text.splitlines()[0].split(";")
    assert header[:2] == ["ID", "Nom"]
    assert header[-4:] == ["Segment", "Confiance (%)", "Origine", "Remarques"]
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",", dtype={"Code": str})
    assert len(back) == view.counts()[segment]
    assert back["Confiance (%)"].between(0, 100).all()
    assert back["Confiance (%)"].round(1).equals(back["Confiance (%)"])  # one decimal
    assert set(back["Origine"]) <= {"Client connu", "Modèle"}
    assert back["Remise"].dtype == "float64" and (back["Code"] == "007").all()
    assert "'=HYPERLINK(1)" in text or "=HYPERLINK" not in text  # neutralised
    assert "Élodie" in text


def test_an_english_list_keeps_commas_and_points(
    trained_model: TrainedModel, prospects_path: Path
) -> None:
    view = _view(trained_model, prospects_path)
    segment = _biggest_segment(view)
    text = downloads.people_csv_bytes(results.segment_list(view, segment, "en"), "en")
    back = pd.read_csv(io.BytesIO(text), encoding="utf-8-sig")
    assert list(back.columns[-4:]) == ["Segment", "Confidence (%)", "Source", "Notes"]
    assert set(back["Source"]) <= {"Known customer", "Model"}
    assert back["Remise"].dtype == "float64"


def test_the_excel_list_stores_numbers_and_a_percentage(
    trained_model: TrainedModel, prospects_path: Path
) -> None:
    view = _view(trained_model, prospects_path)
    segment = _biggest_segment(view)
    data = downloads.people_excel_bytes(results.segment_list(view, segment, "fr"), "fr", "B")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [cell.value for cell in sheet[1]]
    remise = sheet.cell(2, header.index("Remise") + 1)
    confidence = sheet.cell(2, header.index("Confiance") + 1)
    assert isinstance(remise.value, float)
    assert isinstance(confidence.value, int | float) and 0 <= confidence.value <= 1
    assert confidence.number_format == downloads.PERCENT_FORMAT
    assert sheet.cell(2, header.index("Code") + 1).value == "007"


def test_the_tools_full_result_is_unchanged(
    trained_model: TrainedModel, prospects_path: Path
) -> None:
    view = _view(trained_model, prospects_path)
    data = to_csv_bytes(view.frame)
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.decode().splitlines()[0].startswith("ID,Segmentation,Confidence,Prob_A")


def test_numbers_as_numbers_leaves_ids_codes_and_text_alone() -> None:
    frame = pd.DataFrame(
        {
            "ID": ["1", "2"],
            "Remise": ["0,0", "2,5"],
            "Age": ["40", None],
            "Code": ["007", "12"],
            "Ville": ["Lyon", "3"],
        }
    )
    converted = downloads.numbers_as_numbers(frame)
    assert converted["Remise"].tolist() == [0.0, 2.5]
    assert converted["Age"].iloc[0] == 40.0 and pd.isna(converted["Age"].iloc[1])
    assert converted["ID"].tolist() == ["1", "2"]
    assert converted["Code"].tolist() == ["007", "12"]
    assert converted["Ville"].tolist() == ["Lyon", "3"]
