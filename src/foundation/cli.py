"""The one exit rule of both commands: a user error is one line on stderr and exit code 2.

An interrupted run (Ctrl-C, or SIGTERM from ``kill``, systemd, docker stop or a CI timeout)
unwinds like an exception, so every ``finally`` removes its temporary output and rolls back
its open work, then exits 128 + the signal number (130, 143).
"""

from __future__ import annotations

import signal
from types import FrameType

import click
import typer
from typer.core import TyperGroup

from foundation.errors import UserError


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C's KeyboardInterrupt so that the same cleanup runs."""


def user_error_group(program: str, interrupted: str) -> type[TyperGroup]:
    """A Typer group class for ``program``: UserError -> exit 2, interrupts -> 130 / 143.

    ``interrupted`` is the sentence printed after an interrupt (what was left behind).
    """

    class UserErrorsExit2(TyperGroup):
        def invoke(self, ctx: click.Context) -> object:
            try:
                return super().invoke(ctx)
            except UserError as error:
                typer.echo(f"{program}: error: {error.message}", err=True)
                raise typer.Exit(code=2) from None
            except KeyboardInterrupt as interrupt:
                number = signal.SIGTERM if isinstance(interrupt, Terminated) else signal.SIGINT
                how = "SIGTERM" if number == signal.SIGTERM else "Ctrl-C"
                typer.echo(f"{program}: interrupted ({how}): {interrupted}", err=True)
                raise typer.Exit(code=128 + number) from None

    return UserErrorsExit2


def unwind_on_sigterm() -> None:
    """Make SIGTERM raise :class:`Terminated` (an inherited SIG_IGN is kept)."""
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _raise_terminated)


def _raise_terminated(_number: int, _frame: FrameType | None) -> None:
    # A second SIGTERM must not cut the cleanup short; SIGKILL still ends the process.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Terminated
