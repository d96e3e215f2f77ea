"""French and English names a CRM or a spreadsheet gives the schema's columns and values.

Known out of the box, so that a French export (``Sexe=Homme``, ``Marié=Oui``, ``Âge``,
``Score de dépenses=Élevé``...) is understood without a hand-made mapping. Names are compared
after :func:`fold` (case, accents, spaces, dashes, apostrophes, dots), so ``"N° client"`` and
``"n_client"`` are one name. Whatever is read through a synonym is reported by the mapping
step (:mod:`segmentor.domain.mapping`): nothing is mapped silently.
"""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s_\-'’.°/()]+")


def fold(text: object) -> str:
    """A name with case, accents, BOM and separators folded away (for comparisons)."""
    value = str(text).replace("\ufeff", "").replace("\u200b", "").strip()
    decomposed = unicodedata.normalize("NFKD", value)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub("_", plain.casefold()).strip("_")


COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "ID": (
        "Identifiant",
        "Id client",
        "Identifiant client",
        "N° client",
        "Numéro client",
        "Numero",
        "Code client",
        "Référence client",
        "Customer ID",
        "Client ID",
        "Prospect ID",
        "CustomerID",
    ),
    "Gender": ("Sexe", "Genre", "Sex", "Civilité"),
    "Ever_Married": ("Marié", "Mariée", "Marié(e)", "Déjà marié", "Married", "Marié ?"),
    "Age": ("Âge", "Âge (ans)", "Years"),
    "Graduated": ("Diplômé", "Diplômée", "Diplômé(e)", "Graduate", "Études sup"),
    "Profession": ("Métier", "Emploi", "Job", "Occupation", "Catégorie socio-professionnelle"),
    "Work_Experience": (
        "Expérience",
        "Expérience professionnelle",
        "Années d'expérience",
        "Ancienneté",
        "Years of experience",
    ),
    "Spending_Score": (
        "Score de dépenses",
        "Score dépenses",
        "Niveau de dépenses",
        "Dépenses",
        "Spending",
    ),
    "Family_Size": (
        "Taille de la famille",
        "Taille famille",
        "Taille du foyer",
        "Personnes au foyer",
        "Foyer",
        "Household size",
    ),
    "Var_1": ("Variable 1", "Var 1", "Catégorie", "Var1"),
    "Segmentation": ("Segment",),
}

_YES = ("Oui", "O", "Y", "Vrai")
_NO = ("Non", "N", "Faux")
VALUE_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "Gender": {
        "Male": ("Homme", "H", "M", "Masculin", "Man", "Monsieur", "M.", "Mr"),
        "Female": ("Femme", "F", "Féminin", "Woman", "Madame", "Mme", "Mrs", "Ms"),
    },
    "Ever_Married": {"Yes": (*_YES, "Marié", "Mariée"), "No": (*_NO, "Célibataire")},
    "Graduated": {"Yes": (*_YES, "Diplômé", "Diplômée"), "No": (*_NO, "Non diplômé")},
    "Profession": {
        "Artist": ("Artiste",),
        "Doctor": ("Médecin", "Docteur"),
        "Engineer": ("Ingénieur", "Ingénieure"),
        "Entertainment": ("Divertissement", "Spectacle", "Loisirs"),
        "Executive": ("Cadre", "Cadre dirigeant", "Dirigeant", "Dirigeante"),
        "Healthcare": ("Santé", "Soignant", "Soignante", "Infirmier", "Infirmière"),
        "Homemaker": ("Au foyer", "Femme au foyer", "Homme au foyer"),
        "Lawyer": ("Avocat", "Avocate", "Juriste"),
        "Marketing": ("Commercial", "Commerciale", "Mercatique"),
    },
    "Spending_Score": {
        "Low": ("Faible", "Bas", "Basse"),
        "Average": ("Moyen", "Moyenne", "Medium", "Normal"),
        "High": ("Élevé", "Élevée", "Haut", "Haute", "Fort", "Forte"),
    },
    "Var_1": {f"Cat_{n}": (f"Catégorie {n}", f"Cat {n}", str(n)) for n in range(1, 8)},
}


def _column_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for column, names in COLUMN_SYNONYMS.items():
        for name in (column, *names):
            index.setdefault(fold(name), column)
    return index


def _value_index() -> dict[str, dict[str, str]]:
    return {
        column: {fold(name): value for value, names in spellings.items() for name in names}
        for column, spellings in VALUE_SYNONYMS.items()
    }


COLUMN_INDEX = _column_index()
VALUE_INDEX = _value_index()


def column_for(header: object) -> str | None:
    """The schema column a header names through a synonym (None when it names none)."""
    return COLUMN_INDEX.get(fold(header))


def value_for(column: str, text: str) -> str | None:
    """The schema value a cell spells through a synonym (None when it spells none)."""
    return VALUE_INDEX.get(column, {}).get(fold(text))
