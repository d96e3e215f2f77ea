"""``segmentor retrain``: a challenger on the old market plus the confirmed new customers,
promoted only when a paired comparison shows it is not worse on both."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from segmentor.cli import app
from segmentor.cli.core import console
from segmentor.cli.feedback import WhoOption, who_or_login
from segmentor.cli.history import out, settings_store
from segmentor.io import feedback as records
from segmentor.ml import registry, retrain, trained
from segmentor.ml.gate import GateDecision
from segmentor.paths import BUNDLED_TRAIN
from segmentor.settings import get_settings


@app.command("retrain")
def retrain_command(
    data: Annotated[
        Path | None,
        typer.Option("--data", help="The existing customers (default: the bundled train.csv)."),
    ] = None,
    weight: Annotated[
        int,
        typer.Option(min=1, max=50, help="Times each confirmed new-market row counts."),
    ] = retrain.DEFAULT_WEIGHT,
    folds: Annotated[int, typer.Option(min=2, max=10, help="Folds of the paired check.")] = 3,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the comparison; promote nothing.")
    ] = False,
    who: WhoOption = None,
) -> None:
    """Fit a challenger, compare it with the champion on the same rows, promote if not worse."""
    home = get_settings().home.expanduser()
    old_path = data or BUNDLED_TRAIN
    old = trained.load_training_table(old_path)
    store = settings_store()
    try:
        registry.ensure_registry(store, home, who_or_login(who))
        champion = trained.load(registry.champion_directory(home))
        usable, without = records.training_feedback(store)
        if without:
            out.print(f"{without} confirmed prospects have no attributes: not used for training")
        feedback = retrain.FeedbackTable.of(usable)
        with console.status("Comparing champion and challenger…") as status:
            decision = retrain.evaluate_challenger(
                champion, old, feedback, weight=weight, folds=folds, progress=status.update
            )
        out.print(gate_table(decision, champion.version, folds))
        if not decision.promote:
            out.print("[red]Refused[/]: " + "; ".join(decision.reasons))
            return
        if dry_run:
            out.print("[green]Would be promoted[/] (--dry-run: nothing changed)")
            return
        with console.status(
            f"Fitting the challenger on {len(old.frame)} + {len(feedback.labels)} customers…"
        ):
            challenger = retrain.fit_challenger(
                champion,
                old,
                feedback,
                decision,
                weight=weight,
                old_sha256=trained.file_sha256(old_path),
            )
        directory = registry.add_version(
            store, home, challenger, who=who_or_login(who), champion=True, action="retrain"
        )
    finally:
        store.close()
    out.print(f"[green]Promoted[/]: champion {challenger.version} (saved to {directory})")


def gate_table(decision: GateDecision, champion_version: str, folds: int) -> Table:
    """Champion and challenger side by side on the same rows of each set."""
    sets = (decision.feedback, decision.old_market)
    table = Table(
        title=f"Champion {champion_version} against the challenger "
        f"(same rows, {folds}-fold cross-fitting)"
    )
    table.add_column("Measure")
    for comparison in sets:
        table.add_column(comparison.name, justify="right")
    lines = {
        "Rows": lambda c: str(c.rows),
        "Champion accuracy": lambda c: f"{c.champion_accuracy:.4f}",
        "Challenger accuracy": lambda c: f"{c.challenger_accuracy:.4f}",
        "Difference": lambda c: f"{c.difference:+.4f}",
        "95% CI of the difference": lambda c: f"[{c.low:+.4f}, {c.high:+.4f}]",
        "Only the champion right": lambda c: str(c.only_champion_right),
        "Only the challenger right": lambda c: str(c.only_challenger_right),
        "McNemar exact p": lambda c: f"{c.p_value:.3g}",
        "Not worse (CI above -margin)": lambda c: (
            f"{'yes' if c.not_worse else 'no'} (-{c.margin:.2f})"
        ),
    }
    for name, cell in lines.items():
        table.add_row(name, *(cell(comparison) for comparison in sets))
    return table
