"""Generate the bad-input corpus and its manifest, expected.json (deterministic).

Run from the repository root: ``.venv/bin/python tests/data/bad/make_corpus.py``
(``--table`` prints the manifest as the Markdown table of docs/hardening.md). Every file
is written from the rows below, so the same script always writes the same bytes; the
manifest says, for each file, what the product must do with it:

- ``{"outcome": "scored", "rows": N, "notes": [...]}``: scored, N rows in and N rows out, and
  each listed fragment appears in the Notes column;
- ``{"outcome": "refused", "message": "...", "exit_code": 2}``: refused with one line holding
  the fragment (CLI exit code 2, API 4xx).

``neutralised: true`` marks files whose text cells hold formula payloads: every output
(CSV and Excel) must carry them with a leading quote. Optional checks of scored files:
``known`` (known customers found), ``stdout`` (fragments of the CLI summary, e.g. the mapping
applied), ``excel`` ("written": the .xlsx output holds no raw control character, or a
fragment of the one-line refusal of an .xlsx output).

``STATIC`` files are not generated: they are committed as made by another program (see
tests/data/README.md), and only their manifest entry is written here.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import random
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = [
    "ID",
    "Gender",
    "Ever_Married",
    "Age",
    "Graduated",
    "Profession",
    "Work_Experience",
    "Spending_Score",
    "Family_Size",
    "Var_1",
]
FEATURES = HEADER[1:]
# The first twelve bundled prospects (most are known customers).
ROWS = [
    ["458989", "Female", "Yes", "36", "Yes", "Engineer", "0.0", "Low", "1.0", "Cat_6"],
    ["458994", "Male", "Yes", "37", "Yes", "Healthcare", "8.0", "Average", "4.0", "Cat_6"],
    ["458996", "Female", "Yes", "69", "No", "", "0.0", "Low", "1.0", "Cat_6"],
    ["459000", "Male", "Yes", "59", "No", "Executive", "11.0", "High", "2.0", "Cat_6"],
    ["459001", "Female", "No", "19", "No", "Marketing", "", "Low", "4.0", "Cat_6"],
    ["459003", "Male", "Yes", "47", "Yes", "Doctor", "0.0", "High", "5.0", "Cat_4"],
    ["459005", "Male", "Yes", "61", "Yes", "Doctor", "5.0", "Low", "3.0", "Cat_6"],
    ["459008", "Female", "Yes", "47", "Yes", "Artist", "1.0", "Average", "3.0", "Cat_6"],
    ["459013", "Male", "Yes", "50", "Yes", "Artist", "2.0", "Average", "4.0", "Cat_6"],
    ["459014", "Male", "No", "19", "No", "Healthcare", "0.0", "Low", "4.0", "Cat_6"],
    ["459015", "Male", "No", "22", "No", "Healthcare", "0.0", "Low", "3.0", "Cat_6"],
    ["459016", "Female", "No", "22", "No", "Healthcare", "0.0", "Low", "6.0", "Cat_6"],
]
N = len(ROWS)
INJECTIONS = ["=cmd|' /C calc'!A0", "+SUM(1;2)", "-2+3", "@SUM(A1:A2)", '=HYPERLINK("http://x")']
HUGE_CELL_BYTES = 5 * 1024 * 1024

Manifest = dict[str, dict[str, object]]
# Made by LibreOffice from libreoffice.ods (tests/data/README.md): no Python library writes .xls.
STATIC = ("old_excel_97.xls",)
# The same prospects as ROWS, as a French CRM exports them.
FRENCH_HEADER = [
    "N° client",
    "Sexe",
    "Marié(e)",
    "Âge",
    "Diplômé(e)",
    "Métier",
    "Expérience",
    "Score de dépenses",
    "Taille de la famille",
    "Catégorie",
]
FRENCH_VALUES = {
    "Male": "Homme",
    "Female": "Femme",
    "Yes": "Oui",
    "No": "Non",
    "Engineer": "Ingénieur",
    "Healthcare": "Santé",
    "Executive": "Cadre",
    "Marketing": "Commercial",
    "Doctor": "Médecin",
    "Artist": "Artiste",
    "Low": "Faible",
    "Average": "Moyen",
    "High": "Élevé",
}
FRENCH_ROWS = [
    [row[0]]
    + [FRENCH_VALUES.get(cell, cell.replace(".", ",")) for cell in row[1:-1]]
    + [row[-1].replace("Cat_", "Catégorie ")]
    for row in ROWS
]


def csv_text(
    header: list[str], rows: list[list[str]], delimiter: str = ",", quoting: int = csv.QUOTE_MINIMAL
) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n", quoting=quoting)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def with_column(column: str, values: dict[int, str]) -> list[list[str]]:
    """A copy of ROWS with some cells of ``column`` replaced (row index -> text)."""
    index = HEADER.index(column)
    rows = [list(row) for row in ROWS]
    for row, value in values.items():
        rows[row][index] = value
    return rows


def scored(rows: int = N, notes: tuple[str, ...] = (), **extra: object) -> dict[str, object]:
    return {"outcome": "scored", "rows": rows, "notes": list(notes), **extra}


def refused(message: str) -> dict[str, object]:
    return {"outcome": "refused", "message": message, "exit_code": 2}


def text_files(manifest: Manifest) -> dict[str, bytes]:
    """Encodings, delimiters, line endings and quoting."""
    plain = csv_text(HEADER, ROWS)
    french = csv_text(HEADER, [[c.replace(".", ",") for c in row] for row in ROWS], ";")
    files = {
        "semicolon_decimal_comma_cp1252.csv": french.replace("\n", "\r\n").encode("cp1252"),
        "tab_delimited.tsv": csv_text(HEADER, ROWS, "\t").encode(),
        "pipe_delimited.csv": csv_text(HEADER, ROWS, "|").encode(),
        "utf8_bom_crlf.csv": plain.replace("\n", "\r\n").encode("utf-8-sig"),
        "utf16_bom_excel_unicode_text.txt": csv_text(HEADER, ROWS, "\t").encode("utf-16"),
        "classic_mac_cr_line_endings.csv": plain.replace("\n", "\r").encode(),
        "cp1252_extra_column.csv": csv_text(
            [*HEADER, "Société"], [[*row, "Crème brûlée – 5 €"] for row in ROWS]
        ).encode("cp1252"),
        "latin1_extra_column.csv": csv_text(
            [*HEADER, "Ville"], [[*row, "Besançon"] for row in ROWS]
        ).encode("latin-1"),
        "quoted_newlines_and_delimiters.csv": csv_text(
            [*HEADER, "Comment"],
            [[*row, f"line one, with a comma\nline two of row {i}"] for i, row in enumerate(ROWS)],
        ).encode(),
        "decimal_commas_quoted_in_comma_csv.csv": csv_text(
            HEADER, [[c.replace(".", ",") for c in row] for row in ROWS]
        ).encode(),
        "headers_other_case_spaces_extra_columns.csv": csv_text(
            [" id ", *(c.upper().replace("_", " ") for c in FEATURES), "Region", "Notes"],
            [[*row, "north", "call back"] for row in ROWS],
        ).encode(),
        "trailing_delimiter_every_line.csv": plain.replace("\n", ",\n").encode(),
        "blank_lines_and_empty_rows.csv": (
            csv_text(HEADER, ROWS[:6])
            + "\n\n"
            + "," * (len(HEADER) - 1)
            + "\n"
            + csv_text(HEADER, ROWS[6:]).split("\n", 1)[1]
        ).encode(),
    }
    for name in files:
        manifest[name] = scored()
    manifest["blank_lines_and_empty_rows.csv"] = scored(
        N + 1, describes="blank lines are not rows; a row of empty cells is one (all missing)"
    )
    manifest["trailing_delimiter_every_line.csv"]["describes"] = (
        "header and rows all end with a delimiter: an empty extra column"
    )
    return files


def ragged_files(manifest: Manifest) -> dict[str, bytes]:
    """Rows with more or fewer fields than the header."""
    plain_rows = [",".join(row) for row in ROWS]
    header = ",".join(HEADER)
    long_later = [*plain_rows[:4], plain_rows[4] + ",surplus", *plain_rows[5:]]
    long_first = [plain_rows[0] + ",surplus", *plain_rows[1:]]
    short = [*plain_rows[:3], ",".join(ROWS[3][:6]), *plain_rows[4:]]
    rows_trailing = [row + "," for row in plain_rows]
    files = {
        "ragged_too_many_fields.csv": "\n".join([header, *long_later]) + "\n",
        "ragged_first_row_too_many_fields.csv": "\n".join([header, *long_first]) + "\n",
        "ragged_rows_end_with_delimiter.csv": "\n".join([header, *rows_trailing]) + "\n",
        "ragged_too_few_fields.csv": "\n".join([header, *short]) + "\n",
    }
    manifest["ragged_too_many_fields.csv"] = refused("line 6 has 11 fields but the header has 10")
    manifest["ragged_first_row_too_many_fields.csv"] = refused(
        "line 2 has more fields than the header"
    )
    manifest["ragged_rows_end_with_delimiter.csv"] = refused(
        "line 2 has more fields than the header"
    )
    manifest["ragged_too_few_fields.csv"] = scored(
        describes="the short row's missing fields are missing values; the row is scored"
    )
    return {name: text.encode() for name, text in files.items()}


def header_files(manifest: Manifest) -> dict[str, bytes]:
    """Duplicated, absent and incomplete headers: one file per missing feature column."""
    files: dict[str, bytes] = {}
    dup_header = [*HEADER[:4], "Age", *HEADER[4:]]
    dup_rows = [[*row[:4], "99", *row[4:]] for row in ROWS]
    files["duplicated_header_age.csv"] = csv_text(dup_header, dup_rows).encode()
    manifest["duplicated_header_age.csv"] = refused("the column 'Age' appears twice")
    files["no_header_row.csv"] = csv_text(ROWS[0], ROWS[1:]).encode()
    manifest["no_header_row.csv"] = refused(
        "no known column name in the first row (is the header row missing?)"
    )
    for column in FEATURES:
        index = HEADER.index(column)
        header = HEADER[:index] + HEADER[index + 1 :]
        rows = [row[:index] + row[index + 1 :] for row in ROWS]
        name = f"missing_column_{column}.csv"
        files[name] = csv_text(header, rows).encode()
        manifest[name] = refused(f"required column(s) missing: {column!r}")
    files["missing_column_ID.csv"] = csv_text(HEADER[1:], [row[1:] for row in ROWS]).encode()
    manifest["missing_column_ID.csv"] = scored(describes="no ID column: every row by the model")
    return files


def value_files(manifest: Manifest) -> dict[str, bytes]:
    """Wrong types, out-of-range and unseen values, duplicate IDs."""
    wrong_types = with_column("Age", {0: "thirty", 1: "1e400", 2: "36 years"})
    wrong_types[3][HEADER.index("Family_Size")] = "two"
    wrong_types[4][HEADER.index("Work_Experience")] = "TRUE"
    out_of_range = with_column("Age", {0: "150", 1: "-5", 2: "17"})
    out_of_range[3][HEADER.index("Family_Size")] = "0"
    out_of_range[4][HEADER.index("Work_Experience")] = "99"
    unseen = with_column("Profession", {0: "Astronaut", 1: "engineer"})
    unseen[2][HEADER.index("Gender")] = "X"
    unseen[3][HEADER.index("Var_1")] = "Cat_9"
    unseen[4][HEADER.index("Spending_Score")] = "Very High"
    duplicates = [list(row) for row in ROWS]
    duplicates[5][0] = duplicates[0][0]
    duplicates[7][0] = duplicates[0][0] + ".0"
    files = {
        "wrong_types.csv": csv_text(HEADER, wrong_types),
        "out_of_range.csv": csv_text(HEADER, out_of_range),
        "unseen_categories.csv": csv_text(HEADER, unseen),
        "duplicate_ids.csv": csv_text(HEADER, duplicates),
        "all_missing_values.csv": csv_text(
            HEADER,
            [[row[0], *(["NA", "", "?", "null", "-", "#N/A", "n/a", "none", ""])] for row in ROWS],
        ),
    }
    manifest["wrong_types.csv"] = scored(
        notes=(
            "Age: 'thirty' is not a number",
            "Age: inf is outside the plausible range",
            "Age: '36 years' is not a number",
            "Family_Size: 'two' is not a number",
            "Work_Experience: 'TRUE' is not a number",
        )
    )
    manifest["out_of_range.csv"] = scored(
        notes=(
            "Age: 150 is outside the plausible range 18-100",
            "Age: -5 is outside the plausible range",
            "Age: 17 is outside the plausible range",
            "Family_Size: 0 is outside the plausible range 1-20",
            "Work_Experience: 99 is outside the plausible range 0-60",
        )
    )
    manifest["unseen_categories.csv"] = scored(
        notes=(
            "Profession: unknown value 'Astronaut'",
            "Gender: unknown value 'X'",
            "Var_1: unknown value 'Cat_9'",
            "Spending_Score: unknown value 'Very High'",
        )
    )
    manifest["duplicate_ids.csv"] = scored(notes=("duplicated ID (first seen on row 1)",))
    manifest["all_missing_values.csv"] = scored(describes="every spelling of missing")
    return {name: text.encode() for name, text in files.items()}


def empty_and_binary_files(manifest: Manifest) -> dict[str, bytes]:
    rng = random.Random(6)
    noise = bytes(rng.randrange(256) for _ in range(4096))
    files = {
        "empty.csv": b"",
        "whitespace_only.csv": b"  \n\r\n\t\n",
        "header_only.csv": (",".join(HEADER) + "\n").encode(),
        "binary_noise_renamed.csv": b"\x89PNG\r\n\x1a\n" + noise,
        "excel_renamed.csv": excel_bytes(HEADER, ROWS),
        "csv_renamed.xlsx": csv_text(HEADER, ROWS).encode(),
        "truncated.xlsx": excel_bytes(HEADER, ROWS)[:700],
        "zip_not_excel.xlsx": zip_bytes(),
        "truncated.parquet": parquet_bytes()[:300],
        "unsupported_suffix.json": json.dumps([dict(zip(HEADER, ROWS[0], strict=True))]).encode(),
        "single_column_list_of_ids.csv": ("ID\n" + "\n".join(r[0] for r in ROWS) + "\n").encode(),
    }
    manifest.update(
        {
            "empty.csv": refused("the file is empty"),
            "whitespace_only.csv": refused("the file is empty"),
            "header_only.csv": refused("the file has a header but no customer rows"),
            "binary_noise_renamed.csv": refused("this file is binary, not text"),
            "excel_renamed.csv": refused("this file is binary (Excel or Parquet), not CSV"),
            "csv_renamed.xlsx": refused("this is not a valid Excel .xlsx file"),
            "truncated.xlsx": refused("the Excel file cannot be read"),
            "zip_not_excel.xlsx": refused("the Excel file cannot be read"),
            "truncated.parquet": refused("the Parquet file cannot be read"),
            "unsupported_suffix.json": refused("unsupported file type '.json'"),
            "single_column_list_of_ids.csv": refused("required column(s) missing"),
        }
    )
    return files


def huge_and_injection_files(manifest: Manifest) -> dict[str, bytes]:
    huge = [[*row, ""] for row in ROWS]
    huge[3][-1] = "x" * HUGE_CELL_BYTES
    injected = [list(row) for row in ROWS]
    for index, payload in enumerate(INJECTIONS):
        injected[index][0] = payload
    files = {
        "huge_single_cell_5mb.csv": csv_text([*HEADER, "Comment"], huge).encode(),
        "carriage_returns_inside_cells.csv": csv_text(
            [*HEADER, "Comment"],
            [[f"{row[0]}\rx", *row[1:], "first\rsecond\r\nthird"] for row in ROWS],
            quoting=csv.QUOTE_ALL,
        ).encode(),
        "csv_injection_in_id.csv": csv_text(
            [*HEADER, "Remark"], [[*row, INJECTIONS[0]] for row in injected]
        ).encode(),
    }
    manifest["huge_single_cell_5mb.csv"] = scored(describes="one 5 MB line (an extra column)")
    manifest["carriage_returns_inside_cells.csv"] = scored(
        describes="quoted bare CR in IDs: the output must quote them too (RFC 4180 line ends)"
    )
    manifest["csv_injection_in_id.csv"] = scored(
        neutralised=True, payloads=INJECTIONS, describes="formula payloads in ID and Remark"
    )
    return files


def spreadsheet_files(manifest: Manifest) -> dict[str, bytes]:
    formulas = [list(row) for row in ROWS]
    formulas[0][HEADER.index("Age")] = "=20+16"
    formulas[1][HEADER.index("Family_Size")] = "=SUM(1,3)"
    injected = [list(row) for row in ROWS]
    injected[0][0] = INJECTIONS[0]
    injected[1][0] = INJECTIONS[3]
    files = {
        "excel_formulas_without_cached_values.xlsx": excel_bytes(HEADER, formulas),
        "excel_injection_text_cells.xlsx": excel_bytes(HEADER, injected, formulas_as_text=True),
        "excel_typed_cells.xlsx": excel_bytes(HEADER, ROWS, typed=True),
        "parquet_wrong_types.parquet": parquet_bytes(wrong=True),
        "parquet_typed.parquet": parquet_bytes(),
    }
    manifest["excel_formulas_without_cached_values.xlsx"] = scored(
        describes="formula cells hold no cached value (openpyxl): read as missing"
    )
    manifest["excel_injection_text_cells.xlsx"] = scored(
        neutralised=True, payloads=[INJECTIONS[0], INJECTIONS[3]]
    )
    manifest["excel_typed_cells.xlsx"] = scored(describes="numbers as numbers, IDs as integers")
    manifest["parquet_wrong_types.parquet"] = scored(
        notes=(
            "Gender: unknown value '1'",
            "Age: 'old' is not a number",
            "Family_Size: 'True' is not a number",
        ),
        describes="Gender as integers, Age as text, Family_Size as booleans",
    )
    manifest["parquet_typed.parquet"] = scored()
    return files


def excel_bytes(
    header: list[str],
    rows: list[list[str]],
    *,
    typed: bool = False,
    formulas_as_text: bool = False,
) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([_typed(cell) if typed else cell for cell in row])
    if formulas_as_text:
        for line in sheet.iter_rows(min_row=2):
            for cell in line:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


def _typed(cell: str) -> object:
    try:
        number = float(cell)
    except ValueError:
        return cell if cell else None
    return int(number) if number.is_integer() else number


def _fixed_zip_times(data: bytes) -> bytes:
    """The same workbook with fixed member dates, so the bytes are reproducible."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            payload = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = _fixed_core_dates(payload)
            if info.filename == "meta.xml":  # OpenDocument's creation date
                payload = _fixed_core_dates(payload)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            # OpenDocument wants its "mimetype" member first and stored uncompressed.
            stored = info.filename == "mimetype"
            fixed.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            target.writestr(fixed, payload)
    return out.getvalue()


def _fixed_core_dates(xml: bytes) -> bytes:
    import re

    return re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?", b"2026-01-01T00:00:00Z", xml)


def zip_bytes(members: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in (members or {"readme.txt": b"not a workbook"}).items():
            archive.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), data)
    return out.getvalue()


def parquet_bytes(*, wrong: bool = False) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns: dict[str, list[object]] = {
        name: [_typed(row[i]) for row in ROWS] for i, name in enumerate(HEADER)
    }
    columns["ID"] = [int(row[0]) for row in ROWS]
    if wrong:
        columns["Gender"] = [1 if row[1] == "Male" else 2 for row in ROWS]
        columns["Age"] = ["old" if i == 0 else row[3] for i, row in enumerate(ROWS)]
        columns["Family_Size"] = [i % 2 == 0 for i in range(N)]
    table = pa.table(columns)
    out = io.BytesIO()
    pq.write_table(table, out, compression="snappy")
    return out.getvalue()


def attack_files(manifest: Manifest) -> dict[str, bytes]:
    """The defects found by attacking the product (issue 13), one file each."""
    plain = csv_text(HEADER, ROWS)
    stray = [",".join(row) for row in ROWS]
    stray[4] = '"' + stray[4]
    stray[8] = stray[8] + '"'
    exponent = [list(row) for row in ROWS]
    exponent[0][0] = "4.58989e5"
    exponent[5][0] = "459 003"
    exponent[6][0] = "459\u00a0005"
    exponent[7][0] = "4,59008E+05"
    thousands = with_column("Work_Experience", {0: "1,000", 1: "2,500"})
    ambiguous = [[c[:-2] if c.endswith(".0") else c for c in row] for row in ROWS]
    ambiguous[2][HEADER.index("Work_Experience")] = "1,000"
    control = [list(row) for row in ROWS]
    control[0][0] = "458989\x07"
    control[1][0] = "\x1b[31m458994\x1b[0m"
    control[2][0] = "4589\x0b96\x1f"
    markup = with_column("Gender", {0: "[/x]", 1: "[bold red]Male[/]"})
    long_id = [list(row) for row in ROWS]
    long_id[3][0] = "9" * 40_000
    late = [[str(900_000 + i), *ROWS[i % N][1:]] for i in range(1300)]
    late_text = csv_text([*HEADER, "Ville"], [[*row, ""] for row in late[:-1]])
    late_text += ",".join([*late[-1], "Besançon"]) + "\n"
    titled = "Export CRM du 03/12/2026,,,\nProspects de la région Nord,,,\n\n" + plain
    french = csv_text(FRENCH_HEADER, FRENCH_ROWS, ";").replace("\n", "\r\n")
    files = {
        "stray_quote_merges_rows.csv": "\n".join([",".join(HEADER), *stray]).encode() + b"\n",
        "bom_in_the_middle_concatenated_exports.csv": (
            csv_text(HEADER, ROWS[:6]) + "\ufeff" + csv_text(HEADER, ROWS[6:]).split("\n", 1)[1]
        ).encode(),
        "ids_as_numbers_exponent_and_spaces.csv": csv_text(HEADER, exponent).encode(),
        "thousands_separators_with_decimal_points.csv": csv_text(HEADER, thousands).encode(),
        "thousands_separator_or_decimal_comma.csv": csv_text(HEADER, ambiguous).encode(),
        "control_characters_in_ids.csv": csv_text(HEADER, control, quoting=csv.QUOTE_ALL).encode(),
        "rich_markup_in_cells.csv": csv_text(HEADER, markup).encode(),
        "id_longer_than_an_excel_cell.csv": csv_text(HEADER, long_id).encode(),
        "cp1252_first_accent_after_64kib.csv": late_text.encode("cp1252"),
        "title_lines_above_header.csv": titled.encode(),
        "french_export_semicolon_cp1252.csv": french.encode("cp1252"),
        "french_export_second_sheet.xlsx": workbook_bytes(
            {
                "Lisez-moi": [["Export du CRM, feuille Prospects"]],
                "Prospects": [["Prospects au 03/12/2026"], [], FRENCH_HEADER, *FRENCH_ROWS],
            }
        ),
        "libreoffice.ods": ods_bytes(HEADER, ROWS),
        "truncated.ods": ods_bytes(HEADER, ROWS)[:600],
        "csv_renamed.xls": plain.encode(),
        "gzip_compressed.csv.gz": gzip.compress(plain.encode(), mtime=0),
        "one_csv_in_a.zip": zip_bytes({"export/prospects.csv": plain.encode()}),
        "two_csvs_in_a.zip": zip_bytes({"a.csv": plain.encode(), "b.csv": plain.encode()}),
    }
    known = 11  # known customers of ROWS (the baseline files give the same count)
    manifest.update(
        {
            "stray_quote_merges_rows.csv": refused(
                "a quote opened in this cell is closed 4 lines later"
            ),
            "bom_in_the_middle_concatenated_exports.csv": scored(
                notes=("invisible characters (BOM, zero-width) removed",),
                known=known,
                describes="a U+FEFF before an ID: still the known customer, with a note",
            ),
            "ids_as_numbers_exponent_and_spaces.csv": scored(
                notes=(
                    "ID '4.58989e5' read as '458989' (it looked like a number in exponent form)",
                    "ID '459 003' read as '459003' (spaces between digit groups removed)",
                    "read as '459005'",
                    "ID '4,59008E+05' read as '459008'",
                ),
                known=known,
            ),
            "thousands_separators_with_decimal_points.csv": scored(
                notes=(
                    "Work_Experience: '1,000' read as 1000 (',' is a thousands separator",
                    "Work_Experience: 1000 is outside the plausible range 0-60",
                    "Work_Experience: '2,500' read as 2500",
                ),
            ),
            "thousands_separator_or_decimal_comma.csv": scored(
                notes=(
                    "Work_Experience: '1,000' could be 1000 (thousands separator) or 1 "
                    "(decimal comma); treated as missing",
                ),
            ),
            "control_characters_in_ids.csv": scored(
                excel="written", describes="BEL, ESC sequences, vertical tab, unit separator in IDs"
            ),
            "rich_markup_in_cells.csv": scored(
                notes=("Gender: unknown value '[/x]'", "Gender: unknown value '[bold red]Male[/]'"),
                describes="Rich markup in cells reaches the terminal's summary as text",
            ),
            "id_longer_than_an_excel_cell.csv": scored(
                excel="more than Excel's 32,767 characters",
                describes="CSV output keeps the 40,000-character ID; .xlsx output is refused",
            ),
            "cp1252_first_accent_after_64kib.csv": scored(1300),
            "title_lines_above_header.csv": scored(
                known=known, stdout=("header on row 4 (3 rows above it skipped)",)
            ),
            "french_export_semicolon_cp1252.csv": scored(
                known=known,
                stdout=(
                    "Mapping applied: built-in synonyms",
                    "'Sexe' as Gender",
                    "Gender 'Homme' as Male",
                ),
                describes="French headers and values, decimal commas, ';', Windows-1252",
            ),
            "french_export_second_sheet.xlsx": scored(
                known=known,
                stdout=("sheet 'Prospects' of 2", "header on row 3", "'Métier' as Profession"),
            ),
            "libreoffice.ods": scored(known=known),
            "old_excel_97.xls": scored(known=known, describes="made by LibreOffice"),
            "truncated.ods": refused("the Excel file cannot be read"),
            "csv_renamed.xls": refused("this is not a valid Excel .xls file"),
            "gzip_compressed.csv.gz": scored(known=known),
            "one_csv_in_a.zip": scored(known=known),
            "two_csvs_in_a.zip": refused("the zip file must hold exactly one table file"),
        }
    )
    return files


def workbook_bytes(sheets: dict[str, list[list[str]]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([_typed(cell) for cell in row] if row else [None])
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


def ods_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    import pandas as pd

    frame = pd.DataFrame([[_typed(c) for c in row] for row in rows], columns=header)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="odf") as writer:
        frame.to_excel(writer, index=False, sheet_name="Prospects")
    return _fixed_zip_times(buffer.getvalue())


GROUPS: tuple[Callable[[Manifest], dict[str, bytes]], ...] = (
    text_files,
    ragged_files,
    header_files,
    value_files,
    empty_and_binary_files,
    huge_and_injection_files,
    spreadsheet_files,
    attack_files,
)


def markdown_table(manifest: Manifest) -> str:
    """The manifest as the README's table: file, outcome, what must be said."""
    lines = ["| File | Outcome | Rows in = out | Message or notes checked |", "|---|---|---|---|"]
    for name, expected in sorted(manifest.items()):
        if expected["outcome"] == "refused":
            said = f"exit 2 / HTTP 422: `{expected['message']}`"
            rows = "-"
        else:
            said = "; ".join(f"`{n}`" for n in expected["notes"]) or str(
                expected.get("describes", "")
            )
            rows = str(expected["rows"])
        lines.append(f"| `{name}` | {expected['outcome']} | {rows} | {said} |")
    return "\n".join(lines)


def main() -> None:
    if "--table" in sys.argv:
        print(markdown_table(json.loads((HERE / "expected.json").read_text())))
        return
    manifest: Manifest = {}
    for group in GROUPS:
        for name, data in group(manifest).items():
            (HERE / name).write_bytes(data)
    missing = [name for name in manifest if not (HERE / name).is_file() and name not in STATIC]
    assert not missing, missing
    (HERE / "expected.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    print(f"{len(manifest)} files written to {HERE}")


if __name__ == "__main__":
    main()
