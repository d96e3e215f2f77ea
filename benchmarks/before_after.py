"""Whole-process `segmentor predict` before and after a change, in one run, on one file.

"Before" is another source tree of this package (e.g. a git worktree of an older commit) with
a model it can load; "after" is this tree with its model. Both run beside the hand-written
read / one LightGBM booster / write script of ``benchmarks/throughput.py``:

    git worktree add --detach /tmp/before fae644a
    PYTHONPATH=src:benchmarks .venv/bin/python benchmarks/before_after.py \\
        --before-src /tmp/before/src --before-model OLD_MODEL --model NEW_MODEL \\
        --reference-model OLD_MODEL --rows 1000000 [--api-requests 300 [--api-workers 2]]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from throughput import HAND_WRITTEN, Run, api_rows, run_measured, write_prospects

AFTER_SRC = Path(__file__).resolve().parents[1] / "src"
# The console script's entry point, run by this interpreter with PYTHONPATH chosen per tree.
PREDICT = "import sys; sys.argv[0] = 'segmentor'; from segmentor.cli import main; main()"


def tree_command(source_tree: Path) -> tuple[list[str], dict[str, str]]:
    """The `segmentor` command run from ``source_tree``, and its environment."""
    return [sys.executable, "-c", PREDICT], {**os.environ, "PYTHONPATH": str(source_tree)}


def predict(source_tree: Path, model: Path, prospects: Path, out: Path) -> Run:
    segmentor, env = tree_command(source_tree)
    command = [*segmentor, "predict", str(prospects), "--model", str(model), "--out", str(out)]
    return run_measured(command, env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before-src", type=Path, required=True, help="the older src/ tree")
    parser.add_argument("--before-model", type=Path, required=True, help="a model it loads")
    parser.add_argument("--model", type=Path, required=True, help="this tree's model")
    parser.add_argument("--reference-model", type=Path, required=True, help="booster source")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--api-requests", type=int, default=0, help="also time each tree's API (0: not)"
    )
    parser.add_argument(
        "--skip-predict", action="store_true", help="the API only (--rows: its prospects)"
    )
    parser.add_argument(
        "--api-workers",
        type=int,
        default=1,
        help="also time this tree's API served by that many processes (serve --workers)",
    )
    parser.add_argument(
        "--api-rounds",
        type=int,
        default=1,
        help="time the servers this many times, in turn (before, after, after, before, ...): "
        "one table per round, so that the machine's drift shows and falls on both trees",
    )
    args = parser.parse_args()
    runs: dict[str, Run] = {}
    rounds: list[dict[str, list[tuple[str, ...]]]] = []
    work = Path(tempfile.mkdtemp(prefix="segmentor-before-after-"))
    try:
        prospects = work / "prospects.csv"
        write_prospects(prospects, args.rows, seed=0)
        if not args.skip_predict:
            hand_written = [sys.executable, "-c", HAND_WRITTEN, str(prospects)]
            runs["hand"] = run_measured(
                [*hand_written, str(args.reference_model), str(work / "hand.csv")]
            )
            runs["before"] = predict(
                args.before_src, args.before_model, prospects, work / "before.csv"
            )
            runs["after"] = predict(AFTER_SRC, args.model, prospects, work / "after.csv")
        servers = [
            ("before", args.before_src, args.before_model, ()),
            ("after", AFTER_SRC, args.model, ()),
        ]
        if args.api_workers > 1:
            workers = f"after, --workers {args.api_workers}"
            servers.append((workers, AFTER_SRC, args.model, ("--workers", str(args.api_workers))))
        for round_index in range(args.api_rounds if args.api_requests else 0):
            order = servers if round_index % 2 == 0 else servers[::-1]
            timed = {
                name: api_rows(
                    model, prospects, work, args.api_requests, *tree_command(tree), options
                )
                for name, tree, model, options in order
            }
            rounds.append({name: timed[name] for name, *_ in servers})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if runs:
        _print_predict_runs(runs, args.rows)
    for round_index, api in enumerate(rounds, start=1):
        title = f"API, round {round_index} of {len(rounds)}" if len(rounds) > 1 else "API"
        print(f"\n| {title} | {' | '.join(api)} |\n| --- |{' --- |' * len(api)}")
        for measures in zip(*api.values(), strict=True):
            figures = " | ".join(" / ".join(measure[1:3]) for measure in measures)
            print(f"| {measures[0][0]} | {figures} |")


def _print_predict_runs(runs: dict[str, Run], n_rows: int) -> None:
    hand, before, after = runs["hand"], runs["before"], runs["after"]
    print("| run | time | rows/s | peak RSS | ratio |")
    print("| --- | --- | --- | --- | --- |")
    for name, run, ratio in (
        ("hand-written read / one booster / write", hand, "reference"),
        ("segmentor predict, before", before, f"{hand.seconds / before.seconds:.2f} x hand"),
        (
            "segmentor predict, after",
            after,
            f"{hand.seconds / after.seconds:.2f} x hand, "
            f"{before.seconds / after.seconds:.1f} x before",
        ),
    ):
        print(
            f"| {name} | {run.seconds:.1f} s | {n_rows / run.seconds:,.0f} "
            f"| {run.peak_rss_mb:,.0f} MB | {ratio} |"
        )


if __name__ == "__main__":
    main()
