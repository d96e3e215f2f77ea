"""The real MiniLM model on small texts, and the on-disk cache."""

from pathlib import Path

import numpy as np
import pytest

from sereadipity import embeddings
from sereadipity.embeddings import DIMENSION, cache_key, cached_embeddings, embed, read_cache

TEXTS = [
    "A whaling captain hunts a white whale across the ocean.",
    "Sailors chase a great whale on a long sea voyage.",
    "A recipe for baking sourdough bread at home.",
]


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    return embed(TEXTS)


def test_real_model_gives_unit_vectors_that_rank_paraphrases_close(vectors: np.ndarray) -> None:
    assert vectors.shape == (3, DIMENSION) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert vectors[0] @ vectors[1] > 0.5 > vectors[0] @ vectors[2]


def test_model_reads_256_tokens_and_runs_offline() -> None:
    model = embeddings.load_model()
    assert model.max_seq_length == 256
    import os

    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_long_texts_are_not_truncated_to_a_few_tokens() -> None:
    start = "The expedition sailed north. " * 3
    a, b = embed([start + "It ended in a mutiny at sea.", start + "It ended in a royal wedding."])
    assert a @ b < 0.999


def test_cache_is_written_once_and_reused(tmp_path: Path, vectors: np.ndarray) -> None:
    first = cached_embeddings(TEXTS, tmp_path, progress=False)
    files = list(tmp_path.glob("*.npy"))
    assert len(files) == 1
    np.testing.assert_allclose(first, vectors, atol=1e-5)
    files[0].touch()
    assert np.array_equal(cached_embeddings(TEXTS, tmp_path, progress=False), first)


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(b"not a numpy file"),
        lambda path: path.write_bytes(path.read_bytes()[:100]),
        lambda path: np.save(path, np.zeros((3, DIMENSION), dtype=np.float32)),
        lambda path: np.save(path, np.ones((2, DIMENSION), dtype=np.float32)),
        lambda path: np.save(path, np.array([{"evil": 1}], dtype=object), allow_pickle=True),
    ],
    ids=["garbage", "truncated", "zero-vectors", "wrong-shape", "pickled-object"],
)
def test_corrupt_cache_is_rebuilt_not_trusted(tmp_path: Path, vectors: np.ndarray, damage) -> None:
    cached_embeddings(TEXTS, tmp_path, progress=False)
    path = next(tmp_path.glob("*.npy"))
    damage(path)
    assert read_cache(path, len(TEXTS)) is None
    rebuilt = cached_embeddings(TEXTS, tmp_path, progress=False)
    np.testing.assert_allclose(rebuilt, vectors, atol=1e-5)
    assert read_cache(path, len(TEXTS)) is not None


def test_cache_key_depends_on_texts_and_model() -> None:
    assert cache_key(TEXTS) != cache_key(TEXTS[:2])
    assert cache_key(TEXTS) != cache_key(TEXTS, model_name="another-model")
    assert cache_key(["ab", "c"]) != cache_key(["a", "bc"])
