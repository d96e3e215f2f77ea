"""The network member: the seed bag of :mod:`segmentor.ml.network` behind the member protocol."""

from __future__ import annotations

import os
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from threadpoolctl import ThreadpoolController

from segmentor.ml.compiled.dense import DenseBag
from segmentor.ml.features import PreparedFeatures
from segmentor.ml.network import NetworkMember, NetworkParams, fit_network_member


@dataclass(frozen=True)
class NetworkBag:
    """The networks read their own encoding of the coerced attributes."""

    member: NetworkMember
    # The compiled forward pass (segmentor.ml.compiled.dense); None: NumPy's, with BLAS.
    dense: DenseBag | None = None
    # BLAS threads for the NumPy products; None: the library's default (one per core).
    blas_threads: int | None = None
    # Threads sharing the seeds of the NumPy products (each on one BLAS thread).
    workers: int = 1

    def raw_scores(self, prepared: PreparedFeatures) -> np.ndarray:
        if self.dense is not None:
            return self.dense.mean_logits(self.member.encoding.transform(prepared.columns))
        with _blas_limit(self.blas_threads):
            return self.member.raw_scores(prepared.columns, self.workers)

    def contributions(self, prepared: PreparedFeatures) -> tuple[np.ndarray, np.ndarray]:
        with _blas_limit(self.blas_threads):
            values, bias = self.member.shapley(prepared.columns, self.workers)
        return values, np.broadcast_to(bias, (len(values), len(bias)))

    def compiled(self, cache_dir: Path | None) -> NetworkBag:
        """The forward pass compiled (row by row, no BLAS). The Shapley values keep NumPy's
        products on one BLAS thread each, the cores sharing the seeds instead (OpenBLAS's
        threads cost 12x in hand-offs on the forward pass's 256-row blocks on a busy 2-core
        machine)."""
        return NetworkBag(
            self.member,
            dense=DenseBag.of(self.member.layers),
            blas_threads=1,
            workers=os.cpu_count() or 1,
        )

    def to_state(self) -> bytes:
        return self.member.to_bytes()

    @classmethod
    def from_state(cls, blob: bytes) -> NetworkBag:
        return cls(NetworkMember.from_bytes(blob))


def _blas_limit(threads: int | None) -> AbstractContextManager[object]:
    """BLAS limited to ``threads`` for the block (None: unchanged)."""
    if threads is None:
        return nullcontext()
    return _blas_controller().limit(limits=threads, user_api="blas")


@cache
def _blas_controller() -> ThreadpoolController:
    # Finding the loaded BLAS libraries reads the process's memory map: about 10 ms, once.
    return ThreadpoolController()


def fit_network_bag(
    prepared: PreparedFeatures, labels: np.ndarray, epochs: int, seeds: int, random_state: int
) -> NetworkBag:
    member = fit_network_member(
        prepared.features,
        labels,
        NetworkParams(epochs=epochs),
        seeds=seeds,
        random_state=random_state,
    )
    return NetworkBag(member)
