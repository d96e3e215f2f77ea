"""3-repeat CV of the product SegmentModel alone, its reliability, and its full-data fit time.

Same protocol and folds as ``benchmarks/accuracy.py`` (``RepeatedStratifiedKFold(5, 3,
random_state=0)`` through :func:`segmentor.ml.evaluation.cross_validate_model`), without the
baselines. Then calibration evidence on the out-of-fold probabilities of the last repeat:
top-label ECE (10 bins) with the reliability table, class-wise ECE, and the temperature that
would minimise their log loss (1 = nothing to correct). Last, one fit on all rows, timed.

    .venv/bin/python benchmarks/product_cv.py [repeats]
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np

from accuracy import load_labelled
from segmentor.ml.evaluation import cross_validate_model
from segmentor.ml.model import SegmentModel, fit_temperature


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    X, y = load_labelled()
    report = cross_validate_model(
        X,
        y,
        n_repeats=repeats,
        baselines=False,
        progress=lambda done, total, name: print(f"fit {done}/{total}", flush=True),
    )["segment model"]
    print(json.dumps(report.summary()), flush=True)
    probabilities = report.oof_probabilities
    labels = np.array(["ABCD".index(v) for v in y])
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == labels
    edges = np.linspace(0, 1, 11)
    bins = np.clip(np.digitize(confidence, edges) - 1, 0, 9)
    ece = sum(
        abs(confidence[bins == b].mean() - correct[bins == b].mean()) * (bins == b).mean()
        for b in range(10)
        if (bins == b).any()
    )
    print(f"top-label ECE (10 bins, last repeat OOF): {ece:.4f}")
    for b in range(10):
        rows = bins == b
        if rows.sum() > 30:
            print(
                f"  conf {edges[b]:.1f}-{edges[b + 1]:.1f}: n={rows.sum()} "
                f"mean conf {confidence[rows].mean():.3f} accuracy {correct[rows].mean():.3f}"
            )
    classwise = np.mean(
        [
            np.abs(
                np.bincount(
                    np.clip((probabilities[:, k] * 10).astype(int), 0, 9),
                    weights=probabilities[:, k] - (labels == k),
                    minlength=10,
                )
            ).sum()
            / len(labels)
            for k in range(4)
        ]
    )
    print(f"classwise ECE (mean over A-D): {classwise:.4f}")
    temperature = fit_temperature(np.log(np.clip(probabilities, 1e-12, 1)), labels)
    print("temperature fitted on these OOF (diagnostic):", round(temperature, 3))
    started = time.perf_counter()
    SegmentModel().fit(X, y)
    print(f"full fit on {len(y)} rows: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
