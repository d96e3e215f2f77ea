"""The LightGBM member: a seed bag of boosters on native categoricals."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np

from segmentor.domain import schema
from segmentor.ml.features import CLASSES, MODEL_COLUMNS, PreparedFeatures, fold_engineered

_CATEGORICAL_INDEX = [MODEL_COLUMNS.index(c) for c in schema.CATEGORICAL]
_BAG_SEPARATOR = "\n\x1e\n"  # ASCII record separator: never in LightGBM model text


@dataclass(frozen=True)
class LightGBMBag:
    """Boosters of the same shape trained with different seeds; their margins are averaged."""

    boosters: list[lgb.Booster]
    # The compiled path (segmentor.ml.compiled.forest); None: LightGBM's own predictor.
    forest: Any = None

    def raw_scores(self, prepared: PreparedFeatures) -> np.ndarray:
        if self.forest is not None:
            return np.mean(self.forest.raw_scores(prepared.lightgbm), axis=0)
        return np.mean(
            [np.asarray(b.predict(prepared.lightgbm, raw_score=True)) for b in self.boosters],
            axis=0,
        )

    def contributions(self, prepared: PreparedFeatures) -> tuple[np.ndarray, np.ndarray]:
        values = self.column_contributions(prepared.lightgbm)
        return fold_engineered(values[:, :-1, :], prepared.missing), values[:, -1, :]

    def column_contributions(self, matrix: np.ndarray) -> np.ndarray:
        """TreeSHAP per model column (n, 14 + 1, 4), bias last, mean over the seeds."""
        n_rows, n_columns = matrix.shape
        return np.mean(
            [
                np.asarray(b.predict(matrix, pred_contrib=True))
                .reshape(n_rows, len(CLASSES), n_columns + 1)
                .transpose(0, 2, 1)
                for b in self.boosters
            ],
            axis=0,
        )

    def compiled(self, cache_dir: Path | None) -> LightGBMBag:
        """The boosters walked by the compiled kernel; LightGBM itself if it cannot be built."""
        try:
            from segmentor.ml.compiled.cache import cached_forest

            texts = [b.model_to_string() for b in self.boosters]
            forest = cached_forest(texts, _BAG_SEPARATOR.join(texts), cache_dir)
            forest.raw_scores(np.zeros((1, len(MODEL_COLUMNS))))  # compile the kernel now
        except Exception as error:  # no numba, no LLVM target: slower, never wrong
            warnings.warn(
                f"compiled LightGBM scoring unavailable ({type(error).__name__}: {error}); "
                "using LightGBM's predictor",
                RuntimeWarning,
                stacklevel=2,
            )
            return self
        return LightGBMBag(self.boosters, forest)

    def to_state(self) -> str:
        """The boosters' model texts in one string (record-separator delimited)."""
        return _BAG_SEPARATOR.join(b.model_to_string() for b in self.boosters)

    @classmethod
    def from_state(cls, text: str) -> LightGBMBag:
        return cls([lgb.Booster(model_str=part) for part in text.split(_BAG_SEPARATOR)])


def fit_lightgbm(
    matrix: np.ndarray, y: np.ndarray, params: dict[str, Any], n_rounds: int
) -> lgb.Booster:
    """Train one booster on integer labels 0-3."""
    data = lgb.Dataset(
        matrix,
        label=y,
        feature_name=list(MODEL_COLUMNS),
        categorical_feature=_CATEGORICAL_INDEX,
        free_raw_data=True,
        params={"verbose": -1},
    )
    return lgb.train(params, data, num_boost_round=n_rounds)


def fit_lightgbm_bag(
    prepared: PreparedFeatures, labels: np.ndarray, params: list[dict[str, Any]], n_rounds: int
) -> LightGBMBag:
    """One booster per parameter set (they differ by seed)."""
    return LightGBMBag([fit_lightgbm(prepared.lightgbm, labels, p, n_rounds) for p in params])
