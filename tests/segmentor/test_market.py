"""The market module: existing customers, profiles, drift, the classifier test and the verdict."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from segmentor.analysis import market
from segmentor.cli import app
from segmentor.domain.schema import FEATURES, ID, SEGMENTS, TARGET, parse_customers
from segmentor.io.readers import read_table
from segmentor.ml.trained import TrainedModel, load_training_table
from segmentor.presentation.wording import market_verdict


@pytest.fixture(scope="module")
def existing(trained_model: TrainedModel, train_path: Path) -> pd.DataFrame:
    return market.existing_customers(trained_model.known, load_training_table(train_path))


@pytest.fixture(scope="module")
def prospects(prospects_path: Path):
    return parse_customers(read_table(prospects_path), str(prospects_path))


def _table(frame: pd.DataFrame):
    """A parsed table from a frame of typed features (as a file would give them)."""
    raw = frame.loc[:, [c for c in (ID, *FEATURES) if c in frame.columns]].astype(object)
    return parse_customers(raw.where(raw.notna(), None), "<test>")


def test_existing_customers_have_all_nine_attributes(existing: pd.DataFrame) -> None:
    assert list(existing.columns) == [ID, *FEATURES, TARGET]
    assert len(existing) == 8068
    assert existing["Age"].notna().all()
    assert set(existing[TARGET].astype(str)) == set(SEGMENTS)


def test_psi_is_zero_for_the_same_distribution_and_grows_with_the_shift() -> None:
    counts = np.array([100.0, 200.0, 300.0, 400.0])
    assert market.psi(counts, counts * 3) == pytest.approx(0.0, abs=1e-6)
    small = market.psi(counts, np.array([110.0, 200.0, 300.0, 390.0]))
    large = market.psi(counts, np.array([400.0, 300.0, 200.0, 100.0]))
    assert 0 < small < market.PSI_MODERATE < market.PSI_MAJOR < large


def test_psi_of_an_empty_bin_is_finite() -> None:
    assert np.isfinite(market.psi(np.array([10.0, 0.0]), np.array([0.0, 10.0])))


@pytest.mark.parametrize(
    ("value", "level"),
    [(0.0, "similar"), (0.099, "similar"), (0.10, "moderate"), (0.25, "moderate"), (0.26, "major")],
)
def test_psi_levels_follow_the_documented_thresholds(value: float, level: str) -> None:
    assert market.psi_level(value) == level


@pytest.mark.parametrize(
    ("value", "level"), [(0.5, "similar"), (0.6, "moderate"), (0.749, "moderate"), (0.75, "major")]
)
def test_auc_levels_follow_the_documented_thresholds(value: float, level: str) -> None:
    assert market.auc_level(value) == level


def test_a_sample_of_the_existing_customers_shows_no_drift(existing: pd.DataFrame) -> None:
    sample = existing.sample(800, random_state=3)
    drift = market.attribute_drift(existing, sample)
    assert list(drift["attribute"]).count("Age") == 1 and len(drift) == len(FEATURES)
    assert (drift["level"] == "similar").all()
    auc, _ = market.classifier_auc(existing.drop(sample.index), sample)
    assert auc < market.AUC_SIMILAR


def test_older_prospects_with_unknown_professions_are_flagged(existing: pd.DataFrame) -> None:
    shifted = existing.sample(400, random_state=4).copy()
    shifted["Age"] = shifted["Age"] + 20
    shifted["Profession"] = pd.Categorical([None] * len(shifted), categories=["Artist"])
    drift = market.attribute_drift(existing, shifted)
    assert set(drift["attribute"].head(2)) == {"Age", "Profession"}
    assert (drift.set_index("attribute").loc[["Age", "Profession"], "level"] == "major").all()
    profession = drift.set_index("attribute").loc["Profession"]
    assert profession["shifted_value"] == market.MISSING and profession["new_share"] == 1.0
    assert profession["p_value"] < 1e-6
    auc, _ = market.classifier_auc(existing, shifted)
    assert auc >= market.AUC_MAJOR


def test_check_of_the_bundled_prospects_leaves_known_customers_out(
    prospects, existing: pd.DataFrame, trained_model: TrainedModel
) -> None:
    check = market.check_market(prospects, existing, trained_model.known)
    assert (check.rows, check.known_excluded, check.compared) == (2627, 2332, 295)
    assert check.existing == 8068
    assert check.auc is not None and 0.3 < check.auc < 1.0
    assert check.level in market.LEVELS
    english, french = market_verdict(check, "en"), market_verdict(check, "fr")
    assert "2,332 known customers" in english and "295 new prospects" in english
    assert "2\u202f332 clients connus" in french and "AUC" in french
    report = json.loads(json.dumps(check.to_dict()))
    assert report["known_excluded"] == 2332 and len(report["attributes"]) == len(FEATURES)
    assert report["thresholds"] == {
        "psi_moderate": 0.1,
        "psi_major": 0.25,
        "auc_similar": 0.6,
        "auc_major": 0.75,
    }


def test_verdict_names_the_shifted_attributes(existing: pd.DataFrame) -> None:
    shifted = existing.sample(300, random_state=5).copy()
    shifted["Age"] = shifted["Age"] + 25
    check = market.check_market(_table(shifted.drop(columns=ID)), existing, None)
    assert check.level == "major" and check.known_excluded == 0
    assert check.shifted_attributes()[0] == "Age"
    assert "mostly in: Age" in market_verdict(check, "en")
    assert market_verdict(check, "en").endswith("no known customer in the file.")
    assert market_verdict(check, "fr").endswith("aucun client connu dans le fichier.")
    assert "surtout par : Âge" in market_verdict(check, "fr")


def test_too_few_new_prospects_give_no_verdict(existing: pd.DataFrame) -> None:
    few = existing.head(market.MIN_COMPARED - 1).drop(columns=[ID, TARGET])
    check = market.check_market(_table(few), existing, None)
    assert check.level == "too_few" and check.auc is None
    assert len(check.drift) == len(FEATURES)
    assert "Too few new prospects" in market_verdict(check, "en")


def test_a_file_of_known_customers_only_compares_nothing(
    existing: pd.DataFrame, trained_model: TrainedModel
) -> None:
    known_rows = existing.head(50).drop(columns=TARGET)
    check = market.check_market(_table(known_rows), existing, trained_model.known)
    assert (check.known_excluded, check.compared, check.level) == (50, 0, "too_few")
    assert check.drift.empty


def test_segment_profile_shares_sum_to_one_per_segment(existing: pd.DataFrame) -> None:
    for attribute in FEATURES:
        profile = market.segment_profile(existing, existing[TARGET], attribute)
        assert set(profile["value"]) == set(market.value_order(attribute))
        totals = profile.groupby("segment")["share"].sum()
        assert np.allclose(totals.loc[list(SEGMENTS)], 1.0)
        assert profile["count"].sum() == len(existing)


def test_profile_bins_count_missing_values() -> None:
    values = pd.Series([18.0, 25.0, 26.0, 70.0, np.nan])
    assert market.binned(values, "Age").tolist() == ["18-25", "18-25", "26-35", "66+", "missing"]


def test_segment_summary_gives_typical_values(existing: pd.DataFrame) -> None:
    summary = market.segment_summary(existing.loc[:, list(FEATURES)], existing[TARGET])
    assert list(summary.index) == list(SEGMENTS)
    assert summary["customers"].sum() == len(existing)
    assert summary["share"].sum() == pytest.approx(1.0)
    segment_d = existing.loc[existing[TARGET] == "D"]
    assert summary.loc["D", "Age"] == segment_d["Age"].median()
    assert summary.loc["D", "Profession"] == segment_d["Profession"].value_counts().index[0]


def test_check_market_command_prints_a_table_and_a_verdict(
    segmentor_home: Path, prospects_path: Path
) -> None:
    result = CliRunner().invoke(app, ["check-market", str(prospects_path)])
    assert result.exit_code == 0, result.output
    assert "Classifier AUC" in result.output and "2,332 known customers" in result.output


def test_check_market_command_json_and_french(segmentor_home: Path, prospects_path: Path) -> None:
    result = CliRunner().invoke(app, ["check-market", str(prospects_path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["known_excluded"], report["compared"]) == (2332, 295)
    assert "2,332 known customers" in report["verdict"]
    french = CliRunner().invoke(app, ["check-market", str(prospects_path), "--lang", "fr"])
    assert "AUC du classifieur :" in french.output
    assert "p-valeur : khi-deux (catégories), Kolmogorov-Smirnov (nombres)" in french.output
    assert "p-value" not in french.output and "2\u202f332 clients connus" in french.output
    assert "0." not in french.output.replace("Var_1", "")  # decimal commas only


def test_check_market_refuses_a_file_whose_columns_were_not_read(
    segmentor_home: Path, prospects_path: Path, tmp_path: Path
) -> None:
    crm = tmp_path / "crm.csv"
    frame = pd.read_csv(prospects_path, dtype=str)
    frame["Gender"] = frame["Gender"].map({"Male": "Hombre", "Female": "Mujer"})
    frame.to_csv(crm, index=False)
    result = CliRunner().invoke(app, ["check-market", str(crm), "--lang", "fr"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    message = " ".join(result.stderr.split())
    assert "column 'Gender'" in message and "'Hombre'" in message and "'Mujer'" in message
    assert "--mapping FILE.yaml" in message and "AUC" not in result.output


def test_check_market_command_reports_a_bad_file_in_one_line(
    segmentor_home: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("ID,Gender\n1,Male\n")
    result = CliRunner().invoke(app, ["check-market", str(bad)])
    assert result.exit_code == 2
    assert "required column(s) missing" in result.stderr
    assert "Traceback" not in result.output
