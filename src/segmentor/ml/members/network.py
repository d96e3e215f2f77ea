"""The network member: the seed bag of :mod:`segmentor.ml.network` behind the member protocol."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from segmentor.ml.features import PreparedFeatures
from segmentor.ml.network import NetworkMember, NetworkParams, fit_network_member


@dataclass(frozen=True)
class NetworkBag:
    """The networks read their own encoding of the coerced attributes."""

    member: NetworkMember
    # BLAS threads for the forward pass; None: the library's default (one per core).
    blas_threads: int | None = None
    # Threads sharing the seeds' forward passes of a large batch (each on one BLAS thread).
    workers: int = 1

    def raw_scores(self, prepared: PreparedFeatures) -> np.ndarray:
        with threadpool_limits(self.blas_threads, user_api="blas"):
            return self.member.raw_scores(prepared.features, self.workers)

    def contributions(self, prepared: PreparedFeatures) -> tuple[np.ndarray, np.ndarray]:
        with threadpool_limits(self.blas_threads, user_api="blas"):
            values, bias = self.member.shapley(prepared.features, self.workers)
        return values, np.broadcast_to(bias, (len(values), len(bias)))

    def compiled(self, cache_dir: Path | None) -> NetworkBag:
        """One BLAS thread per product: the products are 256 x 128 blocks, for which
        OpenBLAS's threads cost far more in hand-offs than they save (12x on a busy 2-core
        machine; the same bits, since the block shape is fixed). The cores share the seeds
        instead (one thread per core, the same bits again)."""
        return NetworkBag(self.member, blas_threads=1, workers=os.cpu_count() or 1)

    def to_state(self) -> bytes:
        return self.member.to_bytes()

    @classmethod
    def from_state(cls, blob: bytes) -> NetworkBag:
        return cls(NetworkMember.from_bytes(blob))


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
