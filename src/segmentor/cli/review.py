"""``segmentor review export BATCH`` and ``segmentor review import FILE``: the review queue in
a spreadsheet; ``segmentor outreach BATCH``: the CRM-ready list of a batch."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
import typer
from rich.console import Console

from segmentor.cli import app
from segmentor.cli.core import ModelOption, load_model
from segmentor.cli.history import settings_store
from segmentor.cli.playbook import existing_customers
from segmentor.domain.output import PROBABILITY_COLUMNS
from segmentor.domain.review import check_choice, whole_number
from segmentor.domain.schema import ID, parse_customers
from segmentor.errors import SegmentorError
from segmentor.io.readers import read_table
from segmentor.io.writers import write_table
from segmentor.presentation.crm import FORMATS, REVIEW_STATES, select_rows
from segmentor.presentation.outreach import batch_outreach, current_playbooks, top_reasons

out = Console()
review_app = typer.Typer(
    help="Prospects whose prediction set holds more than one segment: a person chooses.",
    no_args_is_help=True,
)
app.add_typer(review_app, name="review")

QUEUE_COLUMNS = ("Batch", "Row", "ID", "Segmentation", "Segment_Set", *PROBABILITY_COLUMNS)
CHOICE_COLUMN = "Chosen_Segment"


@review_app.command("export")
def export(
    batch: Annotated[int, typer.Argument(help="Batch number (see `segmentor history`).")],
    out_file: Annotated[Path, typer.Option("--out", help="Spreadsheet to write (.xlsx, .csv).")],
    all_rows: Annotated[
        bool, typer.Option("--all", help="Also the rows already reviewed.")
    ] = False,
) -> None:
    """Write the rows of BATCH that need a review, with an empty Chosen_Segment column."""
    store = settings_store()
    try:
        frame, rows = store.export_with_rows(batch, reviewed=False)
        reviews = store.reviews(batch)
    finally:
        store.close()
    needs = frame["Needs_Review"].to_numpy(dtype=bool).copy()
    if not all_rows:
        needs &= ~pd.Series(rows).isin(list(reviews)).to_numpy()
    queue = frame[needs].copy()
    queue.insert(0, "Row", rows[needs])
    queue.insert(0, "Batch", batch)
    queue = queue.loc[:, list(QUEUE_COLUMNS)]
    queue[CHOICE_COLUMN] = [reviews[r].segment if r in reviews else "" for r in rows[needs]]
    write_table(queue.reset_index(drop=True), out_file)
    out.print(f"{len(queue)} rows of batch {batch} to review written to {out_file}")


@review_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A review file written by `review export`.")],
    reviewer: Annotated[str, typer.Option("--reviewer", help="Who reviewed (stored).")],
) -> None:
    """Store the segments chosen in FILE's Chosen_Segment column (blank rows are skipped)."""
    raw = read_table(file)
    missing = [c for c in ("Batch", "Row", "ID", CHOICE_COLUMN) if c not in raw.columns]
    if missing:
        raise SegmentorError(
            f"column(s) missing: {', '.join(missing)}",
            file=str(file),
            fix="start from a file written by `segmentor review export`",
        )
    chosen = raw[raw[CHOICE_COLUMN].fillna("").astype(str).str.strip() != ""]
    batches = chosen["Batch"].astype(str).str.strip().unique()
    if len(batches) > 1:
        raise SegmentorError(
            "the file mixes batches", file=str(file), fix="import one batch's file at a time"
        )
    if len(chosen) == 0:
        out.print(f"No segment chosen in {file}: nothing stored.")
        return
    batch = whole_number(batches[0])
    if batch is None:
        raise SegmentorError(
            "the Batch column does not hold a batch number",
            file=str(file),
            value=batches[0],
            fix="start from a file written by `segmentor review export`",
        )
    store = settings_store()
    try:
        frame, rows = store.export_with_rows(batch, reviewed=False)
        ids = dict(zip(rows.tolist(), frame["ID"].astype(str), strict=True))
        choices = []
        for line, (row, customer, segment) in enumerate(
            zip(chosen["Row"], chosen["ID"], chosen[CHOICE_COLUMN], strict=True)
        ):
            choice = check_choice(row, segment, len(rows), str(file))
            if ids.get(choice.row) != str(customer).strip():
                raise SegmentorError(
                    f"row {choice.row} of batch {batch} is ID {ids.get(choice.row)}, "
                    f"not {customer}",
                    file=str(file),
                    row=int(chosen.index[line]) + 2,
                    fix="do not edit the Row and ID columns of the review file",
                )
            choices.append(choice)
        stored = store.add_reviews(batch, choices, reviewer)
    finally:
        store.close()
    skipped = len(raw) - len(chosen)
    out.print(
        f"{stored} reviews stored for batch {batch}; {skipped} rows left blank are still to review"
    )


@app.command()
def outreach(
    batch: Annotated[int, typer.Argument(help="Batch number (see `segmentor history`).")],
    out_file: Annotated[Path, typer.Option("--out", help="The list to write (.csv, .xlsx).")],
    format: Annotated[str, typer.Option(help=f"CRM format: {', '.join(FORMATS)}.")] = "generic",
    segment: Annotated[str | None, typer.Option(help="Only this segment.")] = None,
    state: Annotated[
        str | None,
        typer.Option(help=f"Only rows in this review state: {', '.join(REVIEW_STATES)}."),
    ] = None,
    campaign: Annotated[str, typer.Option(help="Salesforce Campaign ID.")] = "",
    lang: Annotated[str, typer.Option(help="Headers of the generic list: en or fr.")] = "en",
    prospects: Annotated[
        Path | None,
        typer.Option(help="The batch's prospect file: fills the reason columns."),
    ] = None,
    model: ModelOption = None,
) -> None:
    """The CRM-ready outreach list of BATCH: each row's segment with its playbook."""
    store = settings_store()
    try:
        playbooks = current_playbooks(store, existing_customers(), lang)
        reasons = None
        if prospects is not None:
            scored = store.export(batch)
            wanted = select_rows(scored, segment=segment, state=state).to_numpy()
            reasons = file_reasons(prospects, scored, wanted, model, lang)
        frame = batch_outreach(
            store,
            batch,
            playbooks,
            format=format,
            segment=segment,
            state=state,
            lang=lang,
            campaign_id=campaign,
            reasons=reasons,
        )
    finally:
        store.close()
    write_table(frame, out_file)
    out.print(f"{len(frame)} rows of batch {batch} written to {out_file} ({format})")


def file_reasons(
    path: Path, scored: pd.DataFrame, wanted: np.ndarray, model: Path | None, lang: str
) -> list[list[str]]:
    """The top reasons of the ``wanted`` batch rows (others: none), from the prospect file
    the batch was scored from (explaining only the rows exported keeps it quick)."""
    table = parse_customers(read_table(path), str(path))
    ids = table.frame[ID].astype("string").fillna("").to_numpy()
    if len(ids) != len(scored) or (ids != scored["ID"].astype(str).to_numpy()).any():
        raise SegmentorError(
            f"the file's rows are not those of the batch ({len(ids)} rows, {len(scored)} in "
            "the batch)",
            file=str(path),
            fix="give the prospect file the batch was scored from",
        )
    reasons: list[list[str]] = [[] for _ in range(len(scored))]
    rows = np.flatnonzero(wanted)
    found = top_reasons(
        load_model(model),
        table.features.iloc[rows],
        scored["Segmentation"].iloc[rows],
        lang,
    )
    for row, row_reasons in zip(rows, found, strict=True):
        reasons[row] = row_reasons
    return reasons
