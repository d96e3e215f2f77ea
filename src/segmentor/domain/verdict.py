"""The file-level verdict: were the file's columns read, or are their values mostly unknown?

Row notes say what went wrong with one value; a file whose Gender column holds "Homme" and
"Femme" gets a note on every row and would still be scored, every prospect as if its gender
were unknown: wrong segments that look right. :func:`file_verdict` looks at a parsed table's
notes as a whole and names each column whose present values are mostly not recognised
(unknown categories or text where a number is expected), with counts and the values found.
Numbers and codes only: the front ends turn it into a sentence
(:func:`segmentor.i18n` keys ``verdict.*``) or a :class:`SegmentorError`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from segmentor.domain.schema import FEATURES, CustomerTable
from segmentor.errors import SegmentorError

# A column is "mostly unrecognised" when more than this share of its present values are.
UNREAD_SHARE = 0.5
# Below this many present values a column is judged row by row (notes), not as a whole: one
# prospect sent to the API with an odd value is a note, not a refused request.
MIN_VALUES = 20
MAX_EXAMPLES = 5
UNREAD_KINDS = frozenset({"unknown_category", "not_a_number"})
WAY_OUT = (
    "map the values with --mapping FILE.yaml, or the mapping step of the app, or --accept-unknown"
)


@dataclass(frozen=True)
class UnreadColumn:
    """One column whose present values were mostly not recognised."""

    column: str
    present: int
    unread: int
    # The most frequent unrecognised values and how many rows hold each, most frequent first.
    examples: tuple[tuple[str, int], ...]

    @property
    def share(self) -> float:
        return self.unread / self.present


@dataclass(frozen=True)
class FileVerdict:
    """The verdict on a whole file: ``unread`` lists the columns that were not read."""

    source: str
    rows: int
    unread: tuple[UnreadColumn, ...]

    @property
    def ok(self) -> bool:
        return not self.unread

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "rows": self.rows,
            "unread_columns": [
                {
                    "column": column.column,
                    "present": column.present,
                    "unread": column.unread,
                    "examples": [{"value": v, "rows": n} for v, n in column.examples],
                }
                for column in self.unread
            ],
        }


def file_verdict(table: CustomerTable) -> FileVerdict:
    """Which of ``table``'s attribute columns are mostly unrecognised (see the module doc)."""
    unread_values: dict[str, Counter[str]] = {}
    for note in table.notes:
        if note.kind in UNREAD_KINDS:
            unread_values.setdefault(note.column, Counter())[note.value] += 1
    columns = []
    for column in FEATURES:
        counts = unread_values.get(column)
        if not counts:
            continue
        unread = sum(counts.values())
        present = unread + int(table.frame[column].notna().sum())
        if present >= MIN_VALUES and unread > UNREAD_SHARE * present:
            examples = tuple(counts.most_common(MAX_EXAMPLES))
            columns.append(UnreadColumn(column, present, unread, examples))
    return FileVerdict(table.source, len(table.frame), tuple(columns))


class UnreadColumns(SegmentorError):
    """The user error of a file whose columns were not read; ``verdict`` holds the figures
    (the app words them in the user's language, the API returns them beside the message)."""

    def __init__(self, verdict: FileVerdict, problem: str, column: str) -> None:
        super().__init__(problem, file=verdict.source, column=column, fix=WAY_OUT)
        self.verdict = verdict

    def __reduce__(self) -> tuple[object, ...]:  # picklable across Dask workers
        return (type(self), (self.verdict, self.problem, self.column))


def verdict_error(verdict: FileVerdict) -> UnreadColumns:
    """The verdict as the one-line user error of the CLI and the API (English)."""
    first = verdict.unread[0]
    others = [column.column for column in verdict.unread[1:]]
    values = ", ".join(f"{value!r} ({rows} rows)" for value, rows in first.examples)
    also = f"; also mostly unrecognised: {', '.join(others)}" if others else ""
    problem = (
        f"{first.unread} of {first.present} values were not recognised "
        f"(found {values}){also}; scored, they would all count as unknown"
    )
    return UnreadColumns(verdict, problem, first.column)


def require_read(table: CustomerTable) -> FileVerdict:
    """The verdict of ``table``; raises its :func:`verdict_error` if a column was not read."""
    verdict = file_verdict(table)
    if not verdict.ok:
        raise verdict_error(verdict)
    return verdict
