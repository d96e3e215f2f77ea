"""Every file of the bad-input corpus (tests/data/bad) through every entry point.

The manifest ``expected.json`` (written by ``make_corpus.py``) says what each file must give:
scored (rows in = rows out, listed notes present) or refused (one clear line, exit code 2 /
HTTP 422, never a traceback, never a 500). The CLI, the chunked engine, the app's loader and
the API must agree byte for byte on the scored CSV, and on the message of a refusal.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from segmentor.app.results import score_upload
from segmentor.cli import app as cli_app
from segmentor.cli import core as cli_core
from segmentor.engines.local import score_file
from segmentor.engines.scoring import OUTPUT_COLUMNS
from segmentor.errors import SegmentorError
from segmentor.io.writers import FORMULA_PREFIXES, to_csv_bytes
from segmentor.ml.trained import TrainedModel

CORPUS = Path(__file__).resolve().parents[1] / "data" / "bad"
MANIFEST: dict[str, dict] = json.loads((CORPUS / "expected.json").read_text())
NAMES = sorted(MANIFEST)
SCORED = [name for name in NAMES if MANIFEST[name]["outcome"] == "scored"]
API_KEY = "bad-input-test-key"


STATIC = ("old_excel_97.xls",)  # made by LibreOffice: see tests/data/README.md


def test_corpus_is_complete_and_reproducible(tmp_path: Path) -> None:
    """At least 70 files, each in the manifest, each the generator's exact bytes (but the
    one committed file no Python library can write)."""
    assert len(NAMES) >= 70
    on_disk = {p.name for p in CORPUS.iterdir()} - {"expected.json", "make_corpus.py"}
    assert on_disk == set(NAMES)
    copy = tmp_path / "bad"
    copy.mkdir()
    shutil.copy(CORPUS / "make_corpus.py", copy)
    subprocess.run([sys.executable, str(copy / "make_corpus.py")], check=True, capture_output=True)
    for name in [*NAMES, "expected.json"]:
        if name in STATIC:
            continue
        assert (copy / name).read_bytes() == (CORPUS / name).read_bytes(), name


def _cli_predict(source: Path, out: Path, model_dir: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli_app, ["predict", str(source), "--model", str(model_dir), "--out", str(out)]
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def loaded_once(trained_model: TrainedModel) -> Iterator[None]:
    """The in-process CLI gets the session's model instead of reading it from disk again for
    every file (3 s each); real processes below load it as users do."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cli_core, "load_model", lambda _directory: trained_model)
        yield


@pytest.fixture(scope="module")
def cli_outcomes(
    tmp_path_factory: pytest.TempPathFactory, trained_model_dir: Path, loaded_once: None
) -> dict[str, tuple[int, str, str, bytes | None]]:
    """Each corpus file through ``segmentor predict`` once: exit code, stdout, stderr, output."""
    work = tmp_path_factory.mktemp("bad_cli")
    outcomes = {}
    for name in NAMES:
        source = work / name
        shutil.copy(CORPUS / name, source)
        out = work / f"{name}.out.csv"
        code, stdout, stderr = _cli_predict(source, out, trained_model_dir)
        outcomes[name] = (code, stdout, stderr, out.read_bytes() if out.exists() else None)
    return outcomes


def _app_outcome(name: str, model: TrainedModel) -> bytes | SegmentorError:
    try:
        view = score_upload((CORPUS / name).read_bytes(), name, model)
    except SegmentorError as error:
        return error
    assert len(view.frame) == len(view.table.frame) == len(view.raw)
    return to_csv_bytes(view.frame)


def _frame(csv_bytes: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(csv_bytes), dtype=str, keep_default_na=False)


@pytest.mark.parametrize("name", NAMES)
def test_cli_outcome(name: str, cli_outcomes: dict) -> None:
    code, stdout, stderr, output = cli_outcomes[name]
    expected = MANIFEST[name]
    assert "Traceback" not in stdout + stderr
    if expected["outcome"] == "refused":
        assert code == expected["exit_code"] == 2
        lines = stderr.strip().splitlines()
        assert len(lines) == 1, stderr
        assert lines[0].startswith("segmentor: error: ")
        assert expected["message"] in lines[0]
        assert "Fix: " in lines[0]
        assert output is None
        return
    assert code == 0, stderr
    frame = _frame(output)
    assert list(frame.columns) == list(OUTPUT_COLUMNS)
    assert len(frame) == expected["rows"]
    notes = "\n".join(frame["Notes"])
    for fragment in expected["notes"]:
        assert fragment in notes
    assert f"Rows: {expected['rows']} " in stdout
    if "known" in expected:
        assert f"Known customers: {expected['known']} " in stdout
        assert (frame["Source"] == "known").sum() == expected["known"]
    summary = " ".join(stdout.split())  # rich wraps long lines
    for fragment in expected.get("stdout", []):
        assert " ".join(fragment.split()) in summary, stdout


@pytest.mark.parametrize("name", NAMES)
def test_app_loader_gives_the_cli_result(
    name: str, cli_outcomes: dict, trained_model: TrainedModel
) -> None:
    code, _, stderr, output = cli_outcomes[name]
    outcome = _app_outcome(name, trained_model)
    if MANIFEST[name]["outcome"] == "refused":
        assert isinstance(outcome, SegmentorError)
        assert MANIFEST[name]["message"] in outcome.message
        cli_message = stderr.strip().removeprefix("segmentor: error: ")
        assert cli_message.replace(_copied_path(stderr, name), name) == outcome.message
    else:
        assert outcome == output


def _copied_path(stderr: str, name: str) -> str:
    """The path of the copy the CLI was given, as its message names it."""
    message = stderr.strip().removeprefix("segmentor: error: ")
    return message[: message.index(name) + len(name)]


@pytest.mark.parametrize("name", SCORED)
def test_small_chunks_give_the_same_result(
    name: str, cli_outcomes: dict, trained_model: TrainedModel, tmp_path: Path
) -> None:
    """Chunk boundaries (5 rows) change nothing: rows, order, notes, duplicate IDs."""
    source = tmp_path / name
    shutil.copy(CORPUS / name, source)
    target = tmp_path / "out.csv"
    result = score_file(source, trained_model, target, chunk_rows=5)
    assert result.rows == MANIFEST[name]["rows"]
    assert target.read_bytes() == cli_outcomes[name][3]


@pytest.mark.parametrize("name", [n for n in SCORED if MANIFEST[n].get("neutralised")])
def test_formula_payloads_are_neutralised_in_csv_and_excel(
    name: str, cli_outcomes: dict, trained_model_dir: Path, tmp_path: Path, loaded_once: None
) -> None:
    payloads = MANIFEST[name]["payloads"]
    frame = _frame(cli_outcomes[name][3])
    for payload in payloads:
        assert "'" + payload in set(frame["ID"])
    assert not frame["ID"].str.startswith(FORMULA_PREFIXES).any()
    source = tmp_path / name
    shutil.copy(CORPUS / name, source)
    workbook = tmp_path / "out.xlsx"
    code, _, stderr = _cli_predict(source, workbook, trained_model_dir)
    assert code == 0, stderr
    sheet = openpyxl.load_workbook(workbook).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    texts = {cell.value for cell in cells if isinstance(cell.value, str)}
    assert not any(text.startswith(FORMULA_PREFIXES) for text in texts)
    for payload in payloads:
        assert "'" + payload in texts


@pytest.mark.parametrize("name", [n for n in SCORED if "excel" in MANIFEST[n]])
def test_excel_output_is_safe_or_refused(
    name: str, trained_model_dir: Path, tmp_path: Path, loaded_once: None
) -> None:
    """Control characters reach .xlsx as visible escapes (no openpyxl traceback); a cell
    longer than Excel holds is refused in one line, never cut."""
    source = tmp_path / name
    shutil.copy(CORPUS / name, source)
    workbook = tmp_path / "out.xlsx"
    code, stdout, stderr = _cli_predict(source, workbook, trained_model_dir)
    assert "Traceback" not in stdout + stderr
    expected = MANIFEST[name]["excel"]
    if expected != "written":
        assert code == 2
        errors = [line for line in stderr.splitlines() if line.startswith("segmentor: error: ")]
        assert len(errors) == 1 and expected in errors[0], stderr
        assert not workbook.exists()
        return
    assert code == 0, stderr
    sheet = openpyxl.load_workbook(workbook).active
    ids = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert len(ids) == MANIFEST[name]["rows"]
    assert not any(ch in str(i) for i in ids for ch in ("\x07", "\x1b", "\x00"))
    assert "458989\\x07" in ids


@pytest.mark.parametrize(
    "name",
    [
        "semicolon_decimal_comma_cp1252.csv",
        "missing_column_Age.csv",
        "excel_renamed.csv",
        "rich_markup_in_cells.csv",
        "french_export_semicolon_cp1252.csv",
    ],
)
def test_real_process_exit_codes(name: str, trained_model_dir: Path, tmp_path: Path) -> None:
    """A few files through a real ``segmentor`` process: exit 0 or 2, never a traceback."""
    source = tmp_path / name
    shutil.copy(CORPUS / name, source)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "segmentor",
            "predict",
            str(source),
            "--model",
            str(trained_model_dir),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    expected = MANIFEST[name]
    assert "Traceback" not in completed.stdout + completed.stderr
    if expected["outcome"] == "refused":
        assert completed.returncode == 2
        assert completed.stderr.strip().count("\n") == 0
        assert expected["message"] in completed.stderr
    else:
        assert completed.returncode == 0, completed.stderr
        output = source.with_name(f"{source.stem}.segments.csv")
        assert len(_frame(output.read_bytes())) == expected["rows"]


# --- the API -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api_client(trained_model: TrainedModel, tmp_path_factory: pytest.TempPathFactory):
    api = pytest.importorskip("segmentor.api.app")
    from fastapi.testclient import TestClient

    from segmentor.io.store import open_store

    database = tmp_path_factory.mktemp("bad_api") / "batches.db"
    app = api.create_app(trained_model, open_store(f"sqlite:///{database}"), api_keys=(API_KEY,))
    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize("name", NAMES)
def test_api_gives_the_cli_result(
    name: str, api_client, cli_outcomes: dict, trained_model: TrainedModel
) -> None:
    data = (CORPUS / name).read_bytes()
    answer = api_client.post(
        "/predict/file", files={"file": (name, data)}, headers={"X-API-Key": API_KEY}
    )
    assert answer.status_code != 500
    if MANIFEST[name]["outcome"] == "refused":
        assert answer.status_code == 422, answer.text
        app_error = _app_outcome(name, trained_model)
        assert answer.json()["detail"] == app_error.message
        assert "Traceback" not in answer.text
    else:
        assert answer.status_code == 200, answer.text
        assert answer.content == cli_outcomes[name][3]
        assert len(_frame(answer.content)) == MANIFEST[name]["rows"]
        if any("Mapping applied" in fragment for fragment in MANIFEST[name].get("stdout", [])):
            assert "built-in synonyms" in answer.headers["X-Segmentor-Mapping"]


def test_rows_lost_over_the_whole_corpus(cli_outcomes: dict) -> None:
    """The figure the README quotes: rows in the scored files minus rows out, summed (0)."""
    rows_in = sum(MANIFEST[name]["rows"] for name in SCORED)
    rows_out = sum(len(_frame(cli_outcomes[name][3])) for name in SCORED)
    assert rows_in - rows_out == 0
