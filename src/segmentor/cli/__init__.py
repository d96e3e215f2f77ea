"""The ``segmentor`` command. Thin: each command parses options and calls library functions.

Every :class:`~segmentor.errors.SegmentorError` becomes one line on stderr and exit code 2,
here and nowhere else.
"""

from __future__ import annotations

import click
import typer
from typer.core import TyperGroup

from segmentor.errors import SegmentorError


class _UserErrorsExit2(TyperGroup):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except SegmentorError as error:
            typer.echo(f"segmentor: error: {error.message}", err=True)
            raise typer.Exit(code=2) from None


app = typer.Typer(
    cls=_UserErrorsExit2,
    help="Predict the customer segment (A, B, C, D) of new prospects.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Each module below registers its commands on `app` when imported.
from segmentor.cli import core, history, market, serve, webapp  # noqa: E402,F401


def main() -> None:
    app()
