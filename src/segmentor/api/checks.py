"""The market checks of the API's grouped batches, run behind the responses.

A JSON request's rows join its client's batch of the day, and that batch keeps the market
check of its latest request of 20 rows or more. The check trains five small classifiers
(about a second); it used to run inside each request, which made it 90 % of a 1000-row
request. Here one thread runs the checks, and a request whose check has not started yet when
a newer request of the same batch arrives is superseded: the batch still ends with the check
of its latest request, a moment after the response, and a busy client pays for one check at
a time instead of one per request. Nothing is dropped on shutdown: :meth:`close` runs what
is pending.
"""

from __future__ import annotations

import logging
import threading

import pandas as pd

from segmentor.analysis.drift import record_batch_check
from segmentor.analysis.market import MIN_COMPARED
from segmentor.io.store import Store
from segmentor.ml.trained import TrainedModel

log = logging.getLogger("segmentor.api.checks")


class LatestChecks:
    """One worker thread checking the latest request of each batch (see the module)."""

    def __init__(self, store: Store, model: TrainedModel, existing: pd.DataFrame | None) -> None:
        self._store, self._model = store, model
        self.existing = existing  # the reference customers; None: no check can run
        self._pending: dict[int, tuple[pd.DataFrame, str]] = {}
        self._running = 0
        self._closed = False
        self._changed = threading.Condition()
        self._worker: threading.Thread | None = None

    def submit(self, batch_id: int, raw: pd.DataFrame, source: str) -> None:
        """Check ``raw`` for ``batch_id`` soon, replacing a pending check of that batch."""
        if len(raw) < MIN_COMPARED or self.existing is None:
            return  # nothing to judge (record_batch_check would say the same)
        with self._changed:
            if self._closed:
                raise RuntimeError("the market checks are closed")
            self._pending[batch_id] = (raw, source)
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="market-checks", daemon=True)
                self._worker.start()
            self._changed.notify_all()

    def flush(self) -> None:
        """Wait until every submitted check is stored."""
        with self._changed:
            self._changed.wait_for(lambda: not self._pending and not self._running)

    def close(self) -> None:
        """Run what is pending, then stop the worker."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
            worker = self._worker
        if worker is not None:
            worker.join()

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._pending or self._closed)
                if not self._pending:
                    return
                batch_id, (raw, source) = next(iter(self._pending.items()))
                del self._pending[batch_id]
                self._running += 1
            try:
                record_batch_check(self._store, batch_id, raw, source, self._model, self.existing)
            except Exception:  # a check must not stop the checks of the other batches
                log.exception("market check of batch %d failed", batch_id)
            finally:
                with self._changed:
                    self._running -= 1
                    self._changed.notify_all()
