"""SeREADipity: recommend books like the ones you enjoyed.

Four criteria (synopsis, genre, literary period, award-winning author), each a similarity in
[0, 1], combined by a weighted sum with weights normalised to sum to 1.

Example::

    from sereadipity import Recommender
    recommender = Recommender.from_catalog()
    recommender.recommend(["On the Origin of Species"], top=5)
"""

from sereadipity.errors import SereadipityError

__all__ = ["Recommender", "SereadipityError", "load_catalog"]


def __getattr__(name: str) -> object:
    # Lazy: importing the package must stay cheap for the CLI's start-up time.
    if name == "Recommender":
        from sereadipity.recommend import Recommender

        return Recommender
    if name == "load_catalog":
        from sereadipity.catalog import load_catalog

        return load_catalog
    raise AttributeError(name)
