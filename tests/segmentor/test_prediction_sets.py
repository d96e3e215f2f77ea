"""Prediction sets on the real model: coverage on held-out rows, columns, CLI and API."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import StratifiedShuffleSplit
from typer.testing import CliRunner

from segmentor.cli import app
from segmentor.domain.output import OUTPUT_COLUMNS
from segmentor.domain.schema import SEGMENTS
from segmentor.engines.scoring import score_frame
from segmentor.errors import SegmentorError
from segmentor.io.readers import read_table
from segmentor.ml import trained
from segmentor.ml.conformal import SegmentSets, coverage_report, set_labels
from segmentor.ml.trained import TrainedModel

runner = CliRunner()
TARGET = 0.9


def test_the_model_directory_keeps_out_of_fold_calibration(
    trained_model: TrainedModel, train_path: Path
) -> None:
    sets = trained_model.sets
    assert sets is not None
    labels = pd.read_csv(train_path, dtype=str)["Segmentation"].to_numpy()
    assert sets.rows == len(labels) and (sets.labels == labels).all()
    assert np.allclose(sets.probabilities.sum(axis=1), 1.0)
    # Out-of-fold: the calibration probabilities are not the fitted model's own (in-sample)
    # probabilities of those rows, which are more confident in the true segment.
    features = trained.load_training_table(train_path).features
    own = trained_model.estimator.predict_proba(features)
    truth = pd.Index(SEGMENTS).get_indexer(labels)
    rows = np.arange(len(labels))
    assert sets.probabilities[rows, truth].mean() < own[rows, truth].mean() - 0.01


def test_coverage_per_segment_on_held_out_rows(trained_model: TrainedModel) -> None:
    """Calibrate on half the out-of-fold rows, measure on the other half (5 splits)."""
    assert trained_model.sets is not None
    probabilities, labels = trained_model.sets.probabilities, trained_model.sets.labels
    splitter = StratifiedShuffleSplit(n_splits=5, test_size=0.5, random_state=0)
    coverage = {segment: [] for segment in SEGMENTS}
    for calibration, held_out in splitter.split(probabilities, labels):
        sets = SegmentSets(probabilities[calibration], labels[calibration])
        report = coverage_report(sets.predict(probabilities[held_out], TARGET), labels[held_out])
        for segment in SEGMENTS:
            coverage[segment].append(report[segment]["coverage"])
    for segment in SEGMENTS:
        assert abs(np.mean(coverage[segment]) - TARGET) < 0.02, (segment, coverage[segment])


def test_higher_coverage_gives_larger_sets(trained_model: TrainedModel) -> None:
    assert trained_model.sets is not None
    probabilities = trained_model.sets.probabilities[:500]
    small = trained_model.sets.predict(probabilities, 0.6).sum(axis=1)
    large = trained_model.sets.predict(probabilities, 0.95).sum(axis=1)
    assert (large >= small).all() and large.mean() > small.mean() + 0.5


def test_scored_rows_carry_their_set(trained_model: TrainedModel, prospects_path: Path) -> None:
    scored = score_frame(read_table(prospects_path), trained_model).frame
    assert tuple(scored.columns) == OUTPUT_COLUMNS
    assert tuple(scored.columns[-2:]) == ("Segment_Set", "Needs_Review")
    known = scored["Source"] == "known"
    assert known.any() and (~known).any()
    assert (scored.loc[known, "Segment_Set"] == scored.loc[known, "Segmentation"]).all()
    assert not scored.loc[known, "Needs_Review"].any()
    members = scored["Segment_Set"].str.split("|")
    assert all(s in m for s, m in zip(scored["Segmentation"], members, strict=True))
    assert (scored["Needs_Review"] == (members.map(len) > 1)).all()
    # The honest picture of the new prospects: most need a person at 90% coverage.
    assert scored.loc[~known, "Needs_Review"].mean() > 0.5


def test_set_labels_are_in_segment_order() -> None:
    members = np.array([[True, False, False, True], [False, True, False, False]])
    assert list(set_labels(members)) == ["A|D", "B"]
    every = np.array([[(code >> bit) & 1 == 1 for bit in range(4)] for code in range(16)])
    assert list(set_labels(every)) == ["|".join(np.array(SEGMENTS)[row]) for row in every]
    assert set_labels(np.zeros((0, 4), dtype=bool)).shape == (0,)


def test_coverage_out_of_range_is_a_user_error(
    trained_model: TrainedModel, prospects_path: Path
) -> None:
    with pytest.raises(SegmentorError, match="between 0.5 and 0.99"):
        score_frame(read_table(prospects_path).head(3), trained_model, coverage=1.5)


def test_predict_coverage_option(
    segmentor_home: Path, prospects_path: Path, tmp_path: Path
) -> None:
    out = {c: tmp_path / f"{c}.csv" for c in ("0.6", "0.95")}
    for coverage, target in out.items():
        command = ["predict", str(prospects_path), "--out", str(target), "--coverage", coverage]
        result = runner.invoke(app, command)
        assert result.exit_code == 0, result.output
    low, high = (pd.read_csv(out[c], dtype=str, keep_default_na=False) for c in out)
    assert (low["ID"] == high["ID"]).all()
    assert high["Needs_Review"].eq("True").sum() > low["Needs_Review"].eq("True").sum()
    bad = runner.invoke(app, ["predict", str(prospects_path), "--coverage", "2"])
    assert bad.exit_code == 2


@pytest.mark.parametrize("coverage", [0.8, 0.9, 0.95])
def test_sets_are_crepes_mondrian_sets_asked_segment_by_segment(
    trained_model: TrainedModel, coverage: float
) -> None:
    from crepes.extras import hinge

    sets = trained_model.sets
    assert sets is not None
    random = np.random.default_rng(7).dirichlet(np.ones(4), size=500)
    # The calibration rows themselves: every alpha ties with a calibration score.
    probabilities = np.vstack([random, sets.probabilities[:300]])
    alphas, classifier = hinge(probabilities), sets.classifier()
    expected = np.column_stack(
        [
            classifier.predict_set(
                alphas,
                bins=np.full(len(alphas), segment, dtype=object),
                confidence=coverage,
                smoothing=False,
            )[:, index]
            for index, segment in enumerate(SEGMENTS)
        ]
    ).astype(bool)
    expected[np.arange(len(expected)), probabilities.argmax(axis=1)] = True
    assert (sets.predict(probabilities, coverage) == expected).all()
