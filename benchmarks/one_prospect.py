"""Where the milliseconds of scoring one prospect go (what one API request scores).

    .venv/bin/python benchmarks/one_prospect.py --model DIR [--repeats 200]

One process; each stage is timed alone on the same one-row table, median over the repeats.
The known-customer lookup is timed both ways in the same run: ``Series.isin`` against the
Arrow-backed ID index (the code before) and the ID index hashed once (the code now); so is
the parsing: the table parser against the short way of records in the schema's own spelling
(``domain/plain.py``, what an API request takes), and the whole of each.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table

from segmentor.domain.plain import parse_plain_records
from segmentor.domain.schema import ID, parse_customers
from segmentor.engines.scoring import score_frame, score_records
from segmentor.ml import trained
from segmentor.paths import BUNDLED_PROSPECTS


def median_ms(function: Callable[[], object], repeats: int) -> float:
    function()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True, help="a trained model directory")
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    model = trained.load(args.model)
    row = pd.read_csv(BUNDLED_PROSPECTS, dtype=str).iloc[[5]].assign(**{ID: "999999999"})
    table = parse_customers(row, "request")
    records = row.to_dict("records")
    known = model.known
    estimator = model.estimator
    prepared = estimator.prepare(table.features)
    probabilities = estimator.predict_proba(table.features)
    stages = {
        "parse the row (table parser)": lambda: parse_customers(row, "request"),
        "parse the row (short way)": lambda: parse_plain_records(records, "request"),
        "known lookup, before (Series.isin)": lambda: table.frame[ID].isin(known.frame.index),
        "known lookup, now (hashed index)": lambda: known.match(table),
        "feature preparation": lambda: estimator.prepare(table.features),
        **{
            f"member {type(member).__name__}": (lambda m=member: m.raw_scores(prepared))
            for _, member in estimator._weighted(estimator._members())
        },
        "prediction set (crepes)": lambda: model.sets.predict(probabilities),
        "whole score_frame (table parser)": lambda: score_frame(row, model, source="request"),
        "whole score_records (short way)": lambda: score_records(records, model, source="request"),
    }
    result = Table(title=f"One prospect: median of {args.repeats} runs of each stage")
    result.add_column("stage")
    result.add_column("ms", justify="right")
    for name, stage in stages.items():
        result.add_row(name, f"{median_ms(stage, args.repeats):.2f}")
    Console().print(result)


if __name__ == "__main__":
    main()
