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


# --- formats, layouts and streams added for real exports (issue 13) ------------------------


def test_header_row_found_under_title_lines_or_given(tmp_path: Path) -> None:
    from segmentor.io.readers import ReadOptions, read_upload, table_layout

    titled = "Export CRM;;\nRégion Nord;;\n\n" + SAMPLE
    frame, layout = read_upload(titled.encode(), "t.csv")
    pd.testing.assert_frame_equal(parse_customers(frame).frame, _expected())
    assert layout.header_row == 4
    path = tmp_path / "t.csv"
    path.write_text(titled)
    assert table_layout(path).header_row == 4
    chunks = list(iter_table_chunks(path, 2))
    assert sum(len(c) for c in chunks) == 5
    given, _ = read_upload(titled.encode(), "t.csv", options=ReadOptions(header_row=4))
    pd.testing.assert_frame_equal(given, frame)
    with pytest.raises(SegmentorError, match="--header-row 99 is not a line"):
        read_upload(titled.encode(), "t.csv", options=ReadOptions(header_row=99))


def test_workbook_sheet_is_chosen_by_content_or_name() -> None:
    import io

    from segmentor.io.readers import ReadOptions, read_upload, workbook_sheets

    rows = [line.split(",") for line in SAMPLE.strip().splitlines()]
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="odf") as writer:
        pd.DataFrame({"Notes": ["read me"]}).to_excel(writer, sheet_name="Notes", index=False)
        pd.DataFrame(rows[1:], columns=rows[0]).to_excel(writer, sheet_name="Data", index=False)
    data = buffer.getvalue()
    assert workbook_sheets(data, "x.ods") == ("Notes", "Data")
    frame, layout = read_upload(data, "x.ods")
    assert layout.sheet == "Data" and len(frame) == 5
    pd.testing.assert_frame_equal(parse_customers(frame).frame, _expected())
    notes, _ = read_upload(data, "x.ods", options=ReadOptions(sheet="notes"))
    assert list(notes.columns) == ["Notes"]
    with pytest.raises(SegmentorError, match="no sheet named 'Other'; the sheets are 'Notes'"):
        read_upload(data, "x.ods", options=ReadOptions(sheet="Other"))


def test_compressed_csv_is_streamed_like_the_plain_file(tmp_path: Path) -> None:
    import gzip
    import zipfile

    gz = tmp_path / "p.csv.gz"
    gz.write_bytes(gzip.compress(SAMPLE.encode()))
    zipped = tmp_path / "p.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("__MACOSX/._p.csv", b"junk")
        archive.writestr("p.csv", SAMPLE)
    for path in (gz, zipped):
        whole = pd.concat(list(iter_table_chunks(path, 2)), ignore_index=True)
        pd.testing.assert_frame_equal(parse_customers(whole).frame, _expected())
        pd.testing.assert_frame_equal(parse_customers(read_table(path)).frame, _expected())


def test_gzip_bomb_is_refused_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import gzip

    from segmentor.io import readers

    monkeypatch.setattr(readers, "MAX_DECOMPRESSED_BYTES", 1000)
    bomb = gzip.compress(SAMPLE.encode() + b"0" * 10_000)
    with pytest.raises(SegmentorError, match="compressed file holds more than"):
        read_bytes(bomb, "bomb.csv.gz")


def test_windows_1252_accent_after_the_sniffed_head(tmp_path: Path) -> None:
    """The encoding is checked over the whole file, streamed or not."""
    from segmentor.io.readers import SNIFF_BYTES

    lines = [SAMPLE.strip().splitlines()[1]] * (SNIFF_BYTES // 40)
    text = SAMPLE.splitlines()[0] + ",Ville\n" + "".join(line + ",\n" for line in lines)
    data = (text + "459000,Male,Yes,59,No,Executive,11.0,High,2.0,Cat_6,Besançon\n").encode(
        "cp1252"
    )
    assert data.find("ç".encode("cp1252")) > SNIFF_BYTES
    path = tmp_path / "late.csv"
    path.write_bytes(data)
    assert read_bytes(data, "late.csv")["Ville"].iloc[-1] == "Besançon"
    last = list(iter_table_chunks(path, 500))[-1]
    assert last["Ville"].iloc[-1] == "Besançon"


def test_stray_quote_that_merges_rows_is_refused_with_its_row() -> None:
    lines = SAMPLE.strip().splitlines()
    lines[2] = '"' + lines[2]
    lines[4] = lines[4] + '"'
    with pytest.raises(SegmentorError) as error:
        read_bytes(("\n".join(lines) + "\n").encode(), "s.csv")
    assert "row 2, column 'ID': a quote opened in this cell is closed 2 lines later" in str(
        error.value
    )


def test_quoted_multiline_comment_is_not_taken_for_merged_rows() -> None:
    text = (
        SAMPLE.splitlines()[0]
        + ",Comment\n"
        + "\n".join(
            line + ',"first line, a comma\nsecond line"' for line in SAMPLE.strip().splitlines()[1:]
        )
    )
    assert len(read_bytes(text.encode(), "c.csv")) == 5


def test_a_named_pipe_is_read_once(tmp_path: Path, trained_model) -> None:
    """A FIFO can only be read once; scoring needs several passes: it is copied first."""
    import os
    import threading

    from segmentor.engines.local import score_file

    pipe = tmp_path / "prospects.csv"
    os.mkfifo(pipe)
    writer = threading.Thread(target=lambda: pipe.write_text(SAMPLE), daemon=True)
    writer.start()
    result = score_file(pipe, trained_model, tmp_path / "out.csv")
    writer.join(timeout=10)
    assert result.rows == 5
    assert len(pd.read_csv(tmp_path / "out.csv")) == 5


def test_output_never_replaces_the_input(tmp_path: Path, trained_model) -> None:
    from segmentor.engines.local import score_file

    path = tmp_path / "prospects.csv"
    path.write_text(SAMPLE)
    link = tmp_path / "link.csv"
    link.symlink_to(path)
    for target in (path, link, tmp_path / "." / "prospects.csv"):
        with pytest.raises(SegmentorError, match="the output is the input file"):
            score_file(path, trained_model, target)
    assert path.read_text() == SAMPLE
