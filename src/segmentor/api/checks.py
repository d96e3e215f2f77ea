"""The market checks of the API's grouped batches, run behind the responses.

A JSON request's rows join its client's batch of the day, and that batch keeps the market
check of its latest request of 20 rows or more. The check trains five small classifiers
(about a second of one core); it used to run inside each request, which made it 90 % of a
1000-row request. Here one thread runs the checks, and a check waits until its batch has had
no request for :data:`QUIET_SECONDS` (under continuous traffic, no longer than
:data:`MAX_DELAY_SECONDS` after the first request it waits for). A newer request of the same
batch replaces a waiting check: the batch still ends with the check of its latest request, a
moment after the last response, and a busy client pays for one check per quiet spell (or per
half minute) instead of one per request. Nothing is dropped: :meth:`LatestChecks.flush` and
:meth:`LatestChecks.close` run what is waiting at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from segmentor.analysis.drift import record_batch_check
from segmentor.analysis.market import MIN_COMPARED
from segmentor.io.store import Store
from segmentor.ml.trained import TrainedModel

log = logging.getLogger("segmentor.api.checks")

# Four clients sending 1000-row requests kept the worker checking back to back, a core's
# worth of classifiers beside the requests; waiting for a quiet spell frees it.
QUIET_SECONDS = 1.0
MAX_DELAY_SECONDS = 30.0


@dataclass(frozen=True)
class _Waiting:
    records: Sequence[Mapping[str, object]]
    source: str
    first: float  # time.monotonic() of the first request this batch's check waits for
    last: float  # ... and of the latest

    def due(self, quiet: float, max_delay: float) -> float:
        return min(self.last + quiet, self.first + max_delay)


class LatestChecks:
    """One worker thread checking the latest request of each batch (see the module)."""

    def __init__(
        self,
        store: Store,
        model: TrainedModel,
        existing: pd.DataFrame | None,
        *,
        quiet: float = QUIET_SECONDS,
        max_delay: float = MAX_DELAY_SECONDS,
    ) -> None:
        self._store, self._model = store, model
        self.existing = existing  # the reference customers; None: no check can run
        self._quiet, self._max_delay = quiet, max_delay
        self._pending: dict[int, _Waiting] = {}
        self._running = 0
        self._urgent = 0  # flushes waiting: run everything now
        self._closed = False
        self._changed = threading.Condition()
        self._worker: threading.Thread | None = None

    def submit(self, batch_id: int, records: Sequence[Mapping[str, object]], source: str) -> None:
        """Check a request's ``records`` (its customers, as sent) for ``batch_id`` after a
        quiet spell, replacing a waiting check of that batch. Their table is built by the
        worker, not in the request."""
        if len(records) < MIN_COMPARED or self.existing is None:
            return  # nothing to judge (record_batch_check would say the same)
        now = time.monotonic()
        with self._changed:
            if self._closed:
                raise RuntimeError("the market checks are closed")
            earlier = self._pending.get(batch_id)
            first = now if earlier is None else earlier.first
            self._pending[batch_id] = _Waiting(records, source, first, now)
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="market-checks", daemon=True)
                self._worker.start()
            self._changed.notify_all()

    def flush(self) -> None:
        """Run every waiting check now, and wait until they are stored."""
        with self._changed:
            self._urgent += 1
            self._changed.notify_all()
            try:
                self._changed.wait_for(lambda: not self._pending and not self._running)
            finally:
                self._urgent -= 1

    def close(self) -> None:
        """Run what is waiting, then stop the worker."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
            worker = self._worker
        if worker is not None:
            worker.join()

    def _run(self) -> None:
        while True:
            with self._changed:
                batch_id = self._next_due()
                if batch_id is None:
                    return
                waiting = self._pending.pop(batch_id)
                self._running += 1
            try:
                raw = pd.DataFrame(list(waiting.records))
                record_batch_check(
                    self._store, batch_id, raw, waiting.source, self._model, self.existing
                )
            except Exception:  # a check must not stop the checks of the other batches
                log.exception("market check of batch %d failed", batch_id)
            finally:
                with self._changed:
                    self._running -= 1
                    self._changed.notify_all()

    def _next_due(self) -> int | None:
        """Wait (holding the condition) for a check that is due; None: closed, none left."""
        while True:
            if not self._pending:
                if self._closed:
                    return None
                self._changed.wait()
                continue
            batch_id, waiting = min(
                self._pending.items(), key=lambda item: item[1].due(self._quiet, self._max_delay)
            )
            if self._closed or self._urgent:
                return batch_id
            delay = waiting.due(self._quiet, self._max_delay) - time.monotonic()
            if delay <= 0:
                return batch_id
            self._changed.wait(delay)
