"""Where the time of scoring goes: per stage and per member, reference and compiled paths.

    PYTHONPATH=src .venv/bin/python benchmarks/profile_scoring.py --rows 100000 --model DIR

One process, one synthetic file (``throughput.write_prospects``), each stage timed alone on
the same rows; every member is timed on its reference path (the libraries' own predictors,
``trained.load(engine="reference")``) and on its compiled path, with the ratio in the same
run. ``--threads`` caps Numba's threads (BLAS stays at its own default on the reference path).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from segmentor.analysis.explain import explain  # noqa: E402
from segmentor.domain.schema import parse_customers  # noqa: E402
from segmentor.engines.scoring import score_table  # noqa: E402
from segmentor.io.readers import read_table  # noqa: E402
from segmentor.ml import trained  # noqa: E402
from throughput import _print_table, _train, write_prospects  # noqa: E402

MEMBER_NAMES = ("LightGBM (3 boosters)", "CatBoost", "network (6 seeds)")


def timed(function: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--model", type=Path, help="model directory (default: train one)")
    parser.add_argument("--threads", type=int, help="Numba threads (default: all cores)")
    args = parser.parse_args()
    if args.threads:
        import numba

        numba.set_num_threads(args.threads)
    work = Path(tempfile.mkdtemp(prefix="segmentor-profile-"))
    model_dir = args.model or _train(work)
    path = work / "prospects.csv"
    write_prospects(path, args.rows, seed=0)
    rows = profile(path, model_dir, args.rows)
    _print_table(rows)


def profile(path: Path, model_dir: Path, n_rows: int) -> list[tuple[str, ...]]:
    load_ref, reference = timed(lambda: trained.load(model_dir, engine="reference"))
    load_fast, compiled = timed(lambda: trained.load(model_dir, engine="compiled"))
    read, raw = timed(lambda: read_table(path))
    parse, table = timed(lambda: parse_customers(raw, str(path)))
    prepare, prepared = timed(lambda: reference.estimator.prepare(table.features))
    rows: list[tuple[str, ...]] = [
        ("load model (reference)", "", f"{load_ref:.1f} s", ""),
        ("load model + compile (no cache)", "", f"{load_fast:.1f} s", ""),
        ("read CSV", _rate(n_rows, read), f"{read:.1f} s", ""),
        ("parse + validate", _rate(n_rows, parse), f"{parse:.1f} s", ""),
        ("prepare features", _rate(n_rows, prepare), f"{prepare:.1f} s", ""),
    ]
    ref_members = reference.estimator._members()
    fast_members = compiled.estimator._members()
    total_ref = total_fast = 0.0
    for name, ref_member, fast_member in zip(MEMBER_NAMES, ref_members, fast_members, strict=True):
        if ref_member is None:
            continue
        ref_seconds, ref_raw = timed(lambda m=ref_member: m.raw_scores(prepared))
        fast_seconds, fast_raw = timed(lambda m=fast_member: m.raw_scores(prepared))
        total_ref += ref_seconds
        total_fast += fast_seconds
        gap = np.abs(np.asarray(fast_raw) - np.asarray(ref_raw)).max()
        rows.append((f"{name}: reference", _rate(n_rows, ref_seconds), f"{ref_seconds:.1f} s", ""))
        rows.append(
            (
                f"{name}: compiled",
                _rate(n_rows, fast_seconds),
                f"{fast_seconds:.1f} s",
                f"{ref_seconds / fast_seconds:.1f} x reference, max abs diff {gap:.1e}",
            )
        )
    rows.append(("bare model: reference", _rate(n_rows, total_ref), f"{total_ref:.1f} s", ""))
    rows.append(
        (
            "bare model: compiled",
            _rate(n_rows, total_fast),
            f"{total_fast:.1f} s",
            f"{total_ref / total_fast:.1f} x reference",
        )
    )
    ref_score, _ = timed(lambda: score_table(table, reference))
    fast_score, _ = timed(lambda: score_table(table, compiled))
    rows.append(("score_table: reference", _rate(n_rows, ref_score), f"{ref_score:.1f} s", ""))
    rows.append(
        (
            "score_table: compiled",
            _rate(n_rows, fast_score),
            f"{fast_score:.1f} s",
            f"{ref_score / fast_score:.1f} x reference",
        )
    )
    rows += explain_rows(table.features.head(EXPLAINED), reference, compiled)
    return rows


EXPLAINED = 5


def explain_rows(features, reference, compiled) -> list[tuple[str, ...]]:  # noqa: ANN001
    """The app's one-prospect reasons (exact SHAP of every member), per prospect."""
    seconds = {}
    for name, model in (("reference", reference), ("compiled", compiled)):
        explain(model, features.head(1))  # first call builds what is cached
        started = time.perf_counter()
        for index in range(len(features)):
            explain(model, features.iloc[[index]].reset_index(drop=True))
        seconds[name] = (time.perf_counter() - started) / len(features)
    return [
        ("explain one prospect: reference", "", f"{seconds['reference'] * 1000:.0f} ms", ""),
        (
            "explain one prospect: compiled",
            "",
            f"{seconds['compiled'] * 1000:.0f} ms",
            f"{seconds['reference'] / seconds['compiled']:.1f} x reference (goal < 100 ms)",
        ),
    ]


def _rate(n_rows: int, seconds: float) -> str:
    return f"{n_rows / seconds:,.0f} rows/s"


if __name__ == "__main__":
    main()
