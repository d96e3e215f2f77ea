"""The mapping step of the prospect-file page: the file's columns and values to the schema's.

For each schema column the user picks one of the file's columns (guessed: a saved profile,
the schema name, a French or English synonym, else the closest header); for each value of a
categorical column that is none of the schema's values, a schema value or "missing"
(guessed from the synonyms). The confirmed mapping can be saved as a named profile, proposed
again for the next file of the same shape. The pure functions (``draft``, ``needs_step``,
``to_mapping``) are tested without Streamlit.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace

import pandas as pd

from segmentor.domain.mapping import Mapping, shape_of
from segmentor.domain.schema import (
    CATEGORIES,
    FEATURES,
    ID,
    canonical_name,
    resolve_columns,
)
from segmentor.domain.synonyms import fold, value_for
from segmentor.errors import SegmentorError

MAPPED_COLUMNS = (ID, *FEATURES)
MAX_VALUES_SHOWN = 30
NONE = ""  # "no column" in a column choice, "missing" in a value choice


@dataclass
class Draft:
    """The guessed mapping of a file: header per schema column, value per unknown spelling."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)


def draft(raw: pd.DataFrame, profile: Mapping | None = None) -> Draft:
    """The guess for ``raw``: the profile's choices first, then names, synonyms, close names."""
    headers = [str(column) for column in raw.columns]
    try:
        resolved = resolve_columns(headers, "<file>", profile)
    except SegmentorError:
        resolved = {}
    by_column = {column: str(header) for header, column in resolved.items()}
    columns: dict[str, str] = {}
    for column in MAPPED_COLUMNS:
        columns[column] = by_column.get(column) or _closest(column, headers, columns)
    values = {
        column: _unknown_values(raw[header], column, profile)
        for column, header in columns.items()
        if column in CATEGORIES and header
    }
    return Draft(columns, {c: v for c, v in values.items() if v}, headers)


def _closest(column: str, headers: list[str], taken: dict[str, str]) -> str:
    free = [h for h in headers if h not in taken.values()]
    folded = {fold(h): h for h in free}
    close = difflib.get_close_matches(fold(column), list(folded), n=1, cutoff=0.75)
    return folded[close[0]] if close else NONE


def _unknown_values(values: pd.Series, column: str, profile: Mapping | None) -> dict[str, str]:
    """Each distinct spelling that is none of the column's values: its guessed value."""
    allowed = {canonical_name(value): value for value in CATEGORIES[column]}
    texts = values.dropna().astype(str).str.strip()
    guesses: dict[str, str] = {}
    for text in texts[texts != ""].unique()[:MAX_VALUES_SHOWN]:
        if canonical_name(text) in allowed:
            continue
        mapped, value = profile.value_for(column, text) if profile else (False, None)
        if not mapped:
            value = value_for(column, text)
        guesses[str(text)] = value or NONE
    return guesses


def columns_missing(current: Draft) -> bool:
    """Whether a feature column was not found: the file cannot be scored until the user says
    which of its columns holds it."""
    return any(not current.columns.get(column) for column in FEATURES)


def needs_step(raw: pd.DataFrame, current: Draft) -> bool:
    """Whether the user must look: a feature column not found, or an unknown value guessed
    as missing (which would otherwise only be a row note)."""
    del raw
    if any(not current.columns.get(column) for column in FEATURES):
        return True
    return any(
        value == NONE for spellings in current.values.values() for value in spellings.values()
    )


def to_mapping(name: str, choices: Draft) -> Mapping:
    """The confirmed choices as a :class:`Mapping` (a column left empty is not mapped)."""
    return Mapping(
        name=name.strip() or "app",
        columns={column: header for column, header in choices.columns.items() if header},
        values={
            column: {text: (value or None) for text, value in spellings.items()}
            for column, spellings in choices.values.items()
        },
    )


def file_shape(raw: pd.DataFrame) -> str:
    return shape_of(raw.columns)


# --- Streamlit -----------------------------------------------------------------------------


def prepare(dataset, lang: str):  # noqa: ANN001, ANN201
    """The uploaded dataset with its sheet and confirmed mapping, or None while the user still
    has to choose (the step is drawn on the page)."""
    import json

    import streamlit as st

    from segmentor.app import history_store
    from segmentor.i18n import error_text, t
    from segmentor.io.profiles import profile_for_shape, save_profile
    from segmentor.io.readers import ReadOptions, read_upload, workbook_sheets

    sheets = workbook_sheets(dataset.data, dataset.name)
    sheet = None
    if len(sheets) > 1:
        raw_first, layout = _read(dataset, ReadOptions(), read_upload)
        default = layout.sheet if layout is not None and layout.sheet in sheets else sheets[0]
        sheet = st.selectbox(
            t("mapping.sheet", lang), sheets, index=sheets.index(default), key="mapping_sheet"
        )
    raw, _ = _read(dataset, ReadOptions(sheet=sheet), read_upload)
    if raw is None:
        return dataset  # the page shows the reader's one-line error
    store = _store_or_none(history_store)
    shape = file_shape(raw)
    profile = _profile(store, shape, profile_for_shape)
    confirmed_key = f"mapping_confirmed_{dataset.digest}_{sheet}"
    guess = draft(raw, profile)
    needed = needs_step(raw, guess)
    confirmed = st.session_state.get(confirmed_key)
    if profile is not None and confirmed is None:
        st.info(t("mapping.profile_used", lang, name=profile.name), icon=":material/rule:")
    with st.expander(t("mapping.title", lang), expanded=needed and confirmed is None):
        st.caption(t("mapping.intro", lang))
        choices, name, keep = _form(guess, lang, dataset.digest)
    if choices is not None:
        mapping = to_mapping(name, choices)
        st.session_state[confirmed_key] = json.dumps(mapping.to_dict())
        if keep and store is not None:
            try:
                save_profile(store, mapping, shape)
                st.success(t("mapping.saved", lang, name=mapping.name))
            except SegmentorError as error:
                st.warning(error_text(error, lang))
        confirmed = st.session_state[confirmed_key]
    if confirmed is None and columns_missing(guess):
        st.warning(t("mapping.waiting", lang), icon=":material/rule:")
        return None
    # Unknown values left unconfirmed are scored as missing, each with its row note.
    chosen = confirmed or (json.dumps(profile.to_dict()) if profile is not None else "")
    return replace(dataset, mapping=chosen, sheet=sheet)


def _read(dataset, options, read_upload):  # noqa: ANN001, ANN202
    try:
        return read_upload(dataset.data, dataset.name, options=options)
    except SegmentorError:
        return None, None


def _store_or_none(history_store):  # noqa: ANN001, ANN202
    try:
        return history_store.store()
    except SegmentorError:
        return None


def _profile(store, shape: str, profile_for_shape) -> Mapping | None:  # noqa: ANN001
    if store is None:
        return None
    try:
        return profile_for_shape(store, shape)
    except SegmentorError:
        return None


def _form(guess: Draft, lang: str, key: str) -> tuple[Draft | None, str, bool]:
    import streamlit as st

    from segmentor.i18n import attribute_label, t, value_label

    with st.form(f"mapping_form_{key}"):
        columns: dict[str, str] = {}
        options = [NONE, *guess.headers]
        cells = st.columns(2)
        for index, column in enumerate(MAPPED_COLUMNS):
            label = t("col.id", lang) if column == ID else attribute_label(column, lang)
            current = guess.columns.get(column, NONE)
            columns[column] = cells[index % 2].selectbox(
                f"{label} ({column})",
                options,
                index=options.index(current) if current in options else 0,
                format_func=lambda h: h or t("mapping.no_column", lang),
                key=f"mapping_col_{key}_{column}",
            )
        values: dict[str, dict[str, str]] = {}
        for column, spellings in guess.values.items():
            st.markdown(f"**{attribute_label(column, lang)}**: {t('mapping.values', lang)}")
            allowed = [NONE, *CATEGORIES[column]]
            values[column] = {}
            for text, value in spellings.items():
                values[column][text] = st.selectbox(
                    repr(text),
                    allowed,
                    index=allowed.index(value) if value in allowed else 0,
                    format_func=lambda v: value_label(v, lang) if v else t("mapping.missing", lang),
                    key=f"mapping_val_{key}_{column}_{text}",
                )
        name = st.text_input(t("mapping.name", lang), value="", key=f"mapping_name_{key}")
        keep = st.checkbox(t("mapping.save", lang), value=True, key=f"mapping_keep_{key}")
        if st.form_submit_button(t("mapping.apply", lang), type="primary"):
            return Draft(columns, values, guess.headers), name, keep
    return None, "", False
