"""Genre labels: heading parts, heading hierarchy, form, and shelves only when asked."""

from sereadipity.genres import form_labels, genre_labels

TALE = (
    "British -- France -- Paris -- Fiction|France -- History -- Revolution, 1789-1799 -- Fiction"
)


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
