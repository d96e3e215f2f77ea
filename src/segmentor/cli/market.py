"""``segmentor check-market``: does a prospect file look like the existing customers?"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from segmentor import services
from segmentor.analysis import market
from segmentor.cli import app
from segmentor.cli.core import ModelOption, load_model, out
from segmentor.cli.inputs import HeaderRowOption, MappingOption, SheetOption, read_choices
from segmentor.domain.schema import parse_customers
from segmentor.i18n import attribute_label, number, percent, t, value_label
from segmentor.io.readers import read_table
from segmentor.presentation.wording import market_verdict
from segmentor.settings import get_settings

_LEVEL_STYLES = {"similar": "green", "moderate": "yellow", "major": "red", "too_few": "blue"}


@app.command("check-market")
def check_market(
    input: Annotated[Path, typer.Argument(help="Prospects: .csv, .xlsx or .parquet.")],
    model: ModelOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Verdict language: en or fr (default: SEGMENTOR_LANG)."),
    ] = None,
    mapping: MappingOption = None,
    sheet: SheetOption = None,
    header_row: HeaderRowOption = None,
) -> None:
    """Compare INPUT's new prospects with the existing customers (PSI, tests, classifier AUC)."""
    language = lang or get_settings().lang
    chosen_mapping, options = read_choices(mapping, sheet, header_row)
    fitted = load_model(model)
    table = parse_customers(read_table(input, options), str(input), mapping=chosen_mapping)
    existing = services.existing_customers(fitted)
    report = market.check_market(table, existing, fitted.known)
    if as_json:
        verdict = market_verdict(report, "en")
        typer.echo(
            json.dumps({**report.to_dict(), "verdict": verdict}, indent=2, ensure_ascii=False)
        )
    else:
        print_report(report, input, language)


def print_report(report: market.MarketCheck, input: Path, lang: str) -> None:
    """The per-attribute table, the classifier AUC and the verdict, in the terminal."""
    table = Table(title=f"{input.name}: {t('market.title', lang)}")
    for heading, justify in (
        ("col.attribute", "left"),
        ("col.psi", "right"),
        ("col.level", "left"),
        ("col.shifted_value", "left"),
        ("col.existing_share", "right"),
        ("col.new_share", "right"),
        ("col.p_value", "right"),
    ):
        table.add_column(t(heading, lang), justify=justify)  # type: ignore[arg-type]
    for row in report.drift.itertuples():
        style = _LEVEL_STYLES[row.level]
        table.add_row(
            attribute_label(row.attribute, lang),
            number(row.psi, lang, 3),
            f"[{style}]{t(f'market.level.{row.level}', lang)}[/]",
            value_label(row.shifted_value, lang),
            percent(row.existing_share, lang),
            percent(row.new_share, lang),
            "-" if row.p_value != row.p_value else number(row.p_value, lang, 3),
        )
    out.print(table)
    out.print(t("market.p_value_note", lang), style="dim")
    auc = "-"
    if report.auc is not None:
        auc = f"{number(report.auc, lang, 3)} ± {number(report.auc_std or 0.0, lang, 3)}"
    colon = " :" if lang == "fr" else ":"
    out.print(f"{t('market.metric.auc', lang)}{colon} {auc}")
    out.print(f"[{_LEVEL_STYLES[report.level]}]{market_verdict(report, lang)}[/]")
