"""Coverage of the prediction sets on held-out folds, per segment, beside two references.

Every row's probabilities come from a SegmentModel not fitted on it (5-fold out-of-fold, as
`segmentor train` calibrates; or a model directory's stored calibration with ``--model``).
The rows are then split in half many times: one half calibrates, the other is scored, so
calibration and evaluation rows are both held out. Three ways to build the sets, same splits:

- Mondrian conformal (the product): per-segment thresholds, crepes, top segment always in;
- marginal conformal (reference): one threshold for all segments, crepes;
- "top probabilities to 90%" (reference): the most probable segments until their
  probabilities add up to the target, no calibration.

    .venv/bin/python benchmarks/set_coverage.py [--model DIR] [--splits 20]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from crepes import ConformalClassifier
from crepes.extras import hinge
from rich.console import Console
from rich.table import Table
from sklearn.model_selection import StratifiedShuffleSplit

from segmentor.domain.schema import SEGMENTS
from segmentor.ml.conformal import (
    CALIBRATION_FILE,
    SegmentSets,
    coverage_report,
)
from segmentor.ml.evaluation import cross_validate_model

METHODS = ("Mondrian conformal (product)", "marginal conformal", "top probabilities to target")


def marginal_sets(calibration: SegmentSets, probabilities: np.ndarray, target: float) -> np.ndarray:
    alphas = hinge(
        calibration.probabilities, np.asarray(SEGMENTS, dtype=object), calibration.labels
    )
    classifier = ConformalClassifier().fit(alphas)
    members = classifier.predict_set(hinge(probabilities), confidence=target, smoothing=False)
    members = members.astype(bool)
    members[np.arange(len(members)), probabilities.argmax(axis=1)] = True
    return members


def cumulative_sets(probabilities: np.ndarray, target: float) -> np.ndarray:
    order = np.argsort(-probabilities, axis=1)
    ranked = np.take_along_axis(probabilities, order, axis=1)
    keep = np.cumsum(ranked, axis=1) - ranked < target  # up to and including the one crossing it
    members = np.zeros_like(probabilities, dtype=bool)
    np.put_along_axis(members, order, keep, axis=1)
    return members


def evaluate(
    probabilities: np.ndarray, labels: np.ndarray, target: float, splits: int
) -> dict[str, dict[str, dict[str, float]]]:
    """Per method: per segment (and "all") coverage and mean set size, mean over the splits."""
    splitter = StratifiedShuffleSplit(n_splits=splits, test_size=0.5, random_state=0)
    sums: dict[str, dict[str, dict[str, float]]] = {}
    for calibration_rows, held_out in splitter.split(probabilities, labels):
        calibration = SegmentSets(probabilities[calibration_rows], labels[calibration_rows])
        test = probabilities[held_out]
        members = {
            METHODS[0]: calibration.predict(test, target),
            METHODS[1]: marginal_sets(calibration, test, target),
            METHODS[2]: cumulative_sets(test, target),
        }
        for method, sets in members.items():
            report = coverage_report(sets, labels[held_out])
            for group, figures in report.items():
                slot = sums.setdefault(method, {}).setdefault(group, {"coverage": 0.0, "size": 0.0})
                slot["coverage"] += figures["coverage"] / splits
                slot["size"] += figures["mean_set_size"] / splits
    return sums


def coverage_table(
    results: dict[str, dict[str, dict[str, float]]], target: float, title: str
) -> Table:
    table = Table(title=title)
    table.add_column("sets")
    for group in (*SEGMENTS, "all"):
        table.add_column(f"{group} coverage", justify="right")
    table.add_column("mean size", justify="right")
    table.add_column("size / product", justify="right")
    product_size = results[METHODS[0]]["all"]["size"]
    for method, groups in results.items():
        cells = []
        for group in (*SEGMENTS, "all"):
            value = groups[group]["coverage"]
            flag = "" if abs(value - target) <= 0.02 else " !"
            cells.append(f"{value:.3f}{flag}")
        size = groups["all"]["size"]
        table.add_row(method, *cells, f"{size:.2f}", f"{size / product_size:.2f}")
    return table


def review_share(probabilities: np.ndarray, labels: np.ndarray, target: float) -> float:
    sets = SegmentSets(probabilities, labels).predict(probabilities, target)
    return float((sets.sum(axis=1) > 1).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="reuse this model directory's calibration")
    parser.add_argument("--splits", type=int, default=20)
    parser.add_argument("--targets", type=float, nargs="+", default=[0.8, 0.9, 0.95])
    args = parser.parse_args()
    console = Console(width=150)
    if args.model is not None:
        sets = SegmentSets.load(args.model / CALIBRATION_FILE)
        probabilities, labels = sets.probabilities, sets.labels
        source = f"{args.model / CALIBRATION_FILE}"
    else:
        from accuracy import load_labelled

        X, labels = load_labelled()
        started = time.perf_counter()
        with console.status("5-fold out-of-fold probabilities"):
            report = cross_validate_model(X, labels, n_repeats=1, baselines=False)
            probabilities = report["segment model"].oof_probabilities
        source = f"5-fold out-of-fold, {time.perf_counter() - started:.0f} s"
    for target in args.targets:
        results = evaluate(probabilities, labels, target, args.splits)
        title = (
            f"Coverage {target:.0%} on held-out halves ({args.splits} splits, {len(labels)} rows"
            f" of {source}); ! = more than 2 points off"
        )
        console.print(coverage_table(results, target, title))
        share = review_share(probabilities, labels, target)
        console.print(f"Rows needing review at {target:.0%}: {share:.1%}")


if __name__ == "__main__":
    main()
