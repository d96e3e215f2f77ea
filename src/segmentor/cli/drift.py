"""``segmentor drift``: PSI, classifier AUC and live accuracy of each batch over time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from segmentor.analysis.drift import (
    MAX_CHECKED_ROWS,
    DriftPoint,
    drift_frame,
    drift_series,
    record_batch_check,
)
from segmentor.cli import app
from segmentor.cli.history import out, settings_store
from segmentor.io.readers import iter_table_chunks
from segmentor.ml.trained import TrainedModel

_STYLES = {"similar": "green", "moderate": "yellow", "major": "red", "too_few": "blue"}


@app.command("drift")
def drift(
    limit: Annotated[int, typer.Option(min=1, help="The latest this many batches.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print the series as JSON.")] = False,
) -> None:
    """How the stored batches compare with the existing customers, oldest first."""
    store = settings_store()
    try:
        points = drift_series(store, limit)
    finally:
        store.close()
    if as_json:
        frame = drift_frame(points)
        if len(frame):
            frame["created"] = frame["created"].map(lambda value: value.isoformat())
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
        typer.echo(json.dumps(records, indent=2))
        return
    if not points:
        out.print(f"No stored batches yet in {store.url}.")
        return
    out.print(drift_table(points))
    out.print(
        "PSI: < 0.10 similar, 0.10-0.25 moderate, > 0.25 major. "
        "AUC: < 0.60 similar, 0.60-0.75 moderate, >= 0.75 major.",
        style="dim",
    )


def drift_table(points: list[DriftPoint]) -> Table:
    table = Table(title="Drift of the new market, batch by batch")
    table.add_column("Batch", justify="right")
    table.add_column("Created (UTC)")
    table.add_column("Model", no_wrap=True)
    table.add_column("Compared", justify="right")
    table.add_column("Max PSI (attribute)", justify="right")
    table.add_column("AUC", justify="right")
    table.add_column("Level", no_wrap=True)
    table.add_column("Live accuracy [95% CI]", justify="right")
    for point in points:
        level = point.level or "-"
        table.add_row(
            str(point.batch_id),
            point.created.strftime("%Y-%m-%d %H:%M"),
            point.model_version,
            "-" if point.compared is None else str(point.compared),
            "-" if point.psi_max is None else f"{point.psi_max:.3f} ({point.psi_attribute})",
            "-" if point.auc is None else f"{point.auc:.3f}",
            f"[{_STYLES.get(level, 'white')}]{level}[/]",
            _live(point),
        )
    return table


def _live(point: DriftPoint) -> str:
    if point.live_accuracy is None:
        return "-"
    return (
        f"{point.live_accuracy:.3f} [{point.live_low:.3f}, {point.live_high:.3f}] "
        f"n={point.feedback_rows}"
    )


def keep_check_of_file(batch_id: int, path: Path, model: TrainedModel) -> None:
    """After ``predict --save``: keep the market check of the file's prospects with the batch
    (its first :data:`MAX_CHECKED_ROWS` rows: the file is streamed, never read whole)."""
    first = next(iter_table_chunks(path, MAX_CHECKED_ROWS))
    store = settings_store()
    try:
        report = record_batch_check(store, batch_id, first, str(path), model)
    finally:
        store.close()
    if report is not None:
        out.print(f"Market check kept with batch {batch_id}: {report.level}")
