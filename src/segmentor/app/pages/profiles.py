"""Segment profiles: each segment among existing customers, and the prospects beside them."""

import streamlit as st

from segmentor.analysis import market, personas
from segmentor.app import charts, common
from segmentor.domain.schema import FEATURES, TARGET
from segmentor.i18n import attribute_label, number, t
from segmentor.presentation.personas import traits_table

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


st.subheader(t("profiles.glance", lang))
st.caption(t("profiles.traits.intro", lang))
tab_existing, tab_prospects = st.tabs(
    [t("profiles.glance.existing", lang), t("profiles.glance.prospects", lang)]
)
tab_existing.dataframe(
    traits_table(
        personas.distinguishing_traits(existing.loc[:, list(FEATURES)], existing[TARGET]), lang
    )
)
tab_prospects.dataframe(
    traits_table(
        personas.distinguishing_traits(view.table.features, view.frame["Segmentation"]), lang
    )
)
