"""The compiled scoring path against the reference path, on the real trained model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from segmentor.domain.schema import FEATURES, parse_customers
from segmentor.io.readers import read_table
from segmentor.ml import trained
from segmentor.ml.compiled.cache import cached_forest, model_hash
from segmentor.ml.compiled.dense import DenseBag
from segmentor.ml.compiled.forest import forest_from_texts

SEPARATOR = "\n\x1e\n"


@pytest.fixture(scope="module")
def reference(trained_model_dir: Path) -> trained.TrainedModel:
    return trained.load(trained_model_dir, engine="reference")


@pytest.fixture(scope="module")
def compiled(trained_model_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    cache = tmp_path_factory.mktemp("cache")
    return trained.load(trained_model_dir, engine="compiled", cache_dir=cache), cache


def synthetic(train_path: Path, n_rows: int, seed: int) -> pd.DataFrame:
    """Rows whose every cell is drawn from its column (missing values included), so that
    combinations the training table never had are scored too."""
    source = read_table(train_path).loc[:, list(FEATURES)]
    rng = np.random.default_rng(seed)
    columns = {c: source[c].to_numpy()[rng.integers(0, len(source), n_rows)] for c in FEATURES}
    raw = pd.DataFrame(columns)
    raw.insert(0, "ID", [f"S{i}" for i in range(n_rows)])
    return parse_customers(raw, "<synthetic>").features


@pytest.fixture(scope="module")
def rows(prospects_path: Path, train_path: Path) -> pd.DataFrame:
    bundled = parse_customers(read_table(prospects_path), "prospects").features
    return pd.concat([bundled, synthetic(train_path, 3000, seed=1)], ignore_index=True)


def test_probabilities_agree_within_1e6(reference, compiled, rows) -> None:
    expected = reference.estimator.predict_proba(rows)
    actual = compiled[0].estimator.predict_proba(rows)
    assert np.abs(actual - expected).max() <= 1e-6


def test_lightgbm_margins_are_lightgbms(reference, compiled, rows) -> None:
    matrix = reference.estimator.prepare(rows).lightgbm
    boosters = reference.estimator._members()[0].boosters
    expected = np.stack([b.predict(matrix, raw_score=True) for b in boosters])
    forest = compiled[0].estimator._members()[0].forest
    assert forest is not None
    np.testing.assert_allclose(forest.raw_scores(matrix), expected, rtol=0, atol=1e-12)


def test_edge_values_follow_lightgbms_rules(reference, compiled) -> None:
    boosters = reference.estimator._members()[0].boosters
    forest = compiled[0].estimator._members()[0].forest
    rng = np.random.default_rng(0)
    values = np.array([np.nan, -1.0, -0.5, 0.0, 1e-40, 0.5, 3.0, 40.0, 1e9, -1e9])
    matrix = rng.choice(values, size=(500, 14))
    expected = np.stack([b.predict(matrix, raw_score=True) for b in boosters])
    np.testing.assert_allclose(forest.raw_scores(matrix), expected, rtol=0, atol=1e-12)


def test_explanations_agree_with_the_reference_path(reference, compiled, rows) -> None:
    """The CatBoost member's SHAP values from leaf tables, the network's Shapley values on
    one BLAS thread per seed: the same values to rounding."""
    few = rows.head(3)
    np.testing.assert_allclose(
        compiled[0].estimator.contributions(few),
        reference.estimator.contributions(few),
        rtol=0,
        atol=1e-9,
    )


def test_catboost_shap_from_leaf_tables_is_catboosts(reference, compiled, rows) -> None:
    prepared = reference.estimator.prepare(rows.head(400))
    catboost_own, from_tables = (m.estimator._members()[1] for m in (reference, compiled[0]))
    assert catboost_own.leaf_shap is None and from_tables.leaf_shap is not None
    for own, tables in zip(
        catboost_own.contributions(prepared), from_tables.contributions(prepared), strict=True
    ):
        np.testing.assert_allclose(tables, own, rtol=0, atol=1e-12)


def test_catboost_reads_a_small_batch_as_rows_with_the_frames_margins(compiled, rows) -> None:
    """Below _ROWS_BELOW rows CatBoost gets rows of Python values, not the frame: the same
    margins to the last bit, for every prospect (in blocks of each size) and one alone."""
    from segmentor.ml.members import catboost as member

    bag = compiled[0].estimator._members()[1]
    prepared = compiled[0].estimator.prepare(rows)
    from_frame = np.mean(
        [m.predict(prepared.catboost, prediction_type="RawFormulaVal") for m in bag.models], axis=0
    )
    block = member._ROWS_BELOW - 1
    for start in range(0, len(rows), block):
        part = prepared.subset(np.arange(start, min(start + block, len(rows))))
        assert not isinstance(member._pool(part), pd.DataFrame)
        np.testing.assert_array_equal(bag.raw_scores(part), from_frame[start : start + block])
    np.testing.assert_array_equal(bag.raw_scores(prepared.subset(np.arange(7, 8))), from_frame[7:8])


def _network_bags(reference, compiled):
    return reference.estimator._members()[2], compiled[0].estimator._members()[2]


def test_network_logits_agree_with_numpys(reference, compiled, rows) -> None:
    numpy_bag, compiled_bag = _network_bags(reference, compiled)
    assert compiled_bag.dense is not None and numpy_bag.dense is None
    prepared = reference.estimator.prepare(rows)
    expected = numpy_bag.raw_scores(prepared)
    np.testing.assert_allclose(compiled_bag.raw_scores(prepared), expected, rtol=0, atol=1e-12)


def test_compiled_network_scores_a_row_the_same_in_any_batch(reference, compiled, rows) -> None:
    """Row by row in a fixed order: a prospect gets the same digits alone, in a request or in
    a file's chunk, serial or parallel (PARALLEL_MIN_ROWS)."""
    _, compiled_bag = _network_bags(reference, compiled)
    prepared = reference.estimator.prepare(rows)
    whole = compiled_bag.raw_scores(prepared)
    for start, size in [(0, 1), (5, 3), (300, 700), (1000, 1500), (len(rows) - 2, 2)]:
        part = compiled_bag.raw_scores(prepared.subset(np.arange(start, start + size)))
        np.testing.assert_array_equal(part, whole[start : start + size])
    assert compiled_bag.raw_scores(prepared.subset(np.arange(0))).shape == (0, 4)


def test_dense_kernel_follows_relu_and_zero_inputs() -> None:
    """Hand-sized weights: skipping zero inputs and negative pre-activations is ReLU's math."""
    rng = np.random.default_rng(3)
    layers = [
        [
            (rng.normal(size=(6, 5)), rng.normal(size=6)),
            (rng.normal(size=(4, 6)), rng.normal(size=4)),
            (rng.normal(size=(3, 4)), rng.normal(size=3)),
        ]
        for _ in range(2)
    ]
    matrix = rng.normal(size=(40, 5))
    matrix[rng.random(matrix.shape) < 0.5] = 0.0

    def numpy_logits(seed):
        hidden = matrix
        for weight, bias in seed[:-1]:
            hidden = np.maximum(hidden @ weight.T + bias, 0.0)
        return hidden @ seed[-1][0].T + seed[-1][1]

    expected = np.mean([numpy_logits(seed) for seed in layers], axis=0)
    actual = DenseBag.of(layers).mean_logits(matrix)
    np.testing.assert_allclose(actual, expected, rtol=0, atol=1e-12)


def _entry(cache: Path) -> Path:
    (entry,) = cache.glob("forest-*.npz")
    return entry


def test_cache_entry_is_written_and_reused(reference, compiled) -> None:
    _, cache = compiled
    text = reference.estimator.lightgbm_model_
    entry = _entry(cache)
    assert entry.name == f"forest-{model_hash(text)[:32]}.npz"
    before = entry.stat().st_mtime_ns
    cached_forest(text.split(SEPARATOR), text, cache)
    assert entry.stat().st_mtime_ns == before


@pytest.mark.parametrize("damage", ["garbage", "truncated", "stale"])
def test_corrupt_or_stale_cache_is_rebuilt(reference, compiled, rows, tmp_path, damage) -> None:
    text = reference.estimator.lightgbm_model_
    texts = text.split(SEPARATOR)
    good = cached_forest(texts, text, tmp_path)
    entry = _entry(tmp_path)
    if damage == "garbage":
        entry.write_bytes(b"not an npz at all")
    elif damage == "truncated":
        entry.write_bytes(entry.read_bytes()[:5000])
    else:  # another model's valid entry under this model's name
        other = cached_forest(texts[:1], texts[0], tmp_path / "other")
        _entry(tmp_path / "other").replace(entry)
        assert other.n_boosters == 1
    rebuilt = cached_forest(texts, text, tmp_path)
    matrix = reference.estimator.prepare(rows.head(200)).lightgbm
    np.testing.assert_array_equal(rebuilt.raw_scores(matrix), good.raw_scores(matrix))
    assert cached_forest(texts, text, tmp_path).n_boosters == len(texts)  # entry repaired


def test_forest_of_a_single_leaf_tree() -> None:
    import lightgbm as lgb

    data = lgb.Dataset(np.zeros((50, 2)), label=np.arange(50) % 3, params={"verbose": -1})
    params = {"objective": "multiclass", "num_class": 3, "verbose": -1, "min_data_in_leaf": 1}
    booster = lgb.train(params, data, num_boost_round=2)
    forest = forest_from_texts([booster.model_to_string()])
    matrix = np.zeros((4, 2))
    expected = booster.predict(matrix, raw_score=True)
    np.testing.assert_allclose(forest.raw_scores(matrix)[0], expected, rtol=0, atol=1e-12)


def test_the_cli_keeps_the_compiled_forest_in_the_home_cache(
    segmentor_home: Path, prospects_path: Path, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from segmentor.cli import app

    out = tmp_path / "out.csv"
    result = CliRunner().invoke(app, ["predict", str(prospects_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    entries = list((segmentor_home / "cache" / "compiled").glob("forest-*.npz"))
    assert len(entries) == 1
    first = entries[0].stat().st_mtime_ns
    again = CliRunner().invoke(app, ["predict", str(prospects_path), "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert entries[0].stat().st_mtime_ns == first  # reused, not rebuilt
