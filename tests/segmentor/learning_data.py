"""Data and a small real model for the learning-loop tests (feedback, registry, retraining).

The "old market" is a stratified part of the bundled train.csv; the "new market" is drawn
from the other rows and shifted the way a market can be: its prospects have 20 more years
of work experience (a region the old market never reached) and, there, each segment is the
next one (A->B, B->C, C->D, D->A). A champion fitted on the old market gets them wrong; a
challenger that learns from their confirmed segments can get them right without changing
anything for the old market.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from segmentor.domain.known import KnownCustomers
from segmentor.domain.schema import TARGET, parse_customers
from segmentor.ml import trained
from segmentor.ml.model import SegmentModel
from segmentor.paths import BUNDLED_TRAIN

NEXT_SEGMENT = {"A": "B", "B": "C", "C": "D", "D": "A"}
# Small enough to fit in seconds, the same estimator class and code as the product's.
FAST = {
    "lgbm_rounds": 60,
    "lgbm_learning_rate": 0.02,  # the scenario of test_learning was built on this shape
    "lgbm_seeds": 1,
    "catboost_iterations": 30,
    "catboost_seeds": 1,
    "network_weight": 0.0,
    "n_jobs": 1,
}


def split_markets(old_rows: int = 4000, new_rows: int = 300) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(old market, shifted new market) as raw tables of train.csv's columns."""
    raw = pd.read_csv(BUNDLED_TRAIN, dtype=str, keep_default_na=False)
    old, rest = train_test_split(raw, train_size=old_rows, stratify=raw[TARGET], random_state=0)
    new = rest.sample(new_rows, random_state=1).copy()
    experience = pd.to_numeric(new["Work_Experience"], errors="coerce").fillna(1)
    new["Work_Experience"] = (experience + 20).astype(int).astype(str)
    new[TARGET] = new[TARGET].map(NEXT_SEGMENT)
    new["ID"] = [f"N{i:04d}" for i in range(len(new))]
    return old.reset_index(drop=True), new.reset_index(drop=True)


def fit_small_model(
    old: pd.DataFrame, created: str = "2026-11-01T00:00:00+00:00"
) -> trained.TrainedModel:
    table = parse_customers(old, "old_market.csv", require_target=True)
    labels = table.frame[TARGET].astype(str).to_numpy()
    estimator = SegmentModel(**FAST).fit(table.features, labels)
    card = {
        "model": "SegmentModel",
        "created": created,
        "data_source": "old_market.csv",
        "data_sha256": "0" * 64,
        "rows": len(labels),
        "cv": None,
        "versions": trained.library_versions(),
    }
    return trained.TrainedModel(estimator, KnownCustomers.from_table(table), card)


def write_markets(folder: Path, old: pd.DataFrame, new: pd.DataFrame) -> dict[str, Path]:
    """The files a sales team would have: old customers, new prospects, their feedback."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "old": folder / "old_market.csv",
        "prospects": folder / "new_prospects.csv",
        "feedback": folder / "feedback.csv",
    }
    old.to_csv(paths["old"], index=False)
    new.drop(columns=[TARGET]).to_csv(paths["prospects"], index=False)
    feedback = new.rename(columns={TARGET: "True_Segment"})
    feedback.to_csv(paths["feedback"], index=False)
    return paths


def shuffled(labels: np.ndarray, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).permutation(np.asarray(labels, dtype=object))


class ShuffledLabelsModel(SegmentModel):
    """A broken challenger: the product's estimator fitted on permuted labels."""

    def fit(self, X: pd.DataFrame, y: object) -> ShuffledLabelsModel:
        super().fit(X, shuffled(np.asarray(y, dtype=object)))
        return self
