"""The Streamlit app, page by page, through ``streamlit.testing.v1.AppTest`` (no browser).

The app runs in-process with the session's trained model (SEGMENTOR_MODEL_DIR); Streamlit's
caches are per process, so the model is loaded once for the whole module.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest
from app_driver import HOME, TIMEOUT, start_app
from streamlit.testing.v1 import AppTest

from segmentor import i18n
from segmentor.app import results
from segmentor.domain.schema import SEGMENTS, parse_customers
from segmentor.engines.scoring import score_table
from segmentor.io.readers import read_table
from segmentor.io.writers import to_excel_bytes
from segmentor.ml.trained import TrainedModel

SMALL_CATALOG = Path(__file__).parents[1] / "sereadipity" / "data" / "small_catalog.csv"


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, trained_model_dir: Path) -> Path:
    monkeypatch.setenv("SEGMENTOR_MODEL_DIR", str(trained_model_dir))
    monkeypatch.delenv("SEGMENTOR_LANG", raising=False)
    return trained_model_dir


@pytest.fixture(scope="module")
def bundled_counts(trained_model: TrainedModel, prospects_path: Path) -> dict[str, int]:
    table = parse_customers(read_table(prospects_path), str(prospects_path))
    return score_table(table, trained_model).summary()["segments"]  # type: ignore[return-value]


def _metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def _digits(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


# --------------------------------------------------------------------------- prospect file
def test_first_page_shows_the_bundled_prospects_segmented(
    app_env: Path, bundled_counts: dict[str, int]
) -> None:
    at = start_app()
    assert at.title[0].value == "Segment a prospect file"
    metrics = _metrics(at)
    assert _digits(metrics["Prospects"]) == 2627
    assert _digits(metrics["Known customers"]) == 2332
    assert _digits(metrics["Predicted by the model"]) == 295
    shown = {s: _digits(metrics[f"Segment {s}"]) for s in SEGMENTS}
    assert shown == bundled_counts
    assert "bundled prospects" in at.info[0].value
    assert len(at.dataframe[-1].value) == 2627
    assert len(at.download_button) == 2 * (1 + len(SEGMENTS))


def test_uploaded_csv_with_bad_values_shows_row_notes(app_env: Path, prospects_path: Path) -> None:
    frame = pd.read_csv(prospects_path, dtype=str).head(30)
    frame.loc[2, "Profession"] = "Astronaut"
    frame.loc[5, "Age"] = "250"
    frame["Email"] = [f"p{i}@example.com" for i in range(len(frame))]
    at = start_app()
    at.file_uploader(key="upload").set_value(("leads.csv", _csv(frame), "text/csv")).run()
    assert not at.exception and not at.error
    assert "leads.csv" in at.info[0].value
    assert _digits(_metrics(at)["Prospects"]) == 30
    assert _digits(_metrics(at)["Rows with notes"]) == 2
    notes = at.dataframe[0].value
    assert notes[["row", "column"]].values.tolist() == [[3, "Profession"], [6, "Age"]]
    assert "Astronaut" in notes.loc[0, "problem"]


def test_a_file_without_the_customer_columns_waits_for_the_mapping_step(app_env: Path) -> None:
    at = start_app()
    at.file_uploader(key="upload").set_value(
        ("contacts.csv", b"ID,Gender,Age,phone\n1,Female,40,0102\n", "text/csv")
    ).run()
    assert not at.exception
    # Columns not found: the mapping step asks which of the file's columns holds each one.
    assert any("need your choice" in warning.value for warning in at.warning)
    # The page keeps showing the previous file, and says so.
    assert "bundled prospects" in at.info[0].value
    assert _digits(_metrics(at)["Prospects"]) == 2627


@pytest.mark.parametrize("kind", ["xlsx", "parquet"])
def test_excel_and_parquet_uploads_are_read(app_env: Path, prospects_path: Path, kind: str) -> None:
    frame = pd.read_csv(prospects_path, dtype=str).head(40)
    if kind == "xlsx":
        data = to_excel_bytes(frame)
    else:
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        data = buffer.getvalue()
    at = start_app()
    at.file_uploader(key="upload").set_value((f"leads.{kind}", data, "application/octet-stream"))
    at.run()
    assert not at.exception and not at.error
    assert _digits(_metrics(at)["Prospects"]) == 40


def test_filters_narrow_the_results_table(app_env: Path, bundled_counts: dict[str, int]) -> None:
    at = start_app()
    at.pills(key="filter_segments").set_value(["A"]).run()
    table = at.dataframe[-1].value
    assert len(table) == bundled_counts["A"]
    assert set(table["Segmentation"]) == {"A"}
    at.pills(key="filter_sources").set_value(["model"]).run()
    table = at.dataframe[-1].value
    assert set(table["Source"]) == {"Model"} and 0 < len(table) < bundled_counts["A"]
    at.slider(key="filter_confidence").set_value(100).run()
    assert len(at.dataframe[-1].value) == 0


def test_going_back_to_the_bundled_prospects(app_env: Path, prospects_path: Path) -> None:
    frame = pd.read_csv(prospects_path, dtype=str).head(10)
    at = start_app()
    at.file_uploader(key="upload").set_value(("ten.csv", _csv(frame), "text/csv")).run()
    assert _digits(_metrics(at)["Prospects"]) == 10
    at.file_uploader(key="upload").set_value(None).run()
    at.button[0].click().run()
    assert _digits(_metrics(at)["Prospects"]) == 2627


# --------------------------------------------------------------------------- one prospect
def test_prospect_page_explains_the_example(app_env: Path, trained_model: TrainedModel) -> None:
    from segmentor.analysis import explain

    at = start_app("pages/prospect.py")
    values = {box.key.removeprefix("prospect_"): box.value for box in at.selectbox}
    values |= {box.key.removeprefix("prospect_"): box.value for box in at.number_input}
    expected = explain.explain(trained_model, explain.prospect_features(values))
    assert _metrics(at)["Predicted segment"] == f"Segment {expected.segment}"
    assert len(at.get("vega_lite_chart")) == 2
    lookalikes = at.dataframe[0].value
    assert len(lookalikes) == 5 and set(lookalikes["Segmentation"]) <= set(SEGMENTS)


def test_prospect_page_accepts_unknown_values(app_env: Path, trained_model: TrainedModel) -> None:
    from segmentor.analysis import explain

    at = start_app("pages/prospect.py")
    for box in at.selectbox:
        box.select_index(0)  # Unknown
    at.run()
    assert not at.exception
    assert {box.value for box in at.selectbox} == {"missing"}
    numbers = {box.key.removeprefix("prospect_"): box.value for box in at.number_input}
    expected = explain.explain(trained_model, explain.prospect_features(numbers))
    assert _metrics(at)["Predicted segment"] == f"Segment {expected.segment}"
    assert len(at.dataframe[0].value) == 5


def test_changing_an_attribute_updates_the_answer(app_env: Path) -> None:
    at = start_app("pages/prospect.py")
    answers = set()
    for spending in ("Low", "Average", "High"):
        at.selectbox(key="prospect_Spending_Score").set_value(spending).run()
        answers.add(at.markdown[-1].value)
    assert len(answers) > 1


# --------------------------------------------------------------------------- profiles, market
def test_profiles_page_draws_existing_and_predicted_profiles(app_env: Path) -> None:
    at = start_app("pages/profiles.py")
    assert len(at.get("vega_lite_chart")) == 2
    existing, prospects = (frame.value for frame in at.dataframe)
    assert list(existing.index) == list(SEGMENTS)
    assert _digits("".join(existing["Customers"])) > 0
    at.selectbox(key="profile_attribute").set_value("Profession").run()
    assert not at.exception
    assert "Profession by segment" in str(at.get("vega_lite_chart")[0].proto.spec)


def test_market_page_gives_a_verdict_on_the_bundled_prospects(app_env: Path) -> None:
    at = start_app("pages/market_check.py")
    verdicts = [box.value for box in (*at.success, *at.warning, *at.error)]
    assert len(verdicts) == 1 and "2,332 known customers" in verdicts[0]
    metrics = _metrics(at)
    assert _digits(metrics["Known customers left out"]) == 2332
    assert _digits(metrics["New prospects compared"]) == 295
    assert float(metrics["Classifier AUC"]) > 0.3
    assert len(at.dataframe[0].value) == 9


def test_market_page_checks_the_uploaded_file(app_env: Path, prospects_path: Path) -> None:
    frame = pd.read_csv(prospects_path, dtype=str)
    at = start_app()
    at.file_uploader(key="upload").set_value(("new.csv", _csv(frame.head(200)), "text/csv"))
    at.run()
    at.switch_page("pages/market_check.py").run()
    assert "new.csv" in at.info[0].value
    assert _digits(_metrics(at)["Rows in the file"]) == 200


# --------------------------------------------------------------------------- language, books
@pytest.mark.parametrize(
    ("page", "title"),
    [
        (None, "Segmenter un fichier de prospects"),
        ("pages/prospect.py", "Segmenter un prospect"),
        ("pages/profiles.py", "Profils des segments"),
        ("pages/market_check.py", "Contrôle du marché"),
    ],
)
def test_every_page_speaks_french(app_env: Path, page: str | None, title: str) -> None:
    at = start_app(page, lang="fr")
    assert at.title[0].value == title


FRENCH_NOTES = [
    "valeur inconnue 'Astronaut' (valeurs attendues : Artist, Doctor, Engineer, Entertainment, "
    "Executive, Healthcare, Homemaker, Lawyer, Marketing) ; traitée comme manquante",
    "250 est hors de la plage plausible 18-100 ; valeur traitée comme manquante",
]


def _flagged_prospects(prospects_path: Path) -> pd.DataFrame:
    frame = pd.read_csv(prospects_path, dtype=str).head(30)
    frame.loc[2, "Profession"] = "Astronaut"
    frame.loc[5, "Age"] = "250"
    return frame


def test_french_app_shows_row_notes_in_french(app_env: Path, prospects_path: Path) -> None:
    at = start_app(lang="fr")
    upload = ("prospects.csv", _csv(_flagged_prospects(prospects_path)), "text/csv")
    at.file_uploader(key="upload").set_value(upload).run()
    assert not at.exception and not at.error
    notes = at.dataframe[0].value
    assert notes[["row", "column"]].values.tolist() == [[3, "Profession"], [6, "Age"]]
    assert notes["problem"].tolist() == FRENCH_NOTES
    shown = at.dataframe[-1].value
    assert shown.loc[5, "Notes"] == f"Age : {FRENCH_NOTES[1]}"
    # Switching back to English shows the CLI's own text again.
    at.button_group(key="lang").set_value("en").run()
    assert at.dataframe[-1].value.loc[5, "Notes"] == (
        "Age: 250 is outside the plausible range 18-100; treated as missing"
    )


def test_market_page_speaks_french_to_the_end(app_env: Path) -> None:
    at = start_app("pages/market_check.py", lang="fr")
    assert "khi-deux" in set(at.dataframe[0].value["test"])
    assert "chi-square" not in set(at.dataframe[0].value["test"])
    assert "PSI : 0,10 / 0,25 · AUC : 0,60 / 0,75" in [caption.value for caption in at.caption]


def test_sidebar_switch_changes_the_language(app_env: Path) -> None:
    at = start_app()
    at.button_group(key="lang").set_value("fr").run()
    assert at.title[0].value == "Segmenter un fichier de prospects"
    assert "Clients connus" in _metrics(at)


def test_segmentor_lang_sets_the_default_language(
    app_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEGMENTOR_LANG", "fr")
    at = start_app()
    assert at.title[0].value == "Segmenter un fichier de prospects"


@pytest.mark.skipif(not SMALL_CATALOG.is_file(), reason="the books test catalogue is missing")
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_books_page_is_wired_in(app_env: Path, tmp_path: Path, lang: str) -> None:
    from sereadipity.i18n import strings

    at = AppTest.from_file(str(HOME), default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    at.session_state["sereadipity_catalog"] = str(SMALL_CATALOG)
    at.session_state["sereadipity_cache_dir"] = str(tmp_path)
    at.run()
    at.switch_page("pages/books.py").run()
    assert not at.exception
    assert at.header[0].value == strings(lang)["title"]


# --------------------------------------------------------------------------- plain functions
def test_number_formats_follow_the_language() -> None:
    assert i18n.percent(0.2345, "en") == "23.4%"
    assert i18n.percent(0.2345, "fr") == "23,4\u00a0%"
    assert i18n.number(2627, "en") == "2,627"
    assert i18n.number(2627, "fr") == "2\u202f627"
    assert i18n.value_label(None, "fr") == "Inconnu"
    assert i18n.value_label("Low", "fr") == "Faible"


def test_segment_lists_keep_the_files_own_columns(
    trained_model: TrainedModel, prospects_path: Path
) -> None:
    frame = pd.read_csv(prospects_path, dtype=str).head(60)
    frame.insert(1, "Name", [f"Prospect {i}" for i in range(60)])
    frame["Source"] = "trade fair"  # clashes with the result's own Source column
    view = results.score_upload(_csv(frame), "fair.csv", trained_model)
    total = 0
    for segment in SEGMENTS:
        listed = results.segment_list(view, segment)
        total += len(listed)
        assert list(listed.columns[:2]) == ["ID", "Name"]
        assert list(listed.columns[-4:]) == list(results.LIST_COLUMNS)
        assert set(listed["Segmentation"]) <= {segment}
        assert (listed["Source"].isin(["known", "model"])).all()
    assert total == 60


def test_french_outreach_lists_carry_french_notes_and_the_full_result_stays_english(
    trained_model: TrainedModel, prospects_path: Path
) -> None:
    view = results.score_upload(_csv(_flagged_prospects(prospects_path)), "p.csv", trained_model)
    english = "Age: 250 is outside the plausible range 18-100; treated as missing"
    assert view.frame.loc[5, "Notes"] == english  # the full result: the CLI's own file
    segment = view.frame.loc[5, "Segmentation"]
    french = results.segment_list(view, segment, "fr")
    assert f"Age : {FRENCH_NOTES[1]}" in french["Notes"].tolist()
    listed = results.segment_list(view, segment)
    assert english in listed["Notes"].tolist()
    assert list(french["Notes"] == "") == list(listed["Notes"] == "")


def test_filter_results_combines_the_filters(trained_model: TrainedModel, prospects_path) -> None:
    view = results.score_upload(prospects_path.read_bytes(), "test.csv", trained_model)
    frame = view.frame
    assert results.filter_results(frame).all()
    keep = results.filter_results(frame, ["B", "C"], ["known"], 0.0)
    expected = frame["Segmentation"].isin(["B", "C"]) & (frame["Source"] == "known")
    assert keep.equals(expected)
    confident = results.filter_results(frame, min_confidence=0.6)
    assert (frame.loc[confident, "Confidence"] >= 0.6).all()


def test_app_command_runs_streamlit_headless_on_localhost(tmp_path: Path) -> None:
    from segmentor.cli import webapp

    command = webapp.streamlit_command(8765)
    assert command[1:4] == ["-m", "streamlit", "run"] and command[4].endswith("Home.py")
    options = dict(zip(command[5::2], command[6::2], strict=True))
    assert options["--server.port"] == "8765"
    assert options["--server.headless"] == "true"
    assert options["--server.address"] == "127.0.0.1"
    assert options["--browser.gatherUsageStats"] == "false"
    assert options["--server.maxUploadSize"] == "50"
    env = webapp.app_environment(tmp_path, "fr")
    assert env["SEGMENTOR_MODEL_DIR"] == str(tmp_path) and env["SEGMENTOR_LANG"] == "fr"
