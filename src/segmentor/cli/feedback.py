"""``segmentor feedback``: the true segments the sales team learned, and live accuracy."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from segmentor.cli import app
from segmentor.cli.history import out, settings_store
from segmentor.domain.feedback import parse_feedback, true_segment
from segmentor.domain.schema import SEGMENTS
from segmentor.io import feedback as records
from segmentor.io.readers import read_table
from segmentor.ml.gate import wilson_interval

feedback_app = typer.Typer(
    help="True segments of prospects (after outreach): import, resolve conflicts, summary.",
    no_args_is_help=False,
)
app.add_typer(feedback_app, name="feedback")

WhoOption = Annotated[
    str | None, typer.Option("--who", help="Who gives this feedback (default: your login).")
]


def who_or_login(who: str | None) -> str:
    if who:
        return who
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@feedback_app.callback(invoke_without_command=True)
def summary(ctx: typer.Context) -> None:
    """How much feedback, per segment, and the live accuracy of each model version."""
    if ctx.invoked_subcommand is not None:
        return
    store = settings_store()
    try:
        result = records.summarise(store)
        in_conflict = records.conflicts(store)
    finally:
        store.close()
    out.print(
        f"Confirmed prospects: {result.confirmed} "
        f"({result.with_attributes} with their attributes, usable for retraining)   "
        f"In conflict: {result.conflicts}   Superseded: {result.superseded}"
    )
    out.print("Per segment: " + "   ".join(f"{s}: {result.per_segment[s]}" for s in SEGMENTS))
    out.print(accuracy_table(result.per_version))
    if in_conflict:
        table = Table(title="Conflicts (resolve with `segmentor feedback resolve ID SEGMENT`)")
        table.add_column("ID")
        table.add_column("Segments given")
        for customer_id, segments in in_conflict[:20]:
            table.add_row(customer_id, ", ".join(segments))
        out.print(table)


def accuracy_table(per_version: list[records.VersionAccuracy]) -> Table:
    table = Table(title="Live accuracy on the new market (prospects each model scored)")
    for column in ("Model version", "Scored & confirmed", "Correct", "Accuracy", "95% CI"):
        table.add_column(column, justify="left" if column == "Model version" else "right")
    for row in per_version:
        low, high = wilson_interval(row.correct, row.scored)
        table.add_row(
            row.model_version,
            str(row.scored),
            str(row.correct),
            f"{row.correct / row.scored:.3f}",
            f"[{low:.3f}, {high:.3f}]",
        )
    return table


@feedback_app.command("import")
def import_file(
    file: Annotated[
        Path,
        typer.Argument(help="ID and True_Segment (+ optional Batch, Who, the nine attributes)."),
    ],
    who: WhoOption = None,
) -> None:
    """Record the true segments in FILE (.csv, .xlsx, .parquet); conflicts are reported."""
    entries = parse_feedback(read_table(file), str(file))
    store = settings_store()
    try:
        report = records.record_feedback(store, entries, source="file", who=who_or_login(who))
    finally:
        store.close()
    print_report(report, file.name)


def print_report(report: records.FeedbackReport, name: str) -> None:
    out.print(
        f"{name}: {report.recorded} recorded ({report.linked} linked to a model prediction), "
        f"{report.already_recorded} already recorded, {len(report.conflicts)} conflicts"
    )
    if report.conflicts:
        table = Table(title="Conflicts: kept, marked, not used until resolved")
        for column in ("ID", "Stored", "Given"):
            table.add_column(column)
        for conflict in report.conflicts[:20]:
            table.add_row(conflict.customer_id, ", ".join(conflict.stored), conflict.given)
        out.print(table)


@feedback_app.command("resolve")
def resolve(
    customer_id: Annotated[str, typer.Argument(metavar="ID", help="The prospect's ID.")],
    segment: Annotated[str, typer.Argument(help="Its true segment: A, B, C or D.")],
) -> None:
    """Settle a conflict: SEGMENT is the prospect's true segment."""
    value = true_segment(segment, "the command line")
    store = settings_store()
    try:
        changed = records.resolve(store, customer_id, value, who_or_login(None))
    finally:
        store.close()
    out.print(f"Prospect {customer_id}: segment {value} confirmed ({changed} entries settled)")
