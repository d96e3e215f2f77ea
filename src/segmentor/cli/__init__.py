"""The ``segmentor`` command. Thin: each command parses options and calls library functions.

Every user error (:class:`~foundation.errors.UserError`) becomes one line on stderr and exit
code 2, here and nowhere else; an interrupted run (Ctrl-C, SIGTERM) unwinds, rolls back its
open batch and exits 130 / 143. The rule lives in :mod:`foundation.cli`, shared with
``sereadipity``.
"""

from __future__ import annotations

import typer

from foundation.cli import Terminated, unwind_on_sigterm, user_error_group

__all__ = ["Terminated", "app", "main"]

app = typer.Typer(
    cls=user_error_group(
        "segmentor",
        "nothing half-written; any previous output is untouched or wholly replaced",
    ),
    help="Predict the customer segment (A, B, C, D) of new prospects.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Each module below registers its commands on `app` when imported.
from segmentor.cli import (  # noqa: E402,F401
    core,
    drift,
    feedback,
    history,
    market,
    models,
    playbook,
    retrain,
    review,
    serve,
    webapp,
)


def main() -> None:
    """Console-script entry point (also ``python -m segmentor``)."""
    unwind_on_sigterm()
    app()
