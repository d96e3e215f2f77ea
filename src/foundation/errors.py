"""The one exception family for problems a user can cause and fix, in both products.

Entry points turn a :class:`UserError` into exit code 2 (CLI, :mod:`foundation.cli`) or a
4xx answer (API), each in one place; library code only raises it. Each product has its own
subclass (``SegmentorError``, ``SereadipityError``) so that callers can tell them apart.
"""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """A user error, rendered as one line: where, what was found, and the fix."""

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        fix: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = file
        self.row = row
        self.column = column
        self.value = value
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = [part for part in (self.file, self._row_text(), self._column_text()) if part]
        text = ", ".join(where)
        text = f"{text}: {self.problem}" if text else self.problem
        if self.value is not None:
            text += f" (got {_short(self.value)!r})"
        if self.fix:
            text += f". Fix: {self.fix}"
        return " ".join(text.split())

    def _row_text(self) -> str | None:
        return None if self.row is None else f"row {self.row}"

    def _column_text(self) -> str | None:
        return None if self.column is None else f"column {self.column!r}"


def _short(value: Any, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
