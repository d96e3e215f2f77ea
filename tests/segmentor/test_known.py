"""Matching prospects against the labelled customers the model was trained on."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from segmentor.domain.known import KnownCustomers
from segmentor.domain.schema import ID, TARGET, parse_customers
from segmentor.io.readers import read_table
from segmentor.ml.trained import load_training_table


@pytest.fixture(scope="module")
def known(train_path: Path) -> KnownCustomers:
    return KnownCustomers.from_table(load_training_table(train_path))


@pytest.fixture(scope="module")
def prospects(prospects_path: Path) -> pd.DataFrame:
    return read_table(prospects_path)


def test_bundled_prospects_have_2332_known_customers(
    known: KnownCustomers, prospects: pd.DataFrame
) -> None:
    match = known.match(parse_customers(prospects, "test.csv"))
    assert int(match.is_known.sum()) == 2332
    assert match.notes == []


def test_known_segment_is_the_labelled_one(known: KnownCustomers, prospects: pd.DataFrame) -> None:
    table = parse_customers(prospects, "test.csv")
    match = known.match(table)
    for position in table.frame.index[match.is_known][:50]:
        row_id = table.frame.loc[position, ID]
        assert match.segments[position] == known.frame.loc[row_id, TARGET]


def test_conflicting_stable_attribute_is_predicted_with_a_note(
    known: KnownCustomers, prospects: pd.DataFrame
) -> None:
    changed = prospects.head(3).copy()
    changed.loc[1, "Profession"] = (
        "Doctor" if changed.loc[1, "Profession"] != "Doctor" else "Artist"
    )
    changed.loc[2, "Age"] = "99"  # Age is not a stable attribute: still the same person
    match = known.match(parse_customers(changed, "changed.csv"))
    assert list(match.is_known) == [True, False, True]
    assert [(n.row, n.column) for n in match.notes] == [(2, ID)]
    assert (
        "Profession" in match.notes[0].problem
        and "predicted by the model" in match.notes[0].problem
    )


def test_missing_equals_missing(known: KnownCustomers, prospects: pd.DataFrame) -> None:
    table = parse_customers(prospects, "test.csv")
    with_missing = table.frame["Var_1"].isna() & table.frame[ID].isin(known.frame.index)
    assert with_missing.any()
    match = known.match(table)
    assert match.is_known[with_missing.to_numpy()].all()
    filled = prospects.copy()
    filled.loc[with_missing.to_numpy(), "Var_1"] = "Cat_1"
    refilled = known.match(parse_customers(filled, "filled.csv"))
    assert not refilled.is_known[with_missing.to_numpy()].any()


def test_unknown_and_missing_ids_are_not_matched(known: KnownCustomers) -> None:
    raw = read_table(Path(__file__).parents[2] / "src/segmentor/data/test.csv").head(2).copy()
    raw[ID] = ["no-such-id", ""]
    match = known.match(parse_customers(raw, "x.csv"))
    assert not match.is_known.any() and match.notes == []
