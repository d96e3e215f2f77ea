"""Quality and speed of SeREADipity, printed as tables.

Quality: for 100 random catalogue books (seed 0) that have at least one ``Category: ...``
bookshelf, the mean share of the top 10 recommendations that share such a category with the
query, for several weightings, each criterion alone, a TF-IDF synopsis baseline and the genre
formulas. Speed: start-to-first-answer of the command with a warm cache, and one query's
latency over the 937 books and over 100,000 synthetic books.

Run: ``.venv/bin/python benchmarks/books.py [--cache-dir DIR]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from sereadipity.genres import GENRE_FORMULAS, genre_labels
from sereadipity.recommend import DEFAULT_WEIGHTS, Recommender, default_cache_dir, top_rows
from sereadipity.similarity import CRITERIA, BookFeatures, cosine_to_unit, weighted_score

SEED, QUERIES, TOP = 0, 100, 10
DARWIN = "On the Origin of Species"
Scorer = Callable[[int], np.ndarray]


def categories(catalog: pd.DataFrame) -> list[set[str]]:
    """The ``Category: ...`` bookshelves of every book."""
    return [
        {s for s in shelves.split("|") if s.startswith("Category:")}
        for shelves in catalog["bookshelves"]
    ]


def category_precision(recommender: Recommender, scorer: Scorer, queries: np.ndarray) -> float:
    """Mean share of the top 10 (other works only) sharing a category with the query."""
    cats = categories(recommender.catalog)
    shares = []
    for query in queries:
        score = np.where(recommender.excluded([query]), -np.inf, scorer(query))
        top = top_rows(score, TOP, recommender.works)
        shares.append(np.mean([bool(cats[query] & cats[row]) for row in top]))
    return float(np.mean(shares))


def weighted_scorer(recommender: Recommender, weights: Mapping[str, float]) -> Scorer:
    return lambda q: weighted_score(recommender.components([q]), weights)


def tfidf_scorer(catalog: pd.DataFrame) -> Scorer:
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(catalog["text"])
    return lambda q: cosine_to_unit((matrix @ matrix[q].T).toarray().ravel())


def genre_scorer(recommender: Recommender, formula: str, shelves: bool) -> Scorer:
    catalog = recommender.catalog
    labels = [
        genre_labels(s, b, shelves=shelves)
        for s, b in zip(catalog["subjects"], catalog["bookshelves"], strict=True)
    ]
    features = BookFeatures(
        recommender.features.synopsis,
        GENRE_FORMULAS[formula](labels),
        recommender.features.active_year,
        recommender.features.award,
    )
    return lambda q: CRITERIA["genre"](features, q)


def quality_table(recommender: Recommender, queries: np.ndarray) -> None:
    rows: list[tuple[str, Scorer]] = [
        (
            "default " + _weights_text(DEFAULT_WEIGHTS),
            weighted_scorer(recommender, DEFAULT_WEIGHTS),
        ),
        (
            "equal synopsis=5,genre=5,period=5,award=5",
            weighted_scorer(recommender, dict.fromkeys(CRITERIA, 5.0)),
        ),
        *((f"{name} alone", weighted_scorer(recommender, {name: 1.0})) for name in CRITERIA),
        ("baseline: TF-IDF synopsis cosine", tfidf_scorer(recommender.catalog)),
    ]
    print(f"\n## Quality: category precision@{TOP}, {len(queries)} queries (seed {SEED})\n")
    print("| ranking | precision@10 |\n| --- | --- |")
    for name, scorer in rows:
        print(f"| {name} | {category_precision(recommender, scorer, queries):.3f} |")


def genre_table(recommender: Recommender, queries: np.ndarray) -> None:
    print("\n## Genre formula, genre criterion alone (precision@10)\n")
    print("| formula | subjects + bookshelves | subjects only (shelves held out) |")
    print("| --- | --- | --- |")
    for formula in GENRE_FORMULAS:
        both = category_precision(recommender, genre_scorer(recommender, formula, True), queries)
        subjects = category_precision(
            recommender, genre_scorer(recommender, formula, False), queries
        )
        print(f"| {formula} | {both:.3f} | {subjects:.3f} |")


def sanity(recommender: Recommender) -> None:
    print(f"\n## Sanity: {DARWIN!r}\n")
    for label, weights in (
        ("default weights", DEFAULT_WEIGHTS),
        ("period slider only", {"period": 10.0}),
    ):
        print(f"{label}:")
        for r in recommender.recommend([DARWIN], weights, TOP):
            shelves = recommender.catalog["bookshelves"].iloc[r.row].replace("Category: ", "")
            book = f"{r.title[:55]:55} | {r.author[:28]:28} {r.years:11}"
            print(f"  {r.rank:2}. {book} | {shelves[:60]}")


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
    row = recommender.find(DARWIN)
    latency = _latency(recommender, row)
    print(
        f"- one query over {len(recommender.features)} books: {latency:.2f} ms median (goal < 20)"
    )
    synthetic = synthetic_recommender(100_000)
    latency = _latency(synthetic, 0)
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
    from sereadipity.genres import idf_jaccard_matrix

    rng = np.random.default_rng(seed)
    synopsis = rng.standard_normal((n, 384)).astype(np.float32)
    synopsis /= np.linalg.norm(synopsis, axis=1, keepdims=True)
    label_sets = [set(map(str, rng.choice(labels, size=6, replace=False))) for _ in range(n)]
    years = rng.uniform(-800, 2000, n)
    catalog = pd.DataFrame(
        {
            "title": [f"Book {i}" for i in range(n)],
            "author": "Synthetic",
            "years": "",
            "summary": "",
            "edition_key": [f"w{i}" for i in range(n)],
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
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    recommender = Recommender.from_catalog(cache_dir=args.cache_dir, progress=True)
    cats = categories(recommender.catalog)
    eligible = np.flatnonzero([bool(c) for c in cats])
    queries = np.random.default_rng(SEED).choice(eligible, size=QUERIES, replace=False)
    quality_table(recommender, queries)
    genre_table(recommender, queries)
    sanity(recommender)
    if not args.skip_speed:
        speed(recommender, args.cache_dir)


if __name__ == "__main__":
    main()
