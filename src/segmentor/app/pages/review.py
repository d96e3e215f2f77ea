"""Review queue: the prospects whose prediction set holds more than one segment; a person
chooses, the choice is stored (who, when) and used in every export of the batch."""

import numpy as np
import pandas as pd
import streamlit as st

from segmentor.analysis import explain
from segmentor.app import common, history_store
from segmentor.domain.output import PROBABILITY_COLUMNS
from segmentor.domain.review import ReviewChoice
from segmentor.domain.schema import FEATURES, SEGMENTS
from segmentor.errors import SegmentorError
from segmentor.i18n import attribute_label, error_text, percent, t, value_label
from segmentor.ml.conformal import DEFAULT_COVERAGE, MAX_COVERAGE, MIN_COVERAGE, set_labels
from segmentor.presentation.crm import FORMATS, REVIEW_STATES
from segmentor.presentation.outreach import batch_outreach, current_playbooks, top_reasons

PAGE_ROWS = 10

lang = common.language()
st.title(t("review.title", lang))
dataset = common.current_dataset()
view = common.batch_view(dataset)
model = common.model()
batch_id = history_store.save_upload(dataset, view, lang)
if batch_id is None:
    st.stop()
store = history_store.store()

coverage = st.slider(
    t("review.coverage", lang),
    min_value=MIN_COVERAGE,
    max_value=MAX_COVERAGE,
    value=DEFAULT_COVERAGE,
    step=0.01,
    key="review_coverage",
)
st.caption(t("review.intro", lang, coverage=percent(coverage, lang, 0)))

frame = view.frame
probabilities = frame.loc[:, list(PROBABILITY_COLUMNS)].to_numpy()
sets = frame["Segment_Set"].to_numpy(dtype=object).copy()
scored_by_model = (frame["Source"] == "model").to_numpy()
if model.sets is not None and scored_by_model.any():
    members = model.sets.predict(probabilities[scored_by_model], coverage)
    sets[scored_by_model] = set_labels(members)
reviews = store.reviews(batch_id)
rows = np.arange(1, len(frame) + 1)
needs = np.array([len(str(s)) > 1 for s in sets]) & scored_by_model
pending = [int(r) for r in rows[needs] if int(r) not in reviews]
st.info(
    t(
        "review.counts",
        lang,
        pending=len(pending),
        reviewed=len(reviews),
        rows=len(frame),
        batch=batch_id,
    ),
    icon=":material/fact_check:",
)
reviewer = st.text_input(t("review.reviewer", lang), key="reviewer")

if not pending:
    st.success(t("review.none", lang))
else:
    existing = common.existing()
    with st.form("review_form"):
        choices: dict[int, str] = {}
        for row in pending[:PAGE_ROWS]:
            index = row - 1
            candidates = str(sets[index]).split("|")
            customer = frame.at[index, "ID"]
            with st.expander(t("review.prospect", lang, id=customer, row=row), expanded=True):
                left, middle = st.columns([2, 3])
                candidate_table = pd.DataFrame(
                    {
                        t("segment", lang): candidates,
                        t("col.confidence", lang): [
                            percent(frame.at[index, f"Prob_{s}"], lang, 0) for s in candidates
                        ],
                    }
                )
                left.markdown(f"**{t('review.candidates', lang)}**")
                left.dataframe(candidate_table, hide_index=True)
                choices[row] = left.radio(
                    t("review.choose", lang),
                    ["—", *candidates],
                    horizontal=True,
                    key=f"choice_{batch_id}_{row}",
                )
                features = view.table.features.iloc[[index]].reset_index(drop=True)
                explanation = explain.explain(model, features)
                middle.markdown(f"**{t('review.reasons', lang, segment=explanation.segment)}**")
                for reason in explanation.reasons.head(3).itertuples():
                    middle.markdown(
                        f"- {attribute_label(reason.attribute, lang)}: "
                        f"{value_label(reason.value, lang)}"
                    )
                st.markdown(f"**{t('review.lookalikes', lang)}**")
                nearest = explain.lookalikes(existing, features.iloc[0])
                nearest["similarity"] = nearest["similarity"].map(lambda s: percent(s, lang, 0))
                st.dataframe(
                    nearest.rename(columns={c: attribute_label(c, lang) for c in FEATURES}),
                    hide_index=True,
                )
        if st.form_submit_button(t("review.save", lang), type="primary"):
            chosen = [ReviewChoice(r, s) for r, s in choices.items() if s in SEGMENTS]
            if not reviewer.strip():
                st.error(t("review.need_name", lang))
            else:
                try:
                    saved = store.add_reviews(batch_id, chosen, reviewer)
                except SegmentorError as error:
                    st.error(error_text(error, lang))
                else:
                    st.success(t("review.saved", lang, n=saved, batch=batch_id))
                    st.rerun()

st.subheader(t("review.download", lang))
left, right = st.columns(2)
crm_format = left.selectbox(t("review.format", lang), FORMATS, key="crm_format")
state = right.selectbox(
    t("review.state_filter", lang),
    ["all", *REVIEW_STATES],
    format_func=lambda s: t(f"review.state.{s}", lang),
    key="crm_state",
)


campaign = ""
if crm_format == "salesforce":
    campaign = st.text_input(t("review.campaign", lang), max_chars=18, key="crm_campaign")


def _outreach() -> pd.DataFrame:
    playbooks = current_playbooks(store, common.existing(), lang)
    reasons = top_reasons(model, view.table.features, store.export(batch_id)["Segmentation"], lang)
    return batch_outreach(
        store,
        batch_id,
        playbooks,
        format=crm_format,
        state=None if state == "all" else state,
        reasons=reasons,
        lang=lang,
        campaign_id=campaign,
    )


if crm_format == "salesforce" and not campaign.strip():
    st.caption(t("review.campaign.needed", lang))
else:
    common.download_row(
        t("review.download", lang),
        _outreach,
        f"{dataset.name.rsplit('.', 1)[0]}.{crm_format}",
        "outreach",
        lang,
    )
