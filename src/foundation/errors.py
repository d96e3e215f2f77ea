"""The one exception family for problems a user can cause and fix, in both products.

Entry points turn a :class:`UserError` into exit code 2 (CLI, :mod:`foundation.cli`) or a
4xx answer (API), each in one place; library code only raises it. Each product has its own
subclass (``SegmentorError``, ``SereadipityError``) so that callers can tell them apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ErrorWording:
    """The words around an error's parts, and a translation of its problem and fix texts.

    The default is the English the CLI prints; a front end passes its language's wording to
    :meth:`UserError.render` (segmentor's ``i18n.error_text``).
    """

    row: str = "row {row}"
    column: str = "column {column!r}"
    got: str = " (got {value!r})"
    fix: str = ". Fix: {fix}"
    separator: str = ": "
    translate: Callable[[str], str] = field(default=lambda text: text)


ENGLISH = ErrorWording()


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
        fields: Mapping[str, Any] | None = None,
    ) -> None:
        # With ``fields``, ``problem`` and ``fix`` are templates ("line {line} has {saw}
        # fields"), so that a front end translates the template, then fills it.
        self.fields = dict(fields or {})
        self.problem = problem
        self.file = file
        self.row = row
        self.column = column
        self.value = value
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return self.render(ENGLISH)

    def render(self, wording: ErrorWording) -> str:
        """The one line, in ``wording``: where, what, what was found, and the fix."""
        where = [
            self.file,
            None if self.row is None else wording.row.format(row=self.row),
            None if self.column is None else wording.column.format(column=self.column),
        ]
        text = ", ".join(part for part in where if part)
        problem = self._filled(wording.translate(self.problem))
        text = f"{text}{wording.separator}{problem}" if text else problem
        if self.value is not None:
            text += wording.got.format(value=_short(self.value))
        if self.fix:
            text += wording.fix.format(fix=self._filled(wording.translate(self.fix)))
        return " ".join(text.split())

    def _filled(self, template: str) -> str:
        return template.format(**self.fields) if self.fields else template


def _short(value: Any, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
