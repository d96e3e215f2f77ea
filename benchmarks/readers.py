"""Reading speed of the file formats, as ratios against a reference in the same run.

- Excel: ``segmentor.io.readers.read_bytes`` (python-calamine) against pandas' openpyxl reader
  (what the product used before), on the same .xlsx; .ods against the same read of the .xlsx.
- CSV: the product's reader (whole-file encoding check, header-row search, merged-line check)
  against a bare ``pandas.read_csv(dtype=str)`` of the same bytes.

    PYTHONPATH=src .venv/bin/python benchmarks/readers.py [--rows 20000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable

import pandas as pd
from rich.console import Console
from rich.table import Table

from segmentor.io.readers import read_bytes
from segmentor.paths import BUNDLED_TRAIN


def best_of(repeats: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    base = pd.read_csv(BUNDLED_TRAIN, dtype=str, keep_default_na=False)
    frame = pd.concat([base] * (args.rows // len(base) + 1), ignore_index=True).iloc[: args.rows]
    csv_bytes = frame.to_csv(index=False).encode()
    xlsx, ods = io.BytesIO(), io.BytesIO()
    frame.to_excel(xlsx, index=False, engine="openpyxl")
    frame.to_excel(ods, index=False, engine="odf")
    r = args.repeats
    openpyxl_s = best_of(r, lambda: pd.read_excel(io.BytesIO(xlsx.getvalue()), engine="openpyxl"))
    calamine_s = best_of(r, lambda: read_bytes(xlsx.getvalue(), "x.xlsx"))
    ods_s = best_of(r, lambda: read_bytes(ods.getvalue(), "x.ods"))
    bare_s = best_of(r, lambda: pd.read_csv(io.BytesIO(csv_bytes), dtype=str))
    product_s = best_of(r, lambda: read_bytes(csv_bytes, "x.csv"))
    table = Table(title=f"Reading {args.rows:,} rows x {frame.shape[1]} columns (best of {r})")
    for column in ("Reader", "Seconds", "Ratio to reference"):
        table.add_column(column, justify="left" if column == "Reader" else "right")
    table.add_row("xlsx: pandas + openpyxl (reference)", f"{openpyxl_s:.3f}", "1.00")
    table.add_row(
        "xlsx: segmentor (python-calamine)", f"{calamine_s:.3f}", f"{calamine_s / openpyxl_s:.2f}"
    )
    table.add_row("ods: segmentor (python-calamine)", f"{ods_s:.3f}", f"{ods_s / openpyxl_s:.2f}")
    table.add_row("csv: bare pandas.read_csv (reference)", f"{bare_s:.3f}", "1.00")
    table.add_row("csv: segmentor read_bytes", f"{product_s:.3f}", f"{product_s / bare_s:.2f}")
    Console().print(table)


if __name__ == "__main__":
    main()
