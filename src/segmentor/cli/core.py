"""``segmentor train``, ``predict`` and ``evaluate``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
import typer
from rich.console import Console, Group
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from segmentor import services
from segmentor.cli import app, history
from segmentor.cli.inputs import (
    HeaderRowOption,
    MappingOption,
    SheetOption,
    read_choices,
    terminal_text,
)
from segmentor.domain.schema import SEGMENTS
from segmentor.engines.local import BatchResult, score_file
from segmentor.errors import SegmentorError
from segmentor.io.readers import SUPPORTED
from segmentor.io.writers import refuse_overwriting_input
from segmentor.ml import registry, trained
from segmentor.ml.conformal import DEFAULT_COVERAGE, MAX_COVERAGE, MIN_COVERAGE
from segmentor.ml.evaluation import CVReport, cross_validate_model
from segmentor.paths import BUNDLED_TRAIN
from segmentor.settings import get_settings

console = Console(stderr=True)
out = Console()


class Engine(StrEnum):
    local = "local"
    dask = "dask"


ModelOption = Annotated[
    Path | None,
    typer.Option(
        "--model",
        help="Model directory (default: the registry's champion, else $SEGMENTOR_HOME/model).",
    ),
]
DataOption = Annotated[
    Path | None,
    typer.Option("--data", help="Labelled customers CSV (default: the bundled train.csv)."),
]


def model_directory(model: Path | None) -> Path:
    return model if model is not None else get_settings().model_path


def load_model(model: Path | None) -> trained.TrainedModel:
    """The model in ``model`` (or the default one), training the default first if needed."""
    with console.status("Loading the model…"):
        settings = get_settings()
        return services.load_model(
            model,
            settings.model_path,
            progress=console.print,
            cache_dir=settings.compiled_cache,
        )


@app.command()
def train(
    data: DataOption = None,
    model: ModelOption = None,
    cv: Annotated[
        bool,
        typer.Option(
            help="Cross-validate with --folds and print the figures. With --no-cv the card "
            "still holds the figures of the 5 out-of-fold fits that calibrate the sets."
        ),
    ] = True,
    folds: Annotated[int, typer.Option(min=2, max=20, help="Folds of the cross-validation.")] = 5,
) -> None:
    """Fit the segment model on labelled customers and save it."""
    path = data or BUNDLED_TRAIN
    with _progress() as progress:
        task = progress.add_task("Cross-validating" if cv else "Fitting", total=None)
        run = services.train_model(
            path,
            folds=folds if cv else None,
            fit_progress=lambda done, total, name: progress.update(
                task, completed=done, total=total, description=f"Cross-validating ({name})"
            ),
        )
    if run.cv is not None:
        out.print(
            f"{folds}-fold CV: accuracy {run.cv.accuracy_mean:.3f} ± {run.cv.accuracy_std:.3f}, "
            f"log loss {run.cv.log_loss_mean:.3f} ± {run.cv.log_loss_std:.3f}"
        )
    directory = model_directory(model)
    if model is None and registry.has_champion(get_settings().home.expanduser()):
        from segmentor.cli.models import register_trained

        directory = register_trained(run.model)
    else:
        trained.save(run.model, directory)
    rows = run.model.card["rows"]
    out.print(
        f"Model trained on {rows} customers in "
        f"{run.model.card['fit_seconds']} s, saved to {directory}"
    )


@app.command()
def predict(
    input: Annotated[
        Path, typer.Argument(help="Prospects: .csv (.gz, .zip), .xlsx, .xls, .ods or .parquet.")
    ],
    model: ModelOption = None,
    out_file: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Output file (.csv, .xlsx, .parquet). "
            "Default: <input name>.segments.csv beside the input.",
        ),
    ] = None,
    no_known: Annotated[
        bool, typer.Option("--no-known", help="Predict known customers too (no ID matching).")
    ] = False,
    save: Annotated[
        bool,
        typer.Option("--save", help="Also keep the scored batch in the database (see history)."),
    ] = False,
    accept_unknown: Annotated[
        bool,
        typer.Option(
            "--accept-unknown",
            help="Score even when a column's values are mostly unrecognised (each row then "
            "counts them as unknown, with a note).",
        ),
    ] = False,
    engine: Annotated[
        Engine,
        typer.Option(
            help="local: stream one file. dask: a folder or quoted glob of CSV/Parquet files "
            "on Dask, Parquet parts into the --out folder."
        ),
    ] = Engine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address (tcp://host:8786); default: a LocalCluster."),
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=256, help="LocalCluster worker processes (--engine dask).")
    ] = 2,
    coverage: Annotated[
        float,
        typer.Option(
            min=MIN_COVERAGE,
            max=MAX_COVERAGE,
            help="Probability that a prospect's Segment_Set holds its true segment.",
        ),
    ] = DEFAULT_COVERAGE,
    mapping: MappingOption = None,
    sheet: SheetOption = None,
    header_row: HeaderRowOption = None,
) -> None:
    """Predict the segment of every prospect in INPUT, one output row per input row."""
    if engine is Engine.dask:
        if mapping or sheet or header_row:
            raise SegmentorError(
                "--mapping, --sheet and --header-row are not available with --engine dask",
                fix="score the file with --engine local, or give the parts the schema's columns",
            )
        predict_on_dask(
            input, model, out_file, not no_known, save, scheduler, workers, coverage, accept_unknown
        )
        return
    target = out_file or default_output(input)
    chosen_mapping, options = read_choices(mapping, sheet, header_row)
    refuse_overwriting_input(input, target)
    fitted = load_model(model)
    digest = trained.file_sha256(input) if save else None
    saving = history.saving(save, input.name, fitted.version, digest)
    with saving as sink, _progress() as progress:
        task = progress.add_task(f"Scoring {input.name}", total=None)
        result = score_file(
            input,
            fitted,
            target,
            use_known=not no_known,
            on_chunk=lambda n: progress.advance(task, n),
            sink=sink,
            coverage=coverage,
            accept_unknown=accept_unknown,
            mapping=chosen_mapping,
            options=options,
        )
    print_summary(result, target)
    if sink is not None:
        from segmentor.cli.drift import keep_check_of_file

        keep_check_of_file(sink.batch_id, input, fitted)


def predict_on_dask(
    input: Path,
    model: Path | None,
    out_dir: Path | None,
    use_known: bool,
    save: bool,
    scheduler: str | None,
    workers: int,
    coverage: float = DEFAULT_COVERAGE,
    accept_unknown: bool = False,
) -> None:
    """``predict --engine dask``: score a folder or glob of files into Parquet parts."""
    from segmentor.engines.dask_engine import score_files

    if out_dir is None:
        raise SegmentorError(
            "the Dask engine writes Parquet parts into a folder",
            fix="give --out DIR (a new or empty folder)",
        )
    if save:
        raise SegmentorError(
            "--save is not available with --engine dask",
            fix="load the Parquet parts where they are needed, or score with --engine local",
        )
    load_model(model)  # trains the default model first if there is none
    where = scheduler or f"a local cluster of {workers} workers"
    with console.status(f"Scoring {input} on {where}…"):
        result = score_files(
            input,
            model_directory(model),
            out_dir,
            scheduler=scheduler,
            workers=workers,
            use_known=use_known,
            coverage=coverage,
            accept_unknown=accept_unknown,
        )
    print_summary(result, out_dir)


def default_output(input: Path) -> Path:
    """``<input name>.segments.csv`` beside the input (``x.csv.gz`` gives ``x.segments.csv``)."""
    if input.suffix.lower() not in SUPPORTED:
        return input.with_name(input.name + ".segments.csv")
    stem = input.stem
    if input.suffix.lower() in (".gz", ".zip") and Path(stem).suffix.lower() in SUPPORTED:
        stem = Path(stem).stem
    return input.with_name(f"{stem}.segments.csv")


def print_summary(result: BatchResult, target: Path) -> None:
    table = Table(title=f"{result.rows} prospects scored")
    table.add_column("Segment")
    table.add_column("Prospects", justify="right")
    table.add_column("Share", justify="right")
    for segment, count in result.segments.items():
        table.add_row(segment, str(count), f"{count / max(result.rows, 1):.1%}")
    out.print(table)
    # Printed on its own, never wrapped: a path broken mid-word cannot be copied.
    out.print(f"Output: {target}", soft_wrap=True, highlight=False, markup=False)
    out.print(
        f"Rows: {result.rows}   Known customers: {result.known}   "
        f"Rows with notes: {result.with_notes}"
    )
    layout = getattr(result, "layout", None)
    if layout is not None and layout.describe():
        out.print(f"Read: {terminal_text(layout.describe())}")
    mapped = getattr(result, "mapped", None)
    if mapped is not None and mapped.applied:
        out.print(f"Mapping applied: {terminal_text(mapped.describe())}")
    if result.notes:
        notes = Table(title="First row notes")
        for column in ("Row", "Column", "Value", "Problem"):
            notes.add_column(column)
        for note in result.notes[:10]:
            notes.add_row(
                str(note.row),
                terminal_text(note.column),
                terminal_text(note.value),
                terminal_text(note.problem),
            )
        out.print(notes)


@app.command()
def evaluate(
    data: DataOption = None,
    repeats: Annotated[int, typer.Option(min=1, max=10, help="CV repeats.")] = 3,
) -> None:
    """Repeated stratified 5-fold CV of the model beside majority and LightGBM baselines."""
    table = trained.load_training_table(data or BUNDLED_TRAIN)
    labels = table.frame["Segmentation"].astype(str).to_numpy()
    reports = _cross_validate(table.features, labels, n_splits=5, n_repeats=repeats, baselines=True)
    out.print(evaluation_tables(reports, repeats))


def _cross_validate(
    features: pd.DataFrame, labels: np.ndarray, *, n_splits: int, n_repeats: int, baselines: bool
) -> dict[str, CVReport]:
    with _progress() as progress:
        task = progress.add_task("Cross-validating", total=None)
        return cross_validate_model(
            features,
            labels,
            n_splits=n_splits,
            n_repeats=n_repeats,
            baselines=baselines,
            progress=lambda done, total, name: progress.update(
                task, completed=done, total=total, description=f"Cross-validating ({name})"
            ),
        )


def evaluation_tables(reports: dict[str, CVReport], repeats: int) -> Group:
    """The evaluate report: models side by side, then per-segment figures of the product."""
    plural = "s" if repeats != 1 else ""
    models = Table(title=f"Repeated stratified 5-fold CV ({repeats} repeat{plural}, same folds)")
    for column in ("Model", "Accuracy", "Log loss", "Fit s/fold"):
        models.add_column(column, justify="left" if column == "Model" else "right")
    for report in reports.values():
        models.add_row(
            report.name,
            f"{report.accuracy_mean:.4f} ± {report.accuracy_std:.4f}",
            f"{report.log_loss_mean:.4f} ± {report.log_loss_std:.4f}",
            f"{report.fit_seconds_mean:.1f}",
        )
    product = reports["segment model"]
    segments = Table(title="Segment model: per segment (summed over folds)")
    for column in ("Segment", "Precision", "Recall", *(f"→ {s}" for s in SEGMENTS)):
        segments.add_column(column, justify="right")
    for index, segment in enumerate(SEGMENTS):
        segments.add_row(
            segment,
            f"{product.precision[segment]:.3f}",
            f"{product.recall[segment]:.3f}",
            *(str(count) for count in product.confusion[index]),
        )
    return Group(models, segments)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
