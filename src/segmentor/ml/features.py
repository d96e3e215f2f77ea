"""What the members consume: the typed attributes, the engineered columns and their encodings.

:func:`prepare_features` turns the typed feature frame of
:func:`segmentor.domain.schema.parse_customers` (columns :data:`segmentor.domain.schema.FEATURES`,
any order, missing values anywhere) into one input per member (:class:`PreparedFeatures`).
:func:`engineer_features` adds a few derived columns to the nine attributes (ordinal
Spending_Score, number of missing values, missing indicators, Age x Ever_Married);
:func:`fold_engineered` maps attributions of those columns back onto the nine attributes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from segmentor.domain import schema
from segmentor.errors import SegmentorError

CLASSES: tuple[str, ...] = schema.SEGMENTS
# The coerced attributes by name: a Categorical of the schema's categories or float64 numbers.
CoercedColumns = dict[str, pd.Categorical | np.ndarray]
# How CatBoost sees a missing categorical: its own category, spelt "nan". Every model trained
# so far saw that spelling (the code meant "__missing__", but under pandas 3 its `v is np.nan`
# test was false and str(nan) was used), so it stays: a saved model scores as it was trained.
MISSING_CATEGORY = "nan"
# Engineered column -> the attributes it is derived from. Contributions of an engineered
# column are split equally over its sources (``n_missing``: over the row's missing attributes).
ENGINEERED_SOURCES: dict[str, tuple[str, ...]] = {
    "Spending_ordinal": ("Spending_Score",),
    "n_missing": schema.FEATURES,
    "Married_age": ("Age", "Ever_Married"),
    "Work_Experience_missing": ("Work_Experience",),
    "Family_Size_missing": ("Family_Size",),
}
MODEL_COLUMNS: tuple[str, ...] = (*schema.FEATURES, *ENGINEERED_SOURCES)
# CatBoost sees fewer derived columns: Married_age and the missing indicators made it worse
# (log loss +0.004 alone, +0.002 in the blend; docs/model.md). Its missing category already
# marks missing categoricals, and its numeric splits send NaN to one side.
CATBOOST_COLUMNS: tuple[str, ...] = (
    *schema.FEATURES,
    "Spending_ordinal",
    "n_missing",
)


def coerce_features(X: pd.DataFrame) -> pd.DataFrame:
    """The schema's typed feature frame from ``X``: columns in schema order, fixed categories.

    Accepts the feature columns in any order (extra columns are ignored), categoricals as
    ``Categorical`` or plain strings (values outside the schema become missing) and numerics
    as any numeric dtype. Raises :class:`SegmentorError` when a feature column is missing.
    """
    return pd.DataFrame(coerced_columns(X), index=pd.RangeIndex(len(X)))


def _check_features(X: pd.DataFrame) -> None:
    if not isinstance(X, pd.DataFrame):
        raise SegmentorError(
            f"the model needs a DataFrame of customer features, got {type(X).__name__}",
            fix="parse the table with segmentor.domain.schema.parse_customers first",
        )
    missing = [c for c in schema.FEATURES if c not in X.columns]
    if missing:
        raise SegmentorError(
            f"feature column(s) missing: {', '.join(missing)}",
            fix=f"the model needs the columns {', '.join(schema.FEATURES)}",
        )


def coerced_columns(X: pd.DataFrame) -> CoercedColumns:
    """The columns of :func:`coerce_features` as arrays, without their frame (for one
    prospect, building a frame costs more than reading its columns)."""
    _check_features(X)
    return {column: _coerced(X[column], column) for column in schema.FEATURES}


def _coerced(values: pd.Series, column: str) -> pd.Categorical | np.ndarray:
    """One feature column as the model reads it: a Categorical of the schema's categories, or
    float64 numbers (NaN for missing or unreadable)."""
    if column in schema.CATEGORIES:
        categories = list(schema.CATEGORIES[column])
        dtype = values.dtype
        if (
            isinstance(dtype, pd.CategoricalDtype)
            and not dtype.ordered
            and list(dtype.categories) == categories
        ):
            return values.array  # already the schema's categories: what parse_customers gives
        text = pd.Series(values.to_numpy(), dtype="object").astype("string").astype("object")
        return pd.Categorical(text, categories=categories)
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values):
        as_numpy = values.to_numpy()
        if as_numpy.dtype.kind in "fiu":
            return as_numpy.astype("float64")
    numbers = pd.to_numeric(pd.Series(values.to_numpy(), dtype="object"), errors="coerce")
    return numbers.astype("float64").to_numpy()


def category_codes(values: pd.Series | pd.Categorical) -> np.ndarray:
    """A categorical column's codes (-1: missing), from a Series or the Categorical itself
    (``.array.codes``: the .cat accessor builds a Series first)."""
    return (values.array if isinstance(values, pd.Series) else values).codes


def engineer_features(features: pd.DataFrame) -> pd.DataFrame:
    """Add the derived columns of :data:`ENGINEERED_SOURCES` to a coerced feature frame.

    Spending_ordinal is 0 (Low), 1 (Average), 2 (High) or NaN; n_missing counts missing
    attributes (0-9); Married_age is Age when Ever_Married is Yes, 0 when No, NaN otherwise.
    """
    attributes = _Attributes.of(features)
    columns = {column: features[column] for column in schema.FEATURES} | attributes.derived()
    return pd.DataFrame({column: columns[column] for column in MODEL_COLUMNS})


@dataclass(frozen=True)
class _Attributes:
    """A coerced frame's columns as arrays: category codes as float64 (NaN for missing) and
    numbers. The members' inputs are built from these, without a frame per step (one
    prospect: a pandas operation costs more than the arithmetic of a whole column)."""

    codes: dict[str, np.ndarray]  # int codes, -1 for missing
    values: dict[str, np.ndarray]  # float64: codes (NaN for missing) or numbers
    missing: np.ndarray  # (n, 9) bool, FEATURES order

    @classmethod
    def of(cls, features: pd.DataFrame | CoercedColumns) -> _Attributes:
        codes = {c: category_codes(features[c]) for c in schema.CATEGORIES}
        values = {
            column: (
                np.where(codes[column] >= 0, codes[column], np.nan)
                if column in codes
                else np.asarray(features[column], dtype="float64")
            )
            for column in schema.FEATURES
        }
        missing = np.column_stack([np.isnan(values[c]) for c in schema.FEATURES])
        return cls(codes, values, missing)

    def derived(self) -> dict[str, np.ndarray]:
        married = self.values["Ever_Married"]  # 0 = Yes, 1 = No
        return {
            "Spending_ordinal": self.values["Spending_Score"],
            "n_missing": self.missing.sum(axis=1).astype("float64"),
            "Married_age": self.values["Age"] * (1.0 - married),
            "Work_Experience_missing": np.isnan(self.values["Work_Experience"]).astype("float64"),
            "Family_Size_missing": np.isnan(self.values["Family_Size"]).astype("float64"),
        }

    def lightgbm(self, derived: dict[str, np.ndarray]) -> np.ndarray:
        """Float matrix for LightGBM: category codes (NaN = missing) and numbers, (n, 14)."""
        columns = self.values | derived
        matrix = np.empty((len(self.missing), len(MODEL_COLUMNS)))
        for index, column in enumerate(MODEL_COLUMNS):
            matrix[:, index] = columns[column]
        return matrix

    def catboost(self, derived: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Columns for CatBoost (:data:`CATBOOST_COLUMNS`): categoricals as plain ``str``
        objects (missing as a category), numbers as float64."""
        numbers = self.values | derived
        return {
            column: (
                _CATBOOST_NAMES[column][self.codes[column]]
                if column in self.codes
                else numbers[column]
            )
            for column in CATBOOST_COLUMNS
        }


# Each code's category as a str, missing (code -1, the last entry) as its own category.
_CATBOOST_NAMES: dict[str, np.ndarray] = {
    column: np.array([*map(str, categories), MISSING_CATEGORY], dtype=object)
    for column, categories in schema.CATEGORIES.items()
}


def lightgbm_matrix(engineered: pd.DataFrame) -> np.ndarray:
    """Float matrix for LightGBM from an engineered frame (:func:`engineer_features`)."""
    attributes = _Attributes.of(engineered)
    return attributes.lightgbm(attributes.derived())


@dataclass(frozen=True)
class PreparedFeatures:
    """What the inner models consume: one input per member, rows in input order."""

    lightgbm: np.ndarray
    # CatBoost's columns (CATBOOST_COLUMNS, in order): see catboost and catboost_rows.
    catboost_columns: dict[str, np.ndarray]
    # The coerced attributes by name (coerced_columns), which the network encodes itself.
    columns: CoercedColumns
    missing: np.ndarray  # (n, 9) bool, which attributes are missing; used by contributions

    def __len__(self) -> int:
        return len(self.lightgbm)

    @property
    def features(self) -> pd.DataFrame:
        """The coerced feature frame (:func:`coerce_features`), built when asked for."""
        return pd.DataFrame(self.columns, index=pd.RangeIndex(len(self)))

    @property
    def catboost(self) -> pd.DataFrame:
        """CatBoost's frame (:data:`CATBOOST_COLUMNS`), built when asked for."""
        return pd.DataFrame(self.catboost_columns, index=pd.RangeIndex(len(self)))

    def catboost_rows(self) -> list[list[object]]:
        """CatBoost's columns as rows of plain Python values (the same values as the frame)."""
        columns = [values.tolist() for values in self.catboost_columns.values()]
        return [list(row) for row in zip(*columns, strict=True)]

    def subset(self, rows: np.ndarray) -> PreparedFeatures:
        """The given rows (positions), renumbered from 0."""
        return PreparedFeatures(
            lightgbm=self.lightgbm[rows],
            catboost_columns={c: values[rows] for c, values in self.catboost_columns.items()},
            columns={column: values[rows] for column, values in self.columns.items()},
            missing=self.missing[rows],
        )


def prepare_features(X: pd.DataFrame) -> PreparedFeatures:
    """Coerce, engineer and encode ``X`` for the members."""
    columns = coerced_columns(X)
    attributes = _Attributes.of(columns)
    derived = attributes.derived()
    return PreparedFeatures(
        lightgbm=attributes.lightgbm(derived),
        catboost_columns=attributes.catboost(derived),
        columns=columns,
        missing=attributes.missing,
    )


def class_index(y: Any) -> np.ndarray:
    """Labels A-D as integers 0-3; raises SegmentorError on anything else."""
    labels = np.asarray(pd.Series(np.asarray(y, dtype=object)).astype("string").str.upper())
    index = pd.Index(CLASSES).get_indexer(labels)
    if (index < 0).any():
        bad = labels[index < 0][0]
        raise SegmentorError(
            "training labels must be the segments A, B, C or D",
            value=bad,
            fix="correct or remove the rows with other labels",
        )
    return index


def fold_engineered(values: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """Fold (n, 14, 4) model-column values onto the 9 attributes, shape (n, 9, 4).

    An engineered column's value is split equally over its source attributes; ``n_missing``
    is split over the row's missing attributes (over all nine when none is missing). The
    sum over attributes is unchanged.
    """
    n_base = len(schema.FEATURES)
    folded = values[:, :n_base, :].copy()
    for offset, (column, sources) in enumerate(ENGINEERED_SOURCES.items()):
        column_values = values[:, n_base + offset, :]
        if column == "n_missing":
            share = np.where(missing.any(axis=1, keepdims=True), missing, True).astype(float)
        else:
            share = np.zeros((len(values), n_base))
            share[:, [schema.FEATURES.index(s) for s in sources]] = 1.0
        share /= share.sum(axis=1, keepdims=True)
        folded += share[:, :, None] * column_values[:, None, :]
    return folded
