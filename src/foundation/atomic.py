"""Write a file atomically: readers see the old file or the whole new one, never half.

The temporary is written beside the target and renamed over it. Temporaries are named
after the host and the process, so a run killed by SIGKILL (which no handler sees) has its
leftover removed by the next write of the same target.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from foundation.errors import UserError

DEFAULT_FIX = "free some disk space or choose another --out location"

# Temporary outputs are named ".<target name>.<host>.<pid>.<random>.tmp": the owner is known,
# so a run killed by SIGKILL (which no handler sees) has its leftover removed by the next run.
_HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"


def temporary_prefix(target: Path) -> str:
    """The name prefix of this process's temporaries for ``target`` (add a random part, .tmp)."""
    return f".{target.name}.{_HOST}.{os.getpid()}."


def remove_stale_temporaries(target: Path) -> None:
    """Remove the temporaries of ``target`` left by dead processes of this host.

    Only names of the exact pattern of :func:`temporary_prefix` are touched, and only when
    their process is gone: a live writer's temporary, or another host's, is left alone.
    """
    pattern = re.compile(
        rf"\.{re.escape(target.name)}\.{re.escape(_HOST)}\.(?P<pid>[0-9]+)\.[a-z0-9_]+\.tmp"
    )
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is not None and not _process_alive(int(match["pid"])):
            _remove(entry)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process (or a pid we cannot check): not ours to judge
    return True


def _remove(entry: os.DirEntry[str]) -> None:
    """Remove a regular file or a real folder (never follow a symlink); skip on any error."""
    with contextlib.suppress(OSError):
        mode = entry.stat(follow_symlinks=False).st_mode
        if stat.S_ISREG(mode):
            os.unlink(entry.path)
        elif stat.S_ISDIR(mode):
            shutil.rmtree(entry.path)


def atomic_write(target: Path, write: Callable[[Path], object], *, fix: str = DEFAULT_FIX) -> None:
    """Run ``write(temporary)`` beside ``target``, then rename: readers see old or whole new.

    Stale temporaries of ``target`` left by killed runs are removed first.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(target)
        handle, name = tempfile.mkstemp(
            dir=target.parent, prefix=temporary_prefix(target), suffix=".tmp"
        )
    except OSError as error:
        raise _cannot_write(target, error, fix) from None
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except OSError as error:
        raise _cannot_write(target, error, fix) from None
    finally:
        temporary.unlink(missing_ok=True)


def _mode_for(target: Path) -> int:
    """The permissions ``target`` would get if written in place: its own when it exists, else
    the usual 0o666 less the umask (mkstemp makes temporaries 0o600, private to the owner)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _umask() -> int:
    try:  # Linux reports it without changing it
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def _cannot_write(target: Path, error: OSError, fix: str) -> UserError:
    problem = f"cannot write the output ({error.strerror or error})"
    return UserError(problem, file=str(target), fix=fix)
