"""The file uploader in the manager's language.

Streamlit's uploader has no option for its own texts (the "Upload" button and the "50MB per
file • CSV, …" line stay English whatever the page's language). Until it has one, a style
sheet hides those two texts and shows the translated ones in their place, at the same size,
so the widget itself (drop, browse, size limit) is Streamlit's, untouched.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import streamlit as st

from segmentor.i18n import check_language, t

_BUTTON = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
_LIMITS = '[data-testid="stFileUploaderDropzoneInstructions"] span'
_TEXT_SIZE = "0.875rem"  # what Streamlit 1.67 gives both texts (14 px)


def file_uploader(label: str, types: Sequence[str], help: str, key: str, lang: str):  # noqa: A002, ANN201
    """``st.file_uploader`` whose button and limits line read in ``lang``."""
    if check_language(lang) != "en":
        limits = t(
            "batch.upload_limits",
            lang,
            limit=st.get_option("server.maxUploadSize"),
            types=", ".join(kind.upper() for kind in types),
        )
        st.html(uploader_style(t("batch.upload_button", lang), limits))
    return st.file_uploader(label, type=list(types), help=help, key=key)


def uploader_style(button: str, limits: str) -> str:
    """The style sheet that shows ``button`` and ``limits`` instead of Streamlit's texts."""
    rules = []
    for selector, text in ((_BUTTON, button), (_LIMITS, limits)):
        rules.append(f"{selector} {{ font-size: 0; }}")
        content = json.dumps(text, ensure_ascii=False)
        rules.append(f"{selector}::after {{ content: {content}; font-size: {_TEXT_SIZE}; }}")
    return "<style>\n" + "\n".join(rules) + "\n</style>"
