"""Explanations (SHAP-based reasons) and lookalikes, on the real model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.special import softmax

from segmentor.analysis import explain, market
from segmentor.domain.schema import FEATURES, ID, SEGMENTS, TARGET, parse_customers
from segmentor.engines.scoring import score_table
from segmentor.io.readers import read_table
from segmentor.ml.trained import TrainedModel, load_training_table


@pytest.fixture(scope="module")
def prospects(prospects_path: Path):
    return parse_customers(read_table(prospects_path), str(prospects_path))


@pytest.fixture(scope="module")
def existing(trained_model: TrainedModel, train_path: Path) -> pd.DataFrame:
    return market.existing_customers(trained_model.known, load_training_table(train_path))


def test_attributions_add_up_to_the_probabilities(trained_model: TrainedModel, prospects) -> None:
    features = prospects.features.head(25)
    values = explain.attributions(trained_model, features)
    assert values.shape == (25, len(FEATURES), len(SEGMENTS))
    estimator = trained_model.estimator
    order = [list(estimator.classes_).index(s) for s in SEGMENTS]
    bias = estimator.contribution_bias(features)[:, order]
    rebuilt = softmax((values.sum(axis=1) + bias) / estimator.temperature_, axis=1)
    assert np.allclose(rebuilt, explain.probabilities(trained_model, features), atol=1e-6)


def test_pushes_toward_a_segment_are_relative_to_the_other_segments() -> None:
    values = np.zeros((1, len(FEATURES), len(SEGMENTS)))
    values[0, 0] = [1.0, 1.0, 1.0, 1.0]  # the same for every segment: pushes nowhere
    values[0, 1] = [2.0, 0.0, 0.0, 0.0]
    push = explain.pushes_toward(values, "A")[0]
    assert push[0] == 0.0 and push[1] == pytest.approx(1.5)
    assert explain.pushes_toward(values, "B")[0][1] == pytest.approx(-0.5)


def test_explain_one_prospect_agrees_with_scoring(trained_model: TrainedModel, prospects) -> None:
    row = prospects.frame.iloc[[7]].reset_index(drop=True)
    table = parse_customers(row.astype(object).where(row.notna(), None), "<row>")
    scored = score_table(table, trained_model, use_known=False).frame.iloc[0]
    explanation = explain.explain(trained_model, table.features)
    assert explanation.segment == scored["Segmentation"]
    assert explanation.confidence == pytest.approx(scored["Confidence"])
    assert sum(explanation.probabilities.values()) == pytest.approx(1.0)
    reasons = explanation.reasons
    assert sorted(reasons["attribute"]) == sorted(FEATURES)
    assert reasons["push"].is_monotonic_decreasing


def test_explain_accepts_unknown_attributes(trained_model: TrainedModel) -> None:
    features = explain.prospect_features({"Age": 30, "Spending_Score": "High"})
    assert features["Gender"].isna().all() and features["Age"].iloc[0] == 30.0
    explanation = explain.explain(trained_model, features)
    assert explanation.segment in SEGMENTS
    unknown = explanation.reasons.set_index("attribute").loc["Profession", "value"]
    assert unknown is None


def test_spending_score_moves_its_own_push(trained_model: TrainedModel) -> None:
    base = {"Gender": "Male", "Ever_Married": "Yes", "Age": 45, "Profession": "Artist"}
    low = explain.prospect_features({**base, "Spending_Score": "Low"})
    high = explain.prospect_features({**base, "Spending_Score": "High"})
    spending = FEATURES.index("Spending_Score")
    low_values = explain.attributions(trained_model, low)[0, spending]
    high_values = explain.attributions(trained_model, high)[0, spending]
    assert not np.allclose(low_values, high_values)
    assert explain.explain(trained_model, low).probabilities != (
        explain.explain(trained_model, high).probabilities
    )


def test_explain_takes_exactly_one_row(trained_model: TrainedModel, prospects) -> None:
    with pytest.raises(ValueError, match="one prospect"):
        explain.explain(trained_model, prospects.features.head(2))


def test_an_existing_customer_is_its_own_nearest_lookalike(existing: pd.DataFrame) -> None:
    customer = existing.iloc[123]
    nearest = explain.lookalikes(existing, customer)
    assert len(nearest) == explain.N_LOOKALIKES
    assert nearest.loc[0, "similarity"] == 1.0
    twins = nearest.loc[nearest["similarity"] == 1.0, ID].tolist()
    assert customer[ID] in twins
    assert nearest["similarity"].is_monotonic_decreasing
    assert list(nearest.columns) == [ID, TARGET, "similarity", *FEATURES]


def test_gower_distance_handles_missing_values_explicitly() -> None:
    reference = pd.DataFrame(
        {
            "Gender": pd.Categorical(["Male", "Female", None], categories=["Male", "Female"]),
            "Age": [20.0, 60.0, 40.0],
            **{c: [np.nan] * 3 for c in FEATURES if c not in ("Gender", "Age")},
        }
    )
    prospect = pd.Series(dict.fromkeys(FEATURES, np.nan) | {"Gender": "Male", "Age": 20.0})
    distance = explain.gower_distance(reference, prospect)
    # Row 0: same gender, same age. Row 1: other gender, age 40 apart of a 40-year range.
    # Row 2: unknown gender counts as different, age half the range away.
    assert distance.tolist() == pytest.approx([0.0, 1.0, 0.75])


def test_gower_distance_ignores_what_the_prospect_leaves_unknown(existing: pd.DataFrame) -> None:
    prospect = pd.Series(dict.fromkeys(FEATURES, np.nan) | {"Profession": "Lawyer"})
    distance = explain.gower_distance(existing, prospect)
    lawyers = (existing["Profession"] == "Lawyer").to_numpy()
    assert (distance[lawyers] == 0).all() and (distance[~lawyers] == 1).all()


def test_no_lookalikes_for_a_prospect_with_nothing_known(existing: pd.DataFrame) -> None:
    prospect = pd.Series(dict.fromkeys(FEATURES, np.nan))
    assert explain.lookalikes(existing, prospect).empty
