"""Real-world file forms all read to the same customer table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from segmentor.domain.schema import FEATURES, ID, parse_customers
from segmentor.errors import SegmentorError
from segmentor.io.readers import iter_table_chunks, read_bytes, read_table

HEADER = ",".join((ID, *FEATURES))
SAMPLE = (
    HEADER
    + """
458989,Female,Yes,36,Yes,Engineer,0.0,Low,1.0,Cat_6
458994,Male,Yes,37,Yes,Healthcare,8.0,Average,4.0,Cat_6
458996,Female,Yes,69,No,,0.0,Low,1.0,Cat_6
459000,Male,Yes,59,No,Executive,11.0,High,2.0,Cat_6
459001,Female,No,19,No,Marketing,,Low,4.0,Cat_6
"""
)


def _expected() -> pd.DataFrame:
    return parse_customers(pd.read_csv(pd.io.common.StringIO(SAMPLE), dtype=str)).frame


def _french_excel_export(text: str) -> str:
    lines = text.splitlines()
    out = [lines[0].replace(",", ";")]
    for line in lines[1:]:
        out.append(";".join(cell.replace(".", ",") for cell in line.split(",")))
    return "\r\n".join(out) + "\r\n"


def _renamed_headers(text: str) -> str:
    header, rest = text.split("\n", 1)
    header = header.replace("_", " ").upper().replace("ID,", " Id ,")
    return header + ",Extra Column\n" + "".join(line + ",x\n" for line in rest.splitlines())


FORMS = {
    "plain": lambda p: p.write_text(SAMPLE, encoding="utf-8"),
    "utf8_bom": lambda p: p.write_bytes(SAMPLE.encode("utf-8-sig")),
    "crlf": lambda p: p.write_bytes(SAMPLE.replace("\n", "\r\n").encode()),
    "latin1": lambda p: p.write_bytes(SAMPLE.replace("Engineer", "Engineer").encode("latin-1")),
    "semicolon_decimal_comma": lambda p: p.write_bytes(
        _french_excel_export(SAMPLE).encode("cp1252")
    ),
    "tab": lambda p: p.write_text(SAMPLE.replace(",", "\t")),
    "headers_case_spaces_extra_column": lambda p: p.write_text(_renamed_headers(SAMPLE)),
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_csv_forms_read_to_the_same_table(form: str, tmp_path: Path) -> None:
    path = tmp_path / "prospects.csv"
    FORMS[form](path)
    table = parse_customers(read_table(path), str(path))
    pd.testing.assert_frame_equal(table.frame, _expected())
    assert table.notes == []


def test_latin1_accents_survive(tmp_path: Path) -> None:
    path = tmp_path / "accents.csv"
    text = SAMPLE.replace("ID,", "ID,Société,", 1)
    lines = text.splitlines()
    lines[1:] = [line.replace(",", ",Crédit Agricole,", 1) for line in lines[1:]]
    path.write_bytes("\n".join(lines).encode("latin-1"))
    raw = read_table(path)
    assert raw["Société"].iloc[0] == "Crédit Agricole"


def test_excel_and_parquet_read_to_the_same_table(tmp_path: Path) -> None:
    typed = pd.read_csv(pd.io.common.StringIO(SAMPLE))
    typed.to_excel(tmp_path / "p.xlsx", index=False)
    typed.to_parquet(tmp_path / "p.parquet", index=False)
    for name in ("p.xlsx", "p.parquet"):
        table = parse_customers(read_table(tmp_path / name), name)
        pd.testing.assert_frame_equal(table.frame, _expected())


def test_read_bytes_matches_read_table(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(SAMPLE)
    pd.testing.assert_frame_equal(read_bytes(path.read_bytes(), "p.csv"), read_table(path))


def test_chunks_cover_every_row(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(SAMPLE)
    chunks = list(iter_table_chunks(path, chunk_rows=2))
    assert [len(c) for c in chunks] == [2, 2, 1]
    assert list(pd.concat(chunks)[ID]) == list(read_table(path)[ID])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("header.csv", SAMPLE.splitlines()[0].encode() + b"\n", "header but no customer rows"),
        ("binary.csv", b"\x00\x01\x02\x03" * 100, "binary"),
        ("zip.csv", b"PK\x03\x04" + b"\x00" * 100, r"binary \(Excel or Parquet\)"),
        ("fake.xlsx", b"ID,Gender\n1,Male\n", "not a valid Excel"),
        ("fake.parquet", b"ID,Gender\n1,Male\n", "not a valid Parquet"),
        ("notes.pdf", b"%PDF-1.4", "unsupported file type"),
    ],
)
def test_unreadable_files_are_one_clear_error(
    name: str, content: bytes, message: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SegmentorError, match=message) as caught:
        read_table(path)
    assert str(path) in caught.value.message
    assert "Fix:" in caught.value.message
    assert "\n" not in caught.value.message


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(SegmentorError, match="no such file"):
        read_table(tmp_path / "nope.csv")


def test_features_survive_the_round_trip_of_the_bundled_prospects(prospects_path: Path) -> None:
    table = parse_customers(read_table(prospects_path), str(prospects_path))
    assert len(table.frame) == 2627
    assert list(table.features.columns) == list(FEATURES)
