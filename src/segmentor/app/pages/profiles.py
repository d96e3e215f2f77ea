"""Segment profiles: each segment among existing customers, and the prospects beside them."""

import pandas as pd
import streamlit as st

from segmentor.analysis import market
from segmentor.app import charts, common
from segmentor.domain.schema import CATEGORIES, FEATURES, TARGET
from segmentor.i18n import attribute_label, number, percent, t, value_label

lang = common.language()
st.title(t("profiles.title", lang))
st.caption(t("profiles.intro", lang))

dataset = common.current_dataset()
view = common.batch_view(dataset)
existing = common.existing()
st.info(
    f"{common.dataset_caption(dataset, len(view.frame), lang)} {t('dataset.elsewhere', lang)}",
    icon=":material/description:",
)

attribute = st.selectbox(
    t("profiles.attribute", lang),
    list(FEATURES),
    index=FEATURES.index("Age"),
    format_func=lambda column: attribute_label(column, lang),
    key="profile_attribute",
)
title = t("profiles.chart.title", lang, attribute=attribute_label(attribute, lang))
left, right = st.columns(2)
existing_profile = market.segment_profile(existing, existing[TARGET], attribute)
left.altair_chart(
    charts.profile_chart(
        existing_profile,
        attribute,
        f"{title} · {t('profiles.existing', lang, rows=number(len(existing), lang))}",
        lang,
    ),
    width="stretch",
)
prospect_profile = market.segment_profile(
    view.table.features, view.frame["Segmentation"], attribute
)
right.altair_chart(
    charts.profile_chart(
        prospect_profile,
        attribute,
        f"{title} · {t('profiles.prospects', lang, rows=number(len(view.frame), lang))}",
        lang,
    ),
    width="stretch",
)


def _glance(summary: pd.DataFrame) -> pd.DataFrame:
    shown = pd.DataFrame(index=summary.index)
    shown[t("col.customers", lang)] = summary["customers"].map(lambda n: number(n, lang))
    shown[t("col.share", lang)] = summary["share"].map(lambda s: percent(s, lang))
    for column in FEATURES:
        values = summary[column]
        if column in CATEGORIES:
            shown[attribute_label(column, lang)] = values.map(lambda v: value_label(v, lang))
        else:
            shown[attribute_label(column, lang)] = values.map(
                lambda v: "" if pd.isna(v) else number(v, lang, 0)
            )
    shown.index.name = t("segment", lang)
    return shown


st.subheader(t("profiles.glance", lang))
st.caption(t("profiles.glance.intro", lang))
tab_existing, tab_prospects = st.tabs(
    [t("profiles.glance.existing", lang), t("profiles.glance.prospects", lang)]
)
tab_existing.dataframe(
    _glance(market.segment_summary(existing.loc[:, list(FEATURES)], existing[TARGET]))
)
tab_prospects.dataframe(
    _glance(market.segment_summary(view.table.features, view.frame["Segmentation"]))
)
