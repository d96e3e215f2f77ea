"""Every option of every command changes what it says it changes.

:data:`OPTION_TESTS` names, for each option of ``segmentor`` and ``sereadipity``, the test
that shows its effect; the first test fails when a command gains an option that no test
covers, or when a named test does not exist.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from segmentor.cli import app as segmentor_cli
from segmentor.cli import serve as serve_module
from segmentor.cli import webapp
from sereadipity.cli import app as sereadipity_cli

runner = CliRunner()
TESTS = Path(__file__).resolve().parents[1]

# command, option, then the file::test that shows the option's effect.
OPTION_TABLE = """
segmentor train --data             test_cli.py::test_train_saves_a_model_with_its_card
segmentor train --model            test_cli.py::test_train_saves_a_model_with_its_card
segmentor train --folds            test_cli.py::test_train_saves_a_model_with_its_card
segmentor train --cv               test_options.py::test_train_no_cv_keeps_the_calibration_cv
segmentor predict --model            test_options.py::test_predict_model_uses_that_model
segmentor predict --out              test_cli.py::test_predict_reads_and_writes_other_formats
segmentor predict --no-known         test_cli.py::test_default_output_is_beside_the_input
segmentor predict --save             test_history_cli.py::test_history_lists_and_exports
segmentor predict --engine           test_engines.py::test_predict_with_dask_needs_an_output_folder
segmentor predict --workers          test_faults.py::test_dask_run_stopped_by_sigterm_removes_its_parts_folder
segmentor predict --scheduler        test_options.py::test_predict_scheduler_is_the_one_reached
segmentor evaluate --data             test_cli.py::test_evaluate_reports_the_model_beside_the_baselines
segmentor evaluate --repeats          test_cli.py::test_evaluate_reports_the_model_beside_the_baselines
segmentor check-market --model            test_options.py::test_check_market_model_and_json
segmentor check-market --json             test_options.py::test_check_market_model_and_json
segmentor check-market --lang             test_market.py::test_check_market_command_json_and_french
segmentor serve --host             test_options.py::test_serve_options_reach_the_server
segmentor serve --port             test_options.py::test_serve_options_reach_the_server
segmentor serve --no-auth          test_options.py::test_serve_options_reach_the_server
segmentor serve --model            test_options.py::test_serve_options_reach_the_server
segmentor serve --workers          test_api.py::test_a_real_server_with_two_workers_keeps_one_batch
segmentor app --port             test_options.py::test_app_options_reach_streamlit
segmentor app --lang             test_options.py::test_app_options_reach_streamlit
segmentor app --model            test_options.py::test_app_options_reach_streamlit
segmentor history --limit            test_options.py::test_history_limit_shows_the_newest
segmentor history export --out              test_history_cli.py::test_history_lists_and_exports
segmentor history export --segment          test_history_cli.py::test_history_lists_and_exports
segmentor feedback import --who     test_learning.py::test_feedback_from_a_file_gives_the_live_accuracy_of_the_model
segmentor models promote --who      test_learning.py::test_promote_by_name_and_unknown_versions
segmentor models rollback --who     test_learning.py::test_a_challenger_that_learned_the_shifted_market_is_promoted_then_rolled_back
segmentor retrain --data            test_learning.py::test_a_challenger_that_learned_the_shifted_market_is_promoted_then_rolled_back
segmentor retrain --weight          test_learning.py::test_a_challenger_that_learned_the_shifted_market_is_promoted_then_rolled_back
segmentor retrain --dry-run         test_learning.py::test_a_challenger_that_learned_the_shifted_market_is_promoted_then_rolled_back
segmentor retrain --who             test_learning.py::test_a_challenger_that_learned_the_shifted_market_is_promoted_then_rolled_back
segmentor retrain --folds           test_learning.py::test_too_little_feedback_is_refused_and_the_champion_stays
segmentor drift --limit             test_learning.py::test_drift_shows_each_batch_over_time
segmentor drift --json              test_learning.py::test_drift_shows_each_batch_over_time
segmentor history --offset           test_history_record.py::test_history_says_what_the_page_hides
segmentor predict --accept-unknown   test_verdict.py::test_predict_exits_2_unless_unknown_values_are_accepted
segmentor predict --coverage         test_options.py::test_predict_coverage_sizes_the_prediction_sets
segmentor outreach --campaign        test_review_playbooks.py::test_a_playbook_is_versioned_and_seen_in_the_crm_lists
segmentor outreach --format          test_review_playbooks.py::test_a_playbook_is_versioned_and_seen_in_the_crm_lists
segmentor outreach --segment         test_review_playbooks.py::test_a_playbook_is_versioned_and_seen_in_the_crm_lists
segmentor outreach --lang            test_review_playbooks.py::test_a_french_generic_export
segmentor outreach --prospects       test_review_playbooks.py::test_a_french_generic_export
segmentor outreach --state           test_review_playbooks.py::test_a_review_is_stored_and_used_in_every_export
segmentor outreach --out             test_review_playbooks.py::test_a_review_is_stored_and_used_in_every_export
segmentor outreach --model           test_options.py::test_outreach_model_is_the_one_that_explains
segmentor playbook edit --author     test_review_playbooks.py::test_a_playbook_is_versioned_and_seen_in_the_crm_lists
segmentor playbook edit --products   test_options.py::test_playbook_edit_fields_are_stored
segmentor playbook edit --name       test_options.py::test_playbook_edit_fields_are_stored
segmentor playbook edit --persona    test_options.py::test_playbook_edit_fields_are_stored
segmentor playbook edit --message    test_options.py::test_playbook_edit_fields_are_stored
segmentor playbook edit --channel    test_options.py::test_playbook_edit_fields_are_stored
segmentor playbook export --out      test_review_playbooks.py::test_a_playbook_is_versioned_and_seen_in_the_crm_lists
segmentor playbook import --author   test_review_playbooks.py::test_a_playbook_is_versioned_and_seen_in_the_crm_lists
segmentor review export --out        test_review_playbooks.py::test_a_review_is_stored_and_used_in_every_export
segmentor review export --all        test_options.py::test_review_export_all_keeps_the_reviewed_rows
segmentor review import --reviewer   test_review_playbooks.py::test_a_review_is_stored_and_used_in_every_export
segmentor predict --mapping          test_mapping.py::test_a_yaml_mapping_reads_a_crm_export
segmentor predict --sheet            test_options.py::test_predict_sheet_and_header_row_choose_where_the_table_is
segmentor predict --header-row       test_options.py::test_predict_sheet_and_header_row_choose_where_the_table_is
segmentor check-market --mapping     test_options.py::test_check_market_reads_with_mapping_sheet_and_header_row
segmentor check-market --sheet       test_options.py::test_check_market_reads_with_mapping_sheet_and_header_row
segmentor check-market --header-row  test_options.py::test_check_market_reads_with_mapping_sheet_and_header_row
sereadipity recommend --weights          test_sereadipity_options.py::test_weights_option_changes_the_order
sereadipity recommend --top              test_sereadipity_cli.py::test_json_output_has_the_documented_shape
sereadipity recommend --same-author-max  test_sereadipity_options.py::test_same_author_max_caps_an_author
sereadipity recommend --json             test_sereadipity_cli.py::test_json_output_has_the_documented_shape
sereadipity recommend --catalog          test_sereadipity_cli.py::test_json_output_has_the_documented_shape
sereadipity recommend --cache-dir        test_sereadipity_cli.py::test_json_output_has_the_documented_shape
sereadipity books --catalog          test_sereadipity_cli.py::test_books_lists_and_searches
"""
OPTION_TESTS = {
    (" ".join(words[:-2]), words[-2]): words[-1]
    for words in (line.split() for line in OPTION_TABLE.strip().splitlines())
}


def _options(command: Any, path: str) -> list[tuple[str, str]]:
    found = []
    for name, sub in (getattr(command, "commands", None) or {}).items():
        found += _options(sub, f"{path} {name}")
    for parameter in command.params:
        if getattr(parameter, "param_type_name", "") == "option" and "--help" not in parameter.opts:
            found.append((path, parameter.opts[0]))
    return found


def test_every_option_has_a_test_that_shows_its_effect() -> None:
    options = _options(typer.main.get_command(segmentor_cli), "segmentor")
    options += _options(typer.main.get_command(sereadipity_cli), "sereadipity")
    assert sorted(set(options)) == sorted(OPTION_TESTS)
    for target in set(OPTION_TESTS.values()):
        file, test = target.split("::")
        sources = list(TESTS.rglob(file))
        assert sources and f"def {test}(" in sources[0].read_text(), f"no test {target}"


def test_train_no_cv_keeps_the_calibration_cv(tmp_path: Path, train_path: Path) -> None:
    data = tmp_path / "train.csv"
    pd.read_csv(train_path).sample(600, random_state=2).to_csv(data, index=False)
    model_dir = tmp_path / "model"
    command = ["train", "--data", str(data), "--model", str(model_dir), "--no-cv"]
    result = runner.invoke(segmentor_cli, command)
    assert result.exit_code == 0, result.output
    assert "fold CV" not in result.output
    card = json.loads((model_dir / "model_card.json").read_text())
    assert card["rows"] == 600
    # no model ships without a measured accuracy: the 5 calibration fits are a 5-fold CV
    assert card["cv"]["folds"] == 5 and 0.25 < card["cv"]["accuracy_mean"] < 0.75
    assert card["cv"]["log_loss_mean"] > 0


def test_predict_model_uses_that_model(
    segmentor_home: Path, trained_model_dir: Path, prospects_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    missing = runner.invoke(
        segmentor_cli, ["predict", str(prospects_path), "--model", str(tmp_path / "none")]
    )
    assert missing.exit_code == 2 and "no trained model in this folder" in missing.output
    command = ["predict", str(prospects_path), "--model", str(trained_model_dir), "--out", str(out)]
    result = runner.invoke(segmentor_cli, command)
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(out)) == 2627


def test_predict_scheduler_is_the_one_reached(
    segmentor_home: Path, prospects_path: Path, tmp_path: Path
) -> None:
    address = "tcp://127.0.0.1:9"  # the discard port: nothing listens there
    command = [
        "predict", str(prospects_path), "--engine", "dask", "--scheduler", address,
        "--out", str(tmp_path / "parts"),
    ]  # fmt: skip
    result = runner.invoke(segmentor_cli, command)
    assert result.exit_code == 2, result.output
    assert "cannot reach the Dask scheduler" in result.output and address in result.output


def test_check_market_model_and_json(
    segmentor_home: Path, trained_model_dir: Path, prospects_path: Path, tmp_path: Path
) -> None:
    missing = runner.invoke(
        segmentor_cli, ["check-market", str(prospects_path), "--model", str(tmp_path / "none")]
    )
    assert missing.exit_code == 2
    command = ["check-market", str(prospects_path), "--model", str(trained_model_dir), "--json"]
    result = runner.invoke(segmentor_cli, command)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["known_excluded"] == 2332


def test_serve_options_reach_the_server(
    segmentor_home: Path, trained_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: dict[str, Any] = {}

    def run(api: Any, *, host: str, port: int, log_level: str) -> None:
        served.update(api=api, host=host, port=port)

    monkeypatch.setattr(serve_module.uvicorn, "run", run)
    command = ["serve", "--host", "127.0.0.2", "--port", "8123", "--no-auth"]
    result = runner.invoke(segmentor_cli, [*command, "--model", str(trained_model_dir)])
    assert result.exit_code == 0, result.output
    assert (served["host"], served["port"]) == ("127.0.0.2", 8123)
    from fastapi.testclient import TestClient

    with TestClient(served["api"]) as client:  # --no-auth: no key needed
        answer = client.get("/model")
    assert answer.status_code == 200
    card = json.loads((trained_model_dir / "model_card.json").read_text())
    assert answer.json()["created"] == card["created"]


class _FinishedProcess:
    def wait(self) -> int:
        return 0


def test_app_options_reach_streamlit(
    segmentor_home: Path, trained_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    launched: dict[str, Any] = {}

    def popen(command: list[str], env: dict[str, str]) -> _FinishedProcess:
        launched.update(command=command, env=env)
        return _FinishedProcess()

    monkeypatch.setattr(webapp.subprocess, "Popen", popen)
    monkeypatch.setattr(threading.Thread, "start", lambda self: None)  # no warm-up probe
    command = ["app", "--port", "8642", "--lang", "fr", "--model", str(trained_model_dir)]
    result = runner.invoke(segmentor_cli, command)
    assert result.exit_code == 0, result.output
    line = launched["command"]
    assert line[line.index("--server.port") + 1] == "8642"
    assert launched["env"]["SEGMENTOR_LANG"] == "fr"
    assert launched["env"]["SEGMENTOR_MODEL_DIR"] == str(trained_model_dir)


def test_history_limit_shows_the_newest(
    segmentor_home: Path, prospects_path: Path, tmp_path: Path
) -> None:
    prospects = pd.read_csv(prospects_path, dtype=str)
    for start in (0, 5, 10):  # three different files: identical content is stored once
        small = tmp_path / f"few{start}.csv"
        prospects.iloc[start : start + 5].to_csv(small, index=False)
        saved = runner.invoke(segmentor_cli, ["predict", str(small), "--save"])
        assert saved.exit_code == 0, saved.output
    everything = runner.invoke(segmentor_cli, ["history"])
    newest = runner.invoke(segmentor_cli, ["history", "--limit", "1"])
    assert everything.exit_code == newest.exit_code == 0
    assert _batch_ids(everything.output) == [3, 2, 1]
    assert _batch_ids(newest.output) == [3]


def _batch_ids(table: str) -> list[int]:
    return [int(match) for match in re.findall(r"^│\s+(\d+) │", table, flags=re.M)]


@pytest.fixture
def small_batch(segmentor_home: Path, prospects_path: Path, tmp_path: Path) -> int:
    """300 prospects scored by the model (no known-customer matching) and saved as batch 1."""
    small = tmp_path / "prospects300.csv"
    pd.read_csv(prospects_path, dtype=str).head(300).to_csv(small, index=False)
    command = ["predict", str(small), "--no-known", "--save", "--out", str(tmp_path / "s.csv")]
    result = runner.invoke(segmentor_cli, command)
    assert result.exit_code == 0, result.output
    return 1


def test_predict_coverage_sizes_the_prediction_sets(
    segmentor_home: Path, prospects_path: Path, tmp_path: Path
) -> None:
    def mean_set_size(coverage: str) -> float:
        out = tmp_path / f"sets-{coverage}.csv"
        command = ["predict", str(prospects_path), "--no-known", "--coverage", coverage]
        result = runner.invoke(segmentor_cli, [*command, "--out", str(out)])
        assert result.exit_code == 0, result.output
        return pd.read_csv(out, dtype=str)["Segment_Set"].str.split("|").str.len().mean()

    assert mean_set_size("0.5") < mean_set_size("0.95")


def test_playbook_edit_fields_are_stored(small_batch: int, tmp_path: Path) -> None:
    fields = {
        "--name": "Family upgraders",
        "--persona": "Married, two children",
        "--message": "Room for everyone",
        "--channel": "phone",
        "--products": "P3,P1",
    }
    command = ["playbook", "edit", "B", "--author", "Claire"]
    for option, value in fields.items():
        command += [option, value]
    result = runner.invoke(segmentor_cli, command)
    assert result.exit_code == 0, result.output
    exported = tmp_path / "playbooks.yaml"
    assert (
        runner.invoke(segmentor_cli, ["playbook", "export", "--out", str(exported)]).exit_code == 0
    )
    text = exported.read_text()
    for value in ("Family upgraders", "Married, two children", "Room for everyone", "phone"):
        assert value in text
    assert re.search(r"products:\s*\[?\s*'?P3'?,\s*'?P1", text) or "- P3\n" in text


def test_review_export_all_keeps_the_reviewed_rows(small_batch: int, tmp_path: Path) -> None:
    def queue(*options: str) -> pd.DataFrame:
        out = tmp_path / f"queue{len(options)}.csv"
        result = runner.invoke(
            segmentor_cli, ["review", "export", str(small_batch), "--out", str(out), *options]
        )
        assert result.exit_code == 0, result.output
        return pd.read_csv(out, dtype=str, keep_default_na=False)

    first = queue()
    assert len(first) > 1
    chosen = first.head(1).copy()
    chosen["Chosen_Segment"] = chosen["Segment_Set"].str.split("|").str[0]
    reviewed = tmp_path / "chosen.csv"
    chosen.to_csv(reviewed, index=False)
    imported = runner.invoke(
        segmentor_cli, ["review", "import", str(reviewed), "--reviewer", "Ann"]
    )
    assert imported.exit_code == 0, imported.output
    assert len(queue()) == len(first) - 1
    assert len(queue("--all")) == len(first)


def test_outreach_model_is_the_one_that_explains(
    small_batch: int, trained_model_dir: Path, prospects_path: Path, tmp_path: Path
) -> None:
    small = tmp_path / "prospects300.csv"
    base = ["outreach", str(small_batch), "--prospects", str(small), "--out"]
    missing = runner.invoke(
        segmentor_cli, [*base, str(tmp_path / "a.csv"), "--model", str(tmp_path / "none")]
    )
    assert missing.exit_code == 2 and "no trained model" in missing.output
    chosen = runner.invoke(
        segmentor_cli, [*base, str(tmp_path / "b.csv"), "--model", str(trained_model_dir)]
    )
    assert chosen.exit_code == 0, chosen.output
    assert len(pd.read_csv(tmp_path / "b.csv", dtype=str)) == 300


def _titled_workbook(prospects_path: Path, target: Path) -> None:
    """A workbook whose first sheet is a cover page and whose second has two title lines."""
    frame = pd.read_csv(prospects_path, dtype=str).head(40)
    with pd.ExcelWriter(target) as writer:
        pd.DataFrame({"Note": ["Prospects of the north region"]}).to_excel(
            writer, sheet_name="Cover", index=False
        )
        pd.DataFrame([["Export of 3 December"], [""]]).to_excel(
            writer, sheet_name="Data", index=False, header=False
        )
        frame.to_excel(writer, sheet_name="Data", index=False, startrow=2)


def test_predict_sheet_and_header_row_choose_where_the_table_is(
    segmentor_home: Path, prospects_path: Path, tmp_path: Path
) -> None:
    workbook = tmp_path / "north.xlsx"
    _titled_workbook(prospects_path, workbook)
    out = tmp_path / "north.csv"
    command = ["predict", str(workbook), "--sheet", "Data", "--header-row", "3", "--out", str(out)]
    result = runner.invoke(segmentor_cli, command)
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(out)) == 40
    wrong = runner.invoke(segmentor_cli, [*command[:-2], "--sheet", "Cover", "--out", str(out)])
    assert wrong.exit_code == 2


def test_check_market_reads_with_mapping_sheet_and_header_row(
    segmentor_home: Path, prospects_path: Path, tmp_path: Path
) -> None:
    workbook = tmp_path / "north.xlsx"
    _titled_workbook(prospects_path, workbook)
    read = ["--sheet", "Data", "--header-row", "3", "--json"]
    result = runner.invoke(segmentor_cli, ["check-market", str(workbook), *read])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"] == 40
    renamed = tmp_path / "renamed.csv"
    pd.read_csv(prospects_path, dtype=str).head(40).rename(columns={"Age": "Annees"}).to_csv(
        renamed, index=False
    )
    mapping = tmp_path / "m.yaml"
    mapping.write_text("name: m\ncolumns:\n  Age: Annees\n", encoding="utf-8")
    mapped = runner.invoke(
        segmentor_cli, ["check-market", str(renamed), "--mapping", str(mapping), "--json"]
    )
    assert mapped.exit_code == 0, mapped.output
