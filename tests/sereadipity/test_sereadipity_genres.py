"""Genre labels: heading parts, heading hierarchy, form, stated form, shelves only when asked."""

import numpy as np

from sereadipity.explain import UNTOLD_LABELS, genre_reason_labels
from sereadipity.genres import (
    STATED_FORM,
    STATED_FORM_WORD,
    form_labels,
    genre_labels,
    genre_text,
    idf_jaccard_matrix,
    stated_form,
    stated_form_labels,
)
from sereadipity.recommend import Recommender, genre_texts
from sereadipity.similarity import weighted_jaccard

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
    no_shelves = set().union(
        *(
            genre_labels(s, "", shelves=False, summary=t)
            for s, t in zip(catalog["subjects"], catalog["text"], strict=True)
        )
    )
    assert vocabulary == no_shelves
    # The genre embedding reads the stated form and the headings, never a shelf name.
    texts = " ".join(genre_texts(catalog)).lower()
    assert "gothic fiction" in texts
    assert not any(s in texts for s in ("movie books", "british literature", "category:"))


def test_form_labels_are_told_only_when_nothing_else_is_shared(
    recommender: Recommender,
) -> None:
    genre = recommender.features.genre
    for liked in ("On the Origin of Species", "Frankenstein", "Dracula"):
        query = recommender.find(liked)
        for r in recommender.recommend([liked], top=10):
            assert r.why, (liked, r.title)
            shared = genre.shared_labels(query, r.row, limit=10_000)
            informative = {
                label for label in shared if not label.startswith((STATED_FORM, STATED_FORM_WORD))
            } - UNTOLD_LABELS
            for key, value in r.why:
                if key == "same_genre" and informative:
                    told = {label.lower() for label in value.split(", ")}
                    assert not told & UNTOLD_LABELS, (liked, r.title, value)


def test_the_stated_form_is_read_from_the_summarys_opening() -> None:
    dracula = '"Dracula" by Bram Stoker is a gothic horror novel written in the late 19th century.'
    assert stated_form(dracula) == "gothic horror novel"
    tales = '"The Adventures of Sherlock Holmes" by Arthur Conan Doyle is a collection of detective'
    assert stated_form(tales + " stories written during the late 19th century.") == (
        "collection of detective stories"
    )
    # "Dr." and initials in the title or the author's name do not end the sentence.
    jekyll = '"The Strange Case of Dr. Jekyll" by R. L. Stevenson is a novella published in 1886.'
    assert stated_form(jekyll) == "novella"
    assert stated_form("Moby Dick; Or, The Whale") == ""  # a bare title states nothing
    assert stated_form("") == ""
    assert stated_form_labels(dracula) == {
        "form: gothic horror novel",
        "form word: gothic",
        "form word: horror",
        "form word: novel",
    }
    assert "form word: of" not in stated_form_labels(tales + " stories.")


def test_genre_labels_and_text_add_the_stated_form_only_with_a_summary() -> None:
    summary = '"Emma" by Jane Austen is a novel written in the early 19th century.'
    assert genre_labels(TALE, "", shelves=False, summary=summary) - genre_labels(
        TALE, "", shelves=False
    ) == {"form: novel", "form word: novel"}
    assert genre_text("Gothic fiction|Horror tales", summary, "Emma") == (
        "novel; Gothic fiction; Horror tales"
    )
    assert genre_text("", "", "Emma") == "Emma"


def test_plain_jaccard_weighs_labels_alike_and_keeps_rarity_for_explanations() -> None:
    labels = [{"fiction", "whales"}, {"fiction", "whales"}, {"fiction"}, {"fiction", "sea"}]
    plain = idf_jaccard_matrix(labels, idf_power=0)
    assert np.all(plain.weights == 1)
    assert weighted_jaccard(plain, 0).tolist() == [1.0, 1.0, 0.5, 1 / 3]
    assert plain.shared_labels(0, 1) == ["whales", "fiction"]  # rarest first, by IDF
    weighted = idf_jaccard_matrix(labels)
    assert weighted_jaccard(weighted, 0)[2] < 0.5  # the common label weighs less with IDF


def test_the_stated_form_is_told_only_when_no_subject_label_is_shared() -> None:
    shared = ["form: historical account", "form word: historical", "non-fiction"]
    assert genre_reason_labels(shared) == ["historical account", "non-fiction"]
    assert genre_reason_labels(["gothic fiction", "form: novel", "fiction"]) == ["gothic fiction"]
    assert genre_reason_labels(["form word: novel"]) == []
    assert genre_reason_labels(["fiction"]) == ["fiction"]
    assert genre_reason_labels(["form: novel", "fictitious character", "fiction"]) == [
        "novel",
        "fiction",
    ]
