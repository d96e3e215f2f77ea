"""The network bag's forward pass as one compiled kernel that walks each row on its own.

The reference forward pass (:func:`segmentor.ml.network.forward`) multiplies blocks of 256
rows with BLAS: fast on large batches, but one prospect pays for a whole block (and for
setting BLAS's thread count), and BLAS's sums depend on the block's shape. This kernel,
compiled by Numba at first use (kept in this package's ``__pycache__`` like the forest's
kernel), computes each row alone, in one fixed order: the same bits for a row whatever the
batch, with no padding. It skips the products of zero inputs, which are most of them (each
categorical attribute is a one-hot column, and ReLU zeroes about half of the hidden units):
adding ``0 * w`` changes nothing. Rows are shared among the cores in blocks.

Its logits equal the reference path's within about 1e-15 (the additions run in another
order); ``tests/segmentor/test_compiled.py`` checks both paths on the bundled prospects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from segmentor.ml.compiled.kernels import pick, serial_and_parallel

# Rows per parallel task: enough to amortise a task, small enough to share a request's rows.
_BLOCK_ROWS = 256


@dataclass(frozen=True)
class DenseBag:
    """The seeds' three layers stacked, each weight transposed to (inputs, outputs)."""

    weights: tuple[np.ndarray, np.ndarray, np.ndarray]  # (seeds, n_in, n_out) per layer
    biases: tuple[np.ndarray, np.ndarray, np.ndarray]  # (seeds, n_out) per layer

    @classmethod
    def of(cls, layers: list[list[tuple[np.ndarray, np.ndarray]]]) -> DenseBag:
        """From the bag's layers: per seed, (weight (n_out, n_in), bias) of each layer."""
        if not layers or any(len(seed) != 3 for seed in layers):
            raise ValueError("the compiled forward pass needs networks of three layers")
        weights = tuple(
            np.ascontiguousarray(np.stack([seed[i][0].T for seed in layers]), dtype=np.float64)
            for i in range(3)
        )
        biases = tuple(
            np.ascontiguousarray(np.stack([seed[i][1] for seed in layers]), dtype=np.float64)
            for i in range(3)
        )
        return cls(weights, biases)  # type: ignore[arg-type]

    def mean_logits(self, matrix: np.ndarray) -> np.ndarray:
        """The seeds' mean logits (n, n_classes) of the encoded rows ``matrix``."""
        data = np.ascontiguousarray(matrix, dtype=np.float64)
        out = np.zeros((len(data), self.biases[2].shape[1]))
        if len(data):
            (w1, w2, w3), (b1, b2, b3) = self.weights, self.biases
            pick(_FORWARD_ROWS, len(data))(data, w1, b1, w2, b2, w3, b3, out)
        return out


def _forward_rows_py(data, w1, b1, w2, b2, w3, b3, out):  # noqa: ANN001
    n_rows = data.shape[0]
    n_seeds = w1.shape[0]
    n_blocks = (n_rows + _BLOCK_ROWS - 1) // _BLOCK_ROWS
    for block in numba.prange(n_blocks):
        hidden1 = np.empty(w1.shape[2])
        hidden2 = np.empty(w2.shape[2])
        logits = np.empty(w3.shape[2])
        nonzero = np.empty(max(w1.shape[1], w2.shape[1], w3.shape[1]), np.int64)
        first, last = block * _BLOCK_ROWS, min((block + 1) * _BLOCK_ROWS, n_rows)
        # Seed by seed over the block, so that one seed's weights stay in the cache; each
        # row still adds its seeds' logits in seed order.
        for seed in range(n_seeds):
            for row in range(first, last):
                _dense(data[row], w1[seed], b1[seed], hidden1, nonzero, True)
                _dense(hidden1, w2[seed], b2[seed], hidden2, nonzero, True)
                _dense(hidden2, w3[seed], b3[seed], logits, nonzero, False)
                for k in range(logits.shape[0]):
                    out[row, k] += logits[k]
        for row in range(first, last):
            for k in range(out.shape[1]):
                out[row, k] /= n_seeds


@numba.njit(inline="always", cache=True)
def _dense(inputs, weight, bias, outputs, nonzero, relu):  # noqa: ANN001
    """outputs = bias + sum_j inputs[j] * weight[j] over the nonzero inputs, in order (adding
    0 * w changes nothing); then ReLU if ``relu``. The nonzero positions are gathered first,
    without a branch: a test per input mispredicts on ReLU's random zeros."""
    count = 0
    for j in range(inputs.shape[0]):
        nonzero[count] = j
        count += inputs[j] != 0.0
    outputs[:] = bias
    for i in range(count):
        j = nonzero[i]
        value = inputs[j]
        for k in range(outputs.shape[0]):
            outputs[k] += value * weight[j, k]
    if relu:
        for k in range(outputs.shape[0]):
            outputs[k] = max(outputs[k], 0.0)


_FORWARD_ROWS = serial_and_parallel(_forward_rows_py)
