"""Outreach lists as files for people: CSV and Excel that open right in the user's Excel.

The full result stays the tools' file (:func:`segmentor.io.writers.to_csv_bytes`: comma, UTF-8,
English columns, fractions). A segment list is for the people who call the prospects, so it
follows the language of the app:

- CSV: UTF-8 with a BOM (Excel otherwise guesses a legacy code page and garbles accents); in
  French ``;``-separated with decimal commas (French Excel splits on ``;`` and reads "0,35"
  as a number), in English ``,`` and decimal points;
- the added columns named and valued in the language (Segment, Confiance (%), Origine "Client
  connu", Remarques), the confidence as a percentage rounded to one decimal;
- the file's own columns kept, those that hold only numbers written as numbers (so Excel
  sums them), except IDs and codes with leading zeros, which stay text;
- Excel: real numbers, the confidence a fraction shown as a percentage.

Every text cell is formula-neutralised, as in every file segmentor writes.
"""

from __future__ import annotations

import io
import re

import pandas as pd

from segmentor.domain.schema import canonical_name
from segmentor.i18n import check_language, t
from segmentor.io.writers import CSV_LINE_END, neutralise

CSV_SEPARATORS = {"en": ",", "fr": ";"}
DECIMAL_MARKS = {"en": ".", "fr": ","}
PERCENT_FORMAT = "0.0%"
# A number as people type it: optional sign, digits, a decimal point or comma; no leading
# zero before another digit ("007" is a code, not seven).
_NUMBER = re.compile(r"^[+-]?(0|[1-9]\d*)([.,]\d+)?$")
_ADDED = {"Segmentation": "col.segment", "Source": "col.source", "Notes": "col.notes"}


def numbers_as_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each text column that holds only numbers (point or comma decimals)
    converted to float; ID columns and anything else unchanged."""
    converted = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if canonical_name(column) == "id" or pd.api.types.is_numeric_dtype(values):
            continue
        present = values.dropna().astype(str).str.strip()
        present = present[present != ""]
        if present.empty or not present.map(lambda text: bool(_NUMBER.match(text))).all():
            continue
        text = values.astype("object").map(
            lambda v: None if pd.isna(v) or str(v).strip() == "" else str(v).replace(",", ".")
        )
        converted[column] = pd.to_numeric(text).astype("float64")
    return converted


def people_frame(segment_list: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A segment list (:func:`segmentor.app.results.segment_list`) with the added columns
    named and valued in ``lang``; Confidence stays a fraction in [0, 1]."""
    frame = numbers_as_numbers(segment_list)
    frame["Source"] = frame["Source"].map(lambda source: t(f"source.{source}", lang))
    names = {column: t(key, lang) for column, key in _ADDED.items()}
    names["Confidence"] = t("col.confidence", lang)
    return frame.rename(columns=names)


def people_csv_bytes(segment_list: pd.DataFrame, lang: str) -> bytes:
    """The list as a CSV for ``lang``'s Excel (see the module docstring)."""
    lang = check_language(lang)
    frame = people_frame(segment_list, lang)
    confidence = t("col.confidence", lang)
    frame[confidence] = (frame[confidence] * 100).round(1)
    frame = frame.rename(columns={confidence: t("download.confidence_percent", lang)})
    text = neutralise(frame).to_csv(
        index=False,
        sep=CSV_SEPARATORS[lang],
        decimal=DECIMAL_MARKS[lang],
        lineterminator=CSV_LINE_END,
    )
    return text.encode("utf-8-sig")


def people_excel_bytes(segment_list: pd.DataFrame, lang: str, sheet_name: str) -> bytes:
    """The list as an .xlsx: numbers as numbers, the confidence shown as a percentage."""
    frame = neutralise(people_frame(segment_list, lang))
    confidence = frame.columns.get_loc(t("col.confidence", lang))
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet_name[:31])
        sheet = writer.sheets[sheet_name[:31]]
        for (cell,) in sheet.iter_rows(min_row=2, min_col=confidence + 1, max_col=confidence + 1):
            cell.number_format = PERCENT_FORMAT
    return buffer.getvalue()
