"""Quality and speed of SeREADipity, before and after, printed as tables.

Queries: the catalogue books with at least one bookshelf, shuffled with seed 0; the first 100
are the reported queries, the next 200 the tuning queries (``--tune`` searches the criteria's
constants and the default weights on those only). For every ranking the top 10 (liked work
excluded, one book per work) is measured by

- shelf p@10: share of the 10 books sharing any bookshelf with the query;
- specific p@10: the same over "specific" shelves, held by under 10% of the catalogue (not
  "Novels", "British Literature", "Classics of Literature", "Philosophy & Ethics");
- authors: distinct authors among the 10;
- leaks: books that an independent check (rapidfuzz on main titles, same author, or a
  collection of the author's works) calls the same work as the query; must be 0;
- crossings: books on the other side of the fiction / non-fiction line, per list.

Two quality tables are printed. The metric reads the bookshelves, so a genre criterion that
reads them too is graded on its own input: the first table ("genre reads subjects AND
shelves") lets the genre labels read them and is circular; the second is the product as
shipped, whose genre reads the subject headings and the form the summary states (never a
shelf), and is the non-circular figure to report. ``--tune`` also compares genre
representations with the shelves held out, searches the weights in that setting, measures
ideas that were not shipped, and runs a "shelf split" (the criterion reads half of the shelf
names, the metric grades with the other half) to decide whether the product should read
shelves at all. In the genre comparison the tie-break and the award bonus use the shipped
genre criterion.

"before" is the recommender as it was (MiniLM synopsis, period exp(-gap/30) with 0.5 for an
unknown year, the award flag, weights 5/5/2/1, old edition key, no author limit).

Run: ``python benchmarks/books.py [--cache-dir DIR] [--tune] [--skip-speed]``
"""

from __future__ import annotations

import argparse
import copy
import itertools
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from sereadipity.genres import genre_labels, idf_jaccard_matrix
from sereadipity.recommend import (
    DEFAULT_WEIGHTS,
    GENRE_READS_SHELVES,
    SAME_AUTHOR_MAX,
    Recommender,
    default_cache_dir,
)
from sereadipity.similarity import (
    CRITERIA,
    GENRE_IDF_POWER,
    BookFeatures,
    content_similarity,
    embedding_similarity,
    genre_similarity,
    normalise_weights,
    period_similarity,
    synopsis_similarity,
    tfidf_similarity,
)
from sereadipity.works import main_title

SEED, REPORTED, TUNING, TOP = 0, 100, 200, 10
# The defaults of the previous round (genre: IDF-Jaccard of the subject labels only).
PREVIOUS_WEIGHTS = {"synopsis": 7.0, "genre": 5.0, "period": 0.0, "award": 1.0}
SPECIFIC_SHELF_SHARE = 0.10
DARWIN = "On the Origin of Species"
Scorer = Callable[[int], np.ndarray]


@dataclass(frozen=True)
class Ranking:
    """How one row of the table ranks: score and tie per query, exclusion, author limit."""

    name: str
    score: Scorer
    tie: Scorer | None = None
    legacy_exclusion: bool = False
    same_author_max: int = SAME_AUTHOR_MAX


# --- the recommender as it was, for the "before" row --------------------------------------

_OLD_NUMERAL = r"([ivxlcdm]+|\d+|one|two|three|four|five|six|seven|eight|nine|ten|\w+teen)"
_OLD_VOLUME = re.compile(rf"[\s,—-]*[(\[]?\b(tome|volume|vol|part)\.?\s+{_OLD_NUMERAL}\b.*$", re.I)
_OLD_COMPLETE = re.compile(r"[\s,—-]+complete\s*$", re.I)


def legacy_edition_key(title: str, authors: str) -> str:
    """The edition key before this round (main title and authors, "The" kept)."""
    main = re.split(r"[;:]", title, maxsplit=1)[0]
    main = _OLD_COMPLETE.sub("", _OLD_VOLUME.sub("", main)) or main
    return " ".join(re.sub(r"[^\w ]+", " ", f"{main}|{authors}".lower()).split())


def legacy_genre_labels(subjects: str, bookshelves: str, *, shelves: bool = True) -> set[str]:
    """The genre labels before this round: heading parts and shelves, no hierarchy or form."""
    parts = [part for s in subjects.split("|") if s.strip() for part in s.split(" -- ")]
    if shelves:
        parts += [s.removeprefix("Category: ") for s in bookshelves.split("|") if s.strip()]
    labels: set[str] = set()
    for part in parts:
        label = part.strip().lower()
        labels |= {label, *(p.strip() for p in label.split(" - "))}
        bracketed = re.search(r"\(([^)]*)\)", label)
        if bracketed:
            labels |= {re.sub(r"\(([^)]*)\)", "", label).strip(), bracketed.group(1).strip()}
    return {label for label in labels if label}


def legacy_scorer(recommender: Recommender, *, shelves: bool = True) -> Scorer:
    features = replace(
        recommender.features,
        genre=idf_jaccard_matrix(
            label_sets(recommender, shelves=shelves, labels=legacy_genre_labels, summary=False)
        ),
        genre_embedding=None,
    )
    weights = normalise_weights({"synopsis": 5, "genre": 5, "period": 2, "award": 1})

    def score(q: int) -> np.ndarray:
        return (
            weights["synopsis"] * embedding_similarity(features, q)
            + weights["genre"] * genre_similarity(features, q)
            + weights["period"] * period_similarity(features, q, tau=30.0, unknown=0.5)
            + weights["award"] * features.award
        )

    return score


def label_sets(
    recommender: Recommender,
    *,
    shelves: bool = True,
    labels: Callable[..., set[str]] = genre_labels,
    bookshelves: list[str] | None = None,
    summary: bool = True,
) -> list[set[str]]:
    """Each book's genre labels, from subjects and shelves or (``shelves=False``) subjects only;
    with ``summary`` (the product's labels) also the form the summary states."""
    catalog = recommender.catalog
    shelf_column = catalog["bookshelves"].tolist() if bookshelves is None else bookshelves
    if not summary:
        return [
            labels(s, b, shelves=shelves)
            for s, b in zip(catalog["subjects"], shelf_column, strict=True)
        ]
    return [
        labels(s, b, shelves=shelves, summary=t)
        for s, b, t in zip(catalog["subjects"], shelf_column, catalog["text"], strict=True)
    ]


KEEP = object()


def with_genre(recommender: Recommender, genre: object, embedding: object = KEEP) -> Recommender:
    """The same recommender (works, awards, synopsis, years) with another genre matrix and,
    when given, another genre embedding (None: labels only)."""
    other = copy.copy(recommender)
    changes = (
        {"genre": genre} if embedding is KEEP else {"genre": genre, "genre_embedding": embedding}
    )
    other.features = replace(recommender.features, **changes)
    return other


def product_genre(labels: list[set[str]]) -> object:
    return idf_jaccard_matrix(labels, GENRE_IDF_POWER)


def shelves_held_out(recommender: Recommender) -> Recommender:
    """The recommender whose genre criterion never reads a bookshelf (as shipped)."""
    return with_genre(recommender, product_genre(label_sets(recommender, shelves=False)))


def shelves_read(recommender: Recommender) -> Recommender:
    """The recommender whose genre labels also read the bookshelves (circular here)."""
    return with_genre(recommender, product_genre(label_sets(recommender, shelves=True)))


def previous_round(recommender: Recommender, *, shelves: bool = False) -> Recommender:
    """The previous round's genre: IDF-Jaccard of the subject labels, no stated form, no
    embedding (``shelves``: with the shelves too, as in the circular table)."""
    labels = label_sets(recommender, shelves=shelves, summary=False)
    return with_genre(recommender, idf_jaccard_matrix(labels), None)


# --- measuring ------------------------------------------------------------------------------


def book_shelves(catalog: pd.DataFrame) -> list[set[str]]:
    return [set(filter(None, s.split("|"))) for s in catalog["bookshelves"]]


class Judge:
    """Shelves, authors, fiction flags and the independent same-work check of every book."""

    def __init__(self, recommender: Recommender, shelves: list[set[str]] | None = None) -> None:
        catalog = recommender.catalog
        self.recommender = recommender
        self.shelves = shelves if shelves is not None else book_shelves(catalog)
        counts = pd.Series([s for shelves in self.shelves for s in shelves]).value_counts()
        broad = set(counts[counts >= SPECIFIC_SHELF_SHARE * len(catalog)].index)
        self.broad = broad
        self.specific = [shelves - broad for shelves in self.shelves]
        self.first_author = [a.split("|")[0].strip().casefold() for a in catalog["authors"]]
        self.fiction = catalog["fiction"].to_numpy(dtype=bool)
        self.mains = [main_title(t).casefold() for t in catalog["title"]]
        legacy = [
            legacy_edition_key(t, a)
            for t, a in zip(catalog["title"], catalog["authors"], strict=True)
        ]
        self.legacy_works = pd.factorize(pd.Series(legacy))[0]
        self._excluded: dict[int, np.ndarray] = {}

    def grading(self, recommender: Recommender) -> Judge:
        """The same grading (shelves, work check, cached exclusions) of another recommender."""
        other = copy.copy(self)
        other.recommender = recommender
        return other

    def excluded(self, q: int) -> np.ndarray:
        """The recommender's same-work mask of query ``q`` (cached: the grid reuses it)."""
        if q not in self._excluded:
            self._excluded[q] = self.recommender.excluded([q])
        return self._excluded[q]

    def same_work(self, a: int, b: int) -> bool:
        """Independent of works.py: same author and near-equal main titles, or a collection."""
        author = self.first_author[a]
        anonymous = author in {"", "various", "anonymous"}
        if author != self.first_author[b]:
            return False
        if anonymous:
            return fuzz.ratio(self.mains[a].split(",")[0], self.mains[b].split(",")[0]) >= 90
        close = fuzz.token_set_ratio(self.mains[a], self.mains[b]) >= 90
        return close or any(re.search(r"\bworks\b", self.mains[x]) for x in (a, b))

    def top(self, ranking: Ranking, q: int) -> list[int]:
        recommender = self.recommender
        score = ranking.score(q)
        tie = ranking.tie(q) if ranking.tie else np.zeros(len(score))
        if ranking.legacy_exclusion:
            excluded = self.legacy_works == self.legacy_works[q]
        else:
            excluded = self.excluded(q)
        picks = recommender.rank([score], [tie], excluded, TOP, ranking.same_author_max)
        return [row for row, _ in picks]

    def measure(self, ranking: Ranking, queries: np.ndarray) -> dict[str, float]:
        rows = {"shelf": [], "specific": [], "authors": [], "leaks": [], "crossings": []}
        for q in queries:
            top = self.top(ranking, int(q))
            rows["shelf"].append(np.mean([bool(self.shelves[q] & self.shelves[r]) for r in top]))
            rows["specific"].append(
                np.mean([bool(self.specific[q] & self.specific[r]) for r in top])
            )
            rows["authors"].append(len({self.first_author[r] or f"#{r}" for r in top}))
            rows["leaks"].append(sum(self.same_work(int(q), r) for r in top))
            rows["crossings"].append(sum(self.fiction[q] != self.fiction[r] for r in top))
        result = {k: float(np.mean(v)) for k, v in rows.items()}
        result["leaks"] = float(np.sum(rows["leaks"]))
        return result


def split_queries(judge: Judge) -> tuple[np.ndarray, np.ndarray]:
    """Reported and tuning queries: disjoint, from the books with at least one shelf."""
    eligible = np.flatnonzero([bool(s) for s in judge.shelves])
    shuffled = np.random.default_rng(SEED).permutation(eligible)
    return shuffled[:REPORTED], shuffled[REPORTED : REPORTED + TUNING]


# --- the rankings ---------------------------------------------------------------------------


def weighted(
    recommender: Recommender, weights: Mapping[str, float], criteria: Mapping | None = None
) -> Scorer:
    normalised = normalise_weights(weights)
    features = recommender.features
    criteria = CRITERIA if criteria is None else criteria

    def score(q: int) -> np.ndarray:
        total = np.zeros(len(features))
        for name, weight in normalised.items():
            if weight:
                total += weight * criteria[name](features, q)
        return total

    return score


def random_tie(n: int) -> Scorer:
    """Random, per-query reproducible ties: a criterion alone is not helped by the tie-break."""
    return lambda q: np.random.default_rng(q).random(n)


def rankings(recommender: Recommender, *, shelves: bool = True) -> list[Ranking]:
    """The rows of one table; ``shelves`` says whether the genre criterion reads bookshelves."""
    features = recommender.features
    tie = partial(content_similarity, features)
    alone_tie = random_tie(len(features))
    rng = np.random.default_rng(SEED)
    defaults = [("after: default ", DEFAULT_WEIGHTS)]
    if dict(PREVIOUS_WEIGHTS) != dict(DEFAULT_WEIGHTS):
        defaults.append(("previous default ", PREVIOUS_WEIGHTS))
    previous = previous_round(recommender, shelves=shelves)
    return [
        Ranking(
            "before: " + "synopsis=5,genre=5,period=2,award=1 (old criteria)",
            legacy_scorer(recommender, shelves=shelves),
            legacy_exclusion=True,
            same_author_max=TOP,
        ),
        *(
            Ranking(label + _weights_text(weights), weighted(recommender, weights), tie)
            for label, weights in defaults
        ),
        Ranking(
            "previous round: genre IDF-Jaccard of subject labels, "
            + _weights_text(PREVIOUS_WEIGHTS),
            weighted(previous, PREVIOUS_WEIGHTS),
            partial(content_similarity, previous.features),
        ),
        Ranking("baseline: TF-IDF synopsis cosine", partial(tfidf_similarity, features), alone_tie),
        Ranking(
            "baseline: MiniLM synopsis cosine (old synopsis)",
            partial(embedding_similarity, features),
            alone_tie,
        ),
        *(
            Ranking(f"{name} alone (random ties)", weighted(recommender, {name: 1.0}), alone_tie)
            for name in CRITERIA
        ),
        Ranking(
            "award alone (product tie-break: content)", weighted(recommender, {"award": 1.0}), tie
        ),
        Ranking("random", lambda q: rng.random(len(features))),
    ]


def quality_table(judge: Judge, queries: np.ndarray, title: str, *, shelves: bool = True) -> None:
    print(f"\n## {title}: top {TOP}, {len(queries)} queries (seed {SEED})\n")
    print("| ranking | shelf p@10 | specific p@10 | authors | leaks | crossings |")
    print("| --- | --- | --- | --- | --- | --- |")
    for ranking in rankings(judge.recommender, shelves=shelves):
        m = judge.measure(ranking, queries)
        print(
            f"| {ranking.name} | {m['shelf']:.3f} | {m['specific']:.3f} | {m['authors']:.2f} "
            f"| {m['leaks']:.0f} | {m['crossings']:.2f} |"
        )


# --- tuning (on the tuning queries only) --------------------------------------------------


def tune(judge: Judge, queries: np.ndarray) -> None:
    features = judge.recommender.features
    tie = random_tie(len(features))
    print(f"\n## Tuning on {len(queries)} tuning queries (disjoint from the reported ones)\n")
    print("| synopsis embedding share | shelf p@10 (synopsis alone) |\n| --- | --- |")
    for share in (0.0, 0.25, 0.5, 0.75, 1.0):
        score = partial(synopsis_similarity, features, embedding_share=share)
        print(f"| {share} | {judge.measure(Ranking('', score, tie), queries)['shelf']:.3f} |")
    print("\n| period tau | unknown-year value | shelf p@10 (period alone) |\n| --- | --- | --- |")
    for tau, unknown in itertools.product((10, 20, 30, 50, 80), (0.0, 0.05, 0.1, 0.2, 0.5)):
        score = partial(period_similarity, features, tau=tau, unknown=unknown)
        shelf = judge.measure(Ranking("", score, tie), queries)["shelf"]
        print(f"| {tau} | {unknown} | {shelf:.3f} |")
    content = partial(content_similarity, features)
    with_period = {**DEFAULT_WEIGHTS, "period": 2.0}
    print(f"\n| period tau, weights {_weights_text(with_period)} | shelf p@10 | specific p@10 |")
    print("| --- | --- | --- |")
    for tau in (10, 20, 30, 50, 80):
        criteria = {**CRITERIA, "period": partial(period_similarity, tau=tau)}
        scorer = weighted(judge.recommender, with_period, criteria)
        m = judge.measure(Ranking("", scorer, content), queries)
        print(f"| {tau} | {m['shelf']:.3f} | {m['specific']:.3f} |")


WEIGHT_GRID = ((3, 5, 7, 10), (3, 5, 7, 10), (0, 1, 2), (0, 1))
MIN_AUTHORS = 8.5


def weights_grid(judge: Judge, queries: np.ndarray, setting: str) -> dict[str, float]:
    """Every weight combination of WEIGHT_GRID; the best shelf p@10 with >= 8.5 authors."""
    print(f"\n| weights ({setting}) | shelf p@10 | specific p@10 | authors |")
    print("| --- | --- | --- | --- |")
    results = []
    content = partial(content_similarity, judge.recommender.features)
    for s, g, p, a in itertools.product(*WEIGHT_GRID):
        weights = {"synopsis": s, "genre": g, "period": p, "award": a}
        m = judge.measure(Ranking("", weighted(judge.recommender, weights), content), queries)
        results.append((m["shelf"], m["specific"], m["authors"], _weights_text(weights), weights))
    results.sort(key=lambda r: r[:3], reverse=True)
    for shelf, specific, authors, text, _ in results[:12]:
        print(f"| {text} | {shelf:.3f} | {specific:.3f} | {authors:.2f} |")
    best = next(r for r in results if r[2] >= MIN_AUTHORS)
    print(f"\nbest with >= {MIN_AUTHORS} authors ({setting}): {best[3]} ({best[0]:.3f})")
    return best[4]


def tune_held_out(judge: Judge, queries: np.ndarray) -> None:
    """Genre representations and the weights, shelves held out from the criterion."""
    recommender = judge.recommender
    print(f"\n## Shelves held out from the criterion: tuning on {len(queries)} tuning queries\n")
    subjects = label_sets(recommender, shelves=False, summary=False)
    stated = label_sets(recommender, shelves=False)
    embedding = recommender.features.genre_embedding
    representations = {
        "IDF-Jaccard of subject labels (previous round)": (idf_jaccard_matrix(subjects), None, 0),
        "IDF-Jaccard of subject + stated-form labels": (idf_jaccard_matrix(stated), None, 0),
        "idf^0.5-Jaccard of subject + stated-form labels": (
            idf_jaccard_matrix(stated, 0.5),
            None,
            0,
        ),
        "plain Jaccard of subject + stated-form labels": (idf_jaccard_matrix(stated, 0), None, 0),
        "MiniLM of the genre text (stated form; headings) alone": (
            idf_jaccard_matrix(stated, 0),
            embedding,
            1.0,
        ),
        "0.5 IDF-Jaccard of subject labels + 0.5 MiniLM": (
            idf_jaccard_matrix(subjects),
            embedding,
            0.5,
        ),
        "0.5 IDF-Jaccard of subject + stated-form labels + 0.5 MiniLM": (
            idf_jaccard_matrix(stated),
            embedding,
            0.5,
        ),
        **{
            f"{1 - share:g} plain Jaccard of subject + stated-form labels + {share:g} MiniLM": (
                idf_jaccard_matrix(stated, 0),
                embedding,
                share,
            )
            for share in (0.25, 0.5, 0.75)
        },
    }
    tie = random_tie(len(recommender.features))
    print(
        f"| genre representation | genre alone shelf p@10 | authors "
        f"| {_weights_text(DEFAULT_WEIGHTS)} shelf p@10 | specific p@10 | authors |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for name, (matrix, vectors, share) in representations.items():
        other = with_genre(recommender, matrix, vectors)
        criteria = {**CRITERIA, "genre": partial(genre_similarity, embedding_share=share)}
        grading = judge.grading(other)
        alone = grading.measure(Ranking("", weighted(other, {"genre": 1}, criteria), tie), queries)
        content = partial(content_similarity, other.features)
        combined = grading.measure(
            Ranking("", weighted(other, DEFAULT_WEIGHTS, criteria), content), queries
        )
        print(
            f"| {name} | {alone['shelf']:.3f} | {alone['authors']:.2f} | {combined['shelf']:.3f} "
            f"| {combined['specific']:.3f} | {combined['authors']:.2f} |"
        )
    weights_grid(judge, queries, "genre from subjects and stated form, shelves held out")


_CENTURY = re.compile(
    r"\b(early|mid|middle|late|first half of the|second half of the|end of the|beginning of the)?"
    r"[\s-]*(\d+)(?:st|nd|rd|th)[\s-]+century(\s+(?:BC|B\.C\.|BCE))?",
    re.I,
)
_YEAR = re.compile(r"\b(?:in|around|circa|about|c\.)\s+(\d{3,4})(\s*(?:BC|B\.C\.|BCE))?\b")


def stated_year(summary: str) -> float:
    """The year the summary's opening states ("written in the early 19th century": 1820,
    "published in 1844", "around 45 BC": -45); NaN when it states none. Not shipped."""
    head = summary[:300]
    century, year = _CENTURY.search(head), _YEAR.search(head)
    if year and (not century or year.start() < century.start()):
        return -float(year.group(1)) if year.group(2) else float(year.group(1))
    if not century:
        return float("nan")
    qualifier = (century.group(1) or "").lower()
    offset = 50
    if qualifier.startswith(("early", "first", "beginning")):
        offset = 20
    elif qualifier.startswith(("late", "second", "end")):
        offset = 80
    start = (int(century.group(2)) - 1) * 100
    return -(start + 100 - offset) if century.group(3) else float(start + offset)


def percentile_rank(values: np.ndarray) -> np.ndarray:
    """1 for the highest value, 0 for the lowest (ties by position): a rank-fusion criterion."""
    ranks = np.empty(len(values))
    ranks[np.argsort(-values, kind="stable")] = np.arange(len(values))
    return 1 - ranks / max(len(values) - 1, 1)


def tune_not_shipped(judge: Judge, queries: np.ndarray) -> None:
    """Ideas measured on the tuning queries and not shipped (docs/books.md says why)."""
    from scipy import sparse
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    recommender = judge.recommender
    catalog = recommender.catalog
    features = recommender.features
    n = len(features)
    tie = random_tie(n)
    headings = [" ; ".join(s.split("|")) for s in catalog["subjects"]]
    texts = catalog["text"].tolist()

    def tfidf(documents: list[str], **options: object) -> object:
        settings = {"stop_words": "english", "sublinear_tf": True, **options}
        return TfidfVectorizer(**settings).fit_transform(documents).tocsr()

    lsa = normalize(TruncatedSVD(100, random_state=SEED).fit_transform(tfidf(texts)))
    variants = {
        "synopsis TF-IDF over title + subject headings + summary": tfidf(
            [f"{t}. {h}. {x}" for t, h, x in zip(catalog["title"], headings, texts, strict=True)]
        ),
        "synopsis TF-IDF with word bigrams": tfidf(texts, ngram_range=(1, 2)),
        "synopsis TF-IDF min_df=2, max_df=0.5": tfidf(texts, min_df=2, max_df=0.5),
        "synopsis LSA (100 dimensions) of the TF-IDF instead of the TF-IDF": sparse.csr_matrix(lsa),
    }
    print(f"\n## Ideas not shipped: {len(queries)} tuning queries\n")
    print(
        f"| idea | criterion alone shelf p@10 | {_weights_text(DEFAULT_WEIGHTS)} shelf p@10 "
        "| specific p@10 | authors |"
    )
    print("| --- | --- | --- | --- | --- |")

    def row(name: str, other: Recommender, alone: str | None, scorer: Scorer) -> None:
        grading = judge.grading(other)
        single = "-"
        if alone:
            ranking = Ranking("", weighted(other, {alone: 1}), tie)
            single = f"{grading.measure(ranking, queries)['shelf']:.3f}"
        m = grading.measure(
            Ranking("", scorer, partial(content_similarity, other.features)), queries
        )
        print(
            f"| {name} | {single} | {m['shelf']:.3f} | {m['specific']:.3f} | {m['authors']:.2f} |"
        )

    row("shipped (reference)", recommender, "synopsis", weighted(recommender, DEFAULT_WEIGHTS))
    for name, matrix in variants.items():
        other = copy.copy(recommender)
        other.features = replace(features, tfidf=matrix)
        row(name, other, "synopsis", weighted(other, DEFAULT_WEIGHTS))
    stated = np.array([stated_year(t) for t in texts])
    author = features.active_year
    for name, years in (
        ("period from the author's years (shipped)", author),
        ("period from the year the summary states", stated),
        (
            "period from the author's years, else the stated year",
            np.where(np.isnan(author), stated, author),
        ),
    ):
        other = copy.copy(recommender)
        other.features = replace(features, active_year=years)
        row(f"{name}, period=1", other, "period", weighted(other, {**DEFAULT_WEIGHTS, "period": 1}))
    downloads = np.log(catalog["download_count"].to_numpy(dtype=np.float64))
    popularity = (downloads - downloads.min()) / (downloads.max() - downloads.min())
    alone = judge.measure(Ranking("", lambda q: popularity, tie), queries)["shelf"]
    print(f"| popularity (log downloads) alone | {alone:.3f} | - | - | - |")
    base = weighted(recommender, DEFAULT_WEIGHTS)
    for eps in (0.02, 0.05):
        row(
            f"+ {eps} x popularity",
            recommender,
            None,
            lambda q, eps=eps: base(q) + eps * popularity,
        )
    normalised = normalise_weights(DEFAULT_WEIGHTS)

    def fused(q: int) -> np.ndarray:
        return sum(
            weight * percentile_rank(CRITERIA[name](features, q))
            for name, weight in normalised.items()
            if weight
        )

    row("percentile-rank fusion of the criteria, same weights", recommender, None, fused)


def shelf_split(recommender: Recommender, queries: np.ndarray) -> None:
    """Do shelves help the criterion beyond circularity? Read half the shelves, grade the rest.

    The shelf names are split in two at random (seed 0): the criterion reads the subjects and
    the shelves of one half; the metric grades with the other half only, on the tuning queries
    that hold a graded shelf.
    """
    shelves = book_shelves(recommender.catalog)
    vocabulary = sorted(set().union(*shelves))
    order = np.random.default_rng(SEED).permutation(len(vocabulary))
    read = {vocabulary[i] for i in order[: len(vocabulary) // 2]}
    graded = [s - read for s in shelves]
    judge = Judge(recommender, shelves=graded)
    eligible = np.array([q for q in queries if graded[q]])
    visible = ["|".join(sorted(s & read)) for s in shelves]
    settings = {
        "subjects only": shelves_held_out(recommender),
        "subjects + the read half of the shelves": with_genre(
            recommender, product_genre(label_sets(recommender, bookshelves=visible))
        ),
    }
    print(
        f"\n## Shelf split: genre reads {len(read)} of {len(vocabulary)} shelf names, "
        f"graded on the other {len(vocabulary) - len(read)}; {len(eligible)} tuning queries\n"
    )
    print("| genre criterion reads | weights | graded-shelf p@10 | authors |")
    print("| --- | --- | --- | --- |")
    for name, other in settings.items():
        content = partial(content_similarity, other.features)
        for weights in _unique(DEFAULT_WEIGHTS, PREVIOUS_WEIGHTS):
            m = judge.grading(other).measure(
                Ranking("", weighted(other, weights), content), eligible
            )
            print(f"| {name} | {_weights_text(weights)} | {m['shelf']:.3f} | {m['authors']:.2f} |")


# --- examples and speed ---------------------------------------------------------------------


def examples(recommender: Recommender) -> None:
    from sereadipity.i18n import describe

    for liked in (
        ["Frankenstein"],
        ["Pride and Prejudice"],
        ["The War of the Worlds"],
        ["Dracula", DARWIN],
    ):
        print(f"\n## Example: {' + '.join(liked)}\n")
        for r in recommender.recommend(liked, DEFAULT_WEIGHTS, TOP):
            print(f"  {r.rank:2}. {r.title[:50]:50} | {r.author[:24]:24} | {describe(r.why, 'en')}")


def speed(recommender: Recommender, cache_dir: Path) -> None:
    print("\n## Speed (warm cache)\n")
    command = [
        str(Path(sys.executable).with_name("sereadipity")),
        "recommend",
        DARWIN,
        "--json",
        "--cache-dir",
        str(cache_dir),
    ]
    walls = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=os.environ.copy())
        walls.append(time.perf_counter() - start)
    wall = statistics.median(walls) * 1000
    print(f"- start to first answer, `sereadipity recommend ... --json`: {wall:.0f} ms (5 runs)")
    latency = _latency(recommender, recommender.find(DARWIN))
    print(
        f"- one query over {len(recommender.features)} books: {latency:.2f} ms median (goal < 20)"
    )
    latency = _latency(synthetic_recommender(100_000), 0)
    print(f"- one query over 100,000 synthetic books: median {latency:.1f} ms (goal < 200 ms)")


def _latency(recommender: Recommender, row: int, repeats: int = 30) -> float:
    recommender.recommend([row], DEFAULT_WEIGHTS, TOP)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        recommender.recommend([row], DEFAULT_WEIGHTS, TOP)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def synthetic_recommender(n: int, labels: int = 300, seed: int = SEED) -> Recommender:
    """Random unit embeddings, sparse binary genre labels, years and awards for ``n`` books."""
    rng = np.random.default_rng(seed)
    synopsis = rng.standard_normal((n, 384)).astype(np.float32)
    synopsis /= np.linalg.norm(synopsis, axis=1, keepdims=True)
    label_sets = [set(map(str, rng.choice(labels, size=6, replace=False))) for _ in range(n)]
    years = rng.uniform(-800, 2000, n)
    catalog = pd.DataFrame(
        {
            "title": [f"Book {i}" for i in range(n)],
            "authors": [f"Author {i % 5000}" for i in range(n)],
            "author": [f"Author {i % 5000}" for i in range(n)],
            "years": "",
            "summary": "",
        }
    )
    features = BookFeatures(
        synopsis,
        idf_jaccard_matrix(label_sets, GENRE_IDF_POWER),
        years,
        (rng.random(n) < 0.02).astype(float),
    )
    return Recommender(catalog, features)


def _unique(*weights: Mapping[str, float]) -> list[Mapping[str, float]]:
    return [w for i, w in enumerate(weights) if all(dict(w) != dict(v) for v in weights[:i])]


def _weights_text(weights: Mapping[str, float]) -> str:
    return ",".join(f"{k}={v:g}" for k, v in weights.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache-dir", type=Path, default=default_cache_dir())
    parser.add_argument("--tune", action="store_true", help="search constants and weights")
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    recommender = Recommender.from_catalog(cache_dir=args.cache_dir, progress=True)
    assert not GENRE_READS_SHELVES, "the product's genre was to read subjects only"
    shipped = shelves_held_out(recommender)
    assert np.array_equal(shipped.features.genre.vectors, recommender.features.genre.vectors)
    judge = Judge(recommender)
    circular = judge.grading(shelves_read(recommender))
    reported, tuning = split_queries(judge)
    assert not set(reported) & set(tuning)
    print(f"broad shelves (>= {SPECIFIC_SHELF_SHARE:.0%} of books): {sorted(judge.broad)}")
    if args.tune:
        tune(judge, tuning)
        tune_held_out(judge, tuning)
        weights_grid(circular, tuning, "genre reads subjects AND shelves, circular")
        tune_not_shipped(judge, tuning)
        shelf_split(recommender, tuning)
    quality_table(
        circular,
        reported,
        "Quality if the genre labels also read the shelves (circular), held-out queries",
    )
    quality_table(
        judge,
        reported,
        "Quality as shipped: genre from subject headings and stated form, shelves held out "
        "from the criterion "
        "(THE NON-CIRCULAR FIGURE), held-out queries",
        shelves=False,
    )
    examples(recommender)
    if not args.skip_speed:
        speed(recommender, args.cache_dir)


if __name__ == "__main__":
    main()
