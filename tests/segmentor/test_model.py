"""The segment model, trained for real on the bundled labelled customers (80 % of them)."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from lightgbm import LGBMClassifier
from sklearn.base import clone
from sklearn.dummy import DummyClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

from segmentor.domain import schema
from segmentor.errors import SegmentorError
from segmentor.ml.model import (
    TRUSTED_TYPES,
    PreparedFeatures,
    SegmentModel,
    load_estimator,
    save_estimator,
)
from segmentor.paths import BUNDLED_TRAIN

TRAIN_CSV = BUNDLED_TRAIN

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def labelled() -> tuple[pd.DataFrame, np.ndarray]:
    raw = pd.read_csv(TRAIN_CSV, dtype=str, keep_default_na=False)
    table = schema.parse_customers(raw, str(TRAIN_CSV), require_target=True)
    return table.features, np.asarray(table.frame[schema.TARGET].astype(str), dtype=object)


@pytest.fixture(scope="session")
def split(labelled):
    X, y = labelled
    return train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)


@pytest.fixture(scope="session")
def model(split) -> SegmentModel:
    X_train, _, y_train, _ = split
    # Lighter than the product's defaults to keep this file fast; same code paths.
    light = SegmentModel(
        lgbm_rounds=150,
        lgbm_learning_rate=0.05,
        catboost_iterations=150,
        catboost_learning_rate=0.15,
        calibration_folds=2,
    )
    return light.fit(X_train, y_train)


@pytest.fixture(scope="session")
def sample(split) -> pd.DataFrame:
    return split[1].head(200).reset_index(drop=True)


def test_learned_attributes(model: SegmentModel) -> None:
    assert list(model.classes_) == ["A", "B", "C", "D"]
    assert list(model.feature_names_in_) == list(schema.FEATURES)
    assert model.n_features_in_ == 9
    assert 0.25 <= model.temperature_ <= 4.0


def test_probabilities_sum_to_one_and_predict_agrees(model, sample) -> None:
    probabilities = model.predict_proba(sample)
    assert probabilities.shape == (len(sample), 4)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-9)
    assert (probabilities >= 0).all()
    predicted = model.predict(sample)
    assert list(predicted) == list(model.classes_[probabilities.argmax(axis=1)])


def test_beats_majority_baseline_on_held_out_split(model, split) -> None:
    X_train, X_test, y_train, y_test = split
    majority = DummyClassifier().fit(np.zeros((len(y_train), 1)), y_train)
    baseline = accuracy_score(y_test, majority.predict(np.zeros((len(y_test), 1))))
    accuracy = accuracy_score(y_test, model.predict(X_test))
    assert accuracy > baseline + 0.15  # majority ~0.28, model ~0.53


def test_columns_in_any_order_give_the_same_answer(model, sample) -> None:
    shuffled = sample[list(reversed(schema.FEATURES))]
    np.testing.assert_array_equal(model.predict_proba(shuffled), model.predict_proba(sample))


def test_rows_with_every_feature_missing(model) -> None:
    empty = schema.empty_features(3)
    probabilities = model.predict_proba(empty)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-9)
    assert np.isfinite(model.contributions(empty)).all()


def test_plain_string_columns_are_accepted(model, sample) -> None:
    plain = sample.astype(dict.fromkeys(schema.CATEGORICAL, "object"))
    np.testing.assert_allclose(model.predict_proba(plain), model.predict_proba(sample))


def test_prepared_path_matches_whole_pipeline(model, sample) -> None:
    prepared = model.prepare(sample)
    assert isinstance(prepared, PreparedFeatures)
    assert len(prepared) == len(sample)
    np.testing.assert_array_equal(
        model.predict_proba_prepared(prepared), model.predict_proba(sample)
    )


def test_contributions_add_up_to_raw_scores(model, sample) -> None:
    rows = sample.head(20)  # the network's exact Shapley values cost about 0.1 s per row
    contributions = model.contributions(rows)
    assert contributions.shape == (len(rows), 9, 4)
    bias = model.contribution_bias(rows)
    np.testing.assert_allclose(contributions.sum(axis=1) + bias, model.raw_scores(rows), atol=1e-6)


def test_lightgbm_member_contributions_equal_its_raw_margin(model, sample) -> None:
    booster = model._members()[0].boosters[0]
    matrix = model.prepare(sample).lightgbm
    raw = booster.predict(matrix, raw_score=True)
    contributions = booster.predict(matrix, pred_contrib=True).reshape(len(sample), 4, -1)
    np.testing.assert_allclose(contributions.sum(axis=2), raw, atol=1e-6)


def test_skops_round_trip_is_identical(model, sample, tmp_path: Path) -> None:
    path = tmp_path / "model.skops"
    save_estimator(model, path)
    assert sio.get_untrusted_types(file=path) == list(TRUSTED_TYPES)
    loaded = load_estimator(path)
    np.testing.assert_array_equal(loaded.predict_proba(sample), model.predict_proba(sample))
    rows = sample.head(10)
    np.testing.assert_array_equal(loaded.contributions(rows), model.contributions(rows))


def test_untrusted_types_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.skops"
    sio.dump(LGBMClassifier(), path)
    assert sio.get_untrusted_types(file=path)
    with pytest.raises(SegmentorError, match="untrusted types.*segmentor train"):
        load_estimator(path)


def test_default_trusted_foreign_estimator_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dummy.skops"
    sio.dump(DummyClassifier(), path)  # skops trusts scikit-learn types by default
    with pytest.raises(SegmentorError, match="not hold a fitted segment model"):
        load_estimator(path)


def test_segment_model_holding_foreign_state_is_refused(model, tmp_path: Path) -> None:
    path = tmp_path / "tampered.skops"
    tampered = clone(model)
    tampered.__dict__.update(model.__getstate__())
    tampered.extra_ = DummyClassifier()
    sio.dump(tampered, path)
    with pytest.raises(SegmentorError, match="unexpected DummyClassifier in 'extra_'"):
        load_estimator(path)


@pytest.mark.parametrize(
    "content",
    [b"not a model at all", pickle.dumps({"a": 1}), b""],
    ids=["text", "pickle", "empty"],
)
def test_garbage_files_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "model.skops"
    path.write_bytes(content)
    with pytest.raises(SegmentorError, match="model.skops.*segmentor train") as caught:
        load_estimator(path)
    assert "\n" not in str(caught.value)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SegmentorError, match="segmentor train"):
        load_estimator(tmp_path / "absent.skops")


def test_clone_and_get_params() -> None:
    model = SegmentModel(lgbm_rounds=123, catboost_weight=0.3)
    params = model.get_params()
    assert params["lgbm_rounds"] == 123 and params["catboost_weight"] == 0.3
    copy = clone(model)
    assert copy.get_params() == params
    assert not hasattr(copy, "classes_")


def test_bad_parameter_is_reported(labelled) -> None:
    X, y = labelled
    with pytest.raises(ValueError, match="'catboost_weight' parameter .* Got 2"):
        SegmentModel(catboost_weight=2).fit(X.head(50), y[:50])


def test_missing_feature_column_is_a_user_error(model, sample) -> None:
    with pytest.raises(SegmentorError, match="Age"):
        model.predict_proba(sample.drop(columns="Age"))


def test_member_written_by_another_version_is_refused_at_load(model, tmp_path: Path) -> None:
    foreign = clone(model)
    foreign.__dict__.update(model.__getstate__())
    foreign.catboost_model_ = foreign.catboost_model_[: len(foreign.catboost_model_) // 2]
    save_estimator(foreign, tmp_path / "foreign.skops")
    with pytest.raises(SegmentorError, match="another version and cannot score"):
        load_estimator(tmp_path / "foreign.skops")
