"""``segmentor models``: the model registry, the champion, promote and rollback."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from segmentor.cli import app
from segmentor.cli.feedback import WhoOption, who_or_login
from segmentor.cli.history import out, settings_store
from segmentor.io import feedback as records
from segmentor.io import registry as rows
from segmentor.ml import registry, trained
from segmentor.ml.gate import wilson_interval
from segmentor.settings import get_settings

models_app = typer.Typer(
    help="The registry of model versions; the champion is what every command uses by default.",
    no_args_is_help=False,
)
app.add_typer(models_app, name="models")


@models_app.callback(invoke_without_command=True)
def list_models(ctx: typer.Context) -> None:
    """List the model versions, newest first (the champion marked ★)."""
    if ctx.invoked_subcommand is not None:
        return
    home = get_settings().home.expanduser()
    store = settings_store()
    try:
        registry.ensure_registry(store, home, who_or_login(None))
        versions = rows.list_versions(store)
        live = {row.model_version: row for row in records.summarise(store).per_version}
    finally:
        store.close()
    out.print(versions_table(versions, live))


def versions_table(
    versions: list[rows.VersionInfo], live: dict[str, records.VersionAccuracy]
) -> Table:
    """The versions (the version names their creation time and training data hash)."""
    table = Table(title="Model versions (★ champion)")
    table.add_column("")
    table.add_column("Version", no_wrap=True)
    table.add_column("Rows", justify="right")
    table.add_column("CV acc.", justify="right")
    table.add_column("Live accuracy [95% CI]")
    table.add_column("Promoted by")
    for info in versions:
        table.add_row(
            "★" if info.is_champion else "",
            info.version,
            str(info.rows),
            "-" if info.cv_accuracy is None else f"{info.cv_accuracy:.4f}",
            live_text(live.get(info.version)),
            info.promoted_by or "",
        )
    return table


def live_text(counts: records.VersionAccuracy | None) -> str:
    if counts is None or counts.scored == 0:
        return "-"
    low, high = wilson_interval(counts.correct, counts.scored)
    return f"{counts.correct / counts.scored:.3f} [{low:.3f}, {high:.3f}] n={counts.scored}"


@models_app.command("promote")
def promote(
    version: Annotated[str, typer.Argument(help="The version to make the champion.")],
    who: WhoOption = None,
) -> None:
    """Make VERSION the champion (every command and the app then use it)."""
    home = get_settings().home.expanduser()
    store = settings_store()
    try:
        registry.ensure_registry(store, home, who_or_login(who))
        previous = registry.promote(store, home, version, who_or_login(who))
    finally:
        store.close()
    out.print(f"Champion: {version} (was {previous or 'none'})")


@models_app.command("rollback")
def rollback(who: WhoOption = None) -> None:
    """Make the previous champion the champion again."""
    home = get_settings().home.expanduser()
    store = settings_store()
    try:
        registry.ensure_registry(store, home, who_or_login(who))
        current, target = registry.rollback(store, home, who_or_login(who))
    finally:
        store.close()
    out.print(f"Rolled back: champion {target} (was {current})")


def register_trained(fitted: trained.TrainedModel) -> Path:
    """``train`` with a registry: a new version beside the champion, which stays champion."""
    store = settings_store()
    try:
        directory = registry.add_version(
            store, get_settings().home.expanduser(), fitted, who=who_or_login(None), champion=False
        )
    finally:
        store.close()
    out.print(f"Registered as version {fitted.version}: `segmentor models promote` to use it")
    return directory
