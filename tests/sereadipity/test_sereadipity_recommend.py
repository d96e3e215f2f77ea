import numpy as np
import pytest

from sereadipity.cli import DEFAULT_WEIGHTS_TEXT
from sereadipity.errors import SereadipityError
from sereadipity.recommend import DEFAULT_WEIGHTS, Recommender, parse_weights, top_rows


def test_darwin_gets_science_first(recommender: Recommender) -> None:
    results = recommender.recommend(["On the Origin of Species"], top=3)
    assert {r.title.split(":")[0].split(" (")[0] for r in results} <= {
        "Life and Letters of Charles Darwin — Volume 1",
        "Origin of Cultivated Plants",
        "History of Botany",
    }


def test_liked_books_and_their_other_editions_are_never_recommended(
    recommender: Recommender,
) -> None:
    results = recommender.recommend(["Frankenstein", "Pride and Prejudice"], top=18)
    titles = [r.title for r in results]
    assert not any(t.startswith(("Frankenstein", "Pride and Prejudice")) for t in titles)
    assert len(titles) == 16  # 20 books minus 2 liked works of 2 editions each


def test_results_are_sorted_with_scores_and_components_in_unit_interval(
    recommender: Recommender,
) -> None:
    results = recommender.recommend(["Dracula"], {"synopsis": 1, "period": 9}, top=10)
    scores = [r.score for r in results]
    assert scores == sorted(scores, reverse=True)
    for r in results:
        assert 0 <= r.score <= 1
        assert all(0 <= v <= 1 for v in r.components.values())
        expected = 0.1 * r.components["synopsis"] + 0.9 * r.components["period"]
        assert r.score == pytest.approx(expected)


def test_several_liked_books_average_their_similarities(recommender: Recommender) -> None:
    a, b = recommender.find("Dracula"), recommender.find("Moby Dick")
    both = recommender.components([a, b])
    for name, values in both.items():
        expected = (recommender.components([a])[name] + recommender.components([b])[name]) / 2
        np.testing.assert_allclose(values, expected)


def test_award_only_ranks_award_winners_first(recommender: Recommender) -> None:
    results = recommender.recommend(["Emma"], {"award": 10}, top=2)
    assert {r.author for r in results} == {"Kipling, Rudyard", "Wharton, Edith"}


def test_period_only_prefers_contemporaries(recommender: Recommender) -> None:
    results = recommender.recommend(["On the Origin of Species"], {"period": 10}, top=3)
    assert all(r.components["period"] > 0.6 for r in results)


def test_all_zero_weights_are_refused(recommender: Recommender) -> None:
    with pytest.raises(SereadipityError, match="all weights are zero"):
        recommender.recommend(["Emma"], dict.fromkeys(DEFAULT_WEIGHTS, 0))


def test_top_must_be_in_range(recommender: Recommender) -> None:
    with pytest.raises(SereadipityError, match=r"top must be an int in \[1, 100\]"):
        recommender.recommend(["Emma"], top=0)


def test_top_rows_skips_excluded_and_breaks_ties_by_order() -> None:
    assert top_rows(np.array([0.5, -np.inf, 0.9, 0.5]), 3) == [2, 0, 3]


def test_top_rows_keeps_the_best_edition_of_each_work() -> None:
    score = np.array([0.9, 0.8, 0.7, 0.6, 0.5])
    assert top_rows(score, 3, np.array([0, 0, 0, 1, 2])) == [0, 3, 4]
    assert top_rows(score, 9, np.array([0, 0, 0, 1, 2])) == [0, 3, 4]


def test_each_work_is_recommended_once(recommender: Recommender) -> None:
    titles = [r.title for r in recommender.recommend(["Dracula"], top=100)]
    assert len(titles) == len(set(titles)) == 17  # 20 rows, 18 works, minus Dracula


def test_parse_weights() -> None:
    assert parse_weights(DEFAULT_WEIGHTS_TEXT) == DEFAULT_WEIGHTS
    assert parse_weights("Period=10") == {"period": 10.0}
    for bad in ("synopsis=11", "synopsis", "synopsis=x", "plot=3", "genre=1,genre=2", "genre=0"):
        with pytest.raises(SereadipityError):
            parse_weights(bad)


def test_same_author_max_limits_books_by_one_author(recommender: Recommender) -> None:
    capped = recommender.recommend(["On the Origin of Species"], top=10, same_author_max=1)
    authors = [r.author for r in capped]
    assert len(authors) == len(set(authors))
    loose = recommender.recommend(["Pride and Prejudice"], top=10, same_author_max=10)
    assert sum(r.author == "Austen, Jane" for r in loose) == 1  # Emma: the only other Austen


def test_several_liked_books_each_get_their_share(recommender: Recommender) -> None:
    results = recommender.recommend(["Dracula", "On the Origin of Species"], top=6)
    sources = [r.because for r in results]
    assert sources[0::2] == [sources[0]] * 3 and sources[1::2] == [sources[1]] * 3
    assert sources[0] != sources[1]
    assert results[0].why[0] == ("because", sources[0])


def test_award_bonus_cannot_lift_an_unrelated_book(recommender: Recommender) -> None:
    darwin = recommender.find("On the Origin of Species")
    award = recommender.components([darwin])["award"]
    from sereadipity.similarity import content_similarity

    content = content_similarity(recommender.features, darwin)
    winners = recommender.features.award == 1
    assert winners.any()
    assert np.all(award[~winners] == 0)
    assert np.all(award[winners] <= 1) and np.all(award[winners] >= 0)
    np.testing.assert_allclose(award[winners], content[winners])


def test_reasons_are_put_in_words_in_english_and_french(recommender: Recommender) -> None:
    from sereadipity.i18n import describe

    results = recommender.recommend(["Frankenstein"], top=10)
    english = [describe(r.why, "en") for r in results]
    french = [describe(r.why, "fr") for r in results]
    assert any("same genre: " in text and "Gothic fiction" in text for text in english)
    assert any("même genre : " in text for text in french)
    assert all(text for text in english)
