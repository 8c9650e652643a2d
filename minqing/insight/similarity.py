"""Similar demands: TF-IDF cosine over character n-grams, on plain data so any app can call it.

`similar_pairs(texts, threshold)` is the hook `minqing.alerts.similarity` looks for; `nearest` serves
"similar past demands" while a worker reads one; `pairs_above` and `union_groups` serve hot issues.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .features import FeatureSpec, fit_vectorizer

# max_df=1: with two or three texts, a shared n-gram is exactly what must count
SPEC = FeatureSpec(max_n=2, min_n=1, head_chars=0, head_weight=0.0, min_df=1, max_df=1.0)
DUPLICATE_AT = 0.8  # above this cosine two demands are proposed as likely duplicates


@dataclass(frozen=True)
class Neighbour:
    id: object
    score: float
    likely_duplicate: bool


def pairs_above(matrix, threshold: float) -> list[tuple[int, int, float]]:
    """(i, j, cosine) for i < j with cosine ≥ threshold; rows of `matrix` are l2-normalised (scipy CSR)."""
    gram = (matrix @ matrix.T).tocoo()
    keep = (gram.row < gram.col) & (gram.data >= threshold - 1e-6)
    return [(int(i), int(j), float(s)) for i, j, s in zip(gram.row[keep], gram.col[keep], gram.data[keep])]


def similar_pairs(texts: list[str], threshold: float) -> list[tuple[int, int, float]]:
    """Every pair of texts at least `threshold` alike (cosine 0–1), i < j."""
    if len(texts) < 2:
        return []
    matrix = fit_vectorizer(texts, SPEC).transform(texts).to_scipy()
    return pairs_above(matrix, threshold)


def nearest(query: str, corpus: list[dict], *, k: int = 5, text_key: str = "text",
            id_key: str = "id") -> list[Neighbour]:
    """The k past demands most alike `query`; corpus items are dicts with at least an id and a text."""
    if not corpus:
        return []
    texts = [item[text_key] for item in corpus]
    vectorizer = fit_vectorizer(texts + [query], SPEC)
    matrix = vectorizer.transform(texts + [query]).to_scipy()
    scores = (matrix[:-1] @ matrix[-1].T).toarray().ravel()
    order = np.argsort(-scores)[:k]
    return [Neighbour(corpus[i][id_key], round(float(scores[i]), 4), bool(scores[i] >= DUPLICATE_AT))
            for i in order if scores[i] > 0]


def union_groups(count: int, links: list[tuple[int, int]]) -> list[list[int]]:
    """Connected groups of 0..count-1 given pairwise links, each sorted, largest first."""
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]  # path halving keeps the trees flat
            i = parent[i]
        return i

    for a, b in links:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    found: dict[int, list[int]] = {}
    for i in range(count):
        found.setdefault(root(i), []).append(i)
    return sorted(found.values(), key=lambda g: (-len(g), g[0]))
