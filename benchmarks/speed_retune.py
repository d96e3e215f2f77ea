"""Smaller members for speed: does the blend's cross-validated quality hold?

Same folds as ``benchmarks/accuracy.py`` (``RepeatedStratifiedKFold(5, 3, random_state=0)``).
On every fold the members are fitted once per shape and their held-out raw margins kept, so
that every combination below is judged on the same fits:

- LightGBM: the shipped bag (3 seeds x 400 rounds at learning rate 0.02) and single boosters
  with fewer rounds at higher learning rates (margins read at several round counts);
- CatBoost: the shipped one model of 600 iterations, and a bag of two seeds;
- the network bag: 3 or 6 seeds (the first k of the shipped 6).

A line is a blend (member shapes and weights) with its LightGBM trees per row, the cost that
dominates scoring (``docs/scale.md``), its mean accuracy and log loss, and their paired
differences from the shipped blend on the same folds. Printed: the best blends of at most
800 trees by log loss, and the shipped one. LightGBM is fitted once to its largest round
count and read at fewer (``num_iteration``). The first run (2026-12-03, docs/model.md) also
read LightGBM at 70-240 rounds (learning rate 0.05, 15 or 31 leaves), CatBoost at 300 and
1,000 iterations or as a bag of 2 seeds, and 1-4 networks: none of them did better.

    .venv/bin/python benchmarks/speed_retune.py [repeats]
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

import numpy as np
from scipy.special import log_softmax
from sklearn.model_selection import RepeatedStratifiedKFold

from accuracy import load_labelled
from segmentor.ml.blend import SegmentModel
from segmentor.ml.features import class_index, prepare_features
from segmentor.ml.members.catboost import fit_catboost_bag
from segmentor.ml.members.lightgbm import fit_lightgbm
from segmentor.ml.members.network import fit_network_bag
from segmentor.ml.network import forward

N_CLASSES = 4


@dataclass(frozen=True)
class BoosterShape:
    """One LightGBM fit per seed, read at several round counts."""

    learning_rate: float
    leaves: int
    seeds: int
    read_at: tuple[int, ...]

    def name(self, rounds: int, seeds: int) -> str:
        return f"{seeds}x{rounds}@{self.learning_rate:g}/{self.leaves}"


SHAPES = (
    BoosterShape(0.02, 15, 3, (400,)),
    BoosterShape(0.1, 15, 3, (40, 50)),
    BoosterShape(0.05, 15, 2, (100,)),
)
CATBOOST_AT = (600,)
CATBOOST_SEEDS = (1,)
NETWORK_SEEDS = (6,)
SHIPPED = ("3x400@0.02/15", "1x600", 6, (0.3, 0.3, 0.4))
# Blend weights (LightGBM, CatBoost, network), in steps of 0.05.
WEIGHTS = tuple(
    (round(1 - c - n, 2), c, n)
    for c in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45)
    for n in (0.35, 0.4, 0.45, 0.5)
    if 1 - c - n >= 0.1 - 1e-9
)
SHOWN = 40
MAX_SHOWN_TREES = 800


def fold_margins(X, labels, train, test) -> dict[str, dict]:
    """Held-out raw margins of every member shape fitted on ``train``."""
    base = SegmentModel()
    fitted = prepare_features(X.iloc[train])
    held_out = prepare_features(X.iloc[test])
    lightgbm: dict[str, np.ndarray] = {}
    for shape in SHAPES:
        per_seed = []
        for seed in range(shape.seeds):
            params = base._lightgbm_params(seed) | {
                "learning_rate": shape.learning_rate,
                "num_leaves": shape.leaves,
            }
            booster = fit_lightgbm(fitted.lightgbm, labels[train], params, max(shape.read_at))
            per_seed.append(
                {
                    at: booster.predict(held_out.lightgbm, raw_score=True, num_iteration=at)
                    for at in shape.read_at
                }
            )
        for at in shape.read_at:
            for seeds in range(1, shape.seeds + 1):
                margins = np.mean([s[at] for s in per_seed[:seeds]], axis=0)
                lightgbm[shape.name(at, seeds)] = margins
    catboost_bag = fit_catboost_bag(
        fitted,
        labels[train],
        [
            base._catboost_params(seed) | {"iterations": max(CATBOOST_AT)}
            for seed in range(max(CATBOOST_SEEDS))
        ],
    )
    per_model = [
        {
            at: np.asarray(
                model.predict(held_out.catboost, prediction_type="RawFormulaVal", ntree_end=at)
            )
            for at in CATBOOST_AT
        }
        for model in catboost_bag.models
    ]
    catboost = {
        f"{seeds}x{at}": np.mean([margins[at] for margins in per_model[:seeds]], axis=0)
        for at in CATBOOST_AT
        for seeds in CATBOOST_SEEDS
    }
    bag = fit_network_bag(
        fitted, labels[train], epochs=30, seeds=max(NETWORK_SEEDS), random_state=0
    )
    matrix = bag.member.encoding.transform(held_out.features)
    logits = [forward(layers, matrix) for layers in bag.member.layers]
    network = {k: np.mean(logits[:k], axis=0) for k in NETWORK_SEEDS}
    return {"lightgbm": lightgbm, "catboost": catboost, "network": network}


def scores(margins: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    log_p = log_softmax(margins, axis=1)
    accuracy = float((log_p.argmax(axis=1) == truth).mean())
    return accuracy, float(-log_p[np.arange(len(truth)), truth].mean())


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    X, y = load_labelled()
    labels = class_index(y)
    folds = list(
        RepeatedStratifiedKFold(n_splits=5, n_repeats=repeats, random_state=0).split(
            np.zeros(len(labels)), labels
        )
    )
    results: dict[tuple, list[tuple[float, float]]] = {}
    started = time.perf_counter()
    for number, (train, test) in enumerate(folds, 1):
        member = fold_margins(X, labels, train, test)
        for lgb_name, lgb_margin in member["lightgbm"].items():
            for cat_at, cat_margin in member["catboost"].items():
                for seeds, net_margin in member["network"].items():
                    for weights in WEIGHTS:
                        blend = (
                            weights[0] * lgb_margin
                            + weights[1] * cat_margin
                            + weights[2] * net_margin
                        )
                        key = (lgb_name, cat_at, seeds, weights)
                        results.setdefault(key, []).append(scores(blend, labels[test]))
        print(f"fold {number}/{len(folds)} done, {time.perf_counter() - started:.0f} s", flush=True)
    shipped = np.array(results[SHIPPED])
    rows = []
    for key, figures in results.items():
        lgb_name, cat_at, seeds, weights = key
        boosters, rounds = (int(part) for part in lgb_name.split("@")[0].split("x"))
        rows.append((key, boosters * rounds * N_CLASSES, np.array(figures)))
    rows.sort(key=lambda row: row[2][:, 1].mean())
    print(
        f"\n{len(folds)} folds, {len(rows)} blends; shipped: LightGBM {SHIPPED[0]}, CatBoost "
        f"{SHIPPED[1]} (seeds x iterations), {SHIPPED[2]} networks, weights 0.3/0.3/0.4. "
        "Paired: the mean and spread over folds of (blend - shipped), so that the folds' own "
        "difficulty cancels.\n"
    )
    print(
        "| LightGBM | CatBoost | networks | weights | trees/row | accuracy | log loss "
        "| paired accuracy | paired log loss |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    shown = [r for r in rows if r[1] <= MAX_SHOWN_TREES][:SHOWN]
    shown += [r for r in rows if r[0] == SHIPPED]
    for (lgb_name, cat_at, seeds, weights), trees, figures in shown:
        marker = " **shipped**" if (lgb_name, cat_at, seeds, weights) == SHIPPED else ""
        accuracy, loss = figures.T
        paired = figures - shipped
        delta, spread = paired.mean(axis=0), paired.std(axis=0)
        print(
            f"| {lgb_name}{marker} | {cat_at} | {seeds} | {'/'.join(f'{w:g}' for w in weights)} "
            f"| {trees} | {accuracy.mean():.4f} ± {accuracy.std():.4f} "
            f"| {loss.mean():.5f} ± {loss.std():.4f} | {delta[0]:+.4f} ± {spread[0]:.4f} "
            f"| {delta[1]:+.5f} ± {spread[1]:.5f} |"
        )


if __name__ == "__main__":
    main()
