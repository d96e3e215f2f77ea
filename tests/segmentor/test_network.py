"""The network member: its encoding, its exact Shapley values, its persistence, on real rows."""

from __future__ import annotations

import io
import math
from itertools import permutations

import numpy as np
import pandas as pd
import pytest

from segmentor.domain import schema
from segmentor.ml import network
from segmentor.ml.model import coerce_features
from segmentor.ml.network import (
    Encoding,
    NetworkMember,
    NetworkParams,
    _shapley_from_worth,
    coalition_masks,
    fit_network_member,
)
from segmentor.ml.trained import load_training_table


@pytest.fixture(scope="module")
def labelled(train_path) -> tuple[pd.DataFrame, np.ndarray]:
    table = load_training_table(train_path)
    features = coerce_features(table.features)
    labels = np.array([schema.SEGMENTS.index(s) for s in table.frame[schema.TARGET]])
    return features, labels


@pytest.fixture(scope="module")
def member(labelled) -> NetworkMember:
    features, labels = labelled
    return fit_network_member(features, labels, NetworkParams(epochs=3), seeds=2, random_state=0)


def test_encoding_groups_cover_every_column_once(labelled) -> None:
    features, _ = labelled
    encoding = Encoding.fit(features)
    matrix = encoding.transform(features.head(50))
    groups = encoding.groups()
    assert len(groups) == len(schema.FEATURES)
    assert groups[0].start == 0 and groups[-1].stop == matrix.shape[1]
    assert all(a.stop == b.start for a, b in zip(groups, groups[1:], strict=False))


def test_encoding_marks_missing_and_one_hot(labelled) -> None:
    features, _ = labelled
    encoding = Encoding.fit(features)
    row = schema.empty_features(1).assign(Profession="Doctor")
    encoded = encoding.transform(coerce_features(row))[0]
    groups = dict(zip(schema.FEATURES, encoding.groups(), strict=True))
    profession = encoded[groups["Profession"]]
    assert (
        profession.sum() == 1 and profession[list(schema.CATEGORIES["Profession"]).index("Doctor")]
    )
    gender = encoded[groups["Gender"]]
    assert gender.tolist() == [0.0] * len(schema.CATEGORIES["Gender"]) + [1.0]
    age = encoded[groups["Age"]]
    assert age[0] == 0 and age[1] == 1 and not age[2:].any()  # scaled 0, missing flag, no bins


def test_piecewise_linear_bins_grow_with_age(labelled) -> None:
    features, _ = labelled
    encoding = Encoding.fit(features)
    ages = schema.empty_features(3).assign(Age=[20.0, 45.0, 80.0])
    bins = encoding.transform(coerce_features(ages))[:, encoding.groups()[2]][:, 2:]
    assert schema.FEATURES[2] == "Age"
    assert (np.diff(bins.sum(axis=1)) > 0).all()
    assert ((bins >= 0) & (bins <= 1)).all()


def test_shapley_matches_the_permutation_definition() -> None:
    rng = np.random.default_rng(0)
    n_players = 4
    worth = rng.normal(size=(2**n_players, 3))
    masks = coalition_masks(n_players)
    expected = np.zeros((n_players, 3))
    for order in permutations(range(n_players)):
        coalition = 0
        for player in order:
            expected[player] += worth[coalition | (1 << player)] - worth[coalition]
            coalition |= 1 << player
    expected /= math.factorial(n_players)
    np.testing.assert_allclose(_shapley_from_worth(worth, masks), expected, atol=1e-12)


def test_shapley_values_add_up_to_raw_scores(member, labelled) -> None:
    features, _ = labelled
    rows = features.sample(8, random_state=1).reset_index(drop=True)
    values, bias = member.shapley(rows)
    assert values.shape == (8, 9, 4)
    # The mixed rows go through the deeper layers in single precision (SHAPLEY_DTYPE).
    np.testing.assert_allclose(values.sum(axis=1) + bias, member.raw_scores(rows), atol=1e-6)


def test_single_precision_shapley_values_are_the_double_precision_ones(
    member, labelled, monkeypatch
) -> None:
    features, _ = labelled
    rows = features.sample(8, random_state=2).reset_index(drop=True)
    single, _ = member.shapley(rows)
    monkeypatch.setattr(network, "SHAPLEY_DTYPE", np.float64)
    double, bias = member.shapley(rows)
    assert single.dtype == double.dtype == np.float64
    np.testing.assert_allclose(single, double, atol=1e-6)
    # In double precision the values add up to the raw scores to rounding.
    np.testing.assert_allclose(double.sum(axis=1) + bias, member.raw_scores(rows), atol=1e-9)


def test_an_attribute_equal_to_every_background_row_gets_nothing(member, labelled) -> None:
    features, _ = labelled
    row = features.head(1).copy()
    groups = member.encoding.groups()
    background = member.background.copy()
    gender = groups[schema.FEATURES.index("Gender")]
    encoded_gender = member.encoding.transform(row)[0, gender]
    background[:, gender] = encoded_gender  # every background row shares the prospect's gender
    same = NetworkMember(member.encoding, member.layers, background)
    values, _ = same.shapley(row)
    # Zero to single-precision rounding (BLAS may round a row by its place in the block).
    np.testing.assert_allclose(values[0, schema.FEATURES.index("Gender")], 0.0, atol=1e-6)


def test_round_trip_is_identical_and_pickle_free(member, labelled) -> None:
    features, _ = labelled
    rows = features.head(30)
    blob = member.to_bytes()
    loaded = NetworkMember.from_bytes(blob)
    np.testing.assert_array_equal(loaded.raw_scores(rows), member.raw_scores(rows))
    with np.load(io.BytesIO(blob), allow_pickle=False) as archive:
        assert all(archive[name].dtype.kind in "fiu" for name in archive.files)


def test_a_blob_holding_objects_is_refused() -> None:
    buffer = io.BytesIO()
    np.savez(buffer, background=np.array([object()], dtype=object))
    with pytest.raises(ValueError, match="allow_pickle"):
        NetworkMember.from_bytes(buffer.getvalue())


def test_training_is_deterministic_and_seeds_differ(labelled) -> None:
    features, labels = labelled
    head, head_labels = features.head(400), labels[:400]
    params = NetworkParams(epochs=2)
    first = fit_network_member(head, head_labels, params, seeds=2, random_state=5)
    second = fit_network_member(head, head_labels, params, seeds=2, random_state=5)
    for (w1, _), (w2, _) in zip(first.layers[0], second.layers[0], strict=True):
        np.testing.assert_array_equal(w1, w2)
    assert not np.array_equal(first.layers[0][0][0], first.layers[1][0][0])


def test_a_row_scores_the_same_in_any_batch(member, labelled) -> None:
    """Scoring a file whole or in chunks must give the same digits (BLAS may not)."""
    features, _ = labelled
    whole = member.raw_scores(features)
    for start, size in [(0, 1), (3, 7), (511, 2), (1000, 333), (5000, 64), (7000, 1068)]:
        part = member.raw_scores(features.iloc[start : start + size].reset_index(drop=True))
        np.testing.assert_array_equal(part, whole[start : start + size])
    assert member.raw_scores(features.head(0)).shape == (0, 4)
