"""Scoring the bundled prospects with the real model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from segmentor.domain.schema import SEGMENTS
from segmentor.engines.scoring import OUTPUT_COLUMNS, PROBABILITY_COLUMNS, score_frame
from segmentor.io.readers import read_table
from segmentor.ml.trained import TrainedModel


@pytest.fixture(scope="module")
def prospects(prospects_path: Path) -> pd.DataFrame:
    return read_table(prospects_path)


@pytest.fixture(scope="module")
def scored(prospects: pd.DataFrame, trained_model: TrainedModel) -> pd.DataFrame:
    return score_frame(prospects, trained_model, source="test.csv").frame


def test_bundled_prospects_scored_in_order(prospects: pd.DataFrame, scored: pd.DataFrame) -> None:
    assert list(scored.columns) == list(OUTPUT_COLUMNS)
    assert len(scored) == 2627
    assert list(scored["ID"]) == list(prospects["ID"])


def test_2332_known_customers(scored: pd.DataFrame) -> None:
    assert (scored["Source"] == "known").sum() == 2332
    assert set(scored["Source"]) == {"known", "model"}


def test_probabilities_are_a_distribution(scored: pd.DataFrame) -> None:
    probabilities = scored[list(PROBABILITY_COLUMNS)].to_numpy()
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert ((probabilities >= 0) & (probabilities <= 1)).all()
    best = np.asarray(SEGMENTS)[probabilities.argmax(axis=1)]
    assert (best == scored["Segmentation"].to_numpy()).all()
    assert np.allclose(scored["Confidence"], probabilities.max(axis=1))


def test_model_rows_are_genuine_predictions(scored: pd.DataFrame) -> None:
    model_rows = scored[scored["Source"] == "model"]
    assert len(model_rows) == 2627 - 2332
    assert (model_rows["Confidence"] < 1).all()
    assert model_rows["Segmentation"].nunique() > 1


def test_no_known_predicts_everyone(prospects: pd.DataFrame, trained_model: TrainedModel) -> None:
    frame = score_frame(prospects.head(200), trained_model, use_known=False).frame
    assert (frame["Source"] == "model").all()


def test_known_rows_carry_the_labelled_segment(
    scored: pd.DataFrame, trained_model: TrainedModel
) -> None:
    known_rows = scored[scored["Source"] == "known"]
    labels = trained_model.known.frame.loc[known_rows["ID"], "Segmentation"].astype(str)
    assert (known_rows["Segmentation"].to_numpy() == labels.to_numpy()).all()
    assert (known_rows["Confidence"] == 1.0).all()


def test_bad_rows_are_scored_with_notes(trained_model: TrainedModel) -> None:
    raw = pd.DataFrame(
        {
            "ID": ["x1", "x2", "x3"],
            "Gender": ["Male", "Robot", None],
            "Ever_Married": ["Yes", "No", None],
            "Age": ["40", "300", None],
            "Graduated": ["No", "No", None],
            "Profession": ["Artist", "Astronaut", None],
            "Work_Experience": ["1", "abc", None],
            "Spending_Score": ["Low", "Low", None],
            "Family_Size": ["2", "2", None],
            "Var_1": ["Cat_6", "Cat_6", None],
        }
    )
    frame = score_frame(raw, trained_model).frame
    assert len(frame) == 3
    assert frame.loc[0, "Notes"] == ""
    for column in ("Gender", "Age", "Profession", "Work_Experience"):
        assert f"{column}:" in frame.loc[1, "Notes"]
    assert np.allclose(frame[list(PROBABILITY_COLUMNS)].sum(axis=1), 1.0)
