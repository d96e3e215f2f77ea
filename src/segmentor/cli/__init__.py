"""The ``segmentor`` command. Thin: each command parses options and calls library functions.

Every :class:`~segmentor.errors.SegmentorError` becomes one line on stderr and exit code 2,
here and nowhere else. An interrupted run (Ctrl-C, or SIGTERM from ``kill``, systemd, docker
stop or a CI timeout) unwinds like an exception, so every ``finally`` removes its temporary
output and rolls back its open batch, then exits 128 + the signal number (130, 143).
"""

from __future__ import annotations

import signal
from types import FrameType

import click
import typer
from typer.core import TyperGroup

from segmentor.errors import SegmentorError


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C's KeyboardInterrupt so that the same cleanup runs."""


class _UserErrorsExit2(TyperGroup):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except SegmentorError as error:
            typer.echo(f"segmentor: error: {error.message}", err=True)
            raise typer.Exit(code=2) from None
        except KeyboardInterrupt as interrupt:
            number = signal.SIGTERM if isinstance(interrupt, Terminated) else signal.SIGINT
            how = "SIGTERM" if number == signal.SIGTERM else "Ctrl-C"
            typer.echo(
                f"segmentor: interrupted ({how}): nothing half-written; "
                "any previous output is untouched or wholly replaced",
                err=True,
            )
            raise typer.Exit(code=128 + number) from None


app = typer.Typer(
    cls=_UserErrorsExit2,
    help="Predict the customer segment (A, B, C, D) of new prospects.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Each module below registers its commands on `app` when imported.
from segmentor.cli import core, history, market, playbook, review, serve, webapp  # noqa: E402,F401


def main() -> None:
    """Console-script entry point (also ``python -m segmentor``)."""
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:  # an inherited SIG_IGN is kept
        signal.signal(signal.SIGTERM, _raise_terminated)
    app()


def _raise_terminated(_number: int, _frame: FrameType | None) -> None:
    # A second SIGTERM must not cut the cleanup short; SIGKILL still ends the process.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Terminated
