"""The CatBoost member: ordered target statistics and categorical combinations."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from catboost import CatBoostClassifier, Pool

from segmentor.domain import schema
from segmentor.ml.compiled.oblivious import LeafShap
from segmentor.ml.features import (
    CATBOOST_COLUMNS,
    MODEL_COLUMNS,
    PreparedFeatures,
    fold_engineered,
)

_LENGTH_BYTES = 8


@dataclass(frozen=True)
class CatBoostBag:
    """CatBoost models trained with different seeds; their margins are averaged."""

    models: list[CatBoostClassifier]
    # SHAP from per-leaf tables (segmentor.ml.compiled.oblivious); None: CatBoost's own.
    leaf_shap: tuple[LeafShap, ...] | None = None

    def raw_scores(self, prepared: PreparedFeatures) -> np.ndarray:
        data = _pool(prepared)
        return np.mean(
            [np.asarray(m.predict(data, prediction_type="RawFormulaVal")) for m in self.models],
            axis=0,
        )

    def contributions(self, prepared: PreparedFeatures) -> tuple[np.ndarray, np.ndarray]:
        values = self.column_contributions(prepared.catboost)
        # Onto the model-column layout: the columns CatBoost does not see contribute 0.
        n_columns = len(MODEL_COLUMNS)
        laid_out = np.zeros((len(values), n_columns + 1, values.shape[2]))
        positions = [MODEL_COLUMNS.index(c) for c in CATBOOST_COLUMNS] + [n_columns]
        laid_out[:, positions, :] = values
        return fold_engineered(laid_out[:, :-1, :], prepared.missing), laid_out[:, -1, :]

    def column_contributions(self, frame: pd.DataFrame) -> np.ndarray:
        """SHAP per CatBoost column (n, 11 + 1, 4), bias last, mean over the seeds."""
        pool = Pool(frame, cat_features=list(schema.CATEGORICAL))
        if self.leaf_shap is not None:
            return np.mean([shap.shap_values(pool) for shap in self.leaf_shap], axis=0)
        return np.mean(
            [
                np.asarray(m.get_feature_importance(pool, type="ShapValues")).transpose(0, 2, 1)
                for m in self.models
            ],
            axis=0,
        )

    def compiled(self, cache_dir: Path | None) -> CatBoostBag:
        """CatBoost's own batch apply is already compiled code (1.7 s per 100,000 rows); its
        SHAP values come from per-leaf tables (about 10 ms per row less)."""
        return CatBoostBag(self.models, tuple(LeafShap(m) for m in self.models))

    def to_state(self) -> bytes:
        """The models' ``cbm`` blobs in one bytes value, each prefixed by its length."""
        blobs = [_to_cbm(m) for m in self.models]
        return b"".join(len(b).to_bytes(_LENGTH_BYTES, "little") + b for b in blobs)

    @classmethod
    def from_state(cls, packed: bytes) -> CatBoostBag:
        """Inverse of :meth:`to_state`; a bare ``cbm`` blob (models saved before seed bags)
        is read as a bag of one."""
        if packed[:4] == b"CBM1":
            return cls([_from_cbm(packed)])
        models, offset = [], 0
        while offset < len(packed):
            size = int.from_bytes(packed[offset : offset + _LENGTH_BYTES], "little")
            start = offset + _LENGTH_BYTES
            models.append(_from_cbm(packed[start : start + size]))
            offset = start + size
        return cls(models)


# CatBoost reads a small batch faster as rows of Python values than as a frame (one prospect
# 0.41 -> 0.12 ms; even at about 200 rows, slower beyond): the same values, the same margins.
_ROWS_BELOW = 128
_CATEGORICAL_POSITIONS = [CATBOOST_COLUMNS.index(column) for column in schema.CATEGORICAL]


def _pool(prepared: PreparedFeatures) -> Pool | pd.DataFrame:
    if len(prepared) >= _ROWS_BELOW:
        return prepared.catboost
    return Pool(prepared.catboost_rows(), cat_features=_CATEGORICAL_POSITIONS)


def _to_cbm(model: CatBoostClassifier) -> bytes:
    """CatBoost's native ``cbm`` bytes (through a temporary file: the API writes files)."""
    handle, name = tempfile.mkstemp(suffix=".cbm")
    os.close(handle)
    try:
        model.save_model(name, format="cbm")
        return Path(name).read_bytes()
    finally:
        Path(name).unlink(missing_ok=True)


def _from_cbm(blob: bytes) -> CatBoostClassifier:
    model = CatBoostClassifier()
    model.load_model(blob=blob)
    return model


def fit_catboost_bag(
    prepared: PreparedFeatures, labels: np.ndarray, params: list[dict[str, Any]]
) -> CatBoostBag:
    """One model per parameter set (they differ by seed), on integer labels 0-3."""
    models = [
        CatBoostClassifier(**p, cat_features=list(schema.CATEGORICAL)).fit(
            prepared.catboost, labels
        )
        for p in params
    ]
    return CatBoostBag(models)
