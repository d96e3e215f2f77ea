"""LightGBM boosters as flat arrays, and a compiled kernel that walks them.

LightGBM's own predictor costs several times the arithmetic of walking 1,600 small trees per
row (``benchmarks/profile_scoring.py``). Here the model text inside the skops file (the safe,
data-only representation) is parsed into flat node arrays, and one generic kernel, compiled by
Numba at first use, walks them with LightGBM's decision rules (numerical splits with their
missing-value handling, categorical bitsets) and sums the leaves in LightGBM's order, tree
after tree per class, so the margins equal LightGBM's to the last bits. No code is generated
from the model: the only native code is the kernel, compiled from this module (Numba keeps it
in this package's ``__pycache__``, keyed by this file, so a new process does not recompile).
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from segmentor.ml.compiled.kernels import pick, serial_and_parallel

# LightGBM's decision_type bits (include/LightGBM/tree.h).
_CATEGORICAL_MASK = 1
_DEFAULT_LEFT_MASK = 2
_MISSING_ZERO, _MISSING_NAN = 1, 2
_ZERO_THRESHOLD = 1e-35
ARRAY_NAMES = (
    "feature",
    "threshold",
    "decision",
    "left",
    "right",
    "leaf_value",
    "node_start",
    "leaf_start",
    "cat_start",
    "cat_size",
    "cat_bits",
)


@dataclass(frozen=True)
class Forest:
    """Every tree of one or more boosters, flattened. Children < 0 are leaves (~child)."""

    feature: np.ndarray  # int32 per node
    threshold: np.ndarray  # float64 per node
    decision: np.ndarray  # int8 per node (LightGBM decision_type)
    left: np.ndarray  # int32 per node, tree-local
    right: np.ndarray
    leaf_value: np.ndarray  # float64 per leaf
    node_start: np.ndarray  # int64 per tree: its first node (n_nodes == 0: a single leaf)
    leaf_start: np.ndarray  # int64 per tree
    cat_start: np.ndarray  # int64 per node: first bitset word of a categorical split
    cat_size: np.ndarray  # int32 per node: bitset words
    cat_bits: np.ndarray  # uint32 words
    n_classes: int
    n_boosters: int

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in ARRAY_NAMES}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], n_classes: int, n_boosters: int) -> Forest:
        return cls(
            **{name: arrays[name] for name in ARRAY_NAMES},
            n_classes=n_classes,
            n_boosters=n_boosters,
        )

    def raw_scores(self, matrix: np.ndarray) -> np.ndarray:
        """Each booster's raw margins (n_boosters, n, n_classes)."""
        data = np.ascontiguousarray(matrix, dtype=np.float64)
        out = np.zeros((self.n_boosters, len(data), self.n_classes))
        if len(data):
            walk = pick(_WALK, len(data))
            walk(data, *self.arrays().values(), self.n_classes, self.n_boosters, out)
        return out


def forest_from_texts(texts: list[str]) -> Forest:
    """Parse LightGBM model texts (one per booster, same shape) into one :class:`Forest`."""
    trees = [tree for text in texts for tree in _trees(text)]
    n_classes = _header_int(texts[0], "num_class")
    parts: dict[str, list[np.ndarray]] = {name: [] for name in ARRAY_NAMES}
    n_nodes = n_leaves = n_words = 0
    for tree in trees:
        splits = int(tree["num_leaves"]) - 1
        parts["node_start"].append(np.array([n_nodes if splits else -1]))
        parts["leaf_start"].append(np.array([n_leaves]))
        parts["leaf_value"].append(_floats(tree["leaf_value"]))
        n_leaves += splits + 1
        if not splits:
            continue
        decision = _ints(tree["decision_type"]).astype(np.int8)
        threshold = _floats(tree["threshold"])
        cat_start, cat_size = np.zeros(splits, np.int64), np.zeros(splits, np.int32)
        if int(tree.get("num_cat", "0")) > 0:
            bounds = _ints(tree["cat_boundaries"])
            words = _ints(tree["cat_threshold"]).astype(np.uint32)
            categorical = (decision & _CATEGORICAL_MASK) > 0
            index = threshold[categorical].astype(np.int64)
            cat_start[categorical] = n_words + bounds[index]
            cat_size[categorical] = bounds[index + 1] - bounds[index]
            parts["cat_bits"].append(words)
            n_words += len(words)
        parts["feature"].append(_ints(tree["split_feature"]).astype(np.int32))
        parts["threshold"].append(threshold)
        parts["decision"].append(decision)
        parts["left"].append(_ints(tree["left_child"]).astype(np.int32))
        parts["right"].append(_ints(tree["right_child"]).astype(np.int32))
        parts["cat_start"].append(cat_start)
        parts["cat_size"].append(cat_size)
        n_nodes += splits
    dtypes = {
        "feature": np.int32,
        "threshold": np.float64,
        "decision": np.int8,
        "left": np.int32,
        "right": np.int32,
        "leaf_value": np.float64,
        "node_start": np.int64,
        "leaf_start": np.int64,
        "cat_start": np.int64,
        "cat_size": np.int32,
        "cat_bits": np.uint32,
    }
    arrays = {
        name: np.concatenate(chunks).astype(dtypes[name]) if chunks else np.zeros(0, dtypes[name])
        for name, chunks in parts.items()
    }
    return Forest.from_arrays(arrays, n_classes, len(texts))


def _trees(text: str) -> list[dict[str, str]]:
    """The key=value blocks of each ``Tree=`` section, in order."""
    body = text.split("end of trees")[0]
    trees = []
    for block in body.split("\nTree=")[1:]:
        fields = dict(line.split("=", 1) for line in block.splitlines()[1:] if "=" in line)
        trees.append(fields)
    return trees


def _header_int(text: str, key: str) -> int:
    for line in text.splitlines():
        if line.startswith(f"{key}="):
            return int(line.split("=", 1)[1])
    raise ValueError(f"LightGBM model text without {key}")


def _floats(values: str) -> np.ndarray:
    return np.array(values.split(), dtype=np.float64)


def _ints(values: str) -> np.ndarray:
    return np.array(values.split(), dtype=np.int64)


_BLOCK_ROWS = 64


def _walk_py(
    data,
    feature,
    threshold,
    decision,
    left,
    right,
    leaf_value,
    node_start,  # noqa: ANN001
    leaf_start,
    cat_start,
    cat_size,
    cat_bits,
    n_classes,
    n_boosters,
    out,
):
    # Tree by tree over blocks of rows: one tree's nodes stay in cache while the block's
    # independent walks overlap in the CPU, which a row-by-row walk cannot do.
    n_trees = len(node_start)
    per_booster = n_trees // n_boosters
    n_rows = data.shape[0]
    n_blocks = (n_rows + _BLOCK_ROWS - 1) // _BLOCK_ROWS
    for block in numba.prange(n_blocks):
        first = block * _BLOCK_ROWS
        last = min(first + _BLOCK_ROWS, n_rows)
        nodes = np.zeros(_BLOCK_ROWS, np.int64)
        for tree in range(n_trees):
            booster = tree // per_booster
            klass = (tree % per_booster) % n_classes
            start = node_start[tree]
            leaves = leaf_start[tree]
            if start < 0:
                for row in range(first, last):
                    out[booster, row, klass] += leaf_value[leaves]
                continue
            for row in range(first, last):
                node = 0
                while node >= 0:
                    at = start + node
                    node = (
                        left[at]
                        if _goes_left(
                            data[row, feature[at]],
                            decision[at],
                            threshold[at],
                            cat_start[at],
                            cat_size[at],
                            cat_bits,
                        )
                        else right[at]
                    )
                nodes[row - first] = ~node
            for row in range(first, last):
                out[booster, row, klass] += leaf_value[leaves + nodes[row - first]]


_WALK = serial_and_parallel(_walk_py)


@numba.njit(inline="always", cache=True)
def _goes_left(value, kind, threshold, cat_start, cat_size, cat_bits):  # noqa: ANN001
    """LightGBM's decision at one node (Tree::NumericalDecision / CategoricalDecision)."""
    if kind & _CATEGORICAL_MASK:
        category = -1 if np.isnan(value) else int(value)
        if category < 0 or category // 32 >= cat_size:
            return False
        return (cat_bits[cat_start + category // 32] >> (category % 32)) & 1 == 1
    missing = (kind >> 2) & 3
    if np.isnan(value) and missing != _MISSING_NAN:
        value = 0.0
    if (missing == _MISSING_ZERO and abs(value) <= _ZERO_THRESHOLD) or (
        missing == _MISSING_NAN and np.isnan(value)
    ):
        return (kind & _DEFAULT_LEFT_MASK) != 0
    return value <= threshold
