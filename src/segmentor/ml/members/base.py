"""The one interface every member of the blend implements.

A member is a fitted inner model (usually a bag of seeds) that turns
:class:`~segmentor.ml.features.PreparedFeatures` into raw multiclass margins and explains
them. Its persisted form (``to_state``) is plain text or bytes in the library's own format,
never a pickle; ``from_state`` rebuilds the native objects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from segmentor.ml.features import PreparedFeatures

State = str | bytes


class Member(Protocol):
    """A fitted member of the blend."""

    def raw_scores(self, prepared: PreparedFeatures) -> np.ndarray:
        """Raw margins (n, 4), mean over the member's seeds; softmax gives its probabilities."""
        ...

    def contributions(self, prepared: PreparedFeatures) -> tuple[np.ndarray, np.ndarray]:
        """SHAP values on the nine attributes (n, 9, 4) and the bias (n, 4), raw-score units.

        Per row, the values summed over attributes plus the bias equal :meth:`raw_scores`.
        """
        ...

    def compiled(self, cache_dir: Path | None) -> Member:
        """The same member on its fastest scoring path (margins within 1e-9 of this one's);
        ``cache_dir`` may hold what that path derives from the model (never native code)."""
        ...

    def to_state(self) -> State:
        """The member in its library's native serialised form."""
        ...
