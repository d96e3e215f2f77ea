"""Drift over time: PSI, classifier AUC and live accuracy per scored batch; the models."""

import pandas as pd
import streamlit as st

from segmentor.analysis.drift import drift_frame, drift_series
from segmentor.app import common, drift_charts, history_store
from segmentor.errors import SegmentorError
from segmentor.i18n import error_text, t
from segmentor.io import registry

lang = common.language()


def level_label(level: object) -> str:
    if level in ("similar", "moderate", "major"):
        return t(f"market.level.{level}", lang)
    return t("drift.level.too_few" if level == "too_few" else "drift.level.none", lang)


st.title(t("drift.title", lang))
st.caption(t("drift.intro", lang))

try:
    store = history_store.store()
    frame = drift_frame(drift_series(store, limit=500))
    versions = registry.list_versions(store)
except SegmentorError as error:
    st.error(t("drift.error", lang, message=error_text(error, lang)), icon=":material/error:")
    st.stop()

if frame.empty:
    st.info(t("drift.empty", lang), icon=":material/timeline:")
else:
    frame["created"] = pd.to_datetime(frame["created"], utc=True)
    left, right = st.columns(2)
    left.altair_chart(
        drift_charts.measure_chart(frame, "psi_max", t("drift.chart.psi", lang), lang),
        width="stretch",
    )
    right.altair_chart(
        drift_charts.measure_chart(frame, "auc", t("drift.chart.auc", lang), lang),
        width="stretch",
    )
    if frame["live_accuracy"].notna().any():
        st.altair_chart(drift_charts.live_chart(frame, lang), width="stretch")
    st.dataframe(
        pd.DataFrame(
            {
                t("col.batch", lang): frame["batch_id"],
                t("col.created", lang): frame["created"].dt.strftime("%Y-%m-%d %H:%M"),
                t("col.file", lang): frame["source_name"],
                t("col.model", lang): frame["model_version"],
                t("drift.col.psi", lang): frame["psi_max"].round(3),
                t("drift.col.psi_attribute", lang): frame["psi_attribute"],
                t("drift.col.auc", lang): frame["auc"].round(3),
                t("drift.col.level", lang): frame["level"].map(level_label),
                t("drift.col.feedback", lang): frame["feedback_rows"],
                t("drift.col.live", lang): frame["live_accuracy"].round(3),
            }
        ),
        hide_index=True,
    )

st.subheader(t("drift.models", lang))
if not versions:
    st.caption(t("drift.models.none", lang))
else:
    st.dataframe(
        pd.DataFrame(
            {
                t("drift.col.champion", lang): ["★" if v.is_champion else "" for v in versions],
                t("drift.col.version", lang): [v.version for v in versions],
                t("col.created", lang): [v.created.strftime("%Y-%m-%d %H:%M") for v in versions],
                t("col.rows", lang): [v.rows for v in versions],
                t("drift.col.cv", lang): [v.cv_accuracy for v in versions],
                t("drift.col.promoted_by", lang): [v.promoted_by or "" for v in versions],
            }
        ),
        hide_index=True,
    )
