"""The shared exit rule: a UserError is one line and exit 2; Ctrl-C exits 130."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from foundation.cli import user_error_group
from foundation.errors import UserError

app = typer.Typer(cls=user_error_group("demo", "nothing written"), add_completion=False)


@app.callback()
def demo() -> None:
    """A command group, like both products' commands."""


@app.command()
def fail(kind: str) -> None:
    if kind == "user":
        raise UserError("bad cell", file="f.csv", row=2, fix="correct it")
    raise KeyboardInterrupt


def test_a_user_error_is_one_line_and_exit_2() -> None:
    result = CliRunner().invoke(app, ["fail", "user"])
    assert result.exit_code == 2
    assert result.stderr == "demo: error: f.csv, row 2: bad cell. Fix: correct it\n"


def test_ctrl_c_exits_130_with_one_line() -> None:
    result = CliRunner().invoke(app, ["fail", "interrupt"])
    assert result.exit_code == 130
    assert result.stderr == "demo: interrupted (Ctrl-C): nothing written\n"
