"""The segment model: a blend of LightGBM, CatBoost and a small neural network.

:class:`SegmentModel` follows scikit-learn's conventions. It takes the typed feature frame of
:func:`segmentor.domain.schema.parse_customers` (columns
:data:`segmentor.domain.schema.FEATURES`, any order, missing values anywhere) and predicts the
probabilities of segments A, B, C and D.

How it works (the experiments behind each choice are in ``docs/model.md``):

1. :func:`engineer_features` adds a few derived columns to the nine attributes (ordinal
   Spending_Score, number of missing values, missing indicators, Age x Ever_Married).
2. Three members are fitted: a seed bag of strongly regularised LightGBM boosters on native
   categoricals (``lgbm_seeds``), CatBoost (``catboost_seeds`` seeds) with its ordered
   target statistics and categorical combinations (``catboost_ctr_complexity``), and a seed
   bag of small multilayer perceptrons on one-hot and piecewise-linear encoded attributes
   (``network_seeds``; :mod:`segmentor.ml.network`), whose smooth boundaries err differently
   from the trees'.
3. Their raw margins (averaged over each bag's seeds) are blended with fixed weights, which
   up to a per-row constant is the weighted mean of their log-probabilities, then divided by
   ``temperature_``. By default (``calibration_folds=0``) the temperature is 1: the blend is
   calibrated as it is (cross-validated reliability figures in ``docs/model.md``). With
   ``calibration_folds >= 2`` it is fitted on out-of-fold predictions of inner folds, so
   calibration never sees a row the scored model was trained on.

Persistence uses skops only (:func:`save_estimator`, :func:`load_estimator`). The inner models
are kept in their native serialised form (LightGBM model text, CatBoost ``cbm`` bytes, the
networks' arrays as ``.npz`` bytes read without pickle), so the
saved state holds nothing but plain Python and NumPy types and the estimator itself, and the
native objects are rebuilt lazily after loading.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from catboost import CatBoostClassifier
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_is_fitted

from segmentor.domain import schema
from segmentor.errors import SegmentorError
from segmentor.ml.network import NetworkMember, NetworkParams, fit_network_member

CLASSES: tuple[str, ...] = schema.SEGMENTS
_MISSING_CATEGORY = "__missing__"
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


# --------------------------------------------------------------------------- features
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
    frame = pd.DataFrame(index=pd.RangeIndex(len(X)))
    for column in schema.FEATURES:
        values = X[column].to_numpy()
        if column in schema.CATEGORIES:
            text = pd.Series(values, dtype="object").astype("string").astype("object")
            frame[column] = pd.Categorical(text, categories=list(schema.CATEGORIES[column]))
        else:
            numbers = pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce")
            frame[column] = numbers.astype("float64").to_numpy()
    return frame


def engineer_features(features: pd.DataFrame) -> pd.DataFrame:
    """Add the derived columns of :data:`ENGINEERED_SOURCES` to a coerced feature frame.

    Spending_ordinal is 0 (Low), 1 (Average), 2 (High) or NaN; n_missing counts missing
    attributes (0-9); Married_age is Age when Ever_Married is Yes, 0 when No, NaN otherwise.
    """
    frame = features.copy()
    frame["Spending_ordinal"] = _codes(frame["Spending_Score"])
    frame["n_missing"] = features.isna().sum(axis=1).astype("float64")
    married = _codes(frame["Ever_Married"])  # 0 = Yes, 1 = No
    frame["Married_age"] = frame["Age"] * (1.0 - married)
    frame["Work_Experience_missing"] = frame["Work_Experience"].isna().astype("float64")
    frame["Family_Size_missing"] = frame["Family_Size"].isna().astype("float64")
    return frame.loc[:, list(MODEL_COLUMNS)]


def _codes(values: pd.Series) -> pd.Series:
    """Category codes as float64, NaN for missing."""
    codes = values.cat.codes.astype("float64")
    return codes.where(codes >= 0)


def lightgbm_matrix(engineered: pd.DataFrame) -> np.ndarray:
    """Float matrix for LightGBM: category codes (NaN = missing) and numbers, shape (n, 14)."""
    columns = [
        _codes(engineered[c]) if c in schema.CATEGORIES else engineered[c] for c in MODEL_COLUMNS
    ]
    return np.column_stack([np.asarray(c, dtype="float64") for c in columns])


def catboost_frame(engineered: pd.DataFrame) -> pd.DataFrame:
    """Frame for CatBoost (:data:`CATBOOST_COLUMNS`): categoricals as plain ``str`` objects
    (missing as a category)."""
    frame = pd.DataFrame(index=engineered.index)
    for column in CATBOOST_COLUMNS:
        if column in schema.CATEGORIES:
            text = engineered[column].astype("object").where(engineered[column].notna())
            frame[column] = np.array(
                [_MISSING_CATEGORY if v is None or v is np.nan else str(v) for v in text],
                dtype=object,
            )
        else:
            frame[column] = engineered[column].to_numpy(dtype="float64")
    return frame


@dataclass(frozen=True)
class PreparedFeatures:
    """What the inner models consume: one input per member, rows in input order."""

    lightgbm: np.ndarray
    catboost: pd.DataFrame
    features: pd.DataFrame  # the coerced attributes, which the network encodes itself
    missing: np.ndarray  # (n, 9) bool, which attributes are missing; used by contributions

    def __len__(self) -> int:
        return len(self.lightgbm)


def prepare_features(X: pd.DataFrame) -> PreparedFeatures:
    """Coerce, engineer and encode ``X`` for the members."""
    features = coerce_features(X)
    engineered = engineer_features(features)
    return PreparedFeatures(
        lightgbm=lightgbm_matrix(engineered),
        catboost=catboost_frame(engineered),
        features=features,
        missing=features.isna().to_numpy(),
    )


# --------------------------------------------------------------------------- members
@dataclass(frozen=True)
class Members:
    """The fitted inner models: two seed bags of trees and the network (None at weight 0)."""

    boosters: list[lgb.Booster]
    catboosts: list[CatBoostClassifier]
    network: NetworkMember | None


_CATEGORICAL_INDEX = [MODEL_COLUMNS.index(c) for c in schema.CATEGORICAL]


def _class_index(y: Any) -> np.ndarray:
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


def fit_lightgbm(
    matrix: np.ndarray, y: np.ndarray, params: dict[str, Any], n_rounds: int
) -> lgb.Booster:
    """Train the LightGBM member on integer labels 0-3."""
    data = lgb.Dataset(
        matrix,
        label=y,
        feature_name=list(MODEL_COLUMNS),
        categorical_feature=_CATEGORICAL_INDEX,
        free_raw_data=True,
        params={"verbose": -1},
    )
    return lgb.train(params, data, num_boost_round=n_rounds)


def fit_catboost(frame: pd.DataFrame, y: np.ndarray, params: dict[str, Any]) -> CatBoostClassifier:
    """Train the CatBoost member on integer labels 0-3."""
    model = CatBoostClassifier(**params, cat_features=list(schema.CATEGORICAL))
    return model.fit(frame, y)


_BAG_SEPARATOR = "\n\x1e\n"  # ASCII record separator: never in LightGBM model text


def lightgbm_to_text(booster: lgb.Booster) -> str:
    return booster.model_to_string()


def lightgbm_bag_to_text(boosters: list[lgb.Booster]) -> str:
    """The bagged boosters' model texts in one string (record-separator delimited)."""
    return _BAG_SEPARATOR.join(lightgbm_to_text(b) for b in boosters)


def lightgbm_bag_from_text(text: str) -> list[lgb.Booster]:
    return [lgb.Booster(model_str=part) for part in text.split(_BAG_SEPARATOR)]


def catboost_bag_to_bytes(models: list[CatBoostClassifier]) -> bytes:
    """The bagged models' ``cbm`` blobs in one bytes value, each prefixed by its length."""
    blobs = [catboost_to_bytes(m) for m in models]
    return b"".join(len(b).to_bytes(8, "little") + b for b in blobs)


def catboost_bag_from_bytes(packed: bytes) -> list[CatBoostClassifier]:
    """Inverse of :func:`catboost_bag_to_bytes`; a bare ``cbm`` blob (models saved before
    seed bags) is read as a bag of one."""
    if packed[:4] == b"CBM1":
        return [catboost_from_bytes(packed)]
    models, offset = [], 0
    while offset < len(packed):
        size = int.from_bytes(packed[offset : offset + 8], "little")
        models.append(catboost_from_bytes(packed[offset + 8 : offset + 8 + size]))
        offset += 8 + size
    return models


def catboost_to_bytes(model: CatBoostClassifier) -> bytes:
    """CatBoost's native ``cbm`` bytes (through a temporary file: the API writes files)."""
    handle, name = tempfile.mkstemp(suffix=".cbm")
    os.close(handle)
    try:
        model.save_model(name, format="cbm")
        return Path(name).read_bytes()
    finally:
        Path(name).unlink(missing_ok=True)


def catboost_from_bytes(blob: bytes) -> CatBoostClassifier:
    model = CatBoostClassifier()
    model.load_model(blob=blob)
    return model


# --------------------------------------------------------------------------- calibration
def fit_temperature(log_probs: np.ndarray, y: np.ndarray) -> float:
    """Temperature in [0.25, 4] minimising the log loss of ``softmax(log_probs / T)``."""

    def loss(temperature: float) -> float:
        scaled = log_softmax(log_probs / temperature, axis=1)
        return float(-scaled[np.arange(len(y)), y].mean())

    result = minimize_scalar(loss, bounds=(0.25, 4.0), method="bounded")
    return float(result.x)


# --------------------------------------------------------------------------- estimator
class SegmentModel(ClassifierMixin, BaseEstimator):
    """LightGBM + CatBoost + network blend predicting calibrated probabilities of segments A-D.

    Parameters
    ----------
    lgbm_rounds : int in [1, 10000], boosting rounds of the LightGBM member.
    lgbm_learning_rate : float in (0, 1].
    lgbm_num_leaves : int in [2, 256].
    lgbm_min_child_samples : int >= 1.
    lgbm_reg_lambda : float >= 0, L2 regularisation.
    catboost_iterations : int in [1, 10000], boosting rounds of the CatBoost member.
    catboost_learning_rate : float in (0, 1].
    catboost_depth : int in [1, 10].
    catboost_weight : float in [0, 1], weight of CatBoost in the blend.
    network_weight : float in [0, 1], weight of the network (0: no network is fitted). LightGBM
        gets ``1 - catboost_weight - network_weight``, which must not be negative.
    catboost_ctr_complexity : int in [1, 4], CatBoost ``max_ctr_complexity`` (4 lets it build
        target statistics of categorical combinations).
    lgbm_seeds : int in [1, 20], LightGBM boosters in the seed bag (seeds random_state + i).
    catboost_seeds : int in [1, 20], CatBoost models in its seed bag.
    network_seeds : int in [1, 20], networks in their seed bag.
    network_epochs : int in [1, 1000], training epochs of each network.
    calibration_folds : 0 (default: temperature 1, the blend is calibrated as it is) or an
        int >= 2 inner folds on whose out-of-fold predictions the temperature is fitted (the
        members are then refitted once per fold).
    n_jobs : int >= 1 threads per member.
    random_state : int seed.
    """

    def __init__(
        self,
        lgbm_rounds: int = 400,
        lgbm_learning_rate: float = 0.02,
        lgbm_num_leaves: int = 15,
        lgbm_min_child_samples: int = 40,
        lgbm_reg_lambda: float = 5.0,
        catboost_iterations: int = 600,
        catboost_learning_rate: float = 0.05,
        catboost_depth: int = 6,
        catboost_weight: float = 0.3,
        catboost_ctr_complexity: int = 4,
        lgbm_seeds: int = 3,
        catboost_seeds: int = 1,
        network_weight: float = 0.4,
        network_seeds: int = 6,
        network_epochs: int = 30,
        calibration_folds: int = 0,
        n_jobs: int = 2,
        random_state: int = 0,
    ) -> None:
        self.lgbm_rounds = lgbm_rounds
        self.lgbm_learning_rate = lgbm_learning_rate
        self.lgbm_num_leaves = lgbm_num_leaves
        self.lgbm_min_child_samples = lgbm_min_child_samples
        self.lgbm_reg_lambda = lgbm_reg_lambda
        self.catboost_iterations = catboost_iterations
        self.catboost_learning_rate = catboost_learning_rate
        self.catboost_depth = catboost_depth
        self.catboost_weight = catboost_weight
        self.catboost_ctr_complexity = catboost_ctr_complexity
        self.lgbm_seeds = lgbm_seeds
        self.catboost_seeds = catboost_seeds
        self.network_weight = network_weight
        self.network_seeds = network_seeds
        self.network_epochs = network_epochs
        self.calibration_folds = calibration_folds
        self.n_jobs = n_jobs
        self.random_state = random_state

    # ---- parameters
    def _validate_params_values(self) -> None:
        rules: list[tuple[str, bool, str]] = [
            ("lgbm_rounds", 1 <= int(self.lgbm_rounds) <= 10_000, "an int in [1, 10000]"),
            ("lgbm_learning_rate", 0 < self.lgbm_learning_rate <= 1, "a float in (0, 1]"),
            ("lgbm_num_leaves", 2 <= int(self.lgbm_num_leaves) <= 256, "an int in [2, 256]"),
            ("lgbm_min_child_samples", int(self.lgbm_min_child_samples) >= 1, "an int >= 1"),
            ("lgbm_reg_lambda", self.lgbm_reg_lambda >= 0, "a float >= 0"),
            (
                "catboost_iterations",
                1 <= int(self.catboost_iterations) <= 10_000,
                "an int in [1, 10000]",
            ),
            ("catboost_learning_rate", 0 < self.catboost_learning_rate <= 1, "a float in (0, 1]"),
            ("catboost_depth", 1 <= int(self.catboost_depth) <= 10, "an int in [1, 10]"),
            ("catboost_weight", 0 <= self.catboost_weight <= 1, "a float in [0, 1]"),
            ("network_weight", 0 <= self.network_weight <= 1, "a float in [0, 1]"),
            (
                "network_weight",
                self.catboost_weight + self.network_weight <= 1,
                "at most 1 - catboost_weight (LightGBM gets the rest of the blend)",
            ),
            (
                "catboost_ctr_complexity",
                1 <= int(self.catboost_ctr_complexity) <= 4,
                "an int in [1, 4]",
            ),
            ("lgbm_seeds", 1 <= int(self.lgbm_seeds) <= 20, "an int in [1, 20]"),
            ("catboost_seeds", 1 <= int(self.catboost_seeds) <= 20, "an int in [1, 20]"),
            ("network_seeds", 1 <= int(self.network_seeds) <= 20, "an int in [1, 20]"),
            ("network_epochs", 1 <= int(self.network_epochs) <= 1000, "an int in [1, 1000]"),
            (
                "calibration_folds",
                int(self.calibration_folds) == 0 or int(self.calibration_folds) >= 2,
                "0 or an int >= 2",
            ),
            ("n_jobs", int(self.n_jobs) >= 1, "an int >= 1"),
        ]
        for name, ok, expected in rules:
            if not ok:
                raise ValueError(
                    f"The {name!r} parameter of SegmentModel must be {expected}. "
                    f"Got {getattr(self, name)!r} instead."
                )

    def _lightgbm_params(self, seed_offset: int = 0) -> dict[str, Any]:
        return {
            "objective": "multiclass",
            "num_class": len(CLASSES),
            "learning_rate": self.lgbm_learning_rate,
            "num_leaves": int(self.lgbm_num_leaves),
            "min_child_samples": int(self.lgbm_min_child_samples),
            "lambda_l2": self.lgbm_reg_lambda,
            "bagging_fraction": 0.8,
            "bagging_freq": 1,
            "feature_fraction": 0.7,
            "num_threads": int(self.n_jobs),
            "seed": int(self.random_state) + seed_offset,
            "deterministic": True,
            "verbose": -1,
        }

    def _catboost_params(self, seed_offset: int = 0) -> dict[str, Any]:
        return {
            "iterations": int(self.catboost_iterations),
            "learning_rate": self.catboost_learning_rate,
            "depth": int(self.catboost_depth),
            "l2_leaf_reg": 5.0,
            "max_ctr_complexity": int(self.catboost_ctr_complexity),
            "loss_function": "MultiClass",
            "thread_count": int(self.n_jobs),
            "random_seed": int(self.random_state) + seed_offset,
            "allow_writing_files": False,
            "verbose": 0,
        }

    # ---- fitting
    def fit(self, X: pd.DataFrame, y: Any) -> SegmentModel:
        """Fit the three members on all rows (and, if asked, the out-of-fold temperature).

        ``y`` holds the segments A-D (strings or a Categorical), one per row of ``X``.
        Returns self.
        """
        self._validate_params_values()
        prepared = prepare_features(X)
        labels = _class_index(y)
        if len(labels) != len(prepared):
            raise SegmentorError(
                f"{len(prepared)} feature rows but {len(labels)} labels",
                fix="give one segment per customer",
            )
        self.temperature_ = self._out_of_fold_temperature(prepared, labels)
        members = self._fit_members(prepared, labels)
        self.lightgbm_model_ = lightgbm_bag_to_text(members.boosters)
        self.catboost_model_ = catboost_bag_to_bytes(members.catboosts)
        self.network_model_ = members.network.to_bytes() if members.network else b""
        self._members_cache: Members | None = members
        self.classes_ = np.array(CLASSES, dtype=object)
        self.feature_names_in_ = np.array(schema.FEATURES, dtype=object)
        self.n_features_in_ = len(schema.FEATURES)
        return self

    def _fit_members(self, prepared: PreparedFeatures, labels: np.ndarray) -> Members:
        """The three seed bags: boosters, CatBoost models and networks."""
        if len(np.unique(labels)) < len(CLASSES):
            raise SegmentorError(
                "training needs customers of all four segments A, B, C and D",
                fix="train on a table with every segment present",
            )
        boosters = [
            fit_lightgbm(
                prepared.lightgbm, labels, self._lightgbm_params(seed), int(self.lgbm_rounds)
            )
            for seed in range(int(self.lgbm_seeds))
        ]
        catboosts = [
            fit_catboost(prepared.catboost, labels, self._catboost_params(seed))
            for seed in range(int(self.catboost_seeds))
        ]
        network = None
        if self.network_weight > 0:
            network = fit_network_member(
                prepared.features,
                labels,
                NetworkParams(epochs=int(self.network_epochs)),
                seeds=int(self.network_seeds),
                random_state=int(self.random_state),
            )
        return Members(boosters, catboosts, network)

    def _out_of_fold_temperature(self, prepared: PreparedFeatures, labels: np.ndarray) -> float:
        folds = int(self.calibration_folds)
        if folds == 0:
            return 1.0
        log_probs = np.zeros((len(labels), len(CLASSES)))
        splitter = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
        for train, held_out in splitter.split(np.zeros(len(labels)), labels):
            members = self._fit_members(_subset(prepared, train), labels[train])
            log_probs[held_out] = self._blend(members, _subset(prepared, held_out))
        return fit_temperature(log_probs, labels)

    # ---- predicting
    def _weights(self) -> tuple[float, float, float]:
        """Blend weights of LightGBM, CatBoost and the network (they sum to 1)."""
        catboost, network = float(self.catboost_weight), float(self.network_weight)
        return 1.0 - catboost - network, catboost, network

    def _blend(self, members: Members, prepared: PreparedFeatures) -> np.ndarray:
        """Blended raw margins (n, 4) before temperature.

        Each bag's raw multiclass margins are averaged over its seeds, then the bags are
        weighted. Up to a per-row constant (which softmax removes) this is the weighted mean
        of the members' log-probabilities.
        """
        lgb_raw = np.mean(
            [np.asarray(b.predict(prepared.lightgbm, raw_score=True)) for b in members.boosters],
            axis=0,
        )
        cb_raw = np.mean(
            [
                np.asarray(m.predict(prepared.catboost, prediction_type="RawFormulaVal"))
                for m in members.catboosts
            ],
            axis=0,
        )
        lgb_weight, cb_weight, net_weight = self._weights()
        blend = lgb_weight * lgb_raw + cb_weight * cb_raw
        if members.network is not None:
            blend += net_weight * members.network.raw_scores(prepared.features)
        return blend

    def _members(self) -> Members:
        """The native members, rebuilt from their serialised form on first use after load."""
        check_is_fitted(self, "lightgbm_model_")
        if getattr(self, "_members_cache", None) is None:
            self._members_cache = Members(
                lightgbm_bag_from_text(self.lightgbm_model_),
                catboost_bag_from_bytes(self.catboost_model_),
                NetworkMember.from_bytes(self.network_model_) if self.network_model_ else None,
            )
        return self._members_cache  # type: ignore[return-value]

    def prepare(self, X: pd.DataFrame) -> PreparedFeatures:
        """What the inner models consume (for timing the bare model apart from the pipeline)."""
        check_is_fitted(self, "lightgbm_model_")
        return prepare_features(X)

    def predict_proba_prepared(self, prepared: PreparedFeatures) -> np.ndarray:
        """Calibrated probabilities from :meth:`prepare` output, shape (n, 4), rows sum to 1."""
        return softmax(self._blend(self._members(), prepared) / self.temperature_, axis=1)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Calibrated probabilities of A, B, C, D (columns in ``classes_`` order), rows sum to 1."""
        return self.predict_proba_prepared(self.prepare(X))

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """The most probable segment per row, an array of 'A'-'D' strings."""
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

    # ---- explaining
    def contributions(self, X: pd.DataFrame) -> np.ndarray:
        """SHAP values per row, attribute and class, shape (n, 9, 4), raw score space.

        The members' SHAP values (LightGBM ``pred_contrib``, CatBoost ``ShapValues``, the
        network's exact Shapley values over the nine attributes; all in raw multiclass margin
        units) are averaged with the blend weights. The trees' engineered columns are folded
        back onto their source attributes (:data:`ENGINEERED_SOURCES`). Attribute order is
        :data:`segmentor.domain.schema.FEATURES`; class order is ``classes_``. The bias terms are in
        :meth:`contribution_bias`. Temperature is not applied.
        """
        return self._shap(self.prepare(X))[0]

    def contribution_bias(self, X: pd.DataFrame) -> np.ndarray:
        """Per-row, per-class expected raw scores (SHAP bias terms), shape (n, 4)."""
        return self._shap(self.prepare(X))[1]

    def _shap(self, prepared: PreparedFeatures) -> tuple[np.ndarray, np.ndarray]:
        """Blended attribute contributions (n, 9, 4) and bias (n, 4)."""
        members = self._members()
        lgb_values, cb_values = self._tree_shap(members, prepared)
        lgb_weight, cb_weight, net_weight = self._weights()
        trees = lgb_weight * lgb_values + cb_weight * cb_values
        values = fold_engineered(trees[:, :-1, :], prepared.missing)
        bias = trees[:, -1, :]
        if members.network is not None:
            net_values, net_bias = members.network.shapley(prepared.features)
            values = values + net_weight * net_values
            bias = bias + net_weight * net_bias
        return values, bias

    def _tree_shap(
        self, members: Members, prepared: PreparedFeatures
    ) -> tuple[np.ndarray, np.ndarray]:
        """Both tree bags' SHAP arrays (mean over seeds), each (n, n_columns + 1, 4), bias last."""
        boosters, catboosts = members.boosters, members.catboosts
        n_rows, n_columns = prepared.lightgbm.shape
        lgb_values = np.mean(
            [
                np.asarray(b.predict(prepared.lightgbm, pred_contrib=True))
                .reshape(n_rows, len(CLASSES), n_columns + 1)
                .transpose(0, 2, 1)
                for b in boosters
            ],
            axis=0,
        )
        pool = _catboost_pool(prepared.catboost)
        cb_own = np.mean(
            [
                np.asarray(m.get_feature_importance(pool, type="ShapValues")).transpose(0, 2, 1)
                for m in catboosts
            ],
            axis=0,
        )
        # Onto the model-column layout: columns CatBoost does not see contribute 0.
        cb_values = np.zeros_like(lgb_values)
        positions = [MODEL_COLUMNS.index(c) for c in CATBOOST_COLUMNS] + [n_columns]
        cb_values[:, positions, :] = cb_own
        return lgb_values, cb_values

    def raw_scores(self, X: pd.DataFrame) -> np.ndarray:
        """Blended raw margins (n, 4): contributions summed over attributes plus bias."""
        return self._blend(self._members(), self.prepare(X))

    def __getstate__(self) -> dict[str, Any]:
        # The native objects are a cache of the *_model_ attributes: never persisted.
        state = dict(self.__dict__)
        state.pop("_members_cache", None)
        return state

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags


def _subset(prepared: PreparedFeatures, rows: np.ndarray) -> PreparedFeatures:
    return PreparedFeatures(
        lightgbm=prepared.lightgbm[rows],
        catboost=prepared.catboost.iloc[rows].reset_index(drop=True),
        features=prepared.features.iloc[rows].reset_index(drop=True),
        missing=prepared.missing[rows],
    )


def _catboost_pool(frame: pd.DataFrame) -> Any:
    from catboost import Pool

    return Pool(frame, cat_features=list(schema.CATEGORICAL))


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


# --------------------------------------------------------------------------- persistence
# Every type a saved SegmentModel may hold. Audited on load with skops.io.get_untrusted_types:
# anything else in the file (or a file skops cannot read) is refused.
TRUSTED_TYPES: tuple[str, ...] = ("segmentor.ml.model.SegmentModel",)
_RETRAIN = "retrain with `segmentor train`"


def save_estimator(model: SegmentModel, path: Path) -> None:
    """Write a fitted model to ``path`` in skops format (the native members as text/bytes)."""
    import skops.io as sio

    check_is_fitted(model, "lightgbm_model_")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(model, path)


def load_estimator(path: Path) -> SegmentModel:
    """Read a model written by :func:`save_estimator`; only :data:`TRUSTED_TYPES` are accepted.

    Raises :class:`SegmentorError` (one line naming the file and the fix) when the file is
    missing, is not a skops file, holds an untrusted type or holds something else.
    """
    import skops.io as sio

    path = Path(path)
    if not path.is_file():
        raise SegmentorError("no model file here", file=str(path), fix=_RETRAIN)
    try:
        untrusted = [t for t in sio.get_untrusted_types(file=path) if t not in TRUSTED_TYPES]
    except Exception as error:  # skops raises zipfile/json/key errors on foreign files
        raise SegmentorError(
            f"not a valid model file ({type(error).__name__})", file=str(path), fix=_RETRAIN
        ) from None
    if untrusted:
        raise SegmentorError(
            f"the model file holds untrusted types ({', '.join(sorted(untrusted)[:3])})",
            file=str(path),
            fix=_RETRAIN,
        )
    try:
        model = sio.load(path, trusted=list(TRUSTED_TYPES))
    except Exception as error:
        raise SegmentorError(
            f"the model file cannot be read ({type(error).__name__})", file=str(path), fix=_RETRAIN
        ) from None
    if not isinstance(model, SegmentModel) or not hasattr(model, "lightgbm_model_"):
        raise SegmentorError(
            "the file does not hold a fitted segment model", file=str(path), fix=_RETRAIN
        )
    _audit_state(model, path)
    _check_members_score(model, path)
    return model


def _check_members_score(model: SegmentModel, path: Path) -> None:
    """Rebuild the native members and score one empty row, so that a model written by another
    version of this code is refused at load time, not half-way through a batch."""
    probe = pd.DataFrame({name: [np.nan] for name in model.feature_names_in_})
    try:
        model.predict_proba(probe)
    except Exception as error:  # LightGBM / CatBoost raise their own types for foreign blobs
        raise SegmentorError(
            f"the model was written by another version and cannot score ({type(error).__name__})",
            file=str(path),
            fix=_RETRAIN,
        ) from None


# skops trusts scikit-learn and NumPy types by default, so get_untrusted_types does not list
# them; the state of a SegmentModel may only hold these plain types.
_STATE_TYPES: tuple[type, ...] = (bool, int, float, str, bytes, np.ndarray, np.generic)


def _audit_state(model: SegmentModel, path: Path) -> None:
    """Refuse a model whose attributes hold anything but plain values and string arrays."""
    for name, value in vars(model).items():
        allowed = isinstance(value, _STATE_TYPES) and not (
            isinstance(value, np.ndarray) and value.dtype.kind not in "OUSfiub"
        )
        if isinstance(value, np.ndarray) and value.dtype.kind == "O":
            allowed = all(isinstance(item, str) for item in value.ravel())
        if not allowed:
            raise SegmentorError(
                f"the model file holds an unexpected {type(value).__name__} in {name!r}",
                file=str(path),
                fix=_RETRAIN,
            )
