"""The command end to end, on the 20-book catalogue with the real model."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sereadipity.cli import app
from sereadipity.recommend import Recommender

runner = CliRunner()


@pytest.fixture(scope="module")
def base(recommender: Recommender, small_catalog_path: Path, cache_dir: Path) -> list[str]:
    """Options pointing at the fixture catalogue; ``recommender`` has warmed the cache."""
    return ["--catalog", str(small_catalog_path), "--cache-dir", str(cache_dir)]


def test_json_output_has_the_documented_shape(base: list[str]) -> None:
    result = runner.invoke(app, ["recommend", "origin of species", "--json", "--top", "3", *base])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert list(payload) == ["recommendations"]
    assert len(payload["recommendations"]) == 3
    for item in payload["recommendations"]:
        assert {"title", "author", "score", "components"} <= set(item)
        assert set(item["components"]) == {"synopsis", "genre", "period", "award"}
        assert all(0 <= v <= 1 for v in [item["score"], *item["components"].values()])


def test_table_shows_ranks_titles_and_components(base: list[str]) -> None:
    result = runner.invoke(app, ["recommend", "Dracula", "Moby", "--top", "4", *base])
    assert result.exit_code == 0, result.output
    for header in ("Title", "Author", "Years", "Score", "Synopsis", "Genre", "Period", "Award"):
        assert header in result.stdout
    assert "Because you enjoyed: Dracula, Moby Dick" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["recommend", "Zorblax Quux"], "no book matches"),
        (["recommend", "Pride", "--weights", "synopsis=0,genre=0"], "all weights are zero"),
        (["recommend", "Pride", "--weights", "plot=5"], "bad weight|unknown criterion"),
        (["recommend", "The", "--weights", "genre=3"], "matches"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(
    base: list[str], args: list[str], message: str
) -> None:
    result = runner.invoke(app, [*args, *base])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sereadipity: error: ")
    assert "Traceback" not in result.stderr
    import re

    assert re.search(message, lines[0])


def test_bad_catalogue_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("title\nA\n")
    result = runner.invoke(app, ["recommend", "A", "--catalog", str(bad)])
    assert result.exit_code == 2
    assert str(bad) in result.stderr and "missing columns" in result.stderr


def test_top_out_of_range_is_a_usage_error(base: list[str]) -> None:
    assert runner.invoke(app, ["recommend", "Emma", "--top", "0", *base]).exit_code == 2


def test_books_lists_and_searches(small_catalog_path: Path) -> None:
    result = runner.invoke(app, ["books", "wells", "--catalog", str(small_catalog_path)])
    assert result.exit_code == 0
    assert "The Time Machine" in result.stdout and "Dracula" not in result.stdout
    everything = runner.invoke(app, ["books", "--catalog", str(small_catalog_path)])
    assert "20 books" in everything.stdout


def test_console_script_runs_in_a_subprocess(base: list[str]) -> None:
    script = Path(sys.executable).with_name("sereadipity")
    done = subprocess.run(
        [str(script), "recommend", "Emma", "--json", "--top", "2", *base],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["recommendations"]) == 2
