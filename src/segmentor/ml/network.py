"""The neural member of the segment model: a small multilayer perceptron on encoded attributes.

Trees split the attributes into boxes; a network draws smooth boundaries through the same
space, so its errors differ from theirs and the blend gains (``docs/model.md``). Its input:

* each categorical attribute one-hot over the schema's categories, plus a "missing" column;
* each number standardised (missing as 0) with a missing indicator, and its piecewise-linear
  encoding over quantile bins of the training rows (Gorishniy et al., "On Embeddings for
  Numerical Features in Tabular Deep Learning", 2022), which lets the network bend the
  effect of Age without having to learn it from one input.

Training uses PyTorch (imported only when fitting); prediction is a NumPy forward pass, so
scoring never loads torch. :class:`NetworkMember` is persisted as ``.npz`` bytes written and
read with ``allow_pickle=False`` (plain arrays only).

Attributions are exact Shapley values over the nine attributes (each attribute's encoded
columns form one player), with the value of a coalition taken interventionally: the
attributes outside it are replaced by those of a fixed background sample of training rows
and the network's raw scores are averaged. The Shapley values of a row sum to its raw scores
minus the mean raw score over the background (the bias), as with the trees' SHAP values.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from segmentor.domain import schema
from segmentor.ml.features import CoercedColumns, category_codes

# Quantile bins of the piecewise-linear encoding per numeric attribute.
PLE_BINS: dict[str, int] = {"Age": 12, "Work_Experience": 8, "Family_Size": 6}
# Training rows that stand in for "attribute unknown" in the exact Shapley values. Their cost
# is linear in this number: 32 rows (before version 0.4: 64) bring one prospect's reasons to about
# 100 ms (docs/scale.md); the values stay exact Shapley values for that background.
N_BACKGROUND = 32
# Below this many rows a thread costs more than the forward pass it would take over.
PARALLEL_MIN_ROWS = 4096


@dataclass(frozen=True)
class NetworkParams:
    """Architecture and training of one network (two hidden layers, ReLU, dropout)."""

    hidden: int = 128
    dropout: float = 0.3
    epochs: int = 30
    batch_size: int = 128
    learning_rate: float = 2e-3
    weight_decay: float = 0.03


@dataclass(frozen=True)
class Encoding:
    """What the encoder learned from the training rows: numeric scales and bin edges."""

    means: dict[str, float]
    stds: dict[str, float]
    edges: dict[str, np.ndarray]

    @classmethod
    def fit(cls, features: pd.DataFrame) -> Encoding:
        means, stds, edges = {}, {}, {}
        for column in schema.NUMERIC:
            values = features[column].to_numpy(dtype="float64")
            known = values[~np.isnan(values)]
            means[column] = float(known.mean()) if len(known) else 0.0
            stds[column] = float(known.std()) if len(known) > 1 and known.std() > 0 else 1.0
            quantiles = np.linspace(0, 1, PLE_BINS[column] + 1)
            edges[column] = np.unique(np.quantile(known, quantiles)) if len(known) else []
        return cls(means, stds, {c: np.asarray(e, dtype="float64") for c, e in edges.items()})

    def transform(self, features: pd.DataFrame | CoercedColumns) -> np.ndarray:
        """The network's input matrix, float64 (n, n_inputs), columns grouped by attribute,
        from the coerced frame or its columns (:func:`segmentor.ml.features.coerced_columns`)."""
        return np.hstack([self._attribute(features, c) for c in schema.FEATURES])

    def groups(self) -> list[slice]:
        """The columns of each attribute in :meth:`transform`'s output, in FEATURES order."""
        bounds, start = [], 0
        for column in schema.FEATURES:
            if column in schema.CATEGORIES:  # one-hot + missing
                width = len(schema.CATEGORIES[column]) + 1
            else:  # scaled value + missing flag + one column per bin
                width = 2 + max(len(self.edges[column]) - 1, 0)
            bounds.append(slice(start, start + width))
            start += width
        return bounds

    def _attribute(self, features: pd.DataFrame | CoercedColumns, column: str) -> np.ndarray:
        if column in schema.CATEGORIES:
            # The coerced frame's categoricals hold the schema's categories in order, so a
            # code is the one-hot position and -1 (missing) the last, "missing" column.
            codes = category_codes(features[column]).astype(np.int64)
            width = len(schema.CATEGORIES[column])
            return np.eye(width + 1)[np.where(codes < 0, width, codes)]
        values = np.asarray(features[column], dtype="float64")
        missing = np.isnan(values)
        scaled = np.where(missing, 0.0, (values - self.means[column]) / self.stds[column])
        return np.column_stack([scaled, missing.astype("float64"), self._bins(values, column)])

    def _bins(self, values: np.ndarray, column: str) -> np.ndarray:
        edges = self.edges[column]
        if len(edges) < 2:
            return np.zeros((len(values), 0))
        low, high = edges[:-1][None, :], edges[1:][None, :]
        filled = np.nan_to_num(values, nan=edges[0])[:, None]
        encoded = np.clip((filled - low) / (high - low), 0.0, 1.0)
        return np.where(np.isnan(values)[:, None], 0.0, encoded)


@dataclass
class NetworkMember:
    """A bag of networks (one per seed) with their encoding and attribution background."""

    encoding: Encoding
    layers: list[list[tuple[np.ndarray, np.ndarray]]]  # per seed: (weight, bias) per layer
    background: np.ndarray  # encoded training rows (N_BACKGROUND, n_inputs)

    def raw_scores(self, features: pd.DataFrame | CoercedColumns, workers: int = 1) -> np.ndarray:
        """Raw scores (n, 4): the seed bag's mean logits.

        ``workers`` > 1 runs the seeds' forward passes in that many threads (NumPy releases
        the GIL in its products) when there are enough rows to pay for them; the same bits.
        """
        return self._logits(self.encoding.transform(features), workers)

    def _logits(self, matrix: np.ndarray, workers: int = 1) -> np.ndarray:
        workers = workers if len(matrix) >= PARALLEL_MIN_ROWS else 1
        return np.mean(_per_seed(lambda seed: forward(seed, matrix), self.layers, workers), axis=0)

    def shapley(
        self, features: pd.DataFrame | CoercedColumns, workers: int = 1
    ) -> tuple[np.ndarray, np.ndarray]:
        """Exact interventional Shapley values (n, 9, 4) and the bias (4,).

        ``workers`` > 1 shares the seeds among that many threads (the same bits).
        """
        matrix = self.encoding.transform(features)
        groups = self.encoding.groups()
        masks = coalition_masks(len(groups))
        values = np.stack([self._row_shapley(row, groups, masks, workers) for row in matrix])
        return values.reshape(len(matrix), len(groups), -1), self.background_mean

    @cached_property
    def background_mean(self) -> np.ndarray:
        """The mean raw scores over the background (4,): the Shapley values' bias."""
        return self._logits(self.background).mean(axis=0)

    def _row_shapley(
        self, row: np.ndarray, groups: list[slice], masks: np.ndarray, workers: int
    ) -> np.ndarray:
        per_seed = _per_seed(
            lambda layers: _coalition_worth(layers, row, self.background, groups, masks),
            self.layers,
            workers,
        )
        return _shapley_from_worth(np.mean(per_seed, axis=0), masks)

    def to_bytes(self) -> bytes:
        arrays: dict[str, np.ndarray] = {"background": self.background}
        for column in schema.NUMERIC:
            arrays[f"scale/{column}"] = np.array(
                [self.encoding.means[column], self.encoding.stds[column]]
            )
            arrays[f"edges/{column}"] = self.encoding.edges[column]
        for s, seed_layers in enumerate(self.layers):
            for i, (weight, bias) in enumerate(seed_layers):
                arrays[f"seed{s}/layer{i}/weight"] = weight
                arrays[f"seed{s}/layer{i}/bias"] = bias
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> NetworkMember:
        with np.load(io.BytesIO(blob), allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        encoding = Encoding(
            means={c: float(arrays[f"scale/{c}"][0]) for c in schema.NUMERIC},
            stds={c: float(arrays[f"scale/{c}"][1]) for c in schema.NUMERIC},
            edges={c: arrays[f"edges/{c}"] for c in schema.NUMERIC},
        )
        n_seeds = len({name.split("/")[0] for name in arrays if name.startswith("seed")})
        layers = [
            [
                (arrays[f"seed{s}/layer{i}/weight"], arrays[f"seed{s}/layer{i}/bias"])
                for i in range(3)
            ]
            for s in range(n_seeds)
        ]
        return cls(encoding, layers, arrays["background"])


def _per_seed(
    function: Callable[[list[tuple[np.ndarray, np.ndarray]]], np.ndarray],
    layers: list[list[tuple[np.ndarray, np.ndarray]]],
    workers: int,
) -> list[np.ndarray]:
    """``function`` of each seed's layers, in seed order, in ``workers`` threads (NumPy
    releases the GIL in its products, so the cores share the seeds)."""
    if workers <= 1 or len(layers) < 2:
        return [function(seed_layers) for seed_layers in layers]
    with ThreadPoolExecutor(min(workers, len(layers))) as pool:
        return list(pool.map(function, layers))


# The mixed rows of the coalitions go through the deeper layers in single precision (the
# bulk of the arithmetic, twice the rate of double), this many coalitions at a time: 64 x 32
# background rows keep the 128-wide hidden values (1 MB) in the core's cache, where all 512
# at once (8 MB) spent much of the time moving memory. One prospect's six networks, two
# cores (2026-12-03): 83 ms in double, all at once; 43 ms now (chunks of 16: 56, 32: 50,
# 128: 47). A coalition's worth moves by about 2e-7. The products from the prospect's and
# background's columns, the means over the background, the last layer and the Shapley
# weights stay in double. See "Reasons" in docs/scale.md.
COALITION_CHUNK = 64
SHAPLEY_DTYPE = np.float32


def _coalition_worth(
    layers: list[tuple[np.ndarray, np.ndarray]],
    row: np.ndarray,
    background: np.ndarray,
    groups: list[slice],
    masks: np.ndarray,
) -> np.ndarray:
    """One network's mean raw scores over the background for every coalition (2**9, 4).

    A coalition's mixed row takes the prospect's columns for its attributes and a background
    row's for the others. The first layer is linear, so its pre-activation for a mixed row is
    the background row's plus, for each attribute of the coalition, the difference the
    prospect's columns make there: a (coalitions x 9) by (9 x background * 128) product
    replaces sending the coalitions x background mixed rows through the first layer. The
    deeper layers see every mixed row, :data:`COALITION_CHUNK` coalitions at a time; the last
    layer, linear, sees their mean over the background.
    """
    (weight, bias), *deeper = layers
    from_background = np.stack([background[:, g] @ weight[:, g].T for g in groups])
    from_row = np.stack([row[g] @ weight[:, g].T for g in groups])
    differences = (from_row[:, None, :] - from_background).reshape(len(groups), -1)
    coalitions, differences, base = (
        a.astype(SHAPLEY_DTYPE) for a in (masks, differences, from_background.sum(0) + bias)
    )
    hidden_layers = [(w.astype(SHAPLEY_DTYPE), b.astype(SHAPLEY_DTYPE)) for w, b in deeper[:-1]]
    means = np.empty((len(masks), deeper[-1][0].shape[1]))
    for start in range(0, len(masks), COALITION_CHUNK):
        chunk = coalitions[start : start + COALITION_CHUNK]
        hidden = (chunk @ differences).reshape(len(chunk), *base.shape)
        hidden += base
        np.maximum(hidden, 0.0, out=hidden)
        hidden = _relu_layers(hidden_layers, hidden.reshape(-1, base.shape[1]))
        hidden = hidden.reshape(len(chunk), len(background), -1)
        means[start : start + len(chunk)] = hidden.mean(axis=1, dtype="float64")
    weight, bias = deeper[-1]
    return means @ weight.T + bias


def coalition_masks(n_players: int) -> np.ndarray:
    """Every coalition as a row of booleans (2**n_players, n_players); row m holds the bits of m."""
    return np.array(
        [[(m >> g) & 1 for g in range(n_players)] for m in range(2**n_players)], dtype=bool
    )


def _shapley_from_worth(worth: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """Shapley values (n_groups, k) from the worth (2**n_groups, k) of every coalition."""
    n_groups = masks.shape[1]
    sizes = masks.sum(axis=1)
    weights = np.array(
        [
            math.factorial(s) * math.factorial(n_groups - s - 1) / math.factorial(n_groups)
            for s in range(n_groups)
        ]
    )
    index = np.arange(len(masks))
    values = np.zeros((n_groups, worth.shape[1]))
    for g in range(n_groups):
        without = index[~masks[:, g]]
        values[g] = (
            weights[sizes[without], None] * (worth[without | (1 << g)] - worth[without])
        ).sum(axis=0)
    return values


# BLAS may sum a row's products in another order depending on how many rows share the call
# and where the row sits among them, so the same customer could get different last digits
# in a file scored whole or in chunks. Every product is therefore computed in blocks of
# exactly this many rows (the last one padded with zeros): one shape, one code path. Measured
# on 200,000 rows, 6 seeds, one BLAS thread (2026-12-03): blocks of 64 rows 115,000 rows/s
# (the Python around each product dominates, so a second thread cannot help), 256 rows
# 160,000 and 257,000 with the seeds shared by two threads, 512 rows 159,000 / 216,000; one
# request's row pays for the block: 0.46 ms (64), 1.4 ms (256), 2.9 ms (512).
FORWARD_BLOCK = 256


def forward(layers: list[tuple[np.ndarray, np.ndarray]], matrix: np.ndarray) -> np.ndarray:
    """The network's logits for ``matrix`` (NumPy; dropout is off at prediction).

    Bit-for-bit the same for a row whatever the other rows of ``matrix`` are.
    """
    n_rows = len(matrix)
    padded = np.zeros((-(-n_rows // FORWARD_BLOCK) * FORWARD_BLOCK, matrix.shape[1]))
    padded[:n_rows] = matrix
    blocks = [
        _forward_block(layers, padded[i : i + FORWARD_BLOCK])
        for i in range(0, len(padded), FORWARD_BLOCK)
    ]
    return np.concatenate(blocks)[:n_rows] if blocks else np.zeros((0, layers[-1][1].shape[0]))


def _forward_block(layers: list[tuple[np.ndarray, np.ndarray]], block: np.ndarray) -> np.ndarray:
    hidden = _relu_layers(layers[:-1], block)
    weight, bias = layers[-1]
    return hidden @ weight.T + bias


def _relu_layers(layers: list[tuple[np.ndarray, np.ndarray]], hidden: np.ndarray) -> np.ndarray:
    """``hidden`` through dense ReLU layers; bias and activation applied in place on each
    product (the values of ``max(hidden @ weight.T + bias, 0)``, without two temporaries)."""
    for weight, bias in layers:
        hidden = hidden @ weight.T
        hidden += bias
        np.maximum(hidden, 0.0, out=hidden)
    return hidden


def fit_network_member(
    features: pd.DataFrame, labels: np.ndarray, params: NetworkParams, seeds: int, random_state: int
) -> NetworkMember:
    """Fit the encoding and ``seeds`` networks (seeds random_state + i) on integer labels 0-3."""
    encoding = Encoding.fit(features)
    matrix = encoding.transform(features)
    layers = [_train(matrix, labels, params, random_state + s) for s in range(seeds)]
    pick = np.random.default_rng(random_state).choice(
        len(matrix), size=min(N_BACKGROUND, len(matrix)), replace=False
    )
    return NetworkMember(encoding, layers, matrix[np.sort(pick)])


def _train(
    matrix: np.ndarray, labels: np.ndarray, params: NetworkParams, seed: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """One network trained with AdamW and a one-cycle learning rate; its layers as arrays."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny matrices: one thread is fastest and deterministic
    try:
        torch.manual_seed(seed)
        network = _network(matrix.shape[1], params)
        inputs = torch.from_numpy(matrix.astype(np.float32))
        targets = torch.from_numpy(labels.astype(np.int64))
        steps = math.ceil(len(inputs) / params.batch_size)
        optimiser = torch.optim.AdamW(
            network.parameters(), lr=params.learning_rate, weight_decay=params.weight_decay
        )
        schedule = torch.optim.lr_scheduler.OneCycleLR(
            optimiser, max_lr=params.learning_rate, total_steps=params.epochs * steps
        )
        order = torch.Generator().manual_seed(seed)
        network.train()
        for _ in range(params.epochs):
            for batch in torch.randperm(len(inputs), generator=order).split(params.batch_size):
                optimiser.zero_grad()
                loss = torch.nn.functional.cross_entropy(network(inputs[batch]), targets[batch])
                loss.backward()
                optimiser.step()
                schedule.step()
        linear = [m for m in network if isinstance(m, torch.nn.Linear)]
        # Predictions run in float64 so that Shapley values add up to the raw scores exactly.
        return [
            (
                m.weight.detach().numpy().astype(np.float64),
                m.bias.detach().numpy().astype(np.float64),
            )
            for m in linear
        ]
    finally:
        torch.set_num_threads(threads)


def _network(n_inputs: int, params: NetworkParams):  # type: ignore[no-untyped-def]
    import torch

    half = params.hidden // 2
    return torch.nn.Sequential(
        torch.nn.Linear(n_inputs, params.hidden),
        torch.nn.ReLU(),
        torch.nn.Dropout(params.dropout),
        torch.nn.Linear(params.hidden, half),
        torch.nn.ReLU(),
        torch.nn.Dropout(params.dropout),
        torch.nn.Linear(half, 4),
    )
