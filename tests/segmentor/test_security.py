"""Security checks: no unpickling, upload limits, API keys (never logged, compared in constant
time, required unless --no-auth on loopback)."""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from segmentor.cli import app as cli_app
from segmentor.paths import BUNDLED_PROSPECTS

SOURCES = Path(__file__).resolve().parents[2] / "src"
KEY = "s3cret-key-never-in-logs"
# Calls that run code from the bytes they load.
UNSAFE_CALLS = {
    ("pickle", "load"),
    ("pickle", "loads"),
    ("cPickle", "load"),
    ("joblib", "load"),
    ("dill", "load"),
    ("cloudpickle", "load"),
    ("cloudpickle", "loads"),
    ("marshal", "loads"),
    ("yaml", "load"),
    ("yaml", "unsafe_load"),
    ("pd", "read_pickle"),
    ("pandas", "read_pickle"),
    ("shelve", "open"),
}


def _calls(tree: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def _name(call: ast.Call) -> tuple[str, str] | None:
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.value.id, func.attr
    return None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _unsafe(call: ast.Call) -> str | None:
    name = _name(call)
    if name in UNSAFE_CALLS:
        return ".".join(name)
    if name == ("torch", "load"):
        weights_only = _keyword(call, "weights_only")
        if not (isinstance(weights_only, ast.Constant) and weights_only.value is True):
            return "torch.load without weights_only=True"
    if name is not None and name[1] == "load" and name[0] in ("np", "numpy"):
        allow = _keyword(call, "allow_pickle")
        if isinstance(allow, ast.Constant) and allow.value is True:
            return "numpy.load(allow_pickle=True)"
    if name is not None and name[1] == "load" and name[0] in ("sio", "skops"):
        trusted = _keyword(call, "trusted")
        if isinstance(trusted, ast.Constant) and trusted.value is True:
            return "skops load(trusted=True)"
    if isinstance(call.func, ast.Name) and call.func.id in ("eval", "exec"):
        return call.func.id
    return None


def test_no_code_running_loader_anywhere_in_src() -> None:
    """Every Python file under src/ parsed: no pickle/joblib/torch.load(no weights_only)/..."""
    files = sorted(SOURCES.rglob("*.py"))
    assert len(files) > 30
    found = []
    for path in files:
        for call in _calls(ast.parse(path.read_text(), str(path))):
            problem = _unsafe(call)
            if problem:
                found.append(f"{path.relative_to(SOURCES)}:{call.lineno}: {problem}")
        if "import pickle" in path.read_text() or "from pickle" in path.read_text():
            found.append(f"{path.relative_to(SOURCES)}: imports pickle")
    assert found == []


def test_the_checker_catches_what_it_looks_for() -> None:
    samples = [
        "pickle.load(f)",
        "joblib.load(p)",
        "torch.load(p)",
        "torch.load(p, weights_only=False)",
        "np.load(p, allow_pickle=True)",
        "sio.load(p, trusted=True)",
        "pd.read_pickle(p)",
    ]
    for sample in samples:
        assert _unsafe(_calls(ast.parse(sample))[0]), sample
    assert _unsafe(_calls(ast.parse("torch.load(p, weights_only=True)"))[0]) is None


def test_the_app_limits_upload_size_and_types(segmentor_home: Path) -> None:
    from app_driver import start_app

    from segmentor.cli.webapp import MAX_UPLOAD_MB, streamlit_command
    from segmentor.io.readers import SUPPORTED

    command = streamlit_command(8501)
    limit = int(command[command.index("--server.maxUploadSize") + 1])
    assert limit == MAX_UPLOAD_MB <= 200
    for lang in ("en", "fr"):  # the French uploader is Streamlit's own, with its limits
        uploader = start_app(lang=lang).file_uploader(key="upload")
        assert sorted(uploader.proto.type) == sorted(SUPPORTED)


# --- the API -------------------------------------------------------------------------------


@pytest.fixture
def client(trained_model, tmp_path: Path):
    api = pytest.importorskip("segmentor.api.app")
    from fastapi.testclient import TestClient

    from segmentor.io.store import open_store

    app = api.create_app(
        trained_model,
        open_store(f"sqlite:///{tmp_path / 'b.db'}"),
        api_keys=(KEY, "another-key"),
        max_body_bytes=200_000,
    )
    with TestClient(app) as test_client:
        yield test_client


def test_api_body_over_the_limit_is_413(client) -> None:
    data = BUNDLED_PROSPECTS.read_bytes() * 2
    assert len(data) > 200_000
    answer = client.post(
        "/predict/file", files={"file": ("p.csv", data)}, headers={"X-API-Key": KEY}
    )
    assert answer.status_code == 413
    assert "over the limit" in answer.json()["detail"]


def test_api_refuses_an_unsupported_upload_type(client) -> None:
    answer = client.post(
        "/predict/file", files={"file": ("tool.exe", b"MZ\x90\x00")}, headers={"X-API-Key": KEY}
    )
    assert answer.status_code == 422
    assert "unsupported file type" in answer.json()["detail"]


def test_api_keys_are_required_and_never_logged(client, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    for headers in ({}, {"X-API-Key": KEY[:-1]}, {"X-API-Key": KEY + "x"}):
        answer = client.get("/model", headers=headers)
        assert answer.status_code == 401
        assert KEY not in answer.text
    assert client.get("/model", headers={"X-API-Key": KEY}).status_code == 200
    assert client.get("/health").status_code == 200
    assert KEY not in caplog.text
    assert KEY[:-1] not in caplog.text


def test_api_keys_are_compared_in_constant_time(monkeypatch) -> None:
    """Every configured key is compared with hmac.compare_digest, whatever matches first."""
    api_deps = pytest.importorskip("segmentor.api.deps")
    compared = []
    real = api_deps.hmac.compare_digest

    def spy(a, b):  # noqa: ANN001, ANN202
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(api_deps.hmac, "compare_digest", spy)
    check = api_deps.ApiKeyCheck(["first", "second", "third"])
    assert check.accepts("first")
    assert len(compared) == 3
    assert not check.accepts("nope")
    assert len(compared) == 6


@pytest.mark.parametrize(
    ("args", "env", "fragment"),
    [
        ([], {"SEGMENTOR_API_KEYS": ""}, "no API key is configured"),
        (["--no-auth", "--host", "0.0.0.0"], {}, "only allowed on a loopback address"),
        (["--no-auth", "--host", "192.168.1.10"], {}, "only allowed on a loopback address"),
    ],
)
def test_server_refuses_to_start_without_keys_except_no_auth_on_loopback(
    args: list[str], env: dict[str, str], fragment: str, tmp_path: Path
) -> None:
    pytest.importorskip("segmentor.cli.serve")
    environment = {"SEGMENTOR_API_KEYS": "", "SEGMENTOR_HOME": str(tmp_path), **env}
    environment.pop("SEGMENTOR_API_KEYS_FILE", None)
    result = CliRunner().invoke(cli_app, ["serve", *args], env=environment)
    assert result.exit_code == 2, result.output
    assert fragment in result.stderr
    assert "Traceback" not in result.output


def test_no_auth_is_accepted_on_loopback_addresses() -> None:
    serve = pytest.importorskip("segmentor.cli.serve")
    for host in ("127.0.0.1", "::1", "localhost", "127.5.5.5"):
        serve.check_host(host, no_auth=True)


# --- the environment, keys files, ids and outputs (issue 13) -------------------------------


@pytest.mark.parametrize(
    ("variable", "value", "fragment"),
    [
        ("SEGMENTOR_LANG", "de", "SEGMENTOR_LANG='de' is not valid"),
        ("SEGMENTOR_MAX_BODY_BYTES", "10MB", "SEGMENTOR_MAX_BODY_BYTES='10MB' is not valid"),
        ("SEGMENTOR_MAX_ROWS", "-1", "SEGMENTOR_MAX_ROWS='-1' is not valid"),
    ],
)
def test_bad_environment_is_one_line_with_the_fix(
    variable: str, value: str, fragment: str, tmp_path: Path
) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, variable: value, "SEGMENTOR_HOME": str(tmp_path)}
    for command in (["history"], ["serve", "--no-auth"]):
        completed = subprocess.run(
            [sys.executable, "-m", "segmentor", *command],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert completed.returncode == 2, completed.stderr
        lines = completed.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in completed.stderr
        assert fragment in lines[0] and "Fix: " in lines[0]


def test_keys_file_saved_with_a_bom_keeps_its_first_key(tmp_path: Path) -> None:
    from segmentor.cli.serve import read_keys_file

    path = tmp_path / "keys.txt"
    path.write_bytes("first-key-0123456789\r\nsecond-key-0123456789\r\n".encode("utf-8-sig"))
    assert read_keys_file(path) == ["first-key-0123456789", "second-key-0123456789"]


@pytest.mark.parametrize("batch", ["99999999999999999999", "9223372036854775808", "0"])
def test_history_export_of_an_impossible_batch_is_one_line(batch: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from segmentor.cli import app as cli_app

    out = tmp_path / "x.csv"
    result = CliRunner().invoke(cli_app, ["history", "export", batch, "--out", str(out)])
    assert not isinstance(result.exception, OverflowError)
    assert result.exit_code == 2, result.output
    assert f"there is no batch {batch}" in result.stderr


def test_output_equal_to_the_input_is_refused_by_the_cli(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from segmentor.cli import app as cli_app

    source = tmp_path / "prospects.csv"
    source.write_text("ID,Gender\n1,Male\n")
    before = source.read_bytes()
    result = CliRunner().invoke(cli_app, ["predict", str(source), "--out", str(source)])
    assert result.exit_code == 2
    assert "the output is the input file" in result.stderr
    assert source.read_bytes() == before


def test_mapping_files_are_read_with_safe_load_only() -> None:
    source = (SOURCES / "segmentor" / "io" / "profiles.py").read_text()
    assert "yaml.safe_load" in source and "yaml.load(" not in source
