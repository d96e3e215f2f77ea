"""Saving and loading the segment model with skops, and the audit of what a file holds.

The estimator is written by skops only; loading accepts nothing but :class:`SegmentModel`
holding plain values (its members as text and bytes), then rebuilds and probes the members so
that a model from another version is refused at load time.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from segmentor.errors import SegmentorError
from segmentor.ml.blend import SegmentModel

# Every type a saved SegmentModel may hold. Audited on load with skops.io.get_untrusted_types:
# anything else in the file (or a file skops cannot read) is refused.
TRUSTED_TYPES: tuple[str, ...] = ("segmentor.ml.blend.SegmentModel",)
# Where SegmentModel lived before the ml layer was split into modules: models saved then
# name it so, and the class is still importable there.
LEGACY_TYPES: tuple[str, ...] = ("segmentor.ml.model.SegmentModel",)
_ACCEPTED_TYPES = (*TRUSTED_TYPES, *LEGACY_TYPES)
_RETRAIN = "retrain with `segmentor train`"


def save_estimator(model: SegmentModel, path: Path) -> None:
    """Write a fitted model to ``path`` in skops format (the native members as text/bytes)."""
    import skops.io as sio

    check_is_fitted(model, "lightgbm_model_")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(model, path)


def load_estimator(path: Path) -> SegmentModel:
    """Read a model written by :func:`save_estimator`; only :data:`TRUSTED_TYPES` (and
    :data:`LEGACY_TYPES`) are accepted.

    Raises :class:`SegmentorError` (one line naming the file and the fix) when the file is
    missing, is not a skops file, holds an untrusted type or holds something else.
    """
    import skops.io as sio

    path = Path(path)
    if not path.is_file():
        raise SegmentorError("no model file here", file=str(path), fix=_RETRAIN)
    try:
        untrusted = [t for t in sio.get_untrusted_types(file=path) if t not in _ACCEPTED_TYPES]
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
        model = sio.load(path, trusted=list(_ACCEPTED_TYPES))
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
