"""Market check: do the file's new prospects look like the existing customers?"""

import streamlit as st

from segmentor.analysis import market
from segmentor.app import charts, common
from segmentor.domain.verdict import UnreadColumns
from segmentor.i18n import attribute_label, number, percent, t, value_label
from segmentor.presentation.wording import market_verdict, unread_columns_text

lang = common.language()
st.title(t("market.title", lang))
st.caption(t("market.intro", lang))

dataset = common.current_dataset()
view = common.batch_view(dataset)
st.info(
    f"{common.dataset_caption(dataset, len(view.frame), lang)} {t('dataset.elsewhere', lang)}",
    icon=":material/description:",
)
try:
    check = common.market_check(dataset)
except UnreadColumns as error:
    st.error(t("verdict.market", lang), icon=":material/block:")
    st.warning(unread_columns_text(error.verdict, lang), icon=":material/table_view:")
    st.caption(t("verdict.way_out", lang))
    st.stop()

verdict = market_verdict(check, lang)
box = {"similar": st.success, "moderate": st.warning, "major": st.error}.get(check.level, st.info)
box(verdict, icon=":material/fact_check:")

cells = st.columns(4)
cells[0].metric(t("market.metric.rows", lang), number(check.rows, lang))
cells[1].metric(t("market.metric.known", lang), number(check.known_excluded, lang))
cells[2].metric(t("market.metric.compared", lang), number(check.compared, lang))
auc = "–" if check.auc is None else number(check.auc, lang, 2)
cells[3].metric(t("market.metric.auc", lang), auc, help=t("market.metric.auc_help", lang))

if not check.drift.empty:
    st.altair_chart(charts.psi_chart(check.drift, lang), width="stretch")
    st.subheader(t("market.table", lang))
    table = check.drift.copy()
    table["attribute"] = table["attribute"].map(lambda a: attribute_label(a, lang))
    table["level"] = table["level"].map(lambda level: t(f"market.level.{level}", lang))
    table["test"] = table["test"].map(lambda test: t(f"market.test.{test}", lang))
    table["shifted_value"] = table["shifted_value"].map(lambda v: value_label(v, lang))
    table["existing_share"] = table["existing_share"].map(lambda s: percent(s, lang))
    table["new_share"] = table["new_share"].map(lambda s: percent(s, lang))
    st.dataframe(
        table,
        hide_index=True,
        column_order=[
            "attribute",
            "psi",
            "level",
            "shifted_value",
            "existing_share",
            "new_share",
            "test",
            "p_value",
        ],
        column_config={
            "attribute": t("col.attribute", lang),
            "psi": st.column_config.NumberColumn(t("col.psi", lang), format="%.3f"),
            "level": t("col.level", lang),
            "shifted_value": t("col.shifted_value", lang),
            "existing_share": t("col.existing_share", lang),
            "new_share": t("col.new_share", lang),
            "test": t("col.test", lang),
            "p_value": st.column_config.NumberColumn(t("col.p_value", lang), format="%.3f"),
        },
    )

with st.expander(t("market.method", lang), icon=":material/help:"):
    st.markdown(t("market.method.text", lang))
    st.caption(
        t(
            "market.thresholds",
            lang,
            psi_moderate=number(market.PSI_MODERATE, lang, 2),
            psi_major=number(market.PSI_MAJOR, lang, 2),
            auc_similar=number(market.AUC_SIMILAR, lang, 2),
            auc_major=number(market.AUC_MAJOR, lang, 2),
        )
    )
