"""The one exception family for problems a user can cause and fix.

The CLI turns a :class:`SereadipityError` into one line on stderr and exit code 2, the web
page into an error box; library code only raises it.
"""

from __future__ import annotations


class SereadipityError(Exception):
    """A user error rendered as one line: where, what went wrong, and the fix."""

    def __init__(self, problem: str, *, file: str | None = None, fix: str | None = None) -> None:
        self.problem = problem
        self.file = file
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The error as one line of text."""
        text = f"{self.file}: {self.problem}" if self.file else self.problem
        if self.fix:
            text += f". Fix: {self.fix}"
        return " ".join(text.split())
