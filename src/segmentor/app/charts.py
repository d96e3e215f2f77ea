"""The app's Altair charts. Each segment has one colour everywhere, in every chart."""

from __future__ import annotations

import altair as alt
import pandas as pd

from segmentor.analysis.market import PSI_MAJOR, PSI_MODERATE, value_order
from segmentor.domain.schema import SEGMENTS
from segmentor.i18n import attribute_label, percent, t, value_label

SEGMENT_COLOURS: dict[str, str] = {"A": "#4E79A7", "B": "#F28E2B", "C": "#59A14F", "D": "#B07AA1"}
LEVEL_COLOURS: dict[str, str] = {"similar": "#8CB369", "moderate": "#F4A259", "major": "#BC4B51"}
PUSH_COLOURS = ("#3A7D44", "#B5B5B5")  # toward, away


def segment_colour(field: str = "segment", title: str | None = None) -> alt.Color:
    """Colour encoding of the segments A-D with the app-wide palette."""
    scale = alt.Scale(domain=list(SEGMENTS), range=list(SEGMENT_COLOURS.values()))
    return alt.Color(f"{field}:N", scale=scale, title=title, legend=None)


def counts_chart(counts: dict[str, int], lang: str) -> alt.Chart:
    """Bars of prospects per segment, labelled with the count."""
    data = pd.DataFrame({"segment": list(counts), "count": list(counts.values())})
    base = alt.Chart(data).encode(
        x=alt.X(
            "segment:N", title=t("segment", lang), sort=list(SEGMENTS), axis=alt.Axis(labelAngle=0)
        ),
        y=alt.Y("count:Q", title=t("batch.chart.count", lang)),
    )
    bars = base.mark_bar(cornerRadiusTopLeft=3, cornerRadiusTopRight=3).encode(
        color=segment_colour(),
        tooltip=[
            alt.Tooltip("segment:N", title=t("segment", lang)),
            alt.Tooltip("count:Q", title=t("batch.chart.count", lang)),
        ],
    )
    labels = base.mark_text(dy=-7).encode(text="count:Q")
    return (bars + labels).properties(title=t("batch.chart.counts", lang), height=260)


def probability_chart(probabilities: dict[str, float], lang: str) -> alt.Chart:
    """Horizontal bars of the four segment probabilities, as percentages."""
    data = pd.DataFrame(
        {"segment": list(probabilities), "probability": list(probabilities.values())}
    )
    data["label"] = data["probability"].map(lambda p: percent(p, lang, 0))
    base = alt.Chart(data).encode(
        y=alt.Y("segment:N", title=None, sort=list(SEGMENTS), axis=alt.Axis(labelOverlap=False)),
        x=alt.X(
            "probability:Q",
            title=t("prospect.chart.probability", lang),
            scale=alt.Scale(domain=[0, 1]),
            axis=alt.Axis(format="%"),
        ),
    )
    bars = base.mark_bar(cornerRadiusEnd=3).encode(color=segment_colour())
    labels = base.mark_text(align="left", dx=4).encode(text="label:N")
    return (bars + labels).properties(title=t("prospect.chart.probabilities", lang), height=200)


def reasons_chart(reasons: pd.DataFrame, segment: str, lang: str) -> alt.Chart:
    """Diverging bars: how much each attribute (with its value) pushes toward ``segment``."""
    data = pd.DataFrame({"push": reasons["push"].to_numpy()})
    data["label"] = [
        f"{attribute_label(a, lang)}: {value_label(v, lang)}"
        for a, v in zip(reasons["attribute"], reasons["value"], strict=True)
    ]
    data["direction"] = [
        t("prospect.direction.toward" if push >= 0 else "prospect.direction.away", lang)
        for push in data["push"]
    ]
    colour = alt.Color(
        "direction:N",
        scale=alt.Scale(
            domain=[t("prospect.direction.toward", lang), t("prospect.direction.away", lang)],
            range=list(PUSH_COLOURS),
        ),
        legend=None,
    )
    return (
        alt.Chart(data)
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            y=alt.Y(
                "label:N",
                title=None,
                sort=data["label"].tolist(),
                axis=alt.Axis(labelLimit=260, labelOverlap=False),
            ),
            x=alt.X("push:Q", title=t("prospect.chart.push", lang, segment=segment)),
            color=colour,
            tooltip=[
                alt.Tooltip("label:N", title=t("prospect.chart.attribute", lang)),
                alt.Tooltip(
                    "push:Q", format="+.3f", title=t("prospect.chart.push", lang, segment=segment)
                ),
            ],
        )
        .properties(title=t("prospect.chart.reasons", lang, segment=segment), height=300)
    )


def profile_chart(profile: pd.DataFrame, attribute: str, title: str, lang: str) -> alt.Chart:
    """Grouped bars: the share of each segment's customers in each value of ``attribute``."""
    data = profile.copy()
    data["value_label"] = data["value"].map(lambda value: value_label(value, lang))
    order = [value_label(value, lang) for value in value_order(attribute)]
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "value_label:N",
                sort=order,
                title=attribute_label(attribute, lang),
                axis=alt.Axis(labelAngle=-30),
            ),
            xOffset=alt.XOffset("segment:N", sort=list(SEGMENTS)),
            y=alt.Y(
                "share:Q",
                title=t("profiles.chart.share", lang),
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, max(0.05, float(data["share"].max()))]),
            ),
            color=alt.Color(
                "segment:N",
                scale=alt.Scale(domain=list(SEGMENTS), range=list(SEGMENT_COLOURS.values())),
                title=t("segment", lang),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("segment:N", title=t("segment", lang)),
                alt.Tooltip("value_label:N", title=attribute_label(attribute, lang)),
                alt.Tooltip("share:Q", format=".1%", title=t("profiles.chart.share", lang)),
                alt.Tooltip("count:Q", title=t("col.customers", lang)),
            ],
        )
        .properties(title=title, height=340)
    )


def psi_chart(drift: pd.DataFrame, lang: str) -> alt.LayerChart:
    """Bars of each attribute's PSI, coloured by level, with the two thresholds as rules."""
    data = drift.loc[:, ["attribute", "psi", "level"]].copy()
    data["label"] = data["attribute"].map(lambda a: attribute_label(a, lang))
    data["level_label"] = data["level"].map(lambda level: t(f"market.level.{level}", lang))
    levels = list(LEVEL_COLOURS)
    colour = alt.Color(
        "level_label:N",
        scale=alt.Scale(
            domain=[t(f"market.level.{level}", lang) for level in levels],
            range=list(LEVEL_COLOURS.values()),
        ),
        title=t("col.level", lang),
        legend=alt.Legend(orient="top"),
    )
    bars = (
        alt.Chart(data)
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            y=alt.Y(
                "label:N",
                sort=data["label"].tolist(),
                title=None,
                axis=alt.Axis(labelLimit=260, labelOverlap=False),
            ),
            x=alt.X("psi:Q", title=t("col.psi", lang)),
            color=colour,
            tooltip=[
                alt.Tooltip("label:N", title=t("col.attribute", lang)),
                alt.Tooltip("psi:Q", format=".3f", title=t("col.psi", lang)),
            ],
        )
    )
    rules = (
        alt.Chart(pd.DataFrame({"psi": [PSI_MODERATE, PSI_MAJOR]}))
        .mark_rule(strokeDash=[4, 4], color="#888888")
        .encode(x="psi:Q")
    )
    return (bars + rules).properties(title=t("market.chart.psi", lang), height=320)
