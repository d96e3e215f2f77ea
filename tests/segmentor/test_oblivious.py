"""CatBoost's SHAP values from per-leaf tables, against CatBoost's own, on small real models.

The tables are checked on the trained model in test_compiled.py; here on models built to
reach each case: float, one-hot and CTR splits, CTRs over feature combinations, leaves that
no training row reached, a repeated feature in one tree, and a model the tables do not cover.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from catboost import CatBoostClassifier, Pool

from segmentor.ml.compiled.oblivious import MAX_DEPTH, LeafShap, shap_tables


def _table(n_rows: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "a": rng.normal(size=n_rows),
            "b": np.where(rng.random(n_rows) < 0.1, np.nan, rng.normal(size=n_rows)),
            "c": rng.choice(list("xyz"), n_rows).astype(object),
            "d": rng.choice(list("pqrstuvw"), n_rows).astype(object),
        }
    )
    labels = (frame["a"] > 0).astype(int) + (frame["c"] == "x") + frame["d"].isin(["p", "q"])
    return frame, labels.to_numpy()


def _catboost_own(model: CatBoostClassifier, pool: Pool) -> np.ndarray:
    return np.asarray(model.get_feature_importance(pool, type="ShapValues")).transpose(0, 2, 1)


@pytest.mark.parametrize(
    "params",
    [
        {"depth": 4},  # floats and CTRs
        {"depth": 6, "one_hot_max_size": 4},  # one-hot splits; depth 6 on 300 rows: empty leaves
        {"depth": 5, "max_ctr_complexity": 3},  # CTRs over combinations of categoricals
        {"depth": 3, "max_ctr_complexity": 1, "grow_policy": "SymmetricTree"},
    ],
)
def test_tables_give_catboosts_shap_values(params) -> None:
    frame, labels = _table(300, seed=0)
    model = CatBoostClassifier(
        iterations=40, verbose=0, random_seed=0, cat_features=["c", "d"], **params
    ).fit(frame, labels)
    queries, _ = _table(200, seed=1)
    pool = Pool(queries, cat_features=["c", "d"])
    tables = shap_tables(model)
    assert tables is not None
    np.testing.assert_allclose(
        tables.shap_values(model, pool), _catboost_own(model, pool), rtol=0, atol=1e-12
    )


def test_empty_leaves_are_reached_and_agree() -> None:
    """Depth 6 on 80 rows: most leaves have no training row; rows drawn elsewhere land there."""
    frame, labels = _table(80, seed=2)
    model = CatBoostClassifier(iterations=20, depth=6, verbose=0, cat_features=["c", "d"])
    model.fit(frame, labels)
    queries, _ = _table(500, seed=3)
    pool = Pool(queries, cat_features=["c", "d"])
    trained_leaves = np.asarray(model.calc_leaf_indexes(Pool(frame, cat_features=["c", "d"])))
    leaves = np.asarray(model.calc_leaf_indexes(pool))
    unreached = [~np.isin(leaves[:, t], trained_leaves[:, t]) for t in range(leaves.shape[1])]
    assert np.any(unreached)
    np.testing.assert_allclose(
        LeafShap(model).shap_values(pool), _catboost_own(model, pool), rtol=0, atol=1e-12
    )


def test_a_scaled_model_keeps_catboosts_own_computation() -> None:
    frame, labels = _table(300, seed=4)
    model = CatBoostClassifier(iterations=10, depth=3, verbose=0, cat_features=["c", "d"])
    model.fit(frame, labels)
    model.set_scale_and_bias(2.0, [0.5, -0.5, 0.0, 0.25])
    assert shap_tables(model) is None
    pool = Pool(frame.head(20), cat_features=["c", "d"])
    np.testing.assert_array_equal(LeafShap(model).shap_values(pool), _catboost_own(model, pool))


def test_a_model_deeper_than_the_tables_keeps_catboosts_own_computation() -> None:
    frame, labels = _table(200, seed=5)
    model = CatBoostClassifier(
        iterations=3, depth=MAX_DEPTH + 1, verbose=0, cat_features=["c", "d"]
    )
    model.fit(frame, labels)
    assert shap_tables(model) is None
    pool = Pool(frame.head(20), cat_features=["c", "d"])
    np.testing.assert_array_equal(LeafShap(model).shap_values(pool), _catboost_own(model, pool))
