"""The members' inputs built frame by frame, as in version 0.4.0 (segmentor.ml.features).

Kept as a slow, obvious oracle: the array implementation must give the same inputs, dtypes
included (test_features.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segmentor.domain import schema
from segmentor.errors import SegmentorError
from segmentor.ml.features import (
    CATBOOST_COLUMNS,
    MISSING_CATEGORY,
    MODEL_COLUMNS,
    PreparedFeatures,
)


def coerce_features(X: pd.DataFrame) -> pd.DataFrame:
    """The schema's typed feature frame from ``X``: columns in schema order, fixed categories.

    Accepts the feature columns in any order (extra columns are ignored), categoricals as
    ``Categorical`` or plain strings (values outside the schema become missing) and numerics
    as any numeric dtype. Raises :class:`SegmentorError` when a feature column is missing.
    """
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
    columns = {column: _coerced(X[column], column) for column in schema.FEATURES}
    return pd.DataFrame(columns, index=pd.RangeIndex(len(X)))


def _coerced(values: pd.Series, column: str) -> pd.Categorical | np.ndarray:
    """One feature column as the model reads it: a Categorical of the schema's categories, or
    float64 numbers (NaN for missing or unreadable)."""
    if column in schema.CATEGORIES:
        categories = list(schema.CATEGORIES[column])
        dtype = values.dtype
        if isinstance(dtype, pd.CategoricalDtype) and list(dtype.categories) == categories:
            # Already the schema's categories (what parse_customers gives): only the codes.
            return pd.Categorical.from_codes(values.cat.codes.to_numpy(), categories=categories)
        text = pd.Series(values.to_numpy(), dtype="object").astype("string").astype("object")
        return pd.Categorical(text, categories=categories)
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values):
        as_numpy = values.to_numpy()
        if as_numpy.dtype.kind in "fiu":
            return as_numpy.astype("float64")
    numbers = pd.to_numeric(pd.Series(values.to_numpy(), dtype="object"), errors="coerce")
    return numbers.astype("float64").to_numpy()


def engineer_features(features: pd.DataFrame) -> pd.DataFrame:
    """Add the derived columns of :data:`ENGINEERED_SOURCES` to a coerced feature frame.

    Spending_ordinal is 0 (Low), 1 (Average), 2 (High) or NaN; n_missing counts missing
    attributes (0-9); Married_age is Age when Ever_Married is Yes, 0 when No, NaN otherwise.
    """
    married = category_codes(features["Ever_Married"])  # 0 = Yes, 1 = No
    derived = {
        "Spending_ordinal": category_codes(features["Spending_Score"]),
        "n_missing": features.isna().sum(axis=1).astype("float64"),
        "Married_age": features["Age"] * (1.0 - married),
        "Work_Experience_missing": features["Work_Experience"].isna().astype("float64"),
        "Family_Size_missing": features["Family_Size"].isna().astype("float64"),
    }
    columns = {column: features[column] for column in schema.FEATURES} | derived
    return pd.DataFrame({column: columns[column] for column in MODEL_COLUMNS})


def category_codes(values: pd.Series) -> pd.Series:
    """Category codes as float64, NaN for missing."""
    codes = values.cat.codes.astype("float64")
    return codes.where(codes >= 0)


def lightgbm_matrix(engineered: pd.DataFrame) -> np.ndarray:
    """Float matrix for LightGBM: category codes (NaN = missing) and numbers, shape (n, 14)."""
    columns = [
        category_codes(engineered[c]) if c in schema.CATEGORIES else engineered[c]
        for c in MODEL_COLUMNS
    ]
    return np.column_stack([np.asarray(c, dtype="float64") for c in columns])


def catboost_frame(engineered: pd.DataFrame) -> pd.DataFrame:
    """Frame for CatBoost (:data:`CATBOOST_COLUMNS`): categoricals as plain ``str`` objects
    (missing as a category)."""
    columns = {}
    for column in CATBOOST_COLUMNS:
        values = engineered[column]
        if column in schema.CATEGORIES:
            # Each code's category as a str, missing (code -1, the last entry) as its own.
            spelt = [str(category) for category in values.cat.categories]
            names = np.array([*spelt, MISSING_CATEGORY], dtype=object)
            columns[column] = names[values.cat.codes.to_numpy()]
        else:
            columns[column] = values.to_numpy(dtype="float64")
    return pd.DataFrame(columns, index=engineered.index)


def prepare_features(X: pd.DataFrame) -> PreparedFeatures:
    """Coerce, engineer and encode ``X`` for the members."""
    features = coerce_features(X)
    engineered = engineer_features(features)
    return PreparedFeatures(
        lightgbm=lightgbm_matrix(engineered),
        catboost_columns={
            column: values.to_numpy() for column, values in catboost_frame(engineered).items()
        },
        columns={
            column: features[column].array
            if column in schema.CATEGORIES
            else features[column].to_numpy()
            for column in features.columns
        },
        missing=features.isna().to_numpy(),
    )
