"""CatBoost's SHAP values looked up in per-leaf tables instead of recomputed for every row.

CatBoost's ``ShapValues`` are path-dependent TreeSHAP (Lundberg et al., 2020) over
*combination classes*: a float feature, a one-hot categorical feature, or the set of
categorical features a CTR projects on; a class's value is then shared equally among its
features. In a symmetric (oblivious) tree a row's decisions are the bits of its leaf index,
so a row's SHAP values in a tree depend on its leaf alone. :func:`shap_tables` computes, once
per model, every tree's values for every leaf, from the model's JSON dump (the same safe data
as its ``cbm`` bytes); a row's SHAP values are then the sum of its leaves' rows, the leaves
coming from CatBoost's own ``calc_leaf_indexes``. CatBoost itself takes about 10 ms per row
and 12 ms per call for the model's 600 trees; the lookup about half a millisecond for a row.

The tables hold each tree's exact Shapley values of the same coalition worth as CatBoost's
recursion, computed by enumerating the coalitions of the tree's players (one per depth at
most: trees deeper than :data:`MAX_DEPTH` are left to CatBoost):

* outside the coalition, a split sends the row both ways, weighted by the training weights
  of the two children; inside it, the row's own way only;
* a child of zero training weight is never entered (CatBoost skips it), so it adds nothing.

They agree with CatBoost within 1e-12 (``tests/segmentor/test_oblivious.py`` on small models
built for each case, ``test_compiled.py`` on the trained one).
:func:`shap_tables` returns None for a model it does not cover (non-symmetric or deeper
trees, a scaled or shifted formula, a JSON layout it does not recognise): the caller keeps
CatBoost's own computation for it.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numba
import numpy as np
from catboost import CatBoostClassifier, Pool

# The enumeration costs about 6**depth per tree: 0.3 ms at depth 6 (the model's), a few ms at 7.
MAX_DEPTH = 7
# Rows per lookup block: each gathers (rows, trees, features + 1, classes) doubles.
_BLOCK_ROWS = 64


@dataclass(frozen=True)
class ShapTables:
    """Per tree and leaf, the SHAP values over the flat features (then the bias slot, zero)."""

    values: np.ndarray  # (n_trees, max_leaves, n_features + 1, n_classes)
    bias: np.ndarray  # (n_classes,): the trees' weighted mean values

    def shap_values(self, model: CatBoostClassifier, pool: Pool) -> np.ndarray:
        """SHAP values (n, n_features + 1, n_classes), bias last, as CatBoost's ``ShapValues``."""
        leaves = np.asarray(model.calc_leaf_indexes(pool), dtype=np.intp)
        trees = np.arange(len(self.values))
        out = np.empty((len(leaves), *self.values.shape[2:]))
        for start in range(0, len(leaves), _BLOCK_ROWS):
            block = leaves[start : start + _BLOCK_ROWS]
            out[start : start + len(block)] = self.values[trees, block].sum(axis=1)
        out[:, -1, :] = self.bias
        return out


class LeafShap:
    """CatBoost's ``ShapValues`` of one model, from its tables once they are built.

    The tables (about 0.7 s and 15 MB for 600 trees of depth 6) are built at the first call,
    not at load: scoring never needs them. A model they do not cover keeps CatBoost's own.
    """

    def __init__(self, model: CatBoostClassifier) -> None:
        self._model = model
        self._tables: ShapTables | None = None
        self._built = False
        self._lock = threading.Lock()

    def shap_values(self, pool: Pool) -> np.ndarray:
        """SHAP values (n, n_features + 1, n_classes), bias last."""
        with self._lock:
            if not self._built:
                self._tables, self._built = shap_tables(self._model), True
        if self._tables is None:
            values = self._model.get_feature_importance(pool, type="ShapValues")
            return np.asarray(values).transpose(0, 2, 1)
        return self._tables.shap_values(self._model, pool)


def shap_tables(model: CatBoostClassifier) -> ShapTables | None:
    """The model's per-leaf SHAP tables, or None when it is not a plain symmetric model."""
    dump = _json_dump(model)
    scale, shift = dump.get("scale_and_bias", [1.0, [0.0]])
    if scale != 1.0 or any(shift) or "oblivious_trees" not in dump:
        return None
    try:
        classes, features = _split_classes(dump)
    except (KeyError, IndexError, ValueError):
        return None
    trees = dump["oblivious_trees"]
    n_classes = len(trees[0]["leaf_values"]) // len(trees[0]["leaf_weights"])
    depth = max(len(tree["splits"]) for tree in trees)
    if depth > MAX_DEPTH:
        return None
    values = np.zeros((len(trees), 2**depth, len(features) + 1, n_classes))
    bias = np.zeros(n_classes)
    for t, tree in enumerate(trees):
        leaf_values = np.asarray(tree["leaf_values"], dtype=np.float64).reshape(-1, n_classes)
        weights = np.asarray(tree["leaf_weights"], dtype=np.float64)
        bias += weights @ leaf_values / weights.sum()
        players = [classes[split["split_index"]] for split in tree["splits"]]
        _tree_table(players, features, leaf_values, weights, values[t])
    return ShapTables(values, bias)


def _json_dump(model: CatBoostClassifier) -> dict[str, Any]:
    handle, name = tempfile.mkstemp(suffix=".json")
    os.close(handle)
    try:
        model.save_model(name, format="json")
        return json.loads(Path(name).read_text())
    finally:
        Path(name).unlink(missing_ok=True)


def _split_classes(dump: dict[str, Any]) -> tuple[list[tuple[int, ...]], list[int]]:
    """Each binary split's combination class (a tuple of flat feature indices), and the flat
    feature indices in order.

    CatBoost numbers the binary splits float features first (their borders), then one-hot
    features (their values), then CTRs (their borders); a CTR's class is the categorical
    features it projects on.
    """
    info = dump["features_info"]
    floats = info.get("float_features", [])
    categoricals = info.get("categorical_features", [])
    flat_of_cat = {c["feature_index"]: c["flat_feature_index"] for c in categoricals}
    classes: list[tuple[int, ...]] = []
    for feature in floats:
        classes += [(feature["flat_feature_index"],)] * len(feature.get("borders", []))
    for feature in categoricals:
        classes += [(feature["flat_feature_index"],)] * len(feature.get("values", []))
    for ctr in info.get("ctrs", []):
        projection = tuple(
            flat_of_cat[e["cat_feature_index"]]
            for e in ctr["elements"]
            if e["combination_element"] == "cat_feature_value"
        )
        classes += [projection] * len(ctr["borders"])
    features = sorted(
        [f["flat_feature_index"] for f in floats] + [c["flat_feature_index"] for c in categoricals]
    )
    if features != list(range(len(features))):
        raise ValueError("flat feature indices are not 0..n-1")
    _check_float_splits(dump, classes, floats)
    return classes, features


def _check_float_splits(
    dump: dict[str, Any], classes: list[tuple[int, ...]], floats: list[dict[str, Any]]
) -> None:
    """The numbering above must name the same feature as every float split's own field."""
    flat = {f["feature_index"]: f["flat_feature_index"] for f in floats}
    for tree in dump["oblivious_trees"]:
        for split in tree["splits"]:
            if split["split_type"] == "FloatFeature":
                if classes[split["split_index"]] != (flat[split["float_feature_index"]],):
                    raise ValueError("split numbering differs from CatBoost's")


def _tree_table(
    players_by_depth: list[tuple[int, ...]],
    features: list[int],
    leaf_values: np.ndarray,
    weights: np.ndarray,
    out: np.ndarray,
) -> None:
    """One tree's SHAP values for every leaf, into ``out`` (leaves, n_features + 1, classes).

    CatBoost walks a symmetric tree from its last split (the leaf index's highest bit) to its
    first, and path-dependent SHAP depends on that order. The tree is therefore relabelled
    first: splits reversed, leaf indices bit-reversed, so that the walk starts at bit 0.
    """
    depth = len(players_by_depth)
    relabel = _bit_reversal(depth)  # an involution: its own inverse
    players = sorted(set(players_by_depth))
    depth_player = np.array([players.index(p) for p in players_by_depth[::-1]], dtype=np.int64)
    n_players = len(players)
    shapley_weights = np.array(
        [
            math.factorial(s) * math.factorial(n_players - s - 1) / math.factorial(n_players)
            for s in range(n_players)
        ]
    )
    node_weights = _node_weights(weights[relabel], depth)
    per_player = _leaf_shapley(
        depth_player, n_players, shapley_weights, node_weights, leaf_values[relabel]
    )[relabel]
    for p, player in enumerate(players):
        for feature in player:
            out[: len(leaf_values), features.index(feature)] += per_player[:, p] / len(player)


def _bit_reversal(depth: int) -> np.ndarray:
    """Each leaf index of a tree of ``depth`` splits with its bits in reverse order."""
    leaves = np.arange(2**depth)
    reversed_ = np.zeros_like(leaves)
    for bit in range(depth):
        reversed_ |= ((leaves >> bit) & 1) << (depth - 1 - bit)
    return reversed_


def _node_weights(leaf_weights: np.ndarray, depth: int) -> np.ndarray:
    """Training weight of every node, (depth + 1, 2**depth): level d's node n (n < 2**d) holds
    the leaves whose first d decisions are the bits of n."""
    nodes = np.zeros((depth + 1, 2**depth))
    nodes[depth] = leaf_weights
    for d in range(depth - 1, -1, -1):
        width = 2**d
        nodes[d, :width] = nodes[d + 1, :width] + nodes[d + 1, width : 2 * width]
    return nodes


@numba.njit(cache=True, nogil=True)
def _leaf_shapley(
    depth_player: np.ndarray,
    n_players: int,
    shapley_weights: np.ndarray,
    node_weights: np.ndarray,
    leaf_values: np.ndarray,
) -> np.ndarray:
    """Shapley values (leaves, players, classes) of a row in each leaf of one oblivious tree.

    The worth of coalition S for a row in leaf b: every leaf l's value times, per depth d,
    the row's own way (1 if l agrees with b at d, else 0) when d's player is in S, else the
    share of the training weight going l's way; 0 when l's way has no training weight.
    """
    depth = len(depth_player)
    n_leaves = 1 << depth
    n_classes = leaf_values.shape[1]
    n_coalitions = 1 << n_players
    # Per depth and leaf: whether l's way there has weight, and its share of its parent's.
    alive = np.zeros((depth, n_leaves), dtype=np.bool_)
    share = np.zeros((depth, n_leaves))
    for d in range(depth):
        for leaf in range(n_leaves):
            child = node_weights[d + 1, leaf & ((1 << (d + 1)) - 1)]
            parent = node_weights[d, leaf & ((1 << d) - 1)]
            alive[d, leaf] = not _fuzzy_zero(child)
            if alive[d, leaf]:
                share[d, leaf] = child / parent
    # The worth for a row in leaf b only reads b's bits at the coalition's depths, so rows
    # equal on those bits share it: computed once, for the row with the other bits 0.
    worth = np.zeros((n_leaves, n_coalitions, n_classes))
    for coalition in range(n_coalitions):
        fixed = 0
        for d in range(depth):
            if (coalition >> depth_player[d]) & 1:
                fixed |= 1 << d
        for row_leaf in range(n_leaves):
            if row_leaf & fixed != row_leaf:
                worth[row_leaf, coalition] = worth[row_leaf & fixed, coalition]
                continue
            for leaf in range(n_leaves):
                factor = 1.0
                for d in range(depth):
                    if not alive[d, leaf]:
                        factor = 0.0
                    elif (fixed >> d) & 1:
                        if ((leaf ^ row_leaf) >> d) & 1:
                            factor = 0.0
                    else:
                        factor *= share[d, leaf]
                    if factor == 0.0:
                        break
                if factor != 0.0:
                    for k in range(n_classes):
                        worth[row_leaf, coalition, k] += factor * leaf_values[leaf, k]
    values = np.zeros((n_leaves, n_players, n_classes))
    for row_leaf in range(n_leaves):
        for p in range(n_players):
            for coalition in range(n_coalitions):
                if (coalition >> p) & 1:
                    continue
                size = 0
                for q in range(n_players):
                    size += (coalition >> q) & 1
                for k in range(n_classes):
                    values[row_leaf, p, k] += shapley_weights[size] * (
                        worth[row_leaf, coalition | (1 << p), k] - worth[row_leaf, coalition, k]
                    )
    return values


@numba.njit(cache=True, nogil=True)
def _fuzzy_zero(weight: float) -> bool:
    # CatBoost's FuzzyEquals(1 + weight, 1 + 0.0) with its default 1e-13.
    return abs(weight) <= 1e-13 * max(abs(1.0 + weight), 1.0)
