"""The app's reasons for one prospect (`explain`): milliseconds per model, and per member.

    PYTHONPATH=src .venv/bin/python benchmarks/reasons.py --model OLD --model NEW [--repeats 5]

Each model explains the same bundled prospects one at a time (median of the repeats), after
the process's first explanation (timed apart: it builds what the explanations derive from the
model once, such as the CatBoost member's leaf tables); each member's attributions are also
timed alone on one prepared row. Give several models to compare them in one run.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pandas as pd

from one_prospect import median_ms
from segmentor.analysis.explain import explain
from segmentor.domain.schema import parse_customers
from segmentor.ml import trained
from segmentor.paths import BUNDLED_PROSPECTS

PROSPECTS = 5


def model_row(directory: Path, features: pd.DataFrame, repeats: int) -> str:
    model = trained.load(directory)
    one = [features.iloc[[i]].reset_index(drop=True) for i in range(PROSPECTS)]
    started = time.perf_counter()
    explain(model, one[0])
    first = (time.perf_counter() - started) * 1000
    whole = statistics.median(
        median_ms(lambda row=row: explain(model, row), repeats) for row in one
    )
    prepared = model.estimator.prepare(one[0])
    members = []
    for _, member in model.estimator._weighted(model.estimator._members()):
        alone = median_ms(lambda m=member: m.contributions(prepared), repeats)
        members.append(f"{type(member).__name__} {alone:.1f}")
    return f"| {directory} | {first:.0f} ms | {whole:.1f} ms | {', '.join(members)} ms |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, action="append", required=True)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    features = parse_customers(pd.read_csv(BUNDLED_PROSPECTS, dtype=str), "prospects").features
    print(
        f"| model | first explanation of the process | explain one prospect (median of {PROSPECTS})"
        " | members' attributions |"
    )
    print("| --- | --- | --- | --- |")
    for directory in args.model:
        print(model_row(directory, features, args.repeats))


if __name__ == "__main__":
    main()
