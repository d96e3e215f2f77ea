"""How much weight the new market's confirmed rows deserve when retraining.

A simulated new market (as in the tests): rows of train.csv not used by the champion, with
20 more years of work experience and each segment the next one (A->B, B->C, C->D, D->A).
train.csv is split once (stratified, seed 0) into the old market the models learn from
(70 %), an old-market test set (15 %) and the new-market pool (15 %), whose first
``feedback`` rows are the confirmed feedback and the rest the new-market test set.

The reference is the champion's recipe fitted on the old market alone; each challenger adds
the feedback rows repeated ``weight`` times. Every model is scored on the same test rows;
differences are paired (challenger minus reference) with their 95 % CI and McNemar p.

    .venv/bin/python benchmarks/retrain_weight.py [--fast] [--feedback N] [--weights 1,3,10]

``--fast`` uses a small configuration of the same estimator (seconds per fit) instead of
the product's defaults (~45 s per fit on 2 cores).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from segmentor.domain.schema import TARGET, parse_customers
from segmentor.ml.gate import compare_paired
from segmentor.ml.model import SegmentModel
from segmentor.paths import BUNDLED_TRAIN

NEXT_SEGMENT = {"A": "B", "B": "C", "C": "D", "D": "A"}
FAST = {
    "lgbm_rounds": 60,
    "lgbm_seeds": 1,
    "catboost_iterations": 30,
    "catboost_seeds": 1,
    "network_weight": 0.0,
    "n_jobs": 1,
}


def markets(feedback_rows: int) -> dict[str, pd.DataFrame]:
    raw = pd.read_csv(BUNDLED_TRAIN, dtype=str, keep_default_na=False)
    old, rest = train_test_split(raw, train_size=0.70, stratify=raw[TARGET], random_state=0)
    old_test, pool = train_test_split(rest, train_size=0.5, stratify=rest[TARGET], random_state=0)
    pool = pool.copy()
    experience = pd.to_numeric(pool["Work_Experience"], errors="coerce").fillna(1)
    pool["Work_Experience"] = (experience + 20).astype(int).astype(str)
    pool[TARGET] = pool[TARGET].map(NEXT_SEGMENT)
    return {
        "old": old,
        "old_test": old_test,
        "feedback": pool.iloc[:feedback_rows],
        "new_test": pool.iloc[feedback_rows:],
    }


def table(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    parsed = parse_customers(frame.reset_index(drop=True), "bench", require_target=True)
    return parsed.features, parsed.frame[TARGET].astype(str).to_numpy(dtype=object)


def predict(model: SegmentModel, features: pd.DataFrame) -> np.ndarray:
    return np.array(list("ABCD"), dtype=object)[model.predict_proba(features).argmax(axis=1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fast", action="store_true")
    parser.add_argument("--feedback", type=int, default=400)
    parser.add_argument("--weights", default="1,3,10")
    arguments = parser.parse_args()
    params = FAST if arguments.fast else {}
    data = {name: table(frame) for name, frame in markets(arguments.feedback).items()}
    old_x, old_y = data["old"]
    new_x, new_y = data["feedback"]
    started = time.perf_counter()
    reference = SegmentModel(**params).fit(old_x, old_y)
    reference_seconds = time.perf_counter() - started
    tests = {"old market": data["old_test"], "new market": data["new_test"]}
    baseline = {name: predict(reference, x) for name, (x, _) in tests.items()}
    print(
        f"rows: old {len(old_y)}, feedback {len(new_y)}, old test {len(data['old_test'][1])}, "
        f"new test {len(data['new_test'][1])}; config: {'fast' if arguments.fast else 'product'}"
    )
    header = (
        f"{'weight':>6} | {'test set':<10} | {'ref acc':>7} | {'chall acc':>9} | "
        f"{'diff [95% CI]':>25} | {'McNemar p':>9} | {'fit s / ref':>11}"
    )
    print(header)
    print("-" * len(header))
    for weight in (int(w) for w in arguments.weights.split(",")):
        repeated = np.tile(np.arange(len(new_y)), weight)
        features = pd.concat([old_x, new_x.iloc[repeated]], ignore_index=True)
        labels = np.concatenate([old_y, new_y[repeated]])
        started = time.perf_counter()
        challenger = SegmentModel(**params).fit(features, labels)
        ratio = (time.perf_counter() - started) / reference_seconds
        for name, (x, y) in tests.items():
            result = compare_paired(name, y, baseline[name], predict(challenger, x), 0.0)
            interval = f"{result.difference:+.4f} [{result.low:+.4f}, {result.high:+.4f}]"
            print(
                f"{weight:>6} | {name:<10} | {result.champion_accuracy:>7.4f} | "
                f"{result.challenger_accuracy:>9.4f} | {interval:>25} | "
                f"{result.p_value:>9.3g} | {ratio:>11.2f}"
            )


if __name__ == "__main__":
    main()
