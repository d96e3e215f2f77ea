"""Properties of each criterion: range [0, 1], symmetry, monotonic period, identity scores 1."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sereadipity.errors import SereadipityError
from sereadipity.genres import idf_jaccard_matrix, tfidf_cosine_matrix, unit_rows
from sereadipity.similarity import (
    CRITERIA,
    GENRE_EMBEDDING_SHARE,
    UNKNOWN_PERIOD_SIMILARITY,
    BookFeatures,
    normalise_weights,
    weighted_score,
    year_similarity,
)

years = st.floats(min_value=-1000, max_value=2100, allow_nan=False)
maybe_years = st.one_of(years, st.just(float("nan")))
LABELS = ["fiction", "science", "biology", "poetry", "history", "sea stories", "gothic"]


@st.composite
def features(draw: st.DrawFn) -> BookFeatures:
    n = draw(st.integers(min_value=2, max_value=8))
    raw = draw(arrays(np.float32, (n, 6), elements=st.floats(-1, 1, width=32)))
    raw[np.linalg.norm(raw, axis=1) == 0, 0] = 1.0
    label_sets = [draw(st.sets(st.sampled_from(LABELS), max_size=4)) for _ in range(n)]
    active = np.array(draw(st.lists(maybe_years, min_size=n, max_size=n)))
    award = np.array(draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=n, max_size=n)))
    genre_embedding = None
    if draw(st.booleans()):  # the shipped genre: labels blended with a genre-text embedding
        genre_raw = draw(arrays(np.float32, (n, 5), elements=st.floats(-1, 1, width=32)))
        genre_raw[np.linalg.norm(genre_raw, axis=1) == 0, 0] = 1.0
        genre_embedding = unit_rows(genre_raw)
    power = draw(st.sampled_from([0.0, 1.0]))
    return BookFeatures(
        unit_rows(raw),
        idf_jaccard_matrix(label_sets, power),
        active,
        award,
        genre_embedding=genre_embedding,
    )


def _tiny_vectors_book() -> BookFeatures:
    """Found by CI: float32 rows of subnormal size were normalised to length 0.9973."""
    raw = np.full((2, 6), 3e-39, dtype=np.float32)
    no_labels = idf_jaccard_matrix([set(), set()])
    return BookFeatures(unit_rows(raw), no_labels, np.zeros(2), np.zeros(2))


@settings(max_examples=60, deadline=None)
@given(features())
def test_every_criterion_is_in_unit_interval(book_features: BookFeatures) -> None:
    for criterion in CRITERIA.values():
        for query in range(len(book_features)):
            values = criterion(book_features, query)
            assert values.shape == (len(book_features),)
            assert np.all((values >= 0) & (values <= 1))


@settings(max_examples=60, deadline=None)
@given(features())
def test_synopsis_genre_period_are_symmetric(book_features: BookFeatures) -> None:
    for name in ("synopsis", "genre", "period"):
        matrix = np.array([CRITERIA[name](book_features, q) for q in range(len(book_features))])
        np.testing.assert_allclose(matrix, matrix.T, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(features())
@example(_tiny_vectors_book())
def test_identical_books_score_one(book_features: BookFeatures) -> None:
    n = len(book_features)
    genre_embedding = book_features.genre_embedding
    doubled = BookFeatures(
        np.vstack([book_features.synopsis, book_features.synopsis]),
        idf_jaccard_matrix([*_label_sets(book_features)] * 2),
        np.concatenate([book_features.active_year] * 2),
        np.concatenate([book_features.award] * 2),
        genre_embedding=None if genre_embedding is None else np.vstack([genre_embedding] * 2),
    )
    for query in range(n):
        assert CRITERIA["synopsis"](doubled, query)[query + n] == pytest.approx(1, abs=1e-5)
        if doubled.genre.vectors[query].any():
            assert CRITERIA["genre"](doubled, query)[query + n] == pytest.approx(1)
        if not np.isnan(doubled.active_year[query]):
            assert CRITERIA["period"](doubled, query)[query + n] == 1


def _label_sets(book_features: BookFeatures) -> list[set[int]]:
    return [set(np.flatnonzero(row).tolist()) for row in book_features.genre.vectors]


@given(years, years, years)
def test_period_similarity_falls_monotonically_with_the_gap(a: float, b: float, c: float) -> None:
    near, far = sorted([abs(b - a), abs(c - a)])
    assert year_similarity(np.array([a + near]), a)[0] >= year_similarity(np.array([a + far]), a)[0]


@given(years, years)
def test_period_similarity_is_symmetric_and_bounded(a: float, b: float) -> None:
    ab = year_similarity(np.array([a]), b)[0]
    assert ab == year_similarity(np.array([b]), a)[0]
    assert 0 <= ab <= 1


@given(maybe_years)
def test_unknown_years_are_neutral_everywhere(a: float) -> None:
    assert year_similarity(np.array([np.nan]), a)[0] == UNKNOWN_PERIOD_SIMILARITY
    assert year_similarity(np.array([a]), np.nan)[0] == UNKNOWN_PERIOD_SIMILARITY


def test_genre_blends_the_labels_and_the_genre_embedding() -> None:
    matrix = idf_jaccard_matrix([{"fiction", "whales"}, {"fiction"}, {"poetry"}], idf_power=0)
    embedding = unit_rows(np.array([[1, 0], [0, 1], [1, 1]], dtype=np.float32))
    labels_only = BookFeatures(np.eye(3, dtype=np.float32), matrix, np.zeros(3), np.zeros(3))
    blended = replace(labels_only, genre_embedding=embedding)
    assert CRITERIA["genre"](labels_only, 0).tolist() == [1.0, 0.5, 0.0]
    expected = (1 - GENRE_EMBEDDING_SHARE) * np.array([1.0, 0.5, 0.0]) + GENRE_EMBEDDING_SHARE * (
        np.array([1.0, 0.0, np.sqrt(0.5)])
    )
    np.testing.assert_allclose(CRITERIA["genre"](blended, 0), expected, atol=1e-6)


def test_genre_of_books_without_labels_is_zero() -> None:
    matrix = idf_jaccard_matrix([set(), {"fiction"}, set()])
    book_features = BookFeatures(np.eye(3, dtype=np.float32), matrix, np.zeros(3), np.zeros(3))
    assert CRITERIA["genre"](book_features, 0).tolist() == [0.0, 0.0, 0.0]


def test_rare_shared_labels_weigh_more_than_common_ones() -> None:
    sets = [{"fiction", "whales"}, {"fiction", "whales"}, {"fiction", "poetry"}] + [{"fiction"}] * 5
    matrix = idf_jaccard_matrix(sets)
    book_features = BookFeatures(np.eye(8, dtype=np.float32), matrix, np.zeros(8), np.zeros(8))
    row = CRITERIA["genre"](book_features, 0)
    assert row[1] == pytest.approx(1) and row[1] > row[2] > 0


def test_tfidf_rows_are_unit_length() -> None:
    matrix = tfidf_cosine_matrix([{"science fiction"}, {"poetry"}, set()]).vectors
    np.testing.assert_allclose(np.linalg.norm(matrix, axis=1), [1, 1, 0], atol=1e-6)


@given(st.dictionaries(st.sampled_from(list(CRITERIA)), st.floats(0.01, 10), min_size=1))
def test_weights_are_normalised_to_sum_to_one(weights: dict[str, float]) -> None:
    normalised = normalise_weights(weights)
    assert sum(normalised.values()) == pytest.approx(1)
    assert set(normalised) == set(CRITERIA)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"synopsis": 0, "genre": 0}, "all weights are zero"),
        ({}, "all weights are zero"),
        ({"plot": 1}, "unknown criterion"),
        ({"genre": -1}, ">= 0"),
    ],
)
def test_bad_weights_are_refused(weights: dict[str, float], message: str) -> None:
    with pytest.raises(SereadipityError, match=message):
        normalise_weights(weights)


def test_weighted_score_of_unit_components_stays_in_unit_interval() -> None:
    components = {name: np.array([0.0, 0.5, 1.0]) for name in CRITERIA}
    score = weighted_score(components, {"synopsis": 3, "award": 7})
    np.testing.assert_allclose(score, [0.0, 0.5, 1.0])
