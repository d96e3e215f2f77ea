"""The HTTP API against the real app, the real model and a real SQLite store."""

from __future__ import annotations

import asyncio
import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from segmentor.api.app import create_app
from segmentor.cli import app as cli_app
from segmentor.cli.serve import tcp_listener
from segmentor.domain.schema import FEATURES
from segmentor.engines.scoring import OUTPUT_COLUMNS, score_frame
from segmentor.errors import SegmentorError
from segmentor.io.readers import read_bytes, read_table
from segmentor.io.store import Store, open_store
from segmentor.ml.trained import TrainedModel

KEYS = ("first-key-0123456789", "second-key-9876543210")
GOOD = {"X-API-Key": KEYS[1]}
MAX_BODY = 400_000
MAX_ROWS = 3000
CUSTOMER = {
    "ID": "900001",
    "Gender": "Female",
    "Ever_Married": "Yes",
    "Age": 36,
    "Graduated": "Yes",
    "Profession": "Engineer",
    "Work_Experience": 0,
    "Spending_Score": "Low",
    "Family_Size": 1,
    "Var_1": "Cat_6",
}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'api.db'}", busy_timeout=0.2)
    yield opened
    opened.close()


@pytest.fixture
def client(trained_model: TrainedModel, store: Store) -> TestClient:
    api = create_app(
        trained_model, store, api_keys=KEYS, max_body_bytes=MAX_BODY, max_rows=MAX_ROWS
    )
    return TestClient(api, raise_server_exceptions=False)


@pytest.fixture(scope="module")
def prospects(prospects_path: Path) -> pd.DataFrame:
    return read_table(prospects_path)


def records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [{k: v for k, v in row.items() if v != ""} for row in frame.to_dict("records")]


def test_health_needs_no_key(client: TestClient, trained_model: TrainedModel) -> None:
    answer = client.get("/health")
    assert answer.status_code == 200
    assert answer.json()["model_version"] == trained_model.version


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "wrong"}, {"X-API-Key": KEYS[0][:-1]}])
def test_a_missing_or_wrong_key_is_401(client: TestClient, headers: dict[str, str]) -> None:
    for answer in (
        client.get("/model", headers=headers),
        client.post("/predict", json=[{"Age": 30}], headers=headers),
        client.post("/predict/file", files={"file": ("a.csv", b"Age\n30\n")}, headers=headers),
    ):
        assert answer.status_code == 401
        assert "X-API-Key" in answer.json()["detail"]
        assert KEYS[0] not in answer.text and KEYS[1] not in answer.text


def test_every_configured_key_works(client: TestClient, trained_model: TrainedModel) -> None:
    for key in KEYS:
        answer = client.get("/model", headers={"X-API-Key": key})
        assert answer.status_code == 200
        assert answer.json()["version"] == trained_model.version
        assert answer.json()["rows"] == trained_model.card["rows"]


def test_a_non_ascii_key_is_refused_not_a_crash(client: TestClient) -> None:
    answer = client.get("/model", headers={"X-API-Key": "clé-ü".encode("latin-1")})
    assert answer.status_code == 401


def test_predict_json_matches_the_cli_and_is_stored(
    client: TestClient, store: Store, prospects: pd.DataFrame, trained_model: TrainedModel
) -> None:
    sample = prospects.head(40)
    answer = client.post("/predict", json=records(sample), headers=GOOD)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    got = pd.DataFrame(body["predictions"])
    expected = score_frame(sample, trained_model, source="request").frame
    assert list(got.columns) == [*OUTPUT_COLUMNS, "Playbook"]  # the segment's playbook last
    got = got.drop(columns="Playbook")
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_exact=True)
    (batch,) = store.list_batches()
    assert batch.id == body["batch_id"] and batch.origin == "api" and batch.rows == 40


def test_unknown_values_get_the_same_notes_as_the_cli(
    client: TestClient, trained_model: TrainedModel
) -> None:
    customer = {
        "Gender": "Male",
        "Ever_Married": "Yes",
        "Age": 240,
        "Graduated": True,
        "Profession": "Wizard",
        "Work_Experience": "lots",
        "Spending_Score": "Low",
        "Family_Size": 3,
        "Var_1": None,
    }
    answer = client.post("/predict", json=[customer], headers=GOOD)
    assert answer.status_code == 200, answer.text
    (prediction,) = answer.json()["predictions"]
    expected = score_frame(pd.DataFrame([customer]), trained_model).frame.iloc[0]
    assert prediction["Notes"] == expected["Notes"]
    for fragment in ("'Wizard'", "240 is outside", "'lots' is not a number", "'True'"):
        assert fragment in prediction["Notes"]
    assert prediction["ID"] == ""


def test_predict_file_of_the_bundled_prospects(
    client: TestClient,
    store: Store,
    prospects_path: Path,
    prospects: pd.DataFrame,
    trained_model: TrainedModel,
) -> None:
    data = prospects_path.read_bytes()
    answer = client.post("/predict/file", files={"file": ("test.csv", data)}, headers=GOOD)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    scored = pd.read_csv(io.BytesIO(answer.content), dtype={"ID": str}, keep_default_na=False)
    assert list(scored.columns) == list(OUTPUT_COLUMNS)
    assert len(scored) == 2627 and (scored["Source"] == "known").sum() == 2332
    cli = score_frame(prospects, trained_model, source=str(prospects_path)).frame
    assert list(scored["ID"]) == list(cli["ID"])
    assert list(scored["Segmentation"]) == list(cli["Segmentation"])
    assert (scored["Confidence"] - cli["Confidence"]).abs().max() < 1e-12
    batch = store.get_batch(int(answer.headers["X-Batch-Id"]))
    assert (batch.source_name, batch.rows, batch.known) == ("test.csv", 2627, 2332)


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_predict_file_reads_excel_and_parquet(
    client: TestClient, prospects: pd.DataFrame, suffix: str
) -> None:
    buffer = io.BytesIO()
    sample = prospects.head(25)
    if suffix == ".xlsx":
        sample.to_excel(buffer, index=False)
    else:
        sample.to_parquet(buffer, index=False)
    files = {"file": (f"prospects{suffix}", buffer.getvalue())}
    answer = client.post("/predict/file", files=files, headers=GOOD)
    assert answer.status_code == 200, answer.text
    assert len(pd.read_csv(io.BytesIO(answer.content))) == 25


def _cli_message(raw: pd.DataFrame, source: str, model: TrainedModel) -> str:
    with pytest.raises(SegmentorError) as caught:
        score_frame(raw, model, source=source)
    return caught.value.message


def test_a_missing_column_is_422_with_the_cli_message(
    client: TestClient, prospects: pd.DataFrame, trained_model: TrainedModel
) -> None:
    sample = prospects.head(3).drop(columns=["Profession"])
    answer = client.post("/predict", json=records(sample), headers=GOOD)
    assert answer.status_code == 422
    assert answer.json()["detail"] == _cli_message(sample, "request", trained_model)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("prospects.exe", b"Age\n30\n"),
        ("empty.csv", b""),
        ("header_only.csv", b"Gender,Age\n"),
        ("fake.xlsx", b"not a zip at all"),
        ("binary.csv", b"PK\x03\x04\x00\x00binary"),
    ],
)
def test_a_bad_file_is_422_with_the_cli_message(
    client: TestClient, name: str, data: bytes, trained_model: TrainedModel
) -> None:
    answer = client.post("/predict/file", files={"file": (name, data)}, headers=GOOD)
    assert answer.status_code == 422
    with pytest.raises(SegmentorError) as caught:
        score_frame(read_bytes(data, name), trained_model, source=name)
    assert answer.json()["detail"] == caught.value.message


@pytest.mark.parametrize(
    "payload", [[], {"customers": []}, "text", [1, 2], [{"Age": {"nested": 1}}], [[]]]
)
def test_malformed_json_is_422(client: TestClient, payload: object) -> None:
    assert client.post("/predict", json=payload, headers=GOOD).status_code == 422


def test_bodies_over_the_limit_are_413(client: TestClient) -> None:
    big = b"[" + b" " * MAX_BODY + b"]"
    declared = client.post(
        "/predict", content=big, headers={**GOOD, "Content-Type": "application/json"}
    )
    assert declared.status_code == 413
    assert f"limit of {MAX_BODY} bytes" in declared.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the bytes must be counted
        yield b"["
        for _ in range(MAX_BODY // 10_000 + 1):
            yield b" " * 10_000
        yield b"]"

    streamed = client.post(
        "/predict", content=chunks(), headers={**GOOD, "Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    assert f"limit of {MAX_BODY} bytes" in streamed.json()["detail"]
    files = {"file": ("big.csv", b"Age\n" + b"30\n" * (MAX_BODY // 3))}
    assert client.post("/predict/file", files=files, headers=GOOD).status_code == 413


def test_too_many_rows_is_413(client: TestClient, store: Store) -> None:
    answer = client.post("/predict", json=[{"Age": 30}] * (MAX_ROWS + 1), headers=GOOD)
    assert answer.status_code == 413
    assert f"over the limit of {MAX_ROWS}" in answer.json()["detail"]
    rows = "\n".join(["Age"] + ["30"] * (MAX_ROWS + 1)).encode()
    answer = client.post("/predict/file", files={"file": ("many.csv", rows)}, headers=GOOD)
    assert answer.status_code == 413
    assert store.list_batches() == []


def test_an_unavailable_database_is_503_not_500(
    client: TestClient, store: Store, tmp_path: Path
) -> None:
    import sqlite3

    other = sqlite3.connect(tmp_path / "api.db")
    other.execute("BEGIN EXCLUSIVE")
    try:
        answer = client.post("/predict", json=[CUSTOMER], headers=GOOD)
    finally:
        other.rollback()
        other.close()
    assert answer.status_code == 503
    assert "database is locked" in answer.json()["detail"]


def test_no_auth_app_needs_no_key_and_an_auth_app_needs_keys(
    trained_model: TrainedModel, store: Store
) -> None:
    open_api = TestClient(create_app(trained_model, store, auth=False))
    assert open_api.get("/model").status_code == 200
    with pytest.raises(SegmentorError, match="no API key is configured"):
        create_app(trained_model, store, api_keys=())


def test_openapi_documents_the_routes(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/predict", "/predict/file", "/model", "/health"} <= set(schema["paths"])
    assert "APIKeyHeader" in schema["components"]["securitySchemes"]
    assert client.get("/docs").status_code == 200


cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
customer_dicts = st.dictionaries(
    st.one_of(st.sampled_from(("ID", *FEATURES)), st.text(max_size=10)), cells, max_size=12
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=st.lists(customer_dicts, min_size=1, max_size=5))
def test_no_json_payload_gives_a_500(client: TestClient, payload: list[dict]) -> None:
    answer = client.post("/predict", json=payload, headers=GOOD)
    assert answer.status_code in (200, 422), answer.text
    if answer.status_code == 200:
        assert len(answer.json()["predictions"]) == len(payload)


# `segmentor serve`: refusals, and a real server whose logs never show a key.
runner = CliRunner()


def test_serve_refuses_to_start_without_keys(segmentor_home: Path, monkeypatch) -> None:
    monkeypatch.delenv("SEGMENTOR_API_KEYS", raising=False)
    result = runner.invoke(cli_app, ["serve"])
    assert result.exit_code == 2
    assert "no API key is configured" in result.output
    assert "Traceback" not in result.output


def test_serve_no_auth_only_on_loopback(segmentor_home: Path) -> None:
    result = runner.invoke(cli_app, ["serve", "--no-auth", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "--no-auth is only allowed on a loopback address" in result.output


def test_serve_reports_an_unreadable_keys_file(segmentor_home: Path, monkeypatch) -> None:
    monkeypatch.setenv("SEGMENTOR_API_KEYS_FILE", str(segmentor_home / "missing-keys"))
    result = runner.invoke(cli_app, ["serve"])
    assert result.exit_code == 2
    assert "cannot read the API keys file" in result.output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_a_real_server_never_logs_a_key(segmentor_home: Path, tmp_path: Path) -> None:
    keys_file = tmp_path / "keys"
    keys_file.write_text("# operators\nfile-key-abcdef123456\n\n")
    env = {
        **os.environ,
        "SEGMENTOR_API_KEYS": KEYS[0],
        "SEGMENTOR_API_KEYS_FILE": str(keys_file),
        "SEGMENTOR_DB_URL": f"sqlite:///{tmp_path / 'served.db'}",
    }
    log = tmp_path / "server.log"
    with _real_server([], env, log) as base:
        for key in (KEYS[0], "file-key-abcdef123456", "a-wrong-key-guess"):
            httpx.get(f"{base}/model", headers={"X-API-Key": key}, timeout=30)
            httpx.post(f"{base}/predict", json=[CUSTOMER], headers={"X-API-Key": key}, timeout=30)
        served = httpx.get(f"{base}/model", headers={"X-API-Key": "file-key-abcdef123456"})
        assert served.status_code == 200
    output = log.read_text()
    assert '"POST /predict HTTP/1.1" 200' in output, output
    assert '"GET /model HTTP/1.1" 401' in output
    for secret in (KEYS[0], "file-key-abcdef123456", "a-wrong-key-guess"):
        assert secret not in output


def test_the_workers_listener_turns_nagle_off_on_each_connection() -> None:
    """`serve --workers` binds its socket through uvicorn, which leaves its protocol at 0;
    asyncio sets TCP_NODELAY only on connections of a socket that says TCP, else every
    answer after a connection's first waits about 40 ms for the client's delayed ACK."""
    import uvicorn

    listener = tcp_listener(uvicorn.Config(app=None, host="127.0.0.1", port=0).bind_socket())

    async def nodelay_of_an_accepted_connection() -> int:
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def accepted(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            connection = writer.get_extra_info("socket")
            seen.set_result(connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(accepted, sock=listener)
        async with server:
            _, client = await asyncio.open_connection(*listener.getsockname()[:2])
            value = await asyncio.wait_for(seen, 10)
            client.close()
        return value

    assert asyncio.run(nodelay_of_an_accepted_connection()) != 0


@pytest.mark.slow
def test_a_real_server_with_two_workers_keeps_one_batch(
    segmentor_home: Path, trained_model_dir: Path, tmp_path: Path
) -> None:
    """`serve --workers 2`: two processes answer on one port, both store into the client's
    one batch of the day, and the server stops with its workers."""
    from concurrent.futures import ThreadPoolExecutor

    database = tmp_path / "served.db"
    env = {**os.environ, "SEGMENTOR_API_KEYS": KEYS[0], "SEGMENTOR_DB_URL": f"sqlite:///{database}"}
    log = tmp_path / "server.log"

    with _real_server(["--workers", "2", "--model", str(trained_model_dir)], env, log) as base:

        def post(index: int) -> int:
            customer = {**CUSTOMER, "ID": f"worker-{index}"}
            key = {"X-API-Key": KEYS[0]}
            return httpx.post(
                f"{base}/predict", json=[customer], headers=key, timeout=60
            ).status_code

        with ThreadPoolExecutor(4) as pool:
            assert list(pool.map(post, range(12))) == [200] * 12
    output = log.read_text()
    assert output.count("Started server process") == 2, output
    store = open_store(f"sqlite:///{database}")
    try:
        (batch,) = store.list_batches()
        assert batch.rows == 12
    finally:
        store.close()


@contextmanager
def _real_server(options: list[str], env: dict[str, str], log: Path) -> Iterator[str]:
    """`segmentor serve` on a free port with ``options``, its output in ``log``: yields its
    address once it answers, then stops it, which must end it cleanly (exit code 0)."""
    port = _free_port()
    command = [sys.executable, "-m", "segmentor", "serve", "--port", str(port), *options]
    with log.open("wb") as sink:
        server = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base, server)
            yield base
        finally:
            server.terminate()
            code = server.wait(timeout=60)
    assert code == 0, log.read_text()


def _wait_until_up(base: str, server: subprocess.Popen) -> None:
    for _ in range(600):
        if server.poll() is not None:
            raise AssertionError(f"the server exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


def test_a_grouped_batch_keeps_the_market_check_of_its_latest_request(
    client: TestClient, store: Store, prospects: pd.DataFrame
) -> None:
    """The checks run behind the answers (api/checks.py); flushed, the day's batch holds the
    check of its latest request of 20 rows or more, and a shorter request leaves it be."""
    from segmentor.io.checks import checked_batches

    for rows in (prospects.head(25), prospects.iloc[100:130], prospects.iloc[200:205]):
        answer = client.post("/predict", json=records(rows), headers=GOOD)
        assert answer.status_code == 200, answer.text
    client.app.state.market_checks.flush()
    (batch,) = [b for b in checked_batches(store) if b.batch.id == answer.json()["batch_id"]]
    assert batch.batch.rows == 60
    assert batch.check is not None
    assert batch.check["compared"] + batch.check["known_excluded"] == 30


def test_a_market_check_waits_for_a_quiet_spell_then_runs(
    trained_model: TrainedModel, store: Store, prospects: pd.DataFrame
) -> None:
    """api/checks.py: a batch's check waits while requests keep coming (here: a quiet spell
    of a minute), runs at once on flush, and runs anyway after the longest delay."""
    from segmentor.analysis.drift import existing_or_none
    from segmentor.api.checks import LatestChecks
    from segmentor.io.checks import checked_batches

    def check_of(batch_id: int) -> dict[str, object] | None:
        (batch,) = [b for b in checked_batches(store) if b.batch.id == batch_id]
        return batch.check

    rows = prospects.iloc[300:330].reset_index(drop=True)
    scored = score_frame(rows, trained_model, source="request").frame
    batch_id = store.append_to_group("quiet", scored, "API", "api", trained_model.version)
    existing = existing_or_none(trained_model)
    waiting = LatestChecks(store, trained_model, existing, quiet=60.0, max_delay=60.0)
    waiting.submit(batch_id, rows.to_dict("records"), "request")
    time.sleep(3.0)  # a check of 30 rows takes about a second once it runs
    assert check_of(batch_id) is None  # still waiting for the batch to go quiet
    waiting.flush()
    assert check_of(batch_id) is not None
    waiting.close()

    late = store.append_to_group("late", scored, "API", "api", trained_model.version)
    bounded = LatestChecks(store, trained_model, existing, quiet=60.0, max_delay=0.2)
    bounded.submit(late, rows.to_dict("records"), "request")
    for _ in range(300):  # the check needs about a second once due
        if check_of(late) is not None:
            break
        time.sleep(0.1)
    assert check_of(late) is not None
    bounded.close()
