"""Temperature scaling of the blend's raw margins."""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax


def fit_temperature(log_probs: np.ndarray, y: np.ndarray) -> float:
    """Temperature in [0.25, 4] minimising the log loss of ``softmax(log_probs / T)``."""

    def loss(temperature: float) -> float:
        scaled = log_softmax(log_probs / temperature, axis=1)
        return float(-scaled[np.arange(len(y)), y].mean())

    result = minimize_scalar(loss, bounds=(0.25, 4.0), method="bounded")
    return float(result.x)
