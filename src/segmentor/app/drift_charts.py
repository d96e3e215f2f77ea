"""Altair charts of the drift page: one measure per batch over time, with its thresholds."""

from __future__ import annotations

import altair as alt
import pandas as pd

from segmentor.analysis.market import AUC_MAJOR, AUC_SIMILAR, PSI_MAJOR, PSI_MODERATE
from segmentor.app.charts import LEVEL_COLOURS
from segmentor.i18n import t

THRESHOLDS = {
    "psi_max": (PSI_MODERATE, PSI_MAJOR),
    "auc": (AUC_SIMILAR, AUC_MAJOR),
}


def measure_chart(frame: pd.DataFrame, measure: str, title: str, lang: str) -> alt.Chart:
    """A line of ``measure`` per batch (x: when it was scored), threshold rules beside it."""
    data = frame.loc[frame[measure].notna(), ["batch_id", "created", "source_name", measure]]
    base = alt.Chart(data).encode(
        x=alt.X("created:T", title=t("col.created", lang)),
        y=alt.Y(f"{measure}:Q", title=title),
        tooltip=[
            alt.Tooltip("batch_id:Q", title=t("col.batch", lang)),
            alt.Tooltip("source_name:N", title=t("col.file", lang)),
            alt.Tooltip(f"{measure}:Q", format=".3f"),
        ],
    )
    chart = base.mark_line(point=True)
    for value, level in zip(THRESHOLDS.get(measure, ()), ("moderate", "major"), strict=False):
        rule = alt.Chart(pd.DataFrame({"y": [value]})).mark_rule(
            color=LEVEL_COLOURS[level], strokeDash=[4, 4]
        )
        chart = chart + rule.encode(y="y:Q")
    return chart.properties(title=title, height=220)


def live_chart(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Live accuracy per batch with its 95 % Wilson interval."""
    data = frame.loc[frame["live_accuracy"].notna()]
    base = alt.Chart(data).encode(x=alt.X("created:T", title=t("col.created", lang)))
    band = base.mark_errorbar().encode(
        y=alt.Y("live_low:Q", title=t("drift.col.live", lang), scale=alt.Scale(domain=[0, 1])),
        y2="live_high:Q",
    )
    points = base.mark_line(point=True).encode(
        y="live_accuracy:Q",
        tooltip=[
            alt.Tooltip("batch_id:Q", title=t("col.batch", lang)),
            alt.Tooltip("model_version:N", title=t("col.model", lang)),
            alt.Tooltip("live_accuracy:Q", format=".3f"),
            alt.Tooltip("feedback_rows:Q", title=t("drift.col.feedback", lang)),
        ],
    )
    return (band + points).properties(title=t("drift.chart.live", lang), height=220)
