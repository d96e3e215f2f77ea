"""The members' inputs: the same whatever form the attributes arrive in."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segmentor.domain import schema
from segmentor.ml.features import (
    MISSING_CATEGORY,
    coerce_features,
    engineer_features,
    prepare_features,
)
from segmentor.ml.trained import load_training_table


@pytest.fixture(scope="module")
def parsed(train_path) -> pd.DataFrame:
    return load_training_table(train_path).features


def _assert_same(left, right) -> None:
    assert np.array_equal(left.lightgbm, right.lightgbm, equal_nan=True)
    pd.testing.assert_frame_equal(left.catboost, right.catboost, check_exact=True)
    pd.testing.assert_frame_equal(left.features, right.features, check_exact=True)
    assert (left.missing == right.missing).all()


def test_parsed_categoricals_and_plain_strings_prepare_alike(parsed) -> None:
    """The shortcut for the schema's own Categoricals gives what strings and objects give."""
    as_text = parsed.astype(dict.fromkeys(schema.CATEGORIES, "object") | {"Age": "object"})
    _assert_same(prepare_features(parsed), prepare_features(as_text))


def test_one_row_prepares_as_it_does_inside_a_table(parsed) -> None:
    whole = prepare_features(parsed)
    for row in (0, 178, len(parsed) - 1):
        alone = prepare_features(parsed.iloc[[row]])
        assert np.array_equal(alone.lightgbm, whole.lightgbm[[row]], equal_nan=True)
        assert alone.catboost.iloc[0].tolist() == whole.catboost.iloc[row].tolist()


def test_catboost_sees_missing_categoricals_as_the_category_it_was_trained_on(parsed) -> None:
    frame = prepare_features(parsed).catboost
    missing = parsed["Ever_Married"].isna().to_numpy()
    assert missing.any()
    assert set(frame["Ever_Married"][missing]) == {MISSING_CATEGORY} == {"nan"}
    assert set(frame["Ever_Married"][~missing]) == set(schema.CATEGORIES["Ever_Married"])


def _reference_rows(parsed) -> list[pd.DataFrame]:
    """The training table, rows with every attribute missing in turn, and one row alone."""
    holes = parsed.head(len(schema.FEATURES)).copy()
    for index, column in enumerate(schema.FEATURES):
        holes.loc[holes.index[index], column] = np.nan
    return [parsed, holes.reset_index(drop=True), parsed.iloc[[7]].reset_index(drop=True)]


def test_inputs_equal_the_frame_by_frame_implementation(parsed) -> None:
    """The array implementation gives exactly what the frame-by-frame one of version 0.4.0
    gave (kept in features_reference.py as the oracle), dtypes included."""
    import features_reference

    for rows in _reference_rows(parsed):
        _assert_same(prepare_features(rows), features_reference.prepare_features(rows))
        pd.testing.assert_frame_equal(
            engineer_features(coerce_features(rows)),
            features_reference.engineer_features(features_reference.coerce_features(rows)),
            check_exact=True,
        )
