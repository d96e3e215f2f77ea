"""atomic_write's temporaries: named after their owner, and swept once their owner is dead."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from foundation.atomic import atomic_write, remove_stale_temporaries, temporary_prefix


def _dead_pid() -> int:
    """The pid of a process that has exited and been reaped."""
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    return done.pid


@pytest.fixture
def live_pid() -> Iterator[int]:
    """The pid of another process that stays alive during the test."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        yield process.pid
    finally:
        process.kill()
        process.wait()


def _temporary_of(target: Path, pid: int, random: str = "k2x_9abq") -> Path:
    """A temporary name of ``target`` as process ``pid`` of this host would make it."""
    prefix = temporary_prefix(target).removesuffix(f".{os.getpid()}.")
    return target.with_name(f"{prefix}.{pid}.{random}.tmp")


def test_temporary_names_carry_host_and_pid(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    seen: list[str] = []

    def write(temporary: Path) -> None:
        seen.append(temporary.name)
        temporary.write_text("x")

    atomic_write(target, write)
    [name] = seen
    assert re.fullmatch(rf"\.out\.csv\.[A-Za-z0-9-]+\.{os.getpid()}\.[a-z0-9_]+\.tmp", name), name
    assert target.read_text() == "x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_dead_process_temporary_file_and_folder_are_swept(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    stale_file = _temporary_of(target, _dead_pid())
    stale_file.write_text("half of an old run")
    stale_folder = _temporary_of(target, _dead_pid(), random="0f3a9c1d")
    stale_folder.mkdir()
    (stale_folder / "part.0.parquet").write_bytes(b"half")
    atomic_write(target, lambda temporary: temporary.write_text("new"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
    assert target.read_text() == "new"


def test_live_processes_and_unmatched_names_are_left_alone(tmp_path: Path, live_pid: int) -> None:
    target = tmp_path / "out.csv"
    dead = _dead_pid()
    kept = [
        _temporary_of(target, live_pid),  # another live writer of the same target
        _temporary_of(target, os.getpid()),  # this process's own
        _temporary_of(tmp_path / "other.csv", dead),  # another target
        _temporary_of(tmp_path / "out.csv.bak", dead),  # a target whose name extends ours
        tmp_path / f".out.csv.some-other-host.{dead}.k2x_9abq.tmp",  # another machine's
        tmp_path / f".out.csv.{dead}.k2x_9abq.tmp",  # no host: not our pattern
        tmp_path / ".out.csv.tmp",
        tmp_path / "out.csv.tmp",
        _temporary_of(target, dead).with_suffix(".tmp.keep"),
    ]
    for path in kept:
        path.write_text("someone's")
    remove_stale_temporaries(target)
    assert all(path.read_text() == "someone's" for path in kept)


def test_a_symlink_with_a_stale_name_is_not_followed(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("keep")
    link = _temporary_of(tmp_path / "out.csv", _dead_pid())
    link.symlink_to(precious, target_is_directory=True)
    remove_stale_temporaries(tmp_path / "out.csv")
    assert (precious / "keep.txt").read_text() == "keep"
    assert link.is_symlink()


def test_a_missing_folder_has_nothing_to_sweep(tmp_path: Path) -> None:
    remove_stale_temporaries(tmp_path / "missing" / "out.csv")


def test_a_new_output_gets_the_usual_permissions(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        atomic_write(tmp_path / "new.csv", lambda tmp: tmp.write_text("ID\n"))
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o640  # not mkstemp's 0o600


def test_a_replaced_output_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "shared.csv"
    target.write_text("old")
    target.chmod(0o664)
    atomic_write(target, lambda tmp: tmp.write_text("new"))
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o664
