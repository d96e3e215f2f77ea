"""Throughput of segment scoring: the CLI end to end, the bare model, the API, the Dask engine.

    .venv/bin/python benchmarks/throughput.py                 # 1,000,000 prospects
    .venv/bin/python benchmarks/throughput.py --rows 50000    # a quick run
    .venv/bin/python benchmarks/throughput.py --stream-gb 2   # plus a ~2 GB CSV, peak memory
    .venv/bin/python benchmarks/throughput.py --skip-reference  # without the slow "before"
    .venv/bin/python benchmarks/throughput.py --before-model DIR  # beside a version 0.2 model

Synthetic prospects are drawn from the bundled train.csv: whole rows are sampled, then each
cell is resampled from its column with probability 0.3 and ages are jittered by up to 3 years;
IDs are new and unique (no prospect is a known customer, so every row goes to the model).
Peak memory is the peak resident set size of the `segmentor predict` process tree, polled
every 20 ms. Every ratio is against the reference measured in the same run: the hand-written
script (read the CSV, one LightGBM booster's predict_proba, write the CSV) for whole
processes, and the reference scoring path (the libraries' own predictors,
``trained.load(engine="reference")``, i.e. the code before issue 10) for the model.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import psutil

from segmentor.domain.schema import FEATURES, parse_customers
from segmentor.engines.local import score_file
from segmentor.io.readers import read_table
from segmentor.ml import trained
from segmentor.paths import BUNDLED_TRAIN

SEGMENTOR = str(Path(sys.executable).with_name("segmentor"))
WRITE_BLOCK = 500_000


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float


def main() -> None:
    args = _arguments()
    work = Path(tempfile.mkdtemp(prefix="segmentor-bench-", dir=args.work_dir))
    try:
        model_dir = args.model or _train(work)
        rows: list[tuple[str, str, str, str]] = []
        prospects = work / "prospects.csv"
        write_prospects(prospects, args.rows, seed=0)
        rows += end_to_end_rows(
            prospects, model_dir, args.rows, work, args.skip_reference, args.before_model
        )
        if args.stream_gb:
            rows += streaming_rows(work, model_dir, args.stream_gb)
        if not args.skip_api:
            rows += api_rows(model_dir, prospects, work, args.api_requests)
        if not args.skip_dask:
            rows += dask_rows(prospects, model_dir, work, args.dask_files)
        _print_table(rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="synthetic prospects")
    parser.add_argument("--model", type=Path, help="model directory (default: train one)")
    parser.add_argument("--stream-gb", type=float, default=0.0, help="also score a CSV this big")
    parser.add_argument("--api-requests", type=int, default=300, help="single-customer requests")
    parser.add_argument("--dask-files", type=int, default=4, help="Parquet files for Dask")
    parser.add_argument("--skip-api", action="store_true")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--skip-reference", action="store_true", help="no reference-path runs")
    parser.add_argument("--work-dir", type=Path, help="where the temporary files go")
    parser.add_argument(
        "--before-model",
        type=Path,
        help="a model of the shape the issue measured (version 0.2: 3 x 400-round boosters): "
        "the hand-written script also runs with its first booster, and its bare model on the "
        "reference path is the 'before' of the bare-model ratio",
    )
    return parser.parse_args()


def _train(work: Path) -> Path:
    directory = work / "model"
    table = trained.load_training_table(BUNDLED_TRAIN)
    fitted = trained.train(table, data_sha256=trained.file_sha256(BUNDLED_TRAIN))
    trained.save(fitted, directory)
    return directory


# ---------------------------------------------------------------- synthetic prospects
def synthetic_prospects(n_rows: int, seed: int, first_id: int = 10_000_000) -> pd.DataFrame:
    """``n_rows`` prospects drawn from train.csv's distribution, as raw text cells."""
    rng = np.random.default_rng(seed)
    source = read_table(BUNDLED_TRAIN).loc[:, list(FEATURES)]
    frame = source.iloc[rng.integers(0, len(source), n_rows)].reset_index(drop=True)
    for column in FEATURES:
        resample = rng.random(n_rows) < 0.3
        values = source[column].to_numpy()[rng.integers(0, len(source), int(resample.sum()))]
        column_values = frame[column].to_numpy(dtype=object, copy=True)
        column_values[resample] = values
        frame[column] = column_values
    age = pd.to_numeric(frame["Age"], errors="coerce")
    jittered = (age + rng.integers(-3, 4, n_rows)).clip(18, 89)
    frame["Age"] = jittered.map(lambda v: "" if pd.isna(v) else str(int(v)))
    frame.insert(0, "ID", np.arange(first_id, first_id + n_rows).astype(str))
    return frame


def write_prospects(path: Path, n_rows: int, seed: int) -> None:
    """Write ``n_rows`` synthetic prospects as CSV, block by block.

    Past the first two blocks, the blocks' attributes are reused with new IDs: still draws
    from the same distribution, and a multi-GB file is written in a minute.
    """
    blocks: list[pd.DataFrame] = []
    with path.open("w", encoding="utf-8", newline="") as handle:
        for block, start in enumerate(range(0, n_rows, WRITE_BLOCK)):
            size = min(WRITE_BLOCK, n_rows - start)
            if block < 2:
                blocks.append(synthetic_prospects(WRITE_BLOCK, seed + block))
            frame = blocks[block % len(blocks)].iloc[:size].copy()
            frame["ID"] = np.arange(10_000_000 + start, 10_000_000 + start + size).astype(str)
            frame.to_csv(handle, index=False, header=block == 0)


# ---------------------------------------------------------------- end to end vs bare model
def run_measured(command: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``command``; wall time and peak RSS of its process tree (polled every 20 ms)."""
    started = time.perf_counter()
    process = psutil.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
        except psutil.NoSuchProcess:
            pass
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()}")
    return Run(seconds, peak / 2**20)


# The "hand-written script" of issue 10: read the CSV, one booster's predict_proba, write.
HAND_WRITTEN = """
import sys, lightgbm as lgb, numpy as np, pandas as pd
from segmentor.ml import trained
from segmentor.ml.features import coerce_features, engineer_features, lightgbm_matrix
source, model_dir, target = sys.argv[1:]
booster = trained.load(__import__("pathlib").Path(model_dir), engine="reference")
booster = booster.estimator._members()[0].boosters[0]
raw = pd.read_csv(source, dtype=str, keep_default_na=False)
matrix = lightgbm_matrix(engineer_features(coerce_features(raw.replace("", np.nan))))
probabilities = booster.predict(matrix)
out = pd.DataFrame(probabilities, columns=list("ABCD"))
out.insert(0, "ID", raw["ID"])
out.to_csv(target, index=False)
"""
# The whole `segmentor predict` pipeline (local engine), on a chosen scoring path.
PIPELINE = """
import sys
from pathlib import Path
from segmentor.engines.local import score_file
from segmentor.ml import trained
source, model_dir, target, engine = sys.argv[1:]
score_file(Path(source), trained.load(Path(model_dir), engine=engine), Path(target))
"""


def end_to_end_rows(
    prospects: Path,
    model_dir: Path,
    n_rows: int,
    work: Path,
    skip_reference: bool = False,
    before_model: Path | None = None,
) -> list[tuple[str, str, str, str]]:
    out = work / "prospects.segments.csv"
    python = sys.executable
    # The reference: one booster of the model it measured; else the scored model's.
    script = run_measured(
        [
            python,
            "-c",
            HAND_WRITTEN,
            str(prospects),
            str(before_model or model_dir),
            str(work / "hand.csv"),
        ]
    )
    run = run_measured(
        [SEGMENTOR, "predict", str(prospects), "--model", str(model_dir), "--out", str(out)]
    )
    startup = run_measured([SEGMENTOR, "--help"]).seconds
    size_mb = prospects.stat().st_size / 2**20
    booster = "400-round booster of version 0.2" if before_model else "booster of this model"
    rows = [
        (
            f"hand-written read / 1 LightGBM {booster} / write",
            _rate(n_rows, script.seconds),
            f"{script.seconds:.1f} s, peak {script.peak_rss_mb:,.0f} MB RSS",
            "reference (whole processes)",
        ),
        (
            f"segmentor predict ({size_mb:,.0f} MB CSV -> CSV), compiled",
            _rate(n_rows, run.seconds),
            f"{run.seconds:.1f} s, peak {run.peak_rss_mb:,.0f} MB RSS",
            f"{script.seconds / run.seconds:.2f} x hand-written (goal >= 1)",
        ),
        ("  of which process start + imports", "", f"{startup:.1f} s", ""),
    ]
    if not skip_reference:
        before = run_measured(
            [python, "-c", PIPELINE, str(prospects), str(model_dir), str(out), "reference"]
        )
        rows.append(
            (
                "same pipeline, reference scoring path (before)",
                _rate(n_rows, before.seconds),
                f"{before.seconds:.1f} s, peak {before.peak_rss_mb:,.0f} MB RSS",
                f"{script.seconds / before.seconds:.2f} x hand-written",
            )
        )
    if before_model is not None:
        own = run_measured(
            [python, "-c", HAND_WRITTEN, str(prospects), str(model_dir), str(work / "hand.csv")]
        )
        rows.append(
            (
                "hand-written read / 1 LightGBM booster of this model / write",
                _rate(n_rows, own.seconds),
                f"{own.seconds:.1f} s, peak {own.peak_rss_mb:,.0f} MB RSS",
                f"segmentor predict: {own.seconds / run.seconds:.2f} x this",
            )
        )
    rows += bare_model_rows(prospects, model_dir, n_rows, skip_reference, before_model)
    return rows


BEFORE_ROWS = 50_000


def bare_model_rows(
    prospects: Path,
    model_dir: Path,
    n_rows: int,
    skip_reference: bool,
    before_model: Path | None = None,
) -> list[tuple[str, str, str, str]]:
    """predict_proba_prepared on all rows (prepare and parsing untimed), both paths; and the
    version 0.2 model on its reference path (the issue's "current"), on the first rows."""
    features = parse_customers(read_table(prospects)).features
    rows, seconds = [], {}
    if before_model is not None:
        few = features.head(BEFORE_ROWS)
        model = trained.load(before_model, engine="reference")
        prepared = model.estimator.prepare(few)
        started = time.perf_counter()
        model.estimator.predict_proba_prepared(prepared)
        before_rate = len(few) / (time.perf_counter() - started)
        rows.append(
            (
                f"bare model before (version 0.2, reference path, {len(few):,} rows)",
                f"{before_rate:,.0f} rows/s",
                f"{n_rows / before_rate:.1f} s for {n_rows:,} rows",
                "the issue's 'current'",
            )
        )
    for engine in ("compiled",) if skip_reference else ("reference", "compiled"):
        model = trained.load(model_dir, engine=engine)
        prepared = model.estimator.prepare(features)
        started = time.perf_counter()
        model.estimator.predict_proba_prepared(prepared)
        seconds[engine] = time.perf_counter() - started
    for engine, value in seconds.items():
        ratio = (
            f"{seconds['reference'] / value:.1f} x reference (goal >= 20)"
            if "reference" in seconds and engine == "compiled"
            else ""
        )
        if before_model is not None and engine == "compiled":
            ratio = f"{n_rows / value / before_rate:.1f} x before (goal >= 20)"
        rows.append((f"bare model, {engine} path", _rate(n_rows, value), f"{value:.1f} s", ratio))
    return rows


def _rate(n_rows: int, seconds: float) -> str:
    return f"{n_rows / seconds:,.0f} rows/s"


def streaming_rows(work: Path, model_dir: Path, gigabytes: float) -> list[tuple[str, ...]]:
    big = work / "big.csv"
    n_rows = int(gigabytes * 2**30 / 53)  # a synthetic row is about 53 bytes
    write_prospects(big, n_rows, seed=1)
    size_gb = big.stat().st_size / 2**30
    out = work / "big.segments.csv"
    run = run_measured(
        [SEGMENTOR, "predict", str(big), "--model", str(model_dir), "--out", str(out)]
    )
    big.unlink()
    out.unlink()
    return [
        (
            f"segmentor predict, {size_gb:.2f} GB CSV ({n_rows:,} rows)",
            f"{n_rows / run.seconds:,.0f} rows/s",
            f"{run.seconds:.0f} s, peak {run.peak_rss_mb:,.0f} MB RSS",
            f"peak RSS = {run.peak_rss_mb / (size_gb * 1024):.1%} of the file",
        ),
    ]


# ---------------------------------------------------------------- API on loopback
def api_rows(
    model_dir: Path,
    prospects: Path,
    work: Path,
    n_requests: int,
    segmentor: Sequence[str] = (SEGMENTOR,),
    env: dict[str, str] | None = None,
    serve_options: Sequence[str] = (),
) -> list[tuple[str, ...]]:
    """One-customer latencies and 4-client throughput of ``segmentor serve`` (``segmentor``:
    the command that runs it, ``env`` its environment: another source tree's, say;
    ``serve_options``: more options of `serve`, such as ``--workers 2``)."""
    port = _free_port()
    key = os.urandom(16).hex()
    home = work / f"home-{port}"
    env = {**(env or os.environ), "SEGMENTOR_API_KEYS": key, "SEGMENTOR_HOME": str(home)}
    serve = ["serve", "--host", "127.0.0.1", "--port", str(port), "--model", str(model_dir)]
    serve += serve_options
    server = subprocess.Popen(
        [*segmentor, *serve],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, server)
        records = _records(prospects, 4000)
        headers = {"X-API-Key": key}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            latencies = [
                _seconds(lambda i=index: client.post("/predict", json=[records[i % len(records)]]))
                for index in range(n_requests)
            ]
            floor = [_seconds(lambda: client.get("/health")) for _ in range(n_requests)]
        batch_seconds, n_batches = _concurrent_batches(base, headers, records)
    finally:
        server.terminate()
        server.wait(timeout=30)
    p50, p99 = np.percentile(np.array(latencies) * 1000, [50, 99])
    floor50, floor99 = np.percentile(np.array(floor) * 1000, [50, 99])
    return [
        (
            f"API POST /predict, 1 customer ({n_requests} sequential)",
            f"p50 {p50:.1f} ms",
            f"p99 {p99:.1f} ms",
            "loopback",
        ),
        (
            f"API GET /health ({n_requests} sequential: HTTP, server and client alone)",
            f"p50 {floor50:.1f} ms",
            f"p99 {floor99:.1f} ms",
            "loopback",
        ),
        (
            f"API POST /predict, 1000 rows x {n_batches} (4 clients)",
            f"{n_batches * 1000 / batch_seconds:,.0f} rows/s",
            f"{batch_seconds:.1f} s",
            "",
        ),
    ]


def _seconds(request: Callable[[], httpx.Response]) -> float:
    started = time.perf_counter()
    request().raise_for_status()
    return time.perf_counter() - started


def _concurrent_batches(base: str, headers: dict[str, str], records: list[dict]) -> tuple:
    batches = [records[i : i + 1000] for i in range(0, len(records), 1000)] * 5

    def send(batch: list[dict]) -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
            client.post("/predict", json=batch).raise_for_status()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(send, batches))
    return time.perf_counter() - started, len(batches)


def _records(prospects: Path, n_rows: int) -> list[dict]:
    frame = pd.read_csv(prospects, nrows=n_rows, dtype=str, keep_default_na=False)
    return frame.to_dict("records")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(base: str, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("segmentor serve exited before answering")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("segmentor serve did not answer /health in time")


# ---------------------------------------------------------------- Dask vs local
def dask_rows(prospects: Path, model_dir: Path, work: Path, n_files: int) -> list[tuple[str, ...]]:
    from segmentor.engines.dask_engine import score_files

    folder = work / "parquet"
    folder.mkdir()
    frame = read_table(prospects)
    for index, part in enumerate(np.array_split(np.arange(len(frame)), n_files)):
        frame.iloc[part].to_parquet(
            folder / f"part{index}.parquet", index=False, row_group_size=50_000
        )
    model = trained.load(model_dir)
    started = time.perf_counter()
    for path in sorted(folder.glob("*.parquet")):
        score_file(path, model, work / "local" / f"{path.stem}.parquet")
    local = time.perf_counter() - started
    started = time.perf_counter()
    score_files(folder, model_dir, work / "dask", workers=2)
    dask_seconds = time.perf_counter() - started
    rows = len(frame)
    return [
        (
            f"local engine, {n_files} Parquet files",
            f"{rows / local:,.0f} rows/s",
            f"{local:.1f} s",
            "reference",
        ),
        (
            "Dask engine, LocalCluster of 2 worker processes",
            f"{rows / dask_seconds:,.0f} rows/s",
            f"{dask_seconds:.1f} s (incl. cluster start)",
            f"{local / dask_seconds:.2f} x local",
        ),
    ]


def _print_table(rows: list[tuple[str, ...]]) -> None:
    header = ("Measure", "Throughput", "Time / memory", "Ratio")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    print(f"\nmachine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB")


if __name__ == "__main__":
    main()
