"""The segment model: a weighted blend of LightGBM, CatBoost and a small neural network.

:class:`SegmentModel` follows scikit-learn's conventions. It takes the typed feature frame of
:func:`segmentor.domain.schema.parse_customers` (columns
:data:`segmentor.domain.schema.FEATURES`, any order, missing values anywhere) and predicts the
probabilities of segments A, B, C and D.

How it works (the experiments behind each choice are in ``docs/model.md``):

1. :func:`segmentor.ml.features.prepare_features` adds a few derived columns to the nine
   attributes and encodes them for each member.
2. Three members are fitted (:mod:`segmentor.ml.members`): a seed bag of strongly
   regularised LightGBM boosters on native categoricals (``lgbm_seeds``), CatBoost
   (``catboost_seeds`` seeds) with its ordered target statistics and categorical combinations
   (``catboost_ctr_complexity``), and a seed bag of small multilayer perceptrons on one-hot
   and piecewise-linear encoded attributes (``network_seeds``; :mod:`segmentor.ml.network`),
   whose smooth boundaries err differently from the trees'.
3. Their raw margins (averaged over each bag's seeds) are blended with fixed weights, which
   up to a per-row constant is the weighted mean of their log-probabilities, then divided by
   ``temperature_``. By default (``calibration_folds=0``) the temperature is 1: the blend is
   calibrated as it is (cross-validated reliability figures in ``docs/model.md``). With
   ``calibration_folds >= 2`` it is fitted on out-of-fold predictions of inner folds, so
   calibration never sees a row the scored model was trained on.

The blend knows its members only through :class:`segmentor.ml.members.base.Member`: each is
kept in its native serialised form in one attribute (LightGBM model text, CatBoost ``cbm``
bytes, the networks' arrays as ``.npz`` bytes), so the saved state holds nothing but plain
Python and NumPy types (:mod:`segmentor.ml.persistence`), and the native objects are rebuilt
lazily after loading.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_is_fitted

from segmentor.domain import schema
from segmentor.errors import SegmentorError
from segmentor.ml.calibration import fit_temperature
from segmentor.ml.features import CLASSES, PreparedFeatures, class_index, prepare_features
from segmentor.ml.members.base import Member, State
from segmentor.ml.members.catboost import CatBoostBag, fit_catboost_bag
from segmentor.ml.members.lightgbm import LightGBMBag, fit_lightgbm_bag
from segmentor.ml.members.network import NetworkBag, fit_network_bag

# A member slot: None when the member is not fitted (the network at weight 0).
Members = list[Member | None]


@dataclass(frozen=True)
class MemberSlot:
    """Where a member's serialised form lives on the estimator and how it is rebuilt."""

    attribute: str
    load: Callable[[Any], Member]


# In blend order; the weights of :meth:`SegmentModel._weights` follow it.
MEMBER_SLOTS: tuple[MemberSlot, ...] = (
    MemberSlot("lightgbm_model_", LightGBMBag.from_state),
    MemberSlot("catboost_model_", CatBoostBag.from_state),
    MemberSlot("network_model_", NetworkBag.from_state),
)
_EMPTY_STATE = b""


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
        lgbm_rounds: int = 40,
        lgbm_learning_rate: float = 0.1,
        lgbm_num_leaves: int = 15,
        lgbm_min_child_samples: int = 40,
        lgbm_reg_lambda: float = 5.0,
        catboost_iterations: int = 600,
        catboost_learning_rate: float = 0.05,
        catboost_depth: int = 6,
        catboost_weight: float = 0.3,
        catboost_ctr_complexity: int = 4,
        lgbm_seeds: int = 2,
        catboost_seeds: int = 1,
        network_weight: float = 0.45,
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
        labels = class_index(y)
        if len(labels) != len(prepared):
            raise SegmentorError(
                f"{len(prepared)} feature rows but {len(labels)} labels",
                fix="give one segment per customer",
            )
        self.temperature_ = self._out_of_fold_temperature(prepared, labels)
        members = self._fit_members(prepared, labels)
        for slot, member in zip(MEMBER_SLOTS, members, strict=True):
            state: State = member.to_state() if member is not None else _EMPTY_STATE
            setattr(self, slot.attribute, state)
        self._members_cache: Members | None = members
        self.classes_ = np.array(CLASSES, dtype=object)
        self.feature_names_in_ = np.array(schema.FEATURES, dtype=object)
        self.n_features_in_ = len(schema.FEATURES)
        return self

    def _fit_members(self, prepared: PreparedFeatures, labels: np.ndarray) -> Members:
        """The three seed bags, in :data:`MEMBER_SLOTS` order."""
        if len(np.unique(labels)) < len(CLASSES):
            raise SegmentorError(
                "training needs customers of all four segments A, B, C and D",
                fix="train on a table with every segment present",
            )
        lightgbm = fit_lightgbm_bag(
            prepared,
            labels,
            [self._lightgbm_params(seed) for seed in range(int(self.lgbm_seeds))],
            int(self.lgbm_rounds),
        )
        catboost = fit_catboost_bag(
            prepared, labels, [self._catboost_params(s) for s in range(int(self.catboost_seeds))]
        )
        network = None
        if self.network_weight > 0:
            network = fit_network_bag(
                prepared,
                labels,
                epochs=int(self.network_epochs),
                seeds=int(self.network_seeds),
                random_state=int(self.random_state),
            )
        return [lightgbm, catboost, network]

    def _out_of_fold_temperature(self, prepared: PreparedFeatures, labels: np.ndarray) -> float:
        folds = int(self.calibration_folds)
        if folds == 0:
            return 1.0
        log_probs = np.zeros((len(labels), len(CLASSES)))
        splitter = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
        for train, held_out in splitter.split(np.zeros(len(labels)), labels):
            members = self._fit_members(prepared.subset(train), labels[train])
            log_probs[held_out] = self._blend(members, prepared.subset(held_out))
        return fit_temperature(log_probs, labels)

    # ---- predicting
    def _weights(self) -> tuple[float, float, float]:
        """Blend weights of LightGBM, CatBoost and the network (they sum to 1)."""
        catboost, network = float(self.catboost_weight), float(self.network_weight)
        return 1.0 - catboost - network, catboost, network

    def _weighted(self, members: Members) -> list[tuple[float, Member]]:
        return [
            (weight, member)
            for weight, member in zip(self._weights(), members, strict=True)
            if member is not None
        ]

    def _blend(self, members: Members, prepared: PreparedFeatures) -> np.ndarray:
        """Blended raw margins (n, 4) before temperature.

        Each bag's raw multiclass margins are averaged over its seeds, then the bags are
        weighted. Up to a per-row constant (which softmax removes) this is the weighted mean
        of the members' log-probabilities.
        """
        (weight, first), *rest = self._weighted(members)
        blend = weight * first.raw_scores(prepared)
        for weight, member in rest:
            blend = blend + weight * member.raw_scores(prepared)
        return blend

    def _members(self) -> Members:
        """The native members, rebuilt from their serialised form on first use after load."""
        check_is_fitted(self, "lightgbm_model_")
        if getattr(self, "_members_cache", None) is None:
            self._members_cache = [self._load_member(slot) for slot in MEMBER_SLOTS]
        return self._members_cache  # type: ignore[return-value]

    def compile(self, cache_dir: Path | None = None) -> SegmentModel:
        """Put every member on its fast scoring path (``docs/scale.md``); returns self.

        Probabilities stay within 1e-6 of the reference path (the LightGBM member's margins
        are LightGBM's to the last bits); explanations are unchanged. ``cache_dir`` (a plain
        path chosen by the entry point, e.g. ``$SEGMENTOR_HOME/cache``) keeps what the fast
        paths derive from the model, keyed by its hash; None derives it in memory.
        """
        self._members_cache = [
            None if member is None else member.compiled(cache_dir) for member in self._members()
        ]
        return self

    def _load_member(self, slot: MemberSlot) -> Member | None:
        state = getattr(self, slot.attribute)
        return slot.load(state) if len(state) else None

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
        back onto their source attributes (:data:`segmentor.ml.features.ENGINEERED_SOURCES`).
        Attribute order is :data:`segmentor.domain.schema.FEATURES`; class order is
        ``classes_``. The bias terms are in :meth:`contribution_bias`. Temperature is not
        applied.
        """
        return self.contributions_prepared(self.prepare(X))

    def contributions_prepared(self, prepared: PreparedFeatures) -> np.ndarray:
        """:meth:`contributions` from :meth:`prepare` output."""
        return self._shap(prepared)[0]

    def contribution_bias(self, X: pd.DataFrame) -> np.ndarray:
        """Per-row, per-class expected raw scores (SHAP bias terms), shape (n, 4)."""
        return self._shap(self.prepare(X))[1]

    def _shap(self, prepared: PreparedFeatures) -> tuple[np.ndarray, np.ndarray]:
        """Blended attribute contributions (n, 9, 4) and bias (n, 4)."""
        (weight, first), *rest = self._weighted(self._members())
        first_values, first_bias = first.contributions(prepared)
        values, bias = weight * first_values, weight * first_bias
        for weight, member in rest:
            member_values, member_bias = member.contributions(prepared)
            values = values + weight * member_values
            bias = bias + weight * member_bias
        return values, bias

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
