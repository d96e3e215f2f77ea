"""``segmentor playbook show|edit|import|export|history``: the segment playbooks (YAML)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console

from segmentor.cli import app
from segmentor.cli.history import settings_store
from segmentor.domain.playbook import make_playbook, parse_yaml, to_yaml
from segmentor.domain.schema import TARGET
from segmentor.errors import SegmentorError
from segmentor.io.writers import atomic_write
from segmentor.ml import trained
from segmentor.paths import BUNDLED_TRAIN
from segmentor.presentation.outreach import current_playbooks

out = Console()
playbook_app = typer.Typer(
    help="What the sales team does with each segment: name, persona, P1-P5, message, channel.",
    no_args_is_help=True,
)
app.add_typer(playbook_app, name="playbook")

AuthorOption = Annotated[str, typer.Option("--author", help="Who makes this change (stored).")]


def existing_customers(path: Path = BUNDLED_TRAIN) -> pd.DataFrame:
    """The labelled customers' attributes and segment (drafts are written from them)."""
    table = trained.load_training_table(path)
    frame = table.features.copy()
    frame[TARGET] = table.frame[TARGET].astype(str).to_numpy()
    return frame


@playbook_app.command("show")
def show(
    segment: Annotated[str | None, typer.Argument(help="One segment (default: all).")] = None,
) -> None:
    """Print the current playbooks as YAML (drafts from the data where none is stored)."""
    store = settings_store()
    try:
        playbooks = current_playbooks(store, existing_customers())
        stored = store.playbooks()
    finally:
        store.close()
    chosen = [p for s, p in playbooks.items() if segment is None or s == segment.strip().upper()]
    if not chosen:
        raise SegmentorError("unknown segment", value=segment, fix="give A, B, C or D")
    for playbook in chosen:
        version = stored.get(playbook.segment)
        where = (
            f"version {version.version} by {version.author}, {version.created:%Y-%m-%d %H:%M} UTC"
            if version
            else "draft from the data, not stored yet"
        )
        typer.echo(f"# {playbook.segment}: {where}")
        typer.echo(to_yaml([playbook]).rstrip())


@playbook_app.command("edit")
def edit(
    segment: Annotated[str, typer.Argument(help="The segment (A, B, C or D).")],
    author: AuthorOption,
    name: Annotated[str | None, typer.Option(help="The segment's name.")] = None,
    persona: Annotated[str | None, typer.Option(help="Who they are.")] = None,
    products: Annotated[
        str | None, typer.Option(help="Products to offer first, in order: e.g. P1,P3.")
    ] = None,
    message: Annotated[str | None, typer.Option(help="The message.")] = None,
    channel: Annotated[str | None, typer.Option(help="The channel (email, phone, ...).")] = None,
) -> None:
    """Change fields of a segment's playbook: a new version is stored."""
    store = settings_store()
    try:
        playbooks = current_playbooks(store, existing_customers())
        letter = segment.strip().upper()
        current = playbooks[letter].as_dict() if letter in playbooks else {"name": letter}
        changes = {"name": name, "persona": persona, "message": message, "channel": channel}
        if products is not None:
            changes["products"] = products.replace(",", "|")
        values = {k: v for k, v in current.items() if k != "segment"}
        values.update({k: v for k, v in changes.items() if v is not None})
        version = store.save_playbook(make_playbook(letter, values, "--options"), author)
    finally:
        store.close()
    out.print(f"Segment {letter}: playbook version {version.version} stored.")


@playbook_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A YAML file of playbooks (see export).")],
    author: AuthorOption,
) -> None:
    """Store the playbooks of a YAML file (a new version of each segment it holds)."""
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise SegmentorError(
            f"cannot read the file ({error.strerror})", file=str(file), fix="check the path"
        ) from None
    playbooks = parse_yaml(text, str(file))
    store = settings_store()
    try:
        versions = [store.save_playbook(playbook, author) for playbook in playbooks]
    finally:
        store.close()
    for version in versions:
        out.print(f"Segment {version.playbook.segment}: version {version.version} stored.")


@playbook_app.command("export")
def export(
    out_file: Annotated[Path, typer.Option("--out", help="The YAML file to write.")],
) -> None:
    """Write the current playbooks (drafts where none is stored) to a YAML file."""
    store = settings_store()
    try:
        playbooks = current_playbooks(store, existing_customers())
    finally:
        store.close()
    text = to_yaml(list(playbooks.values()))
    atomic_write(out_file, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    out.print(f"{len(playbooks)} playbooks written to {out_file}")


@playbook_app.command("history")
def history(segment: Annotated[str, typer.Argument(help="The segment.")]) -> None:
    """Every stored version of a segment's playbook, newest first: who changed what, when."""
    store = settings_store()
    try:
        versions = store.playbook_history(segment)
    finally:
        store.close()
    if not versions:
        out.print(f"No stored playbook for segment {segment.upper()} yet.")
    for version in versions:
        typer.echo(
            f"# version {version.version} by {version.author}, "
            f"{version.created:%Y-%m-%d %H:%M:%S} UTC"
        )
        typer.echo(to_yaml([version.playbook]).rstrip())
