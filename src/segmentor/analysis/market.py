"""Segment profiles, and the check that a new market behaves like the existing one.

The whole plan rests on one premise: prospects of the new market resemble the customers the
segments were learned on. :func:`check_market` tests it on a prospect file in two ways:

- **per attribute**: the population stability index (PSI) of each attribute's distribution
  (numbers binned at the existing customers' deciles, categories as they are, and a
  "missing" bin for both) with a two-sample test beside it (chi-square for categories,
  Kolmogorov-Smirnov for numbers);
- **as a whole**: a classifier two-sample test. A small LightGBM model tries to tell existing
  customers from prospects; its cross-validated ROC AUC is 0.5 when they are
  indistinguishable and 1.0 when every prospect stands out.

Known customers re-recorded in the file are the existing market itself, so they are left
out of the comparison (and counted). Thresholds, documented in ``docs/app.md``:

=================  ===============  ======================  ===============
measure            similar          moderate shift          major shift
=================  ===============  ======================  ===============
PSI (attribute)    < 0.10           0.10 - 0.25             > 0.25
AUC (classifier)   < 0.60           0.60 - 0.75             >= 0.75
=================  ===============  ======================  ===============
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from scipy import stats
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from segmentor.domain.known import KnownCustomers
from segmentor.domain.schema import (
    CATEGORIES,
    FEATURES,
    ID,
    NUMERIC,
    SEGMENTS,
    TARGET,
    CustomerTable,
)
from segmentor.domain.verdict import require_read

PSI_MODERATE = 0.10
PSI_MAJOR = 0.25
AUC_SIMILAR = 0.60
AUC_MAJOR = 0.75
# Below this many new prospects, neither PSI nor a classifier says anything reliable.
MIN_COMPARED = 20
MISSING = "missing"
LEVELS = ("similar", "moderate", "major")
# Readable bins for the profile charts (PSI uses deciles of the existing customers instead).
PROFILE_BINS: dict[str, tuple[list[float], list[str]]] = {
    "Age": ([18, 26, 36, 46, 56, 66, np.inf], ["18-25", "26-35", "36-45", "46-55", "56-65", "66+"]),
    "Work_Experience": ([0, 1, 2, 5, 10, np.inf], ["0", "1", "2-4", "5-9", "10+"]),
    "Family_Size": ([1, 2, 3, 4, 5, 6, np.inf], ["1", "2", "3", "4", "5", "6+"]),
}


# --------------------------------------------------------------------------- existing market
def existing_customers(
    known: KnownCustomers, training: CustomerTable | None = None
) -> pd.DataFrame:
    """The labelled customers kept with the model, with all nine attributes.

    Columns: ID, the nine features, Segmentation. Where the known-customer table lacks an
    attribute (models saved with the stable attributes only), it comes from ``training`` by
    ID, missing where the ID is not there.
    """
    frame = known.frame.reset_index()
    absent = [column for column in FEATURES if column not in frame.columns]
    if absent:
        if training is None:
            raise ValueError(f"the known customers lack {absent}: pass the training table")
        numbers = training.frame.drop_duplicates(subset=ID, keep=False).set_index(ID)
        frame = frame.join(numbers.loc[:, absent], on=ID)
    return frame.loc[:, [ID, *FEATURES, TARGET]].reset_index(drop=True)


# --------------------------------------------------------------------------- profiles
def binned(values: pd.Series, attribute: str) -> pd.Series:
    """An attribute's values as display bins (categories as they are), ``missing`` for NA."""
    if attribute in PROFILE_BINS:
        edges, labels = PROFILE_BINS[attribute]
        cut = pd.cut(values.astype("float64"), edges, right=False, labels=labels)
        text = cut.astype("object")
    else:
        text = values.astype("object")
    return text.where(pd.notna(text), MISSING).astype(str)


def value_order(attribute: str) -> list[str]:
    """The display order of an attribute's values (bins or categories, then missing)."""
    if attribute in PROFILE_BINS:
        return [*PROFILE_BINS[attribute][1], MISSING]
    return [*CATEGORIES[attribute], MISSING]


def segment_profile(features: pd.DataFrame, segments: pd.Series, attribute: str) -> pd.DataFrame:
    """Share of each segment's customers in each value of one attribute.

    Returns a long frame with columns ``segment``, ``value``, ``count`` and ``share`` (in
    [0, 1], summing to 1 within each segment that has customers), every segment x value.
    """
    values = binned(features[attribute].reset_index(drop=True), attribute)
    labels = pd.Series(np.asarray(segments, dtype=object)).astype(str)
    counts = pd.crosstab(labels, values)
    counts = counts.reindex(index=list(SEGMENTS), columns=value_order(attribute), fill_value=0)
    totals = counts.sum(axis=1).replace(0, np.nan)
    shares = counts.div(totals, axis=0).fillna(0.0)
    long = counts.stack().rename("count").to_frame()
    long["share"] = shares.stack()
    long = long.reset_index()
    long.columns = ["segment", "value", "count", "share"]
    return long


def segment_summary(features: pd.DataFrame, segments: pd.Series) -> pd.DataFrame:
    """One row per segment: customers, share, and each attribute's typical value.

    Numbers give the median, categories the most frequent value (missing values ignored).
    Index: the segments A-D; columns: ``customers``, ``share`` and the nine attributes.
    """
    labels = pd.Series(np.asarray(segments, dtype=object), index=features.index).astype(str)
    rows = {}
    for segment in SEGMENTS:
        members = features.loc[labels == segment]
        row: dict[str, Any] = {
            "customers": len(members),
            "share": len(members) / max(len(labels), 1),
        }
        for attribute in FEATURES:
            row[attribute] = _typical(members[attribute], attribute)
        rows[segment] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def _typical(values: pd.Series, attribute: str) -> object:
    present = values.dropna()
    if present.empty:
        return None
    if attribute in NUMERIC:
        return float(present.astype("float64").median())
    return str(present.astype("object").value_counts().index[0])


# --------------------------------------------------------------------------- drift
def psi(expected: np.ndarray, actual: np.ndarray) -> float:
    """Population stability index of two count vectors over the same bins (>= 0).

    Proportions are smoothed by half a count per bin so that an empty bin is finite.
    """
    expected_share = (expected + 0.5) / (expected.sum() + 0.5 * len(expected))
    actual_share = (actual + 0.5) / (actual.sum() + 0.5 * len(actual))
    return float(np.sum((actual_share - expected_share) * np.log(actual_share / expected_share)))


def drift_bins(reference: pd.Series, attribute: str, n_bins: int = 10) -> list[float] | None:
    """Bin edges for a numeric attribute: deciles of the existing customers (None: categorical)."""
    if attribute not in NUMERIC:
        return None
    present = reference.dropna().astype("float64")
    quantiles = np.unique(np.quantile(present, np.linspace(0, 1, n_bins + 1)[1:-1]))
    return [-np.inf, *quantiles.tolist(), np.inf]


def _bin_labels(values: pd.Series, attribute: str, edges: list[float] | None) -> pd.Series:
    if edges is None:
        text = values.astype("object")
    else:
        text = pd.cut(values.astype("float64"), edges, right=False).astype("object")
        text = text.map(_interval_label, na_action="ignore")
    return text.where(pd.notna(text), MISSING).astype(str)


def _interval_label(interval: pd.Interval) -> str:
    """A decile bin as "< 26", "[26, 31)" or "≥ 67" (the same in every language)."""
    if np.isinf(interval.left):
        return f"< {interval.right:g}"
    if np.isinf(interval.right):
        return f"≥ {interval.left:g}"
    return f"[{interval.left:g}, {interval.right:g})"


def _bin_counts(reference: pd.Series, new: pd.Series, attribute: str) -> pd.DataFrame:
    edges = drift_bins(reference, attribute)
    existing = _bin_labels(reference, attribute, edges).value_counts()
    prospects = _bin_labels(new, attribute, edges).value_counts()
    counts = pd.concat([existing, prospects], axis=1, keys=["existing", "new"]).fillna(0)
    return counts.astype("float64")


def attribute_drift(reference: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """PSI and a two-sample test of each attribute, most shifted first.

    Columns: ``attribute``, ``psi``, ``level`` (similar / moderate / major), ``test``
    (chi-square or Kolmogorov-Smirnov), ``statistic``, ``p_value``, ``shifted_value`` (the
    bin whose share moved most), ``existing_share`` and ``new_share`` of that bin.
    """
    rows = [_drift_row(reference[c], new[c], c) for c in FEATURES]
    frame = pd.DataFrame(rows).sort_values("psi", ascending=False, kind="stable")
    return frame.reset_index(drop=True)


def _drift_row(reference: pd.Series, new: pd.Series, attribute: str) -> dict[str, Any]:
    counts = _bin_counts(reference, new, attribute)
    value = psi(counts["existing"].to_numpy(), counts["new"].to_numpy())
    shares = counts / counts.sum()
    moved = (shares["new"] - shares["existing"]).abs().idxmax()
    test, statistic, p_value = _two_sample_test(reference, new, attribute, counts)
    return {
        "attribute": attribute,
        "psi": value,
        "level": psi_level(value),
        "test": test,
        "statistic": statistic,
        "p_value": p_value,
        "shifted_value": str(moved),
        "existing_share": float(shares.loc[moved, "existing"]),
        "new_share": float(shares.loc[moved, "new"]),
    }


def _two_sample_test(
    reference: pd.Series, new: pd.Series, attribute: str, counts: pd.DataFrame
) -> tuple[str, float, float]:
    if attribute in NUMERIC:
        left = reference.dropna().to_numpy(dtype="float64")
        right = new.dropna().to_numpy(dtype="float64")
        if len(left) == 0 or len(right) == 0:
            return "Kolmogorov-Smirnov", float("nan"), float("nan")
        result = stats.ks_2samp(left, right, method="asymp")
        return "Kolmogorov-Smirnov", float(result.statistic), float(result.pvalue)
    table = counts.loc[counts.sum(axis=1) > 0].to_numpy().T
    if table.shape[1] < 2:
        return "chi-square", 0.0, 1.0
    result = stats.chi2_contingency(table, correction=False)
    return "chi-square", float(result.statistic), float(result.pvalue)


def psi_level(value: float) -> str:
    """``similar`` below 0.10, ``moderate`` up to 0.25, ``major`` above."""
    if value > PSI_MAJOR:
        return "major"
    return "moderate" if value >= PSI_MODERATE else "similar"


def auc_level(value: float) -> str:
    """``similar`` below 0.60, ``moderate`` below 0.75, ``major`` from 0.75."""
    if value >= AUC_MAJOR:
        return "major"
    return "moderate" if value >= AUC_SIMILAR else "similar"


# --------------------------------------------------------------------------- classifier test
def classifier_auc(
    reference: pd.DataFrame, new: pd.DataFrame, *, folds: int = 5, random_state: int = 0
) -> tuple[float, float]:
    """Cross-validated ROC AUC of telling ``new`` rows from ``reference`` rows: (mean, std).

    0.5 means a model cannot tell them apart; 1.0 means every new row stands out. A small,
    regularised LightGBM on the nine attributes (categories native, missing values kept).
    """
    matrix = _encode(pd.concat([reference, new], ignore_index=True))
    labels = np.r_[np.zeros(len(reference)), np.ones(len(new))]
    splitter = StratifiedKFold(
        min(folds, len(new), len(reference)), shuffle=True, random_state=random_state
    )
    scores = []
    for train, held_out in splitter.split(matrix, labels):
        data = _dataset(matrix, labels, train)
        booster = lgb.train(_AUC_PARAMS | {"seed": random_state}, data, _AUC_ROUNDS)
        scores.append(roc_auc_score(labels[held_out], booster.predict(matrix[held_out])))
    return float(np.mean(scores)), float(np.std(scores))


_AUC_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 20,
    "lambda_l2": 5.0,
    "feature_fraction": 0.8,
    # One thread: on a busy 2-core machine OpenMP's spinning threads make 2 ten times slower.
    "num_threads": 1,
    "deterministic": True,
    "verbose": -1,
}
_AUC_ROUNDS = 150
_CATEGORICAL_INDEX = [FEATURES.index(c) for c in CATEGORIES]


def _encode(features: pd.DataFrame) -> np.ndarray:
    columns = []
    for column in FEATURES:
        values = features[column]
        if column in CATEGORIES:
            codes = pd.Categorical(values.astype("object"), categories=list(CATEGORIES[column]))
            numbers = codes.codes.astype("float64")
            columns.append(np.where(numbers >= 0, numbers, np.nan))
        else:
            columns.append(values.to_numpy(dtype="float64", na_value=np.nan))
    return np.column_stack(columns)


def _dataset(matrix: np.ndarray, labels: np.ndarray, rows: np.ndarray) -> lgb.Dataset:
    return lgb.Dataset(
        matrix[rows],
        label=labels[rows],
        feature_name=list(FEATURES),
        categorical_feature=_CATEGORICAL_INDEX,
        params={"verbose": -1},
    )


# --------------------------------------------------------------------------- the check
@dataclass
class MarketCheck:
    """The outcome of :func:`check_market` (see the module docstring for the thresholds)."""

    rows: int
    known_excluded: int
    compared: int
    existing: int
    drift: pd.DataFrame
    auc: float | None
    auc_std: float | None

    @property
    def level(self) -> str:
        """``too_few``, ``similar``, ``moderate`` or ``major``: the worse of PSI and AUC."""
        if self.compared < MIN_COMPARED or self.auc is None:
            return "too_few"
        worst = max(
            LEVELS.index(auc_level(self.auc)),
            max((LEVELS.index(level) for level in self.drift["level"]), default=0),
        )
        return LEVELS[worst]

    def shifted_attributes(self, limit: int = 3) -> list[str]:
        """The attributes with a moderate or major PSI, most shifted first."""
        shifted = self.drift.loc[self.drift["psi"] >= PSI_MODERATE, "attribute"]
        return shifted.head(limit).tolist()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values, codes and numbers (the front ends add the verdict text)."""
        drift = self.drift.astype(object).where(self.drift.notna(), None)
        return {
            "rows": self.rows,
            "known_excluded": self.known_excluded,
            "compared": self.compared,
            "existing": self.existing,
            "auc": self.auc,
            "auc_std": self.auc_std,
            "level": self.level,
            "shifted_attributes": self.shifted_attributes(),
            "thresholds": {
                "psi_moderate": PSI_MODERATE,
                "psi_major": PSI_MAJOR,
                "auc_similar": AUC_SIMILAR,
                "auc_major": AUC_MAJOR,
            },
            "attributes": drift.to_dict(orient="records"),
        }


def check_market(
    table: CustomerTable,
    existing: pd.DataFrame,
    known: KnownCustomers | None,
    *,
    folds: int = 5,
    random_state: int = 0,
) -> MarketCheck:
    """Compare the prospects of ``table`` with the ``existing`` customers.

    Rows that ``known`` matches (existing customers re-recorded in the file) are left out and
    counted. With fewer than :data:`MIN_COMPARED` new prospects the drift table is still
    computed but no classifier test is run (``level`` is ``too_few``). A file whose columns
    were not read (:func:`segmentor.domain.verdict.require_read`) is refused: the shift it
    would show is the file's, not the market's.
    """
    require_read(table)
    is_known = np.zeros(len(table.frame), dtype=bool)
    if known is not None:
        is_known = known.match(table).is_known
    new = table.features.loc[~is_known].reset_index(drop=True)
    reference = existing.loc[:, list(FEATURES)].reset_index(drop=True)
    drift = attribute_drift(reference, new) if len(new) else _empty_drift()
    auc = auc_std = None
    if len(new) >= MIN_COMPARED:
        auc, auc_std = classifier_auc(reference, new, folds=folds, random_state=random_state)
    return MarketCheck(
        rows=len(table.frame),
        known_excluded=int(is_known.sum()),
        compared=len(new),
        existing=len(reference),
        drift=drift,
        auc=auc,
        auc_std=auc_std,
    )


def _empty_drift() -> pd.DataFrame:
    columns = ["attribute", "psi", "level", "test", "statistic", "p_value", "shifted_value"]
    return pd.DataFrame(columns=[*columns, "existing_share", "new_share"])
