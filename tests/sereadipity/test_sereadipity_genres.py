"""Genre labels: heading parts, heading hierarchy, form, and shelves only when asked."""

from sereadipity.explain import UNTOLD_LABELS
from sereadipity.genres import form_labels, genre_labels
from sereadipity.recommend import Recommender

TALE = "British -- France -- Paris -- Fiction|France -- History -- Revolution, 1789-1799 -- Fiction"


def test_headings_give_their_parts_and_their_leading_runs() -> None:
    labels = genre_labels(TALE, "", shelves=False)
    assert {"france", "history", "revolution, 1789-1799", "fiction", "paris"} <= labels
    assert {"france -- history", "france -- history -- revolution, 1789-1799"} <= labels
    assert "british -- france -- paris -- fiction" in labels
    assert "history -- revolution, 1789-1799" not in labels  # runs start at the heading's head


def test_shelves_are_read_only_when_asked() -> None:
    shelves = "Category: Historical Novels|Historical Fiction"
    without = genre_labels(TALE, shelves, shelves=False)
    with_shelves = genre_labels(TALE, shelves)
    assert with_shelves - without == {"historical novels", "historical fiction"}
    assert genre_labels("", shelves, shelves=False) == set()


def test_form_comes_from_the_subject_headings_alone() -> None:
    assert form_labels("Horror tales|Gothic fiction") == {"fiction"}
    assert form_labels("English poetry -- 19th century") == {"fiction", "poetry"}
    assert form_labels("Geology -- Handbooks, manuals, etc.") == {"non-fiction"}
    assert form_labels("Fairy tales|Juvenile fiction") >= {"fiction", "juvenile"}
    assert form_labels("") == set()
    # A shelf never decides the form: no subjects, no form label.
    assert "fiction" not in genre_labels("", "Category: Novels", shelves=False)


def test_the_products_genre_reads_no_bookshelf(recommender: Recommender) -> None:
    # The benchmark grades against the shelves, so the shipped criterion must not read them.
    vocabulary = set(recommender.features.genre.vocabulary)
    assert "gothic fiction" in vocabulary  # a subject heading of Frankenstein and Dracula
    assert not {"movie books", "british literature", "classics of literature"} & vocabulary
    catalog = recommender.catalog
    subjects_only = set().union(*(genre_labels(s, "", shelves=False) for s in catalog["subjects"]))
    assert vocabulary == subjects_only


def test_form_labels_are_told_only_when_nothing_else_is_shared(
    recommender: Recommender,
) -> None:
    genre = recommender.features.genre
    for liked in ("On the Origin of Species", "Frankenstein", "Dracula"):
        query = recommender.find(liked)
        for r in recommender.recommend([liked], top=10):
            assert r.why, (liked, r.title)
            informative = set(genre.shared_labels(query, r.row, limit=100)) - UNTOLD_LABELS
            for key, value in r.why:
                if key == "same_genre" and informative:
                    told = {label.lower() for label in value.split(", ")}
                    assert not told & UNTOLD_LABELS, (liked, r.title, value)
