"""Batch engines: chunked scoring equals whole-file scoring; duplicates in bounded memory."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from segmentor.cli import app
from segmentor.engines.dask_engine import input_files, score_files
from segmentor.engines.local import score_chunks, score_file
from segmentor.engines.scoring import score_frame
from segmentor.errors import SegmentorError
from segmentor.io import duplicates
from segmentor.io.duplicates import duplicate_first_rows
from segmentor.io.readers import read_table
from segmentor.io.writers import to_csv_bytes
from segmentor.ml.trained import TrainedModel


@pytest.fixture(scope="module")
def messy_prospects(tmp_path_factory: pytest.TempPathFactory, prospects_path: Path) -> Path:
    """The bundled prospects with duplicated IDs far apart, "7.0"-style IDs and bad values."""
    raw = read_table(prospects_path)
    extra = raw.iloc[[5, 900, 5, 2000]].copy()
    extra.iloc[1, 0] = f"{extra.iloc[1, 0]}.0"
    extra.iloc[2, raw.columns.get_loc("Age")] = "150"
    extra.iloc[3, raw.columns.get_loc("Gender")] = "robot"
    raw.iloc[10, 0] = ""
    raw.iloc[11, 0] = "n/a"
    path = tmp_path_factory.mktemp("messy") / "prospects.csv"
    pd.concat([raw, extra, raw.iloc[[3]]], ignore_index=True).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def messy_parquet(messy_prospects: Path) -> Path:
    path = messy_prospects.with_suffix(".parquet")
    frame = read_table(messy_prospects)
    frame["Age"] = pd.to_numeric(frame["Age"], errors="coerce")
    frame.to_parquet(path, index=False, row_group_size=300)
    return path


@pytest.mark.parametrize("chunk_rows", [97, 1_000])
@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_chunked_scoring_equals_whole_file(
    trained_model: TrainedModel,
    messy_prospects: Path,
    messy_parquet: Path,
    chunk_rows: int,
    kind: str,
) -> None:
    path = messy_prospects if kind == "csv" else messy_parquet
    whole = score_frame(read_table(path), trained_model, source=str(path))
    chunks = list(score_chunks(path, trained_model, chunk_rows=chunk_rows))
    chunked = pd.concat([chunk.frame for chunk in chunks], ignore_index=True)
    pd.testing.assert_frame_equal(chunked, whole.frame)
    assert [note for chunk in chunks for note in chunk.notes] == whole.notes
    assert (whole.frame["Source"] == "known").sum() > 1000  # known matching was exercised
    assert whole.frame["Notes"].str.contains("first seen on row").sum() == 5


def test_score_file_writes_the_whole_file_result(
    trained_model: TrainedModel, messy_prospects: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.csv"
    result = score_file(messy_prospects, trained_model, target, chunk_rows=200)
    whole = score_frame(read_table(messy_prospects), trained_model, source=str(messy_prospects))
    assert target.read_bytes() == to_csv_bytes(whole.frame)
    assert result.rows == len(whole.frame)
    assert result.with_notes == (whole.frame["Notes"] != "").sum()
    assert list(tmp_path.iterdir()) == [target]  # no temporary left behind


def test_duplicate_first_rows_lists_only_duplicated_ids(messy_prospects: Path) -> None:
    ids = read_table(messy_prospects)["ID"].tolist()
    first = duplicate_first_rows(messy_prospects, chunk_rows=50)
    assert first == {ids[5]: 6, ids[900]: 901, ids[2000]: 2001, ids[3]: 4}


def test_hash_collisions_are_resolved_exactly(
    messy_prospects: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a hash that collides for every ID, the exact pass must still be exact."""

    def colliding(ids: np.ndarray, present: np.ndarray) -> np.ndarray:
        hashes = np.zeros(len(ids), dtype=np.uint64)
        hashes[present] = np.uint64(42)
        return hashes

    expected = duplicate_first_rows(messy_prospects, chunk_rows=50)
    monkeypatch.setattr(duplicates, "_hashes", colliding)
    assert duplicate_first_rows(messy_prospects, chunk_rows=50) == expected


def test_file_without_id_column_has_no_duplicates(tmp_path: Path, prospects_path: Path) -> None:
    path = tmp_path / "no_ids.csv"
    read_table(prospects_path).drop(columns="ID").to_csv(path, index=False)
    assert duplicate_first_rows(path) == {}


# ---------------------------------------------------------------- Dask engine
@pytest.fixture(scope="module")
def input_folder(
    tmp_path_factory: pytest.TempPathFactory, messy_prospects: Path, messy_parquet: Path
) -> Path:
    """A CSV file and two Parquet files (one of many row groups) with duplicated IDs."""
    folder = tmp_path_factory.mktemp("inputs")
    shutil.copy(messy_prospects, folder / "a_prospects.csv")
    shutil.copy(messy_parquet, folder / "b_prospects.parquet")
    read_table(messy_prospects).iloc[:40].to_parquet(folder / "c_small.parquet", index=False)
    return folder


def test_dask_engine_predicts_exactly_as_the_local_engine(
    trained_model: TrainedModel, trained_model_dir: Path, input_folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "parts"
    result = score_files(
        input_folder, trained_model_dir, out, workers=3, processes=False, chunk_rows=500
    )
    parts = sorted(out.glob("*.parquet"))
    assert len([p for p in parts if "-b_prospects-" in p.name]) == 5  # row groups of 300
    total = 0
    for number, path in enumerate(sorted(input_folder.iterdir())):
        local = tmp_path / f"{path.stem}.local.parquet"
        score_file(path, trained_model, local)
        expected = pd.read_parquet(local)
        mine = [p for p in parts if p.name.startswith(f"{number:04d}-{path.stem}-")]
        actual = pd.concat([pd.read_parquet(p) for p in mine], ignore_index=True)
        pd.testing.assert_frame_equal(actual, expected)
        total += len(expected)
    assert result.rows == total
    notes = pd.read_parquet(out, columns=["Notes"])["Notes"]
    assert (
        notes.str.contains("first seen on row 6)", regex=False).sum() == 4
    )  # CSV, and across pieces


def test_dask_engine_refuses_a_non_empty_output_folder(
    trained_model_dir: Path, input_folder: Path, tmp_path: Path
) -> None:
    (tmp_path / "old.parquet").write_bytes(b"x")
    with pytest.raises(SegmentorError, match="not empty"):
        score_files(input_folder, trained_model_dir, tmp_path, processes=False)


@pytest.mark.parametrize("pattern", ["*.xlsx", "nothing-here/*.csv"])
def test_dask_engine_says_when_no_file_matches(input_folder: Path, pattern: str) -> None:
    with pytest.raises(SegmentorError, match="no CSV or Parquet files found"):
        input_files(str(input_folder / pattern))


def test_glob_and_folder_name_the_same_files(input_folder: Path) -> None:
    assert input_files(input_folder) == sorted(input_folder.iterdir())
    assert input_files(str(input_folder / "*.parquet")) == sorted(input_folder.glob("*.parquet"))


def test_predict_with_dask_needs_an_output_folder(input_folder: Path) -> None:
    result = CliRunner().invoke(app, ["predict", str(input_folder), "--engine", "dask"])
    assert result.exit_code == 2
    assert "give --out DIR" in result.output
