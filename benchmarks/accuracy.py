"""Accuracy of the segment model beside its references, on the bundled labelled customers.

Repeated stratified 5-fold CV (3 repeats, the same folds for every model), then the 80/20
stratified split figure over a few seeds, the protocol of the AutoGluon reference (0.548).

    .venv/bin/python benchmarks/accuracy.py [--repeats 3] [--split-seeds 3] [--quick]

``--quick`` runs one repeat and no split figure (for screening).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder

from segmentor.domain import schema
from segmentor.ml.blend import SegmentModel
from segmentor.ml.evaluation import (
    CVReport,
    DefaultLightGBM,
    EstimatorFactory,
    MajorityBaseline,
    run_protocol,
)
from segmentor.ml.features import coerce_features
from segmentor.paths import BUNDLED_TRAIN

TRAIN_CSV = BUNDLED_TRAIN
AGE_BINS = [0, 22, 25, 28, 31, 35, 40, 45, 50, 55, 60, 65, 70, 80, 200]
AUTOGLUON_SPLIT_ACCURACY = 0.548


def _logistic_columns(X: pd.DataFrame) -> pd.DataFrame:
    """Every attribute as a category string: binned Age, capped counts, 'NA' for missing."""
    features = coerce_features(X)
    columns = {c: features[c].astype("object") for c in schema.CATEGORICAL}
    columns["Age"] = pd.cut(features["Age"], AGE_BINS).astype("object")
    columns["Work_Experience"] = features["Work_Experience"].clip(upper=10)
    columns["Family_Size"] = features["Family_Size"].clip(upper=7)
    frame = pd.DataFrame(columns)
    return frame.astype("object").where(frame.notna(), "NA").astype(str)


def logistic_regression() -> object:
    """Multinomial logistic regression on one-hot attributes (binned numerics)."""
    encoder = ColumnTransformer(
        [("onehot", OneHotEncoder(handle_unknown="ignore"), list(schema.FEATURES))]
    )
    return make_pipeline(
        FunctionTransformer(_logistic_columns), encoder, LogisticRegression(C=0.1, max_iter=2000)
    )


def factories() -> dict[str, EstimatorFactory]:
    return {
        "majority class": MajorityBaseline,
        "logistic regression": logistic_regression,  # type: ignore[dict-item]
        "LightGBM defaults": DefaultLightGBM,
        "segment model": SegmentModel,
    }


def load_labelled() -> tuple[pd.DataFrame, np.ndarray]:
    raw = pd.read_csv(TRAIN_CSV, dtype=str, keep_default_na=False)
    table = schema.parse_customers(raw, str(TRAIN_CSV), require_target=True)
    return table.features, np.asarray(table.frame[schema.TARGET].astype(str), dtype=object)


def cv_table(reports: dict[str, CVReport], n_repeats: int) -> Table:
    table = Table(title=f"Repeated stratified 5-fold CV, {n_repeats} repeat(s), train.csv")
    for header in ("model", "accuracy", "log loss", "fit s/fold"):
        table.add_column(header, justify="left" if header == "model" else "right")
    for name, report in reports.items():
        table.add_row(
            name,
            f"{report.accuracy_mean:.4f} ± {report.accuracy_std:.4f}",
            f"{report.log_loss_mean:.4f} ± {report.log_loss_std:.4f}",
            f"{report.fit_seconds_mean:.2f}",
        )
    return table


def split_figures(
    X: pd.DataFrame, y: np.ndarray, names: list[str], seeds: int
) -> dict[str, list[tuple[float, float]]]:
    """Accuracy and log loss on 80/20 stratified splits, seeds 0..seeds-1."""
    chosen = {name: factory for name, factory in factories().items() if name in names}
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in chosen}
    for seed in range(seeds):
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.2, stratify=y, random_state=seed
        )
        for name, factory in chosen.items():
            model = factory().fit(X_train.reset_index(drop=True), y_train)
            probabilities = model.predict_proba(X_test.reset_index(drop=True))
            predicted = np.array(schema.SEGMENTS)[probabilities.argmax(axis=1)]
            results[name].append(
                (accuracy_score(y_test, predicted), log_loss(y_test, probabilities))
            )
    return results


def split_table(results: dict[str, list[tuple[float, float]]], seeds: int) -> Table:
    table = Table(title=f"80/20 stratified split, seeds 0-{seeds - 1} (AutoGluon reference 0.548)")
    for header in ("model", "accuracy", "log loss"):
        table.add_column(header, justify="left" if header == "model" else "right")
    for name, figures in results.items():
        accuracies, losses = np.array(figures).T
        table.add_row(
            name,
            f"{accuracies.mean():.4f} ± {accuracies.std():.4f}",
            f"{losses.mean():.4f}",
        )
    table.add_row("AutoGluon 1.6.3 medium_quality (reference)", f"{AUTOGLUON_SPLIT_ACCURACY}", "")
    return table


def prediction_set_table(report: CVReport, y: np.ndarray) -> Table:
    """Per-segment coverage and mean set size of the 90% sets on the last repeat's folds."""
    from set_coverage import coverage_table, evaluate

    assert report.oof_probabilities is not None
    results = evaluate(report.oof_probabilities, y, 0.9, splits=20)
    return coverage_table(
        results, 0.9, "Prediction sets at 90%: held-out folds, calibrated on the other half"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--split-seeds", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeats, seeds = (1, 0) if args.quick else (args.repeats, args.split_seeds)
    console = Console(width=130)
    X, y = load_labelled()
    started = time.perf_counter()
    with console.status("cross-validating") as status:
        reports = run_protocol(
            X,
            y,
            factories(),
            n_repeats=repeats,
            progress=lambda done, total, name: status.update(f"fit {done}/{total}: {name}"),
        )
    console.print(cv_table(reports, repeats))
    console.print(prediction_set_table(reports["segment model"], y))
    if seeds:
        results = split_figures(X, y, ["LightGBM defaults", "segment model"], seeds)
        console.print(split_table(results, seeds))
    started_full = time.perf_counter()
    SegmentModel().fit(X, y)
    console.print(
        f"Training the segment model on all {len(y)} rows: "
        f"{time.perf_counter() - started_full:.1f} s; whole benchmark "
        f"{time.perf_counter() - started:.0f} s."
    )


if __name__ == "__main__":
    main()
