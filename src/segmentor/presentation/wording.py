"""Codes and numbers of the domain and the analysis, worded for people in English or French.

The domain and the analysis return figures (:class:`~segmentor.domain.verdict.FileVerdict`,
:class:`~segmentor.analysis.market.MarketCheck`); the CLI, the API and the app call these
functions to turn them into sentences, with :mod:`segmentor.i18n`'s messages and formats.
"""

from __future__ import annotations

from segmentor.analysis.market import MIN_COMPARED, MarketCheck
from segmentor.domain.verdict import FileVerdict
from segmentor.i18n import attribute_label, number, percent, t


def market_verdict(check: MarketCheck, lang: str = "en") -> str:
    """The market check in plain words."""
    counts = t(
        "market.counts" if check.known_excluded else "market.counts.no_known",
        lang,
        compared=number(check.compared, lang),
        existing=number(check.existing, lang),
        known=number(check.known_excluded, lang),
    )
    if check.level == "too_few":
        minimum = number(MIN_COMPARED, lang)
        return f"{t('market.verdict.too_few', lang, minimum=minimum)} {counts}"
    names = ", ".join(attribute_label(a, lang) for a in check.shifted_attributes())
    auc = number(check.auc or 0.0, lang, 2)
    text = t(f"market.verdict.{check.level}", lang, auc=auc, attributes=names or "-")
    return f"{text} {counts}"


def unread_columns_text(verdict: FileVerdict, lang: str = "en") -> str:
    """Why a file was not scored: each unread column, its values and the way out."""
    parts = []
    for column in verdict.unread:
        values = ", ".join(
            t("verdict.example", lang, value=value, rows=number(rows, lang))
            for value, rows in column.examples
        )
        parts.append(
            t(
                "verdict.column",
                lang,
                column=attribute_label(column.column, lang),
                unread=number(column.unread, lang),
                present=number(column.present, lang),
                share=percent(column.share, lang, 0),
                values=values,
            )
        )
    return " ".join([t("verdict.title", lang, file=verdict.source), *parts])
