"""Faults: a killed run, a full disk, an unusable database, a corrupt model or embedding cache.

Each must end in a clear one-line error (exit code 2) or a rebuild, never in a half-written
output file or a half-stored batch.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from foundation.atomic import temporary_prefix
from segmentor.cli import app as cli_app
from segmentor.errors import SegmentorError
from segmentor.io.writers import safe_child
from segmentor.ml import integrity
from segmentor.paths import BUNDLED_PROSPECTS

OLD_OUTPUT = b"ID,Segmentation\r\nold,A\r\n"


def _predict(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli_app, ["predict", *args], env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout + result.stderr


def _one_line_error(code: int, output: str, fragment: str) -> None:
    assert code == 2, output
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if line.startswith("segmentor: error: ")]
    assert len(errors) == 1, output
    assert fragment in errors[0], errors[0]


@pytest.fixture(scope="module")
def big_prospects(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 260,000 prospects (the bundled ones, repeated with fresh IDs): several chunks."""
    lines = BUNDLED_PROSPECTS.read_text().splitlines()
    header, rows = lines[0], lines[1:]
    path = tmp_path_factory.mktemp("big") / "big.csv"
    with path.open("w") as handle:
        handle.write(header + "\n")
        for copy in range(100):
            for number, row in enumerate(rows):
                handle.write(f"{copy}-{number}{row[row.index(',') :]}\n")
    return path


def _start(args: list[str], env: dict[str, str], stderr: int) -> subprocess.Popen[bytes]:
    # A SIGINT ignored by whoever started pytest would be inherited and make Ctrl-C a no-op;
    # a handled one is reset to the default at exec, so the child gets its KeyboardInterrupt.
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "segmentor", "predict", *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    finally:
        signal.signal(signal.SIGINT, inherited)


def _holds_data(path: Path) -> bool:
    """A temporary file with some bytes, or a temporary parts folder with some part."""
    try:
        return any(path.iterdir()) if path.is_dir() else path.stat().st_size > 0
    except FileNotFoundError:  # renamed or removed meanwhile
        return False


def _wait_until_writing(process: subprocess.Popen[bytes], folder: Path, name: str) -> Path:
    """The temporary output of the process, as soon as it holds some data."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and process.poll() is None:
        partial = [p for p in folder.glob(f".{name}.*.tmp") if _holds_data(p)]
        if partial:
            return partial[0]
        time.sleep(0.05)
    process.kill()
    pytest.fail(f"the run ended or stalled before writing (exit {process.poll()})")


def _stored_batches(database: Path) -> list[object]:
    from segmentor.io.store import open_store

    store = open_store(f"sqlite:///{database}")
    try:
        return list(store.list_batches())
    finally:
        store.close()


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_killed_mid_write_leaves_the_old_output_and_no_batch(
    big_prospects: Path, trained_model_dir: Path, tmp_path: Path
) -> None:
    """``predict --save`` SIGKILLed while writing: the old output is intact, no batch stored;
    the next run sweeps the dead run's temporary and writes the whole new output."""
    target = tmp_path / "out.csv"
    target.write_bytes(OLD_OUTPUT)
    database = tmp_path / "batches.db"
    env = {**os.environ, "SEGMENTOR_DB_URL": f"sqlite:///{database}"}
    args = [str(big_prospects), "--model", str(trained_model_dir), "--out", str(target), "--save"]
    process = _start(args, env, stderr=subprocess.DEVNULL)
    stale = _wait_until_writing(process, tmp_path, target.name)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert target.read_bytes() == OLD_OUTPUT
    assert _stored_batches(database) == []
    assert f".{process.pid}." in stale.name and stale.exists()

    code, output = _predict(
        [str(BUNDLED_PROSPECTS), "--model", str(trained_model_dir), "--out", str(target)]
    )
    assert code == 0, output
    assert _temporaries(tmp_path) == []
    written = pd.read_csv(target, dtype=str, keep_default_na=False)
    expected = pd.read_csv(BUNDLED_PROSPECTS, dtype=str, keep_default_na=False)
    assert written["ID"].tolist() == expected["ID"].tolist()


@pytest.mark.parametrize(
    ("signal_number", "code", "how", "suffix"),
    [(signal.SIGTERM, 143, "SIGTERM", ".csv"), (signal.SIGINT, 130, "Ctrl-C", ".parquet")],
    ids=["sigterm-csv", "ctrl-c-parquet"],
)
def test_interrupted_mid_write_cleans_up_and_says_so(
    signal_number: int,
    code: int,
    how: str,
    suffix: str,
    big_prospects: Path,
    trained_model_dir: Path,
    tmp_path: Path,
) -> None:
    """``predict --save`` stopped by SIGTERM or Ctrl-C while writing: one line, the
    conventional exit code, no temporary left, the old output intact, no batch stored."""
    target = tmp_path / f"out{suffix}"
    target.write_bytes(OLD_OUTPUT)
    database = tmp_path / "batches.db"
    env = {**os.environ, "SEGMENTOR_DB_URL": f"sqlite:///{database}"}
    args = [str(big_prospects), "--model", str(trained_model_dir), "--out", str(target), "--save"]
    process = _start(args, env, stderr=subprocess.PIPE)
    _wait_until_writing(process, tmp_path, target.name)
    process.send_signal(signal_number)
    _assert_interrupted(process, code, how)
    assert _temporaries(tmp_path) == []
    assert target.read_bytes() == OLD_OUTPUT
    assert _stored_batches(database) == []


def test_dask_run_stopped_by_sigterm_removes_its_parts_folder(
    big_prospects: Path, trained_model_dir: Path, tmp_path: Path
) -> None:
    """``--engine dask`` stopped while parts are written: the cluster is closed, the
    temporary parts folder removed, no output folder, and one line (no Dask traceback)."""
    out = tmp_path / "parts"
    args = [str(big_prospects), "--model", str(trained_model_dir), "--engine", "dask"]
    process = _start([*args, "--workers", "1", "--out", str(out)], {**os.environ}, subprocess.PIPE)
    _wait_until_writing(process, tmp_path, out.name)
    process.send_signal(signal.SIGTERM)
    _assert_interrupted(process, 143, "SIGTERM")
    assert _temporaries(tmp_path) == []
    assert not out.exists()


def _assert_interrupted(process: subprocess.Popen[bytes], code: int, how: str) -> None:
    _, stderr = process.communicate(timeout=120)
    # Rich ends its (transient) progress display with a blank line when not on a terminal.
    lines = [line for line in stderr.decode().splitlines() if line.strip()]
    assert process.returncode == code, lines
    assert lines == [
        f"segmentor: interrupted ({how}): nothing half-written; "
        "any previous output is untouched or wholly replaced"
    ]


def test_dask_run_sweeps_the_parts_folder_of_a_killed_run(
    trained_model_dir: Path, tmp_path: Path
) -> None:
    from segmentor.engines.dask_engine import score_files

    out = tmp_path / "parts"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    owner = temporary_prefix(out).removesuffix(f".{os.getpid()}.")
    stale = tmp_path / f"{owner}.{dead.pid}.0f3a9c1d.tmp"
    stale.mkdir()
    (stale / "part.0.parquet").write_bytes(b"half a part")
    result = score_files(BUNDLED_PROSPECTS, trained_model_dir, out, workers=1, processes=False)
    assert result.rows == len(pd.read_csv(BUNDLED_PROSPECTS))
    assert _temporaries(tmp_path) == []


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 KiB tmpfs (root only; skipped where mounting is not permitted)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_full_disk_is_a_clear_error_and_leaves_nothing(
    suffix: str, tiny_disk: Path, trained_model_dir: Path
) -> None:
    target = tiny_disk / f"out{suffix}"
    code, output = _predict(
        [str(BUNDLED_PROSPECTS), "--model", str(trained_model_dir), "--out", str(target)]
    )
    _one_line_error(code, output, "cannot write the output")
    assert list(tiny_disk.iterdir()) == []


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://segmentor@127.0.0.1:1/segmentor",
        "sqlite:////proc/segmentor-no-such-dir/batches.db",
    ],
    ids=["closed-port", "unwritable-sqlite"],
)
def test_database_unavailable_is_a_clear_error_and_writes_nothing(
    url: str, trained_model_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.csv"
    code, output = _predict(
        [str(BUNDLED_PROSPECTS), "--model", str(trained_model_dir), "--out", str(target), "--save"],
        env={"SEGMENTOR_DB_URL": url},
    )
    _one_line_error(code, output, "database")
    assert not target.exists()


def test_api_answers_503_when_the_database_goes_away(trained_model, tmp_path: Path) -> None:
    """The database folder removed under a running API: 503 with one line, no 500."""
    api = pytest.importorskip("segmentor.api.app")
    from fastapi.testclient import TestClient

    from segmentor.io.store import open_store

    folder = tmp_path / "db"
    folder.mkdir()
    store = open_store(f"sqlite:///{folder / 'batches.db'}")
    app = api.create_app(trained_model, store, api_keys=("k",))
    shutil.rmtree(folder)
    (tmp_path / "db").write_text("a file where the database folder was")
    with TestClient(app) as client:
        answer = client.post(
            "/predict/file",
            files={"file": ("p.csv", BUNDLED_PROSPECTS.read_bytes())},
            headers={"X-API-Key": "k"},
        )
    assert answer.status_code == 503, answer.text
    assert "database" in answer.json()["detail"]
    store.close()


# --- corrupt model directories -----------------------------------------------------------


def _rehash(model: Path) -> None:
    """Rewrite the card's file hashes: an attacker who edits the files and the card too, so
    that the checks behind the hashes are reached."""
    card = json.loads((model / "model_card.json").read_text())
    card["files"] = integrity.directory_hashes(model, ("model.skops", "known_customers.csv"))
    (model / "model_card.json").write_text(json.dumps(card))


def _garbage(model: Path) -> None:
    (model / "model.skops").write_bytes(os.urandom(4096))
    _rehash(model)


def _truncated(model: Path) -> None:
    data = (model / "model.skops").read_bytes()
    (model / "model.skops").write_bytes(data[: len(data) // 2])
    _rehash(model)


def _untrusted_type(model: Path) -> None:
    import skops.io as sio

    sio.dump(argparse.Namespace(payload="x"), model / "model.skops")
    _rehash(model)


def _empty(model: Path) -> None:
    (model / "model.skops").write_bytes(b"")
    _rehash(model)


def _bad_card(model: Path) -> None:
    (model / "model_card.json").write_text("{not json")


def _bad_known(model: Path) -> None:
    (model / "known_customers.csv").write_bytes(b"\x00\x01 not a csv")
    _rehash(model)


def _injected_known(model: Path) -> None:
    """A row appended to known_customers.csv (the card is left alone)."""
    with (model / "known_customers.csv").open("a") as handle:
        handle.write("999999,Male,Yes,40,Yes,Artist,1.0,Low,2.0,Cat_6,A\r\n")


def _swapped(model: Path) -> None:
    (model / "model.skops").write_bytes(os.urandom(4096))


def _card_field(name: str, value: object) -> Callable[[Path], None]:
    def change(model: Path) -> None:
        card = json.loads((model / "model_card.json").read_text())
        card[name] = value
        (model / "model_card.json").write_text(json.dumps(card))

    return change


def _other_version(model: Path) -> None:
    card = json.loads((model / "model_card.json").read_text())
    card["versions"]["segmentor"] = "0.0.1"
    (model / "model_card.json").write_text(json.dumps(card))


def _truncated_lightgbm_text(model: Path) -> None:
    """The LightGBM text inside model.skops cut in half, the skops file otherwise valid:
    LightGBM itself would read out of bounds (a segfault) parsing it."""
    import zipfile

    source = model / "model.skops"
    with zipfile.ZipFile(source) as archive:
        members = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    schema = members["schema.json"].decode()
    start = schema.index("tree\\\\nversion=v4")
    members["schema.json"] = _valid_cut(schema, start).encode()
    with zipfile.ZipFile(source, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    _rehash(model)


def _valid_cut(schema: str, start: int) -> str:
    """The schema with the (doubly JSON-encoded) LightGBM text cut in the middle of its trees,
    still valid JSON: the cut falls on no escape sequence, and the inner string's closing
    quote is kept."""
    end = schema.index('\\"', start)  # the inner string's closing quote, \"
    text = schema[start:end]
    middle = text.index("end of trees") // 2
    return schema[:start] + text[:middle].rstrip("\\") + schema[end:]


CORRUPTIONS = {
    "garbage-model": (_garbage, "model"),
    "truncated-model": (_truncated, "model"),
    "untrusted-type": (_untrusted_type, "untrusted"),
    "empty-model": (_empty, "model"),
    "bad-card": (_bad_card, "model card"),
    "bad-known-customers": (_bad_known, "known-customer file"),
    "known-customers-injected": (_injected_known, "known_customers.csv changed"),
    "model-file-swapped": (_swapped, "model.skops changed since the model was saved"),
    "card-created-a-number": (_card_field("created", 1733212800), "'created' must be a date"),
    "card-data-sha256-null": (_card_field("data_sha256", None), "'data_sha256' must be"),
    "card-without-file-hashes": (_card_field("files", None), "'files'"),
    "card-of-another-version": (_other_version, "trained by segmentor 0.0.1"),
    "truncated-lightgbm-text": (_truncated_lightgbm_text, "LightGBM tree"),
}


@pytest.mark.parametrize("name", sorted(CORRUPTIONS))
def test_corrupt_model_directory_is_refused_clearly(
    name: str, trained_model_dir: Path, tmp_path: Path
) -> None:
    model = tmp_path / "model"
    shutil.copytree(trained_model_dir, model)
    corrupt, fragment = CORRUPTIONS[name]
    corrupt(model)
    target = tmp_path / "out.csv"
    code, output = _predict([str(BUNDLED_PROSPECTS), "--model", str(model), "--out", str(target)])
    _one_line_error(code, output, fragment)
    assert not target.exists()


# --- sereadipity's embedding cache ---------------------------------------------------------


@pytest.mark.parametrize("damage", ["garbage", "truncated", "wrong-shape", "nan"])
def test_corrupt_embedding_cache_is_rebuilt(damage: str, tmp_path: Path) -> None:
    from sereadipity.embeddings import cached_embeddings

    texts = ["A whale hunt on the high seas.", "A governess in a haunted house."]
    first = cached_embeddings(texts, tmp_path, progress=False)
    [cache] = tmp_path.glob("*.npy")
    if damage == "garbage":
        cache.write_bytes(os.urandom(512))
    elif damage == "truncated":
        cache.write_bytes(cache.read_bytes()[:100])
    elif damage == "wrong-shape":
        np.save(cache, np.ones((3, 2), dtype=np.float32))
    else:
        np.save(cache, np.full_like(first, np.nan))
    again = cached_embeddings(texts, tmp_path, progress=False)
    np.testing.assert_allclose(again, first, atol=1e-6)
    np.testing.assert_allclose(np.load(cache, allow_pickle=False), first, atol=1e-6)


# --- output names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["../escape.csv", "/etc/passwd", "sub/dir.csv", "..", ".", "", "a/../../b.csv"]
)
def test_output_names_cannot_leave_the_folder(name: str, tmp_path: Path) -> None:
    with pytest.raises(SegmentorError, match="would leave the output folder"):
        safe_child(tmp_path, name)


def test_plain_output_names_stay_in_the_folder(tmp_path: Path) -> None:
    assert safe_child(tmp_path, "segment_A.csv") == (tmp_path / "segment_A.csv").resolve()
    assert safe_child(tmp_path, "..hidden.csv").parent == tmp_path.resolve()


def test_api_download_name_cannot_carry_a_path(trained_model, tmp_path: Path) -> None:
    api = pytest.importorskip("segmentor.api.app")
    from fastapi.testclient import TestClient

    from segmentor.io.store import open_store

    app = api.create_app(
        trained_model, open_store(f"sqlite:///{tmp_path / 'b.db'}"), api_keys=("k",)
    )
    with TestClient(app) as client:
        answer = client.post(
            "/predict/file",
            files={"file": ("../../etc/cron.d/evil\r\nX: y.csv", BUNDLED_PROSPECTS.read_bytes())},
            headers={"X-API-Key": "k"},
        )
    assert answer.status_code == 200, answer.text
    disposition = answer.headers["content-disposition"]
    filename = disposition.split('filename="', 1)[1].rstrip('"')
    assert "/" not in filename and "\\" not in filename and "\r" not in filename
    assert "x" not in {k.lower() for k in answer.headers}
