"""What every page shares: settings, language, the cached model and the current file.

Heavy objects (the model, the existing customers) live in ``st.cache_resource``; results
of a file (scored table, market check) in ``st.cache_data``, keyed by the file's SHA-256
and the model version, so that moving a filter or switching pages never recomputes them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from segmentor import services
from segmentor.analysis import market
from segmentor.app import downloads
from segmentor.app.results import BatchView, score_upload
from segmentor.i18n import LANGUAGE_NAMES, LANGUAGES, number, t
from segmentor.io.writers import to_csv_bytes, to_excel_bytes
from segmentor.ml import trained
from segmentor.paths import BUNDLED_PROSPECTS
from segmentor.settings import Settings, get_settings

LANG_KEY = "lang"
DATASET_KEY = "dataset"


def settings() -> Settings:
    """The app's settings, from the SEGMENTOR_* environment (read once per process)."""
    return get_settings()


def language() -> str:
    """The language chosen in the sidebar, else SEGMENTOR_LANG (English by default)."""
    lang = st.session_state.get(LANG_KEY) or settings().lang
    return lang if lang in LANGUAGES else "en"


def language_switch() -> str:
    """Draw the sidebar language switch and return the chosen language."""
    st.sidebar.segmented_control(
        f"{t('app.language', 'en')} / {t('app.language', 'fr')}",
        options=list(LANGUAGES),
        format_func=LANGUAGE_NAMES.__getitem__,
        default=language(),
        required=True,
        key=LANG_KEY,
    )
    return language()


@st.cache_resource(show_spinner=False)
def _load_model(directory: str) -> trained.TrainedModel:
    return services.load_model(None, Path(directory), cache_dir=settings().compiled_cache)


def model() -> trained.TrainedModel:
    """The segment model of the settings' model directory, loaded (or trained) once."""
    directory = settings().model_path
    lang = language()
    message = "app.loading_model" if trained.exists(directory) else "app.training_model"
    with st.spinner(t(message, lang)):
        return _load_model(str(directory))


@st.cache_resource(show_spinner=False)
def _existing(directory: str, version: str) -> pd.DataFrame:
    return services.existing_customers(_load_model(directory))


def existing() -> pd.DataFrame:
    """The existing (labelled) customers with their nine attributes and segment."""
    loaded = model()
    return _existing(str(settings().model_path), loaded.version)


@dataclass(frozen=True)
class Dataset:
    """The prospect file the pages work on: its name, bytes and SHA-256."""

    name: str
    data: bytes
    digest: str
    bundled: bool = False
    # The user chose to score it though some columns were mostly unrecognised.
    accept_unknown: bool = False
    mapping: str = ""  # the confirmed column and value mapping (JSON), "" for none
    sheet: str | None = None

    @classmethod
    def from_bytes(cls, name: str, data: bytes, bundled: bool = False) -> Dataset:
        return cls(name, data, hashlib.sha256(data).hexdigest(), bundled)


@st.cache_resource(show_spinner=False)
def bundled_dataset() -> Dataset:
    """The 2627 bundled prospects, preloaded so the manager can explore at once."""
    return Dataset.from_bytes(BUNDLED_PROSPECTS.name, BUNDLED_PROSPECTS.read_bytes(), True)


def current_dataset() -> Dataset:
    """The last file uploaded in this session, else the bundled prospects."""
    dataset = st.session_state.get(DATASET_KEY)
    return dataset if isinstance(dataset, Dataset) else bundled_dataset()


def use_dataset(dataset: Dataset | None) -> None:
    """Make ``dataset`` the current file of the session (None: the bundled prospects)."""
    if dataset is None:
        st.session_state.pop(DATASET_KEY, None)
    else:
        st.session_state[DATASET_KEY] = dataset


@st.cache_data(show_spinner=False, max_entries=16)
def _batch_view(
    digest: str,
    name: str,
    model_key: str,
    accept: bool,
    _data: bytes,
    mapping: str = "",
    sheet: str = "",
) -> BatchView:
    return score_upload(
        _data, name, model(), accept_unknown=accept, mapping=mapping, sheet=sheet or None
    )


def _view_key(dataset: Dataset) -> tuple[object, ...]:
    return (dataset.digest, dataset.name, _model_key(), dataset.accept_unknown, dataset.data)


def batch_view(dataset: Dataset) -> BatchView:
    """The file read, mapped, parsed and scored (raises SegmentorError for a file problem,
    and UnreadColumns for columns not read unless the dataset accepts them)."""
    return _batch_view(*_view_key(dataset), dataset.mapping, dataset.sheet or "")  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=16)
def _market_check(
    digest: str,
    name: str,
    model_key: str,
    accept: bool,
    _data: bytes,
    mapping: str = "",
    sheet: str = "",
) -> market.MarketCheck:
    view = _batch_view(digest, name, model_key, accept, _data, mapping, sheet)
    return market.check_market(view.table, existing(), model().known)


def market_check(dataset: Dataset) -> market.MarketCheck:
    """The new-market check of the file (cached per file, mapping and model); raises
    UnreadColumns for a file whose columns were not read, accepted or not."""
    return _market_check(*_view_key(dataset), dataset.mapping, dataset.sheet or "")  # type: ignore[arg-type]


def _model_key() -> str:
    return f"{settings().model_path}|{model().version}"


def dataset_caption(dataset: Dataset, rows: int, lang: str) -> str:
    """One line saying which file the page shows."""
    key = "dataset.bundled" if dataset.bundled else "dataset.upload"
    return t(key, lang, name=dataset.name, rows=number(rows, lang))


def sidebar_footer(lang: str) -> None:
    """The model version, small, at the bottom of the sidebar."""
    st.sidebar.caption(t("app.model", lang, version=model().version))


def download_row(
    label: str,
    frame_of: Callable[[], pd.DataFrame],
    file_stem: str,
    key: str,
    lang: str,
    help_text: str | None = None,
    for_people: bool = False,
) -> None:
    """One line of the page: a label, then CSV and Excel downloads of ``frame_of()``.

    The frame is built only when a button is clicked; both files are formula-neutralised.
    ``for_people``: an outreach list, written for ``lang``'s Excel
    (:mod:`segmentor.app.downloads`); else the tools' file, as ``segmentor predict`` writes.
    """
    csv_of, excel_of = to_csv_bytes, to_excel_bytes
    if for_people:
        csv_of = partial(downloads.people_csv_bytes, lang=lang)
        excel_of = partial(downloads.people_excel_bytes, lang=lang, sheet_name="segments")
    line = st.columns([3, 1, 1], vertical_alignment="center")
    line[0].markdown(f"**{label}**", help=help_text)
    line[1].download_button(
        t("batch.download.csv", lang),
        data=lambda: csv_of(frame_of()),
        file_name=f"{file_stem}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key=f"{key}_csv",
    )
    line[2].download_button(
        t("batch.download.excel", lang),
        data=lambda: excel_of(frame_of()),
        file_name=f"{file_stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        on_click="ignore",
        key=f"{key}_xlsx",
    )
