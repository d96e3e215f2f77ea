"""The segment model's public names, where they lived before the ml layer was split.

The estimator is :class:`segmentor.ml.blend.SegmentModel`; features, members, calibration and
persistence have a module each (:mod:`segmentor.ml.features`, :mod:`segmentor.ml.members`,
:mod:`segmentor.ml.calibration`, :mod:`segmentor.ml.persistence`). Models saved before the
split name ``segmentor.ml.model.SegmentModel``, so that name must keep resolving.
"""

from segmentor.ml.blend import SegmentModel
from segmentor.ml.calibration import fit_temperature
from segmentor.ml.features import (
    CATBOOST_COLUMNS,
    CLASSES,
    ENGINEERED_SOURCES,
    MODEL_COLUMNS,
    PreparedFeatures,
    coerce_features,
    engineer_features,
    fold_engineered,
    prepare_features,
)
from segmentor.ml.persistence import LEGACY_TYPES, TRUSTED_TYPES, load_estimator, save_estimator

__all__ = [
    "CATBOOST_COLUMNS",
    "CLASSES",
    "ENGINEERED_SOURCES",
    "LEGACY_TYPES",
    "MODEL_COLUMNS",
    "TRUSTED_TYPES",
    "PreparedFeatures",
    "SegmentModel",
    "coerce_features",
    "engineer_features",
    "fit_temperature",
    "fold_engineered",
    "load_estimator",
    "prepare_features",
    "save_estimator",
]
