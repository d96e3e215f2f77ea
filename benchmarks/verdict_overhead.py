"""Cost of the file-level verdict beside parsing, on the bundled prospects repeated.

The verdict (:func:`segmentor.domain.verdict.file_verdict`) runs on every scored table; this
prints its time as a ratio of :func:`parse_customers` on the same frame, in the same run,
for English values (a clean file) and French values (every category column unread).

    PYTHONPATH=src .venv/bin/python benchmarks/verdict_overhead.py [--copies 20] [--runs 3]
"""

from __future__ import annotations

import argparse
import time

import pandas as pd
from rich.console import Console
from rich.table import Table

from segmentor.domain.schema import parse_customers
from segmentor.domain.verdict import file_verdict
from segmentor.paths import BUNDLED_PROSPECTS

FRENCH = {
    "Male": "Homme",
    "Female": "Femme",
    "Yes": "Oui",
    "No": "Non",
    "Low": "Faible",
    "Average": "Moyen",
    "High": "Élevé",
}


def best_of(runs: int, frame: pd.DataFrame) -> tuple[float, float, int]:
    parse_times, verdict_times, notes = [], [], 0
    for _ in range(runs):
        start = time.perf_counter()
        table = parse_customers(frame)
        parsed = time.perf_counter()
        file_verdict(table)
        parse_times.append(parsed - start)
        verdict_times.append(time.perf_counter() - parsed)
        notes = len(table.notes)
    return min(parse_times), min(verdict_times), notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    english = pd.concat([pd.read_csv(BUNDLED_PROSPECTS, dtype=str)] * args.copies)
    english = english.reset_index(drop=True)
    frames = {"English values": english, "French values": english.replace(FRENCH)}
    table = Table(title=f"File verdict beside parsing ({len(english)} rows, best of {args.runs})")
    for column in ("File", "Row notes", "Parse s", "Verdict s", "Verdict / parse"):
        table.add_column(column, justify="left" if column == "File" else "right")
    for name, frame in frames.items():
        parse_s, verdict_s, notes = best_of(args.runs, frame)
        table.add_row(
            name, str(notes), f"{parse_s:.3f}", f"{verdict_s:.4f}", f"{verdict_s / parse_s:.3f}"
        )
    Console().print(table)


if __name__ == "__main__":
    main()
