"""The flattened forest of a model, cached on disk by the hash of the model text.

The cache holds arrays only (``.npz`` read with ``allow_pickle=False``), never native code:
the kernel that walks them is compiled from :mod:`segmentor.ml.compiled.forest` itself. An
entry records the hash of the model text it was built from and a hash of its own arrays; an
entry whose hashes do not match (stale, truncated, edited) is rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import numpy as np

from segmentor.ml.compiled.forest import ARRAY_NAMES, Forest, forest_from_texts

FORMAT_VERSION = 1


def model_hash(text: str) -> str:
    return hashlib.sha256(f"forest-v{FORMAT_VERSION}\n{text}".encode()).hexdigest()


def cached_forest(texts: list[str], joined: str, cache_dir: Path | None) -> Forest:
    """The forest of the boosters ``texts`` (``joined``: their persisted form), from the cache
    in ``cache_dir`` when a valid entry is there, else built (and stored when a dir is given)."""
    key = model_hash(joined)
    path = None if cache_dir is None else Path(cache_dir) / f"forest-{key[:32]}.npz"
    if path is not None:
        forest = _read(path, key)
        if forest is not None:
            return forest
    forest = forest_from_texts(texts)
    if path is not None:
        _write(path, key, forest)
    return forest


def _digest(arrays: dict[str, np.ndarray]) -> str:
    digest = hashlib.sha256()
    for name in ARRAY_NAMES:
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(arrays[name]).tobytes())
    return digest.hexdigest()


def _read(path: Path, key: str) -> Forest | None:
    """The cached forest, or None when the entry is missing, unreadable or not this model's."""
    try:
        # Our own handle: np.load leaves its file open when a truncated zip makes it raise.
        with path.open("rb") as handle, np.load(handle, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        meta = arrays.pop("meta").tolist()
        source, digest, n_classes, n_boosters = meta
        if source != key or digest != _digest(arrays):
            return None
        return Forest.from_arrays(arrays, int(n_classes), int(n_boosters))
    except Exception:  # OSError, BadZipFile, ValueError...: whatever is wrong, rebuild
        return None


def _write(path: Path, key: str, forest: Forest) -> None:
    """Write atomically (another process may be reading the same entry)."""
    arrays = forest.arrays()
    meta = np.array([key, _digest(arrays), str(forest.n_classes), str(forest.n_boosters)])
    buffer = io.BytesIO()
    np.savez(buffer, meta=meta, **arrays)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(buffer.getvalue())
        temporary.replace(path)
    except OSError:
        pass  # a read-only cache only costs the parse next time
