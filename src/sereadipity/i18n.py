"""English and French strings of the Books page."""

from __future__ import annotations

from collections.abc import Iterable

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Books",
        "intro": "Name books you enjoyed and say what matters to you; we find ten more.",
        "liked": "I enjoyed reading",
        "pick": "Choose at least one book you enjoyed to get recommendations.",
        "synopsis": "Similar plot",
        "genre": "Similar genre",
        "period": "Same literary period",
        "award": "Award-winning authors",
        "results": "Your ten books",
        "chart": "What each criterion adds to the score",
        "book": "Book",
        "criterion": "Criterion",
        "contribution": "Contribution to the score",
        "similarity": "Similarity",
        "score": "score",
        "loading": "Reading the catalogue (the first time, embedding every synopsis)…",
        "no_summary": "No summary in the catalogue.",
        "why": "Why",
        "because": "because you enjoyed {value}",
        "story": "similar story",
        "same_genre": "same genre: {value}",
        "contemporary": "contemporary of the author",
        "era": "same era",
        "nobel": "Nobel laureate",
        "award_winner": "winner of the {value}",
    },
    "fr": {
        "title": "Livres",
        "intro": (
            "Citez des livres que vous avez aimés et dites ce qui compte : "
            "nous en trouvons dix autres."
        ),
        "liked": "J'ai aimé lire",
        "pick": "Choisissez au moins un livre aimé pour obtenir des recommandations.",
        "synopsis": "Intrigue proche",
        "genre": "Genre proche",
        "period": "Même période littéraire",
        "award": "Auteurs primés",
        "results": "Vos dix livres",
        "chart": "Ce que chaque critère apporte au score",
        "book": "Livre",
        "criterion": "Critère",
        "contribution": "Contribution au score",
        "similarity": "Similarité",
        "score": "score",
        "loading": "Lecture du catalogue (la première fois, calcul des plongements des résumés)…",
        "no_summary": "Pas de résumé dans le catalogue.",
        "why": "Pourquoi",
        "because": "parce que vous avez aimé {value}",
        "story": "histoire proche",
        "same_genre": "même genre : {value}",
        "contemporary": "contemporain de l'auteur",
        "era": "même époque",
        "nobel": "lauréat du prix Nobel",
        "award_winner": "lauréat : {value}",
    },
}
REASON_KEYS = ("because", "story", "same_genre", "contemporary", "era", "nobel", "award_winner")


def strings(lang: str) -> dict[str, str]:
    """The strings for ``lang`` ("en" or "fr"); English for any other language."""
    return STRINGS.get(lang, STRINGS["en"])


def describe(reasons: Iterable[tuple[str, str]], lang: str) -> str:
    """Reasons in words, joined by "; ": ``same genre: Gothic fiction; Nobel laureate``."""
    text = strings(lang)
    return "; ".join(text[key].format(value=value) for key, value in reasons)
