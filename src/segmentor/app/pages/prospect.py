"""One prospect: a form of the nine attributes, the segment, why, and similar customers."""

import streamlit as st

from segmentor.analysis import explain
from segmentor.app import charts, common
from segmentor.domain.schema import CATEGORIES, FEATURES, RANGES
from segmentor.i18n import MISSING, attribute_label, percent, percent_format, t, value_label

# A plausible prospect to start from; every field can be changed or set to Unknown.
EXAMPLE_CHOICES: dict[str, str] = {
    "Gender": "Male",
    "Ever_Married": "No",
    "Graduated": "No",
    "Profession": "Doctor",
    "Spending_Score": "Low",
    "Var_1": "Cat_6",
}
EXAMPLE_NUMBERS: dict[str, int] = {"Age": 22, "Work_Experience": 1, "Family_Size": 2}

lang = common.language()
st.title(t("prospect.title", lang))
st.caption(t("prospect.intro", lang))

values: dict[str, object] = {}
with st.container(border=True):
    st.markdown(f"**{t('prospect.form', lang)}**")
    cells = st.columns(3)
    for position, column in enumerate(FEATURES):
        cell = cells[position % 3]
        label = attribute_label(column, lang)
        if column in CATEGORIES:
            # "missing" rather than None: an option value every client can send back.
            options = [MISSING, *CATEGORIES[column]]
            values[column] = cell.selectbox(
                label,
                options,
                index=options.index(EXAMPLE_CHOICES[column]),
                format_func=lambda value: value_label(value, lang),
                key=f"prospect_{column}",
                persist_state="session",
            )
        else:
            low, high = RANGES[column]
            values[column] = cell.number_input(
                label,
                min_value=int(low),
                max_value=int(high),
                value=EXAMPLE_NUMBERS[column],
                step=1,
                placeholder=t("unknown", lang),
                key=f"prospect_{column}",
                persist_state="session",
            )

model = common.model()
features = explain.prospect_features(
    {column: None if value == MISSING else value for column, value in values.items()}
)
explanation = explain.explain(model, features)
segment = explanation.segment

result, reasons = st.columns([2, 3])
with result:
    st.metric(
        t("prospect.result", lang),
        t("segment.n", lang, segment=segment),
        t("prospect.confidence", lang, share=percent(explanation.confidence, lang, 0)),
        delta_color="off",
        delta_arrow="off",
        border=True,
    )
    st.altair_chart(charts.probability_chart(explanation.probabilities, lang), width="stretch")
with reasons:
    st.subheader(t("prospect.reasons", lang))
    st.caption(t("prospect.reasons.intro", lang, segment=segment))
    st.altair_chart(charts.reasons_chart(explanation.reasons, segment, lang), width="stretch")
    for reason in explanation.reasons.head(3).itertuples():
        key = "prospect.reason.toward" if reason.push >= 0 else "prospect.reason.away"
        st.markdown(
            "- "
            + t(
                key,
                lang,
                attribute=attribute_label(reason.attribute, lang),
                value=value_label(reason.value, lang),
                segment=segment,
            )
        )

st.subheader(t("prospect.lookalikes", lang))
st.caption(t("prospect.lookalikes.intro", lang))
nearest = explain.lookalikes(common.existing(), features.iloc[0])
if nearest.empty:
    st.info(t("prospect.lookalikes.none", lang))
else:
    nearest["similarity"] = nearest["similarity"] * 100
    for column in FEATURES:
        if column in CATEGORIES:
            nearest[column] = nearest[column].astype(object).map(lambda v: value_label(v, lang))
    st.dataframe(
        nearest,
        hide_index=True,
        column_config={
            "ID": t("col.id", lang),
            "Segmentation": t("col.segment", lang),
            "similarity": st.column_config.ProgressColumn(
                t("col.similarity", lang),
                min_value=0.0,
                max_value=100.0,
                format=percent_format(lang),
            ),
            **{column: attribute_label(column, lang) for column in FEATURES},
        },
    )
