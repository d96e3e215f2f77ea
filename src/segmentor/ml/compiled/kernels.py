"""One Python kernel compiled twice by Numba: on the calling thread and over the cores.

Small batches (one API request) pay more for waking Numba's thread pool than for their rows,
so each kernel has a serial twin, chosen by the batch size. The twins get their own names,
because Numba's on-disk cache (``cache=True``) keys a compiled function by its qualified name:
two dispatchers of one function would read each other's entries.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import numba

# Below this many rows a kernel runs on the calling thread.
PARALLEL_MIN_ROWS = 1024


def serial_and_parallel(kernel: Callable[..., Any]) -> tuple[Any, Any]:
    """``kernel`` compiled to run on one thread, and with its ``numba.prange`` over the cores."""
    return (
        numba.njit(cache=True, nogil=True)(_renamed(kernel, "serial")),
        numba.njit(cache=True, nogil=True, parallel=True)(_renamed(kernel, "parallel")),
    )


def pick(kernels: tuple[Any, Any], n_rows: int) -> Any:
    """The serial twin for fewer than :data:`PARALLEL_MIN_ROWS` rows, else the parallel one."""
    serial, parallel = kernels
    return parallel if n_rows >= PARALLEL_MIN_ROWS else serial


def _renamed(kernel: Callable[..., Any], suffix: str) -> Callable[..., Any]:
    twin = types.FunctionType(
        kernel.__code__, kernel.__globals__, f"{kernel.__name__}_{suffix}", kernel.__defaults__
    )
    twin.__qualname__ = f"{kernel.__qualname__}_{suffix}"
    twin.__module__ = kernel.__module__
    return twin
