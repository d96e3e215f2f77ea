"""Property tests (hypothesis) of the readers, the schema, the entry points and sereadipity's
user-typed input; schemathesis against the API's OpenAPI schema.

Properties: no exception but :class:`SegmentorError` (or :class:`SereadipityError`) escapes;
rows in = rows out; every entry point (CLI, chunked engine, app loader, API) writes the same
bytes for the same file. Budgets (``max_examples``) keep the module well under a minute;
``pytest tests/segmentor/test_fuzz.py --hypothesis-show-statistics`` prints the cases run.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from typer.testing import CliRunner

from segmentor.app.results import score_upload
from segmentor.cli import app as cli_app
from segmentor.cli import core as cli_core
from segmentor.domain.schema import CATEGORIES, FEATURES, ID, parse_customers
from segmentor.domain.synonyms import COLUMN_SYNONYMS
from segmentor.engines.local import score_file
from segmentor.engines.scoring import OUTPUT_COLUMNS, score_frame
from segmentor.errors import SegmentorError
from segmentor.io.readers import read_bytes
from segmentor.io.writers import to_csv_bytes
from segmentor.ml.trained import TrainedModel

API_KEY = "fuzz-test-key"
FUZZ = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def fuzz(max_examples: int) -> settings:
    """The module's settings with a budget of ``max_examples`` cases."""
    return settings(FUZZ, max_examples=max_examples)


HEADER = [ID, *FEATURES]
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".parquet", ".xls", ".ods", ".csv.gz", ".zip")
MAGICS = (
    b"",
    b"PK\x03\x04",
    b"PAR1",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"\x1f\x8b",
)

# Cells as spreadsheets hold them: real categories, numbers in many spellings, junk, missing.
real_values = st.sampled_from(
    [v for values in CATEGORIES.values() for v in values] + ["36", "4,0", "1.0", "-3", "1e9"]
)
junk = st.text(
    alphabet=st.characters(codec="cp1252", exclude_characters="\x00"), min_size=0, max_size=12
)
cells = st.one_of(real_values, junk, st.sampled_from(["", "NA", "?", "null", " ", "=1+1"]))
tables = st.lists(
    st.lists(cells, min_size=len(HEADER), max_size=len(HEADER)), min_size=1, max_size=25
)
typed_cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    cells,
)


def csv_bytes(rows: list[list[str]], delimiter: str, encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def _read_or_refuse(data: bytes, name: str) -> pd.DataFrame | None:
    try:
        return read_bytes(data, name)
    except SegmentorError as error:
        assert "\n" not in error.message
        return None


# --- readers and schema ------------------------------------------------------------------


@fuzz(300)
@given(
    magic=st.sampled_from(MAGICS),
    body=st.binary(max_size=3000),
    suffix=st.sampled_from(SUFFIXES),
)
def test_random_bytes_are_read_or_refused_never_crash(
    magic: bytes, body: bytes, suffix: str
) -> None:
    raw = _read_or_refuse(magic + body, "upload" + suffix)
    if raw is None:
        return
    try:
        table = parse_customers(raw, "upload" + suffix)
    except SegmentorError:
        return
    assert len(table.frame) == len(raw)


@fuzz(150)
@given(
    rows=tables,
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_any_table_written_as_csv_reads_back_cell_for_cell(
    rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    """Every delimiter and encoding the readers sniff gives back exactly the written cells."""
    raw = read_bytes(csv_bytes(rows, delimiter, encoding), "prospects.csv")
    assert list(raw.columns) == HEADER
    assert raw.to_numpy().tolist() == rows


@fuzz(150)
@given(rows=tables)
def test_schema_keeps_every_row_and_notes_only_real_rows(rows: list[list[str]]) -> None:
    raw = pd.DataFrame(rows, columns=HEADER, dtype="string")
    table = parse_customers(raw, "fuzz", first_row=7)
    assert len(table.frame) == len(rows)
    assert all(7 <= note.row < 7 + len(rows) for note in table.notes)
    assert len(table.notes_by_row()) == len(rows)


@fuzz(60)
@given(rows=st.lists(st.lists(typed_cells, min_size=10, max_size=10), min_size=1, max_size=20))
def test_typed_cells_as_json_or_parquet_bring_them_are_scored(
    rows: list[list[object]], trained_model: TrainedModel
) -> None:
    """Any JSON scalar in any column (as the API receives them): scored, one row each."""
    raw = pd.DataFrame(rows, columns=HEADER, dtype=object)
    scored = score_frame(raw, trained_model, source="fuzz")
    assert len(scored.frame) == len(rows)
    probabilities = scored.frame.loc[:, ["Prob_A", "Prob_B", "Prob_C", "Prob_D"]].to_numpy()
    assert np.allclose(probabilities.sum(axis=1), 1.0)


# --- every entry point gives the same bytes ----------------------------------------------


@pytest.fixture(scope="module")
def cli_with_loaded_model(trained_model: TrainedModel) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cli_core, "load_model", lambda _directory: trained_model)
        yield


@pytest.fixture(scope="module")
def api_client(trained_model: TrainedModel, tmp_path_factory: pytest.TempPathFactory):
    api = pytest.importorskip("segmentor.api.app")
    from fastapi.testclient import TestClient

    from segmentor.io.store import open_store

    database = tmp_path_factory.mktemp("fuzz_api") / "batches.db"
    app = api.create_app(trained_model, open_store(f"sqlite:///{database}"), api_keys=(API_KEY,))
    with TestClient(app) as client:
        yield client


@fuzz(25)
@given(rows=tables, delimiter=st.sampled_from([",", ";"]))
def test_cli_engine_and_app_write_the_same_bytes(
    rows: list[list[str]],
    delimiter: str,
    trained_model: TrainedModel,
    trained_model_dir: Path,
    cli_with_loaded_model: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    work = tmp_path_factory.mktemp("same")
    data = csv_bytes(rows, delimiter, "utf-8")
    source = work / "prospects.csv"
    source.write_bytes(data)
    app_bytes = to_csv_bytes(score_upload(data, source.name, trained_model).frame)
    score_file(source, trained_model, work / "engine.csv", chunk_rows=7)
    result = CliRunner().invoke(
        cli_app,
        ["predict", str(source), "--model", str(trained_model_dir), "--out", str(work / "cli.csv")],
    )
    assert result.exit_code == 0, result.stderr
    assert (work / "engine.csv").read_bytes() == app_bytes
    assert (work / "cli.csv").read_bytes() == app_bytes
    frame = pd.read_csv(io.BytesIO(app_bytes), dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(OUTPUT_COLUMNS)
    assert len(frame) == len(rows)


@fuzz(25)
@given(rows=tables)
def test_api_writes_the_app_bytes(
    rows: list[list[str]], trained_model: TrainedModel, api_client
) -> None:
    data = csv_bytes(rows, ",", "utf-8")
    answer = api_client.post(
        "/predict/file",
        files={"file": ("prospects.csv", data)},
        headers={"X-API-Key": API_KEY},
    )
    assert answer.status_code == 200, answer.text
    assert answer.content == to_csv_bytes(score_upload(data, "prospects.csv", trained_model).frame)


# --- sereadipity: what a reader types --------------------------------------------------


@pytest.fixture(scope="module")
def catalogue_titles() -> tuple[list[str], list[str]]:
    from sereadipity.catalog import load_catalog

    catalog = load_catalog()
    return list(catalog["title"]), list(catalog["edition_key"])


@fuzz(100)
@given(query=st.text(max_size=40), pick=st.integers(min_value=0))
def test_title_matching_finds_a_book_or_says_why(
    query: str, pick: int, catalogue_titles: tuple[list[str], list[str]]
) -> None:
    from sereadipity.errors import SereadipityError
    from sereadipity.titles import match_title, normalise_title

    titles, works = catalogue_titles
    try:
        row = match_title(query, titles, works)
    except SereadipityError as error:
        assert str(error)
    else:
        assert 0 <= row < len(titles)
    exact = titles[pick % len(titles)]
    try:
        found = match_title(exact.upper(), titles, works)
    except SereadipityError as error:
        # Only two different works with the same title may be ambiguous.
        assert "matches" in str(error)
    else:
        assert normalise_title(titles[found]) == normalise_title(exact)


weight_names = st.sampled_from(["synopsis", "genre", "period", "award", "Genre ", "colour", ""])
weight_values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-5, 15).map(str),
    st.text(max_size=5),
)


@fuzz(300)
@given(
    parts=st.lists(
        st.tuples(weight_names, st.sampled_from(["=", ":", ""]), weight_values), max_size=6
    ),
    junk_text=st.text(max_size=30),
)
def test_weights_parse_to_valid_weights_or_say_why(
    parts: list[tuple[str, str, str]], junk_text: str
) -> None:
    from sereadipity.errors import SereadipityError
    from sereadipity.recommend import parse_weights
    from sereadipity.similarity import normalise_weights

    for text in (",".join(f"{n}{s}{v}" for n, s, v in parts), junk_text):
        try:
            weights = parse_weights(text)
        except SereadipityError as error:
            assert str(error)
            continue
        assert all(math.isfinite(v) and 0 <= v <= 10 for v in weights.values())
        assert math.isclose(sum(normalise_weights(weights).values()), 1.0)


# --- schemathesis: the API against its own OpenAPI schema --------------------------------


@pytest.fixture(scope="module")
def openapi_schema(trained_model: TrainedModel, tmp_path_factory: pytest.TempPathFactory):
    """The API's own /openapi.json, served in-process (skipped until the API module exists)."""
    api = pytest.importorskip("segmentor.api.app")
    import schemathesis

    from segmentor.io.store import open_store

    database = tmp_path_factory.mktemp("schemathesis") / "batches.db"
    app = api.create_app(
        trained_model, open_store(f"sqlite:///{database}"), api_keys=(API_KEY,), max_rows=50
    )
    return schemathesis.openapi.from_asgi("/openapi.json", app)


SCHEMATHESIS_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_api_conforms_to_its_openapi_schema(openapi_schema) -> None:
    """Every operation of /openapi.json fuzzed (40 cases each): no 5xx; status codes,
    content types and bodies as the schema declares. (schemathesis' pytest plugin does not
    load under pytest 9, so the operations are driven here with hypothesis directly.)"""
    ran: dict[str, int] = {}
    for result in openapi_schema.get_all_operations():
        operation = result.ok()
        ran[operation.label] = 0
        _fuzz_operation(operation, ran)
    print(f"schemathesis cases per operation: {ran}")
    assert len(ran) >= 4 and all(count > 0 for count in ran.values()), ran


def _fuzz_operation(operation: schemathesis.APIOperation, ran: dict[str, int]) -> None:
    @settings(
        max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy())
    def check(case: schemathesis.Case) -> None:
        ran[operation.label] += 1
        case.call_and_validate(headers={"X-API-Key": API_KEY}, checks=SCHEMATHESIS_CHECKS)

    check()


# --- the classes behind the attack defects (issue 13), on cases not in the corpus ----------

_SPACES = st.sampled_from([" ", "\u00a0", "\u202f"])
_INVISIBLE = st.sampled_from(["", "\ufeff", "\u200b", "\ufeff\u200b"])


@st.composite
def spelled_ids(draw: st.DrawFn) -> tuple[int, str]:
    """An integer ID as exports spell it: plain, float, exponent, digit groups, invisible
    characters before or after."""
    number = draw(st.integers(1, 10**9))
    digits = str(number)
    form = draw(st.sampled_from(["plain", "float", "exponent", "groups"]))
    if form == "float":
        text = digits + ".0"
    elif form == "exponent":
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        text = f"{mantissa}{draw(st.sampled_from(['e', 'E', 'e+']))}{len(digits) - 1}"
        text = text.replace(".", draw(st.sampled_from([".", ","])))
    elif form == "groups" and len(digits) > 3:
        groups = [digits[max(0, i - 3) : i] for i in range(len(digits), 0, -3)][::-1]
        text = draw(_SPACES).join(groups)
    else:
        text = digits
    return number, draw(_INVISIBLE) + text + draw(st.sampled_from(["", "\ufeff", " "]))


@fuzz(200)
@given(ids=st.lists(spelled_ids(), min_size=1, max_size=20))
def test_ids_are_normalised_to_the_integer_with_a_note_when_changed(
    ids: list[tuple[int, str]],
) -> None:
    """BOM, spaces, exponent or float forms never hide a known customer's ID; a changed
    spelling (other than the integer float Excel writes) is noted."""
    raw = pd.DataFrame(
        {ID: [text for _, text in ids], **{column: [None] * len(ids) for column in FEATURES}}
    )
    table = parse_customers(raw)
    assert table.frame[ID].tolist() == [str(number) for number, _ in ids]
    noted = {note.row for note in table.notes if note.kind == "id_normalised"}
    for row, (number, text) in enumerate(ids, start=1):
        changed = text.strip(" ") not in (str(number), f"{number}.0")
        assert (row in noted) == changed, (text, table.notes)


@fuzz(300)
@given(
    text=st.one_of(
        st.text(alphabet="0123456789eE+-_.,aAnNuloO /?#\ufeff\u00a0", max_size=8),
        st.text(max_size=6),
    )
)
def test_the_plain_id_shortcut_agrees_with_every_id_rule(text: str) -> None:
    """An ID the one-regex shortcut keeps as it is, the full rules keep as it is too."""
    from segmentor.domain import schema

    if schema.PLAIN_ID.fullmatch(text):
        assert schema._normalised_id(text) == (text, None)


@st.composite
def spelled_numbers(draw: st.DrawFn) -> tuple[float, str]:
    """A number as an English or French spreadsheet writes it (thousands separators, decimal
    point or comma)."""
    whole = draw(st.integers(0, 99_999))
    cents = draw(st.sampled_from([None, draw(st.integers(0, 99))]))
    value = whole + (cents / 100 if cents is not None else 0)
    locale = draw(st.sampled_from(["plain", "en", "fr", "fr_dots"]))
    grouped = f"{whole:,}"
    if locale == "plain":
        body, decimal = str(whole), "."
    elif locale == "en":
        body, decimal = grouped, "."
    elif locale == "fr":
        body, decimal = grouped.replace(",", draw(_SPACES)), ","
    else:
        body, decimal = grouped.replace(",", "."), ","
    text = body + (f"{decimal}{cents:02d}" if cents is not None else "")
    return value, text


@fuzz(200)
@given(numbers=st.lists(spelled_numbers(), min_size=1, max_size=15))
def test_numbers_are_read_exactly_or_noted_never_misread(
    numbers: list[tuple[float, str]],
) -> None:
    """Every cell of a numeric column is either its number (within the range) or gets a
    note: a thousands separator is never silently read as a decimal mark or dropped."""
    raw = pd.DataFrame(
        {
            ID: [str(i) for i in range(len(numbers))],
            **{column: [None] * len(numbers) for column in FEATURES},
        }
    )
    raw["Work_Experience"] = [text for _, text in numbers]
    table = parse_customers(raw)
    parsed = table.frame["Work_Experience"].tolist()
    noted = {note.row for note in table.notes if note.column == "Work_Experience"}
    for row, ((value, text), got) in enumerate(zip(numbers, parsed, strict=True), start=1):
        if row in noted:
            continue
        assert 0 <= value <= 60 and math.isclose(got, value), (text, got, table.notes)


@fuzz(150)
@given(cells=st.lists(st.text(max_size=60), min_size=1, max_size=8))
def test_any_text_cell_is_written_to_excel_or_refused_in_one_line(cells: list[str]) -> None:
    import openpyxl

    from segmentor.io.writers import to_excel_bytes

    frame = pd.DataFrame({"ID": cells, "Notes": cells})
    workbook = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(frame)))
    rows = list(workbook.active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(cells)
    for value, _ in rows:
        assert value is None or not any(ord(c) < 32 and c not in "\t\n\r" for c in str(value))


@fuzz(150)
@given(text=st.text(max_size=80))
def test_any_cell_text_prints_safely_in_the_terminal(text: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from segmentor.cli.inputs import terminal_text

    console = Console(file=io.StringIO(), width=100, force_terminal=True, color_system=None)
    table = Table()
    table.add_column("Value")
    table.add_row(terminal_text(text))
    console.print(table)
    console.print(f"Mapping applied: {terminal_text(text)}")
    written = console.file.getvalue()
    assert "\x1b" not in written and "\x07" not in written


@fuzz(150)
@given(
    column=st.sampled_from(sorted(COLUMN_SYNONYMS)),
    index=st.integers(0, 30),
    case=st.sampled_from([str.upper, str.lower, str.title, str]),
    pad=st.sampled_from(["", " ", "  ", "\ufeff"]),
)
def test_every_synonym_is_recognised_in_any_case_and_padding(
    column: str, index: int, case, pad: str
) -> None:  # noqa: ANN001
    from segmentor.domain.synonyms import column_for

    names = COLUMN_SYNONYMS[column]
    header = pad + case(names[index % len(names)]) + pad.strip("\ufeff")
    assert column_for(header) == column
