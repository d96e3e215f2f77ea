"""The ``sereadipity`` command: thin Typer commands over :mod:`sereadipity.recommend`.

User errors (:class:`SereadipityError`) become one line on stderr and exit code 2, by the
exit rule both commands share (:mod:`foundation.cli`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from foundation.cli import user_error_group

app = typer.Typer(
    cls=user_error_group("sereadipity", "nothing was written"),
    help="SeREADipity: books like the ones you enjoyed.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

DEFAULT_WEIGHTS_TEXT = "synopsis=5,genre=5,period=0,award=1"  # = recommend.DEFAULT_WEIGHTS
CatalogOption = Annotated[
    Path | None,
    typer.Option("--catalog", help="Catalogue CSV with the bundled columns (default: bundled)."),
]
CacheOption = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir", envvar="SEREADIPITY_CACHE_DIR", help="Where embeddings are cached."
    ),
]


@app.command()
def recommend(
    titles: Annotated[list[str], typer.Argument(help="Books you enjoyed (prefix or fuzzy).")],
    weights: Annotated[
        str, typer.Option(help="Slider values 0-10; criteria not named get 0.")
    ] = DEFAULT_WEIGHTS_TEXT,
    top: Annotated[int, typer.Option(min=1, max=100, help="How many books.")] = 10,
    same_author_max: Annotated[
        int, typer.Option(min=1, max=100, help="At most this many books by one author.")
    ] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    catalog: CatalogOption = None,
    cache_dir: CacheOption = None,
) -> None:
    """Recommend books like TITLE(s), ranked by the weighted similarity."""
    from sereadipity.recommend import Recommender, parse_weights

    parsed = parse_weights(weights)
    recommender = Recommender.from_catalog(catalog, cache_dir, progress=True)
    rows = [recommender.find(title) for title in titles]
    results = recommender.recommend(rows, parsed, top, same_author_max)
    if as_json:
        payload = {"recommendations": [r.as_dict() for r in results]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    liked = ", ".join(recommender.catalog["title"].iloc[r] for r in rows)
    _print_table(results, f"Because you enjoyed: {liked}")


def _print_table(results: list, caption: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=caption, title_justify="left")
    from sereadipity.i18n import describe

    names = ("#", "Title", "Author", "Years", "Score", "Synopsis", "Genre", "Period", "Award")
    for name in names:
        numeric = name in {"#", "Score", "Synopsis", "Genre", "Period", "Award"}
        if numeric or name == "Years":
            table.add_column(
                name, justify="right" if numeric else "left", no_wrap=True, min_width=len(name)
            )
        else:
            table.add_column(
                name, overflow="ellipsis", no_wrap=True, max_width=60 if name == "Title" else 28
            )
    table.add_column("Why", overflow="fold", min_width=30)
    for r in results:
        parts = [f"{r.components[k]:.2f}" for k in ("synopsis", "genre", "period", "award")]
        row = (str(r.rank), r.title, r.author, r.years, f"{r.score:.3f}", *parts)
        table.add_row(*row, describe(r.why, "en"))
    console = Console()
    # Piped output has no terminal width; give long titles room instead of Rich's 80 columns.
    (console if console.is_terminal else Console(width=220)).print(table)


@app.command()
def books(
    query: Annotated[str | None, typer.Argument(help="Words of a title or author.")] = None,
    catalog: CatalogOption = None,
) -> None:
    """List the catalogue, or the books whose title or author contains QUERY."""
    from rich.console import Console
    from rich.table import Table

    from sereadipity.catalog import load_catalog, search_books

    frame = search_books(load_catalog(catalog), query or "")
    table = Table(title=f"{len(frame)} books", title_justify="left")
    for name in ("Title", "Author", "Years", "Award"):
        table.add_column(name, overflow="fold")
    for _, book in frame.iterrows():
        table.add_row(book["title"], book["author"], book["years"], "★" if book["award"] else "")
    Console().print(table)


def main() -> None:
    """Console-script entry point."""
    app()
