"""Draft personas in words: "2.9x more Healthcare, median age 29, 72% never married"."""

from __future__ import annotations

import pandas as pd

from segmentor.analysis.personas import Lift, Median, Traits
from segmentor.i18n import attribute_label, number, percent, t, value_label


def persona_text(traits: Traits, lang: str = "en") -> str:
    """The traits in one line, strongest first."""
    parts = [_lift_text(lift, lang) for lift in traits.lifts]
    parts += [_median_text(median, lang) for median in traits.medians]
    return ", ".join(parts)


def _lift_text(lift: Lift, lang: str) -> str:
    ratio = number(lift.lift, lang, 1)
    if lift.attribute in _YES_NO:
        key = _YES_NO[lift.attribute][lift.value == "Yes"]
        return t(key, lang, share=percent(lift.share, lang, 0), lift=ratio)
    if lift.attribute == "Spending_Score":
        return t("persona.spending", lang, lift=ratio, value=value_label(lift.value, lang).lower())
    value = value_label(lift.value, lang)
    if lift.attribute in ("Gender", "Profession", "Var_1"):
        return t("persona.more", lang, lift=ratio, value=value)
    return t(
        "persona.more_of",
        lang,
        lift=ratio,
        attribute=attribute_label(lift.attribute, lang).lower(),
        value=value,
    )


_YES_NO = {
    "Ever_Married": ("persona.never_married", "persona.married"),
    "Graduated": ("persona.not_graduated", "persona.graduated"),
}


def _median_text(median: Median, lang: str) -> str:
    return t(
        "persona.median",
        lang,
        attribute=attribute_label(median.attribute, lang).lower(),
        value=number(median.median, lang, 0),
        overall=number(median.overall, lang, 0),
    )


def traits_table(traits: dict[str, Traits], lang: str = "en") -> pd.DataFrame:
    """One row per segment: customers, share and the persona line (for the profiles page)."""
    rows = {
        segment: {
            t("col.customers", lang): number(item.customers, lang),
            t("col.share", lang): percent(item.share, lang),
            t("persona.traits", lang): persona_text(item, lang),
        }
        for segment, item in traits.items()
    }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = t("segment", lang)
    return table
