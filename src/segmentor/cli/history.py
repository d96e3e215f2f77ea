"""``segmentor history`` (list the stored batches) and ``segmentor history export``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from segmentor import services
from segmentor.cli import app
from segmentor.domain.schema import SEGMENTS
from segmentor.io.store import BatchInfo, BatchWriter, Store
from segmentor.io.writers import write_table
from segmentor.settings import get_settings

out = Console()
history_app = typer.Typer(
    help="The scored batches kept in the database (app, API and `predict --save`).",
    no_args_is_help=False,
)
app.add_typer(history_app, name="history")


def settings_store() -> Store:
    """The store of the settings' database (SEGMENTOR_DB_URL, else the home's SQLite file)."""
    return services.batch_store(get_settings().database_url)


@contextmanager
def saving(
    enabled: bool, source_name: str, model_version: str, content_sha256: str | None = None
) -> Iterator[BatchWriter | None]:
    """The batch writer of a ``predict --save`` run (None when not saving, or when a file of
    the same content was already stored with this model); opened before scoring starts, so
    that an unusable database is reported before any work is done."""
    if not enabled:
        yield None
        return
    store = settings_store()
    try:
        found = (
            None if content_sha256 is None else store.find_by_content(content_sha256, model_version)
        )
        if found is not None:
            yield None
            out.print(f"Already in the history as batch {found} (same file content and model)")
            return
        with store.batch_writer(
            source_name, "cli", model_version, content_sha256=content_sha256
        ) as add_chunk:
            yield add_chunk
        out.print(f"Saved as batch {add_chunk.batch_id} ({add_chunk.rows} rows) in {store.url}")
    finally:
        store.close()


@history_app.callback(invoke_without_command=True)
def history(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many batches.")] = 50,
    offset: Annotated[
        int, typer.Option(min=0, help="Skip this many of the newest batches (next pages).")
    ] = 0,
) -> None:
    """List the stored batches, newest first, in local time; says what the page leaves out."""
    if ctx.invoked_subcommand is not None:
        return
    store = settings_store()
    try:
        batches = store.list_batches(limit=limit, offset=offset)
        total = store.count_batches()
    finally:
        store.close()
    if not batches:
        out.print(f"No stored batches {'yet ' if not total else 'on this page '}in {store.url}.")
        return
    out.print(batches_table(batches))
    hidden = paging_note(len(batches), total, limit, offset)
    if hidden:
        out.print(hidden)


def paging_note(shown: int, total: int, limit: int, offset: int) -> str:
    """What a page of the list leaves out, and how to see it ("" when nothing is hidden)."""
    if shown >= total:
        return ""
    first, last = offset + 1, offset + shown
    parts = [f"Showing batches {first}-{last} of {total}, newest first."]
    if last < total:
        parts.append(f"Older ones: --offset {last} (or --limit {total}).")
    if offset:
        parts.append(f"Newer ones: --offset {max(offset - limit, 0)}.")
    return " ".join(parts)


@history_app.command("export")
def export(
    batch: Annotated[int, typer.Argument(help="Batch number (see `segmentor history`).")],
    out_file: Annotated[Path, typer.Option("--out", help="Output file (.csv, .xlsx or .parquet).")],
    segment: Annotated[
        str | None, typer.Option("--segment", help="Only this segment (A, B, C or D).")
    ] = None,
) -> None:
    """Export the scored rows of one batch (of one segment if given) to a file."""
    store = settings_store()
    try:
        frame = store.export(batch, segment)
    finally:
        store.close()
    write_table(frame, out_file)
    out.print(f"{len(frame)} rows of batch {batch} written to {out_file}")


def batches_table(batches: list[BatchInfo]) -> Table:
    """The batches as a Rich table."""
    table = Table(title="Stored batches")
    for column in ("Batch", "Created (local)", "Source", "From", "Rows", *SEGMENTS, "Known"):
        table.add_column(column, justify="left" if column in ("Source", "From") else "right")
    table.add_column("Notes", justify="right")
    table.add_column("Model")
    for batch in batches:
        table.add_row(
            str(batch.id),
            batch.created.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z"),
            batch.source_name,
            batch.origin,
            str(batch.rows),
            *(str(batch.segments[segment]) for segment in SEGMENTS),
            str(batch.known),
            str(batch.with_notes),
            batch.model_version,
        )
    return table
