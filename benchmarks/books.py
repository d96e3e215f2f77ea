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

"before" is the recommender as it was (MiniLM synopsis, period exp(-gap/30) with 0.5 for an
unknown year, the award flag, weights 5/5/2/1, old edition key, no author limit).

Run: ``python benchmarks/books.py [--cache-dir DIR] [--tune] [--skip-speed]``
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from sereadipity.genres import idf_jaccard_matrix
from sereadipity.recommend import (
    DEFAULT_WEIGHTS,
    SAME_AUTHOR_MAX,
    Recommender,
    default_cache_dir,
)
from sereadipity.similarity import (
    CRITERIA,
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


def legacy_scorer(recommender: Recommender) -> Scorer:
    features = recommender.features
    weights = normalise_weights({"synopsis": 5, "genre": 5, "period": 2, "award": 1})

    def score(q: int) -> np.ndarray:
        return (
            weights["synopsis"] * embedding_similarity(features, q)
            + weights["genre"] * genre_similarity(features, q)
            + weights["period"] * period_similarity(features, q, tau=30.0, unknown=0.5)
            + weights["award"] * features.award
        )

    return score


# --- measuring ------------------------------------------------------------------------------


class Judge:
    """Shelves, authors, fiction flags and the independent same-work check of every book."""

    def __init__(self, recommender: Recommender) -> None:
        catalog = recommender.catalog
        self.recommender = recommender
        self.shelves = [set(filter(None, s.split("|"))) for s in catalog["bookshelves"]]
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


def rankings(recommender: Recommender) -> list[Ranking]:
    features = recommender.features
    tie = partial(content_similarity, features)
    alone_tie = random_tie(len(features))
    rng = np.random.default_rng(SEED)
    return [
        Ranking(
            "before: " + "synopsis=5,genre=5,period=2,award=1 (old criteria)",
            legacy_scorer(recommender),
            legacy_exclusion=True,
            same_author_max=TOP,
        ),
        Ranking(
            "after: default " + _weights_text(DEFAULT_WEIGHTS),
            weighted(recommender, DEFAULT_WEIGHTS),
            tie,
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


def quality_table(judge: Judge, queries: np.ndarray, title: str) -> None:
    print(f"\n## {title}: top {TOP}, {len(queries)} queries (seed {SEED})\n")
    print("| ranking | shelf p@10 | specific p@10 | authors | leaks | crossings |")
    print("| --- | --- | --- | --- | --- | --- |")
    for ranking in rankings(judge.recommender):
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
    print("\n| weights | shelf p@10 | specific p@10 | authors |\n| --- | --- | --- | --- |")
    results = []
    content = partial(content_similarity, features)
    for s, g, p, a in itertools.product((2, 3, 5), (5, 7, 10), (0, 1, 2), (0, 1)):
        weights = {"synopsis": s, "genre": g, "period": p, "award": a}
        m = judge.measure(Ranking("", weighted(judge.recommender, weights), content), queries)
        results.append((m["shelf"], m["specific"], m["authors"], _weights_text(weights)))
    for shelf, specific, authors, text in sorted(results, reverse=True)[:12]:
        print(f"| {text} | {shelf:.3f} | {specific:.3f} | {authors:.2f} |")
    with_period = {**DEFAULT_WEIGHTS, "period": 2.0}
    print(f"\n| period tau, weights {_weights_text(with_period)} | shelf p@10 | specific p@10 |")
    print("| --- | --- | --- |")
    for tau in (10, 20, 30, 50, 80):
        criteria = {**CRITERIA, "period": partial(period_similarity, tau=tau)}
        scorer = weighted(judge.recommender, with_period, criteria)
        m = judge.measure(Ranking("", scorer, content), queries)
        print(f"| {tau} | {m['shelf']:.3f} | {m['specific']:.3f} |")


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
        synopsis, idf_jaccard_matrix(label_sets), years, (rng.random(n) < 0.02).astype(float)
    )
    return Recommender(catalog, features)


def _weights_text(weights: Mapping[str, float]) -> str:
    return ",".join(f"{k}={v:g}" for k, v in weights.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache-dir", type=Path, default=default_cache_dir())
    parser.add_argument("--tune", action="store_true", help="search constants and weights")
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    recommender = Recommender.from_catalog(cache_dir=args.cache_dir, progress=True)
    judge = Judge(recommender)
    reported, tuning = split_queries(judge)
    assert not set(reported) & set(tuning)
    print(f"broad shelves (>= {SPECIFIC_SHELF_SHARE:.0%} of books): {sorted(judge.broad)}")
    if args.tune:
        tune(judge, tuning)
    quality_table(judge, reported, "Quality, held-out queries")
    examples(recommender)
    if not args.skip_speed:
        speed(recommender, args.cache_dir)


if __name__ == "__main__":
    main()
