"""Similar demands: TF-IDF cosine over character n-grams, on plain data so any app can call it.

`similar_pairs(texts, threshold)` is the hook `minqing.alerts.similarity` looks for; `nearest` serves
"similar past demands" while a worker reads one; `pairs_above` and `union_groups` serve hot issues.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

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


class StoredVectors:
    """Ranking without fitting per request (issue 19): a vectoriser fitted once per process on the corpus
    of the first request, and each demand's vector kept (per id, or per id and text) once computed, so a view
    only reads and vectorises the demands it has not seen yet and multiplies stored rows.

    The idf comes from that first corpus. It is fitted again when fewer than half of the current corpus
    was in it (the corpus moved on, or another data set) or after REFIT_SECONDS; a refit drops the stored
    vectors. Query n-grams unknown to the fit are left out, as they are from every stored vector.
    """

    REFIT_SECONDS = 6 * 3600
    MAX_ROWS = 200_000

    def __init__(self):
        self.vectorizer = None
        self.fitted_keys: set = set()
        self.fitted_at = 0.0
        self.rows: dict = {}
        self.fits = 0
        self._packed: _Packed | None = None

    def _fit(self, keys: list, texts: list[str]) -> None:
        self.vectorizer = fit_vectorizer(texts, SPEC)
        self.fitted_keys, self.fitted_at, self.rows = set(keys), time.monotonic(), {}
        self.fits += 1

    def _stale(self, keys: list) -> bool:
        if self.vectorizer is None or time.monotonic() - self.fitted_at > self.REFIT_SECONDS:
            return True
        return sum(k in self.fitted_keys for k in keys) * 2 < len(keys)

    def nearest(self, query: str, corpus: list[dict], *, k: int = 5, text_key: str = "text",
                id_key: str = "id") -> list[Neighbour]:
        """`nearest` over a corpus given with its texts; a changed text is a new key, so it is vectorised again."""
        keys = [(item[id_key], hash(item[text_key])) for item in corpus]
        text_by_key = dict(zip(keys, (item[text_key] for item in corpus)))
        found = self.nearest_keys(query, keys, lambda wanted: [text_by_key[key] for key in wanted], k=k)
        return [Neighbour(key[0], score, duplicate) for key, score, duplicate in found]

    def nearest_ids(self, query: str, ids: list, texts_of, *, k: int = 5) -> list[Neighbour]:
        """`nearest` over records given by key only: `texts_of(keys)` returns {key: text} and is called only
        for the keys with no stored vector, so a warm process reads no texts at all. For texts that do not
        change once written (a demand's title and words are the resident's and are never edited)."""
        def texts(wanted):
            found = texts_of(wanted)
            return [found.get(key, "") for key in wanted]

        return [Neighbour(key, score, duplicate) for key, score, duplicate in self.nearest_keys(query, ids, texts, k=k)]

    def nearest_keys(self, query: str, keys: list, texts_of, *, k: int = 5) -> list[tuple]:
        """(key, cosine, likely duplicate) of the k best of `keys`; `texts_of(keys)` gives texts in order."""
        if not keys:
            return []
        keys = tuple(keys)
        packed = self._packed
        if packed is None or packed.fits != self.fits or packed.keys != keys or self._expired():
            packed = self._pack(keys, texts_of)
        q = packed.vectorizer.transform([query])
        dense = np.zeros(len(packed.vectorizer.terms), dtype=np.float64)
        dense[q.indices] = q.data
        scores = packed.matrix @ dense
        order = np.argsort(-scores, kind="stable")[:k]
        return [(keys[i], round(float(scores[i]), 4), bool(scores[i] >= DUPLICATE_AT))
                for i in order if scores[i] > 1e-9]

    def _expired(self) -> bool:
        return time.monotonic() - self.fitted_at > self.REFIT_SECONDS

    def _pack(self, keys: tuple, texts_of) -> _Packed:
        """The stored rows of `keys` as one matrix (fitting or vectorising what is missing), kept for the next
        call with the same keys: a scope's candidates stay the same for a minute (insight.selectors), and
        gathering 2,000 stored rows into a matrix was most of a view's ranking time (~1.5 ms of 2)."""
        known = None
        if self._stale(keys):
            known = texts_of(keys)
            self._fit(keys, known)
        vectorizer, rows = self.vectorizer, self.rows  # one consistent pair, even if another thread refits
        missing = [key for key in keys if key not in rows]
        if missing:
            if len(rows) + len(missing) > self.MAX_ROWS:
                rows.clear()
                missing = list(keys)
            fresh = vectorizer.transform(known if known is not None and len(missing) == len(keys)
                                         else texts_of(missing))
            for n, key in enumerate(missing):
                lo, hi = fresh.indptr[n], fresh.indptr[n + 1]
                rows[key] = (fresh.indices[lo:hi], fresh.data[lo:hi])
        stored = [rows[key] for key in keys]
        indptr = np.concatenate([[0], np.cumsum([len(r[0]) for r in stored])])
        matrix = csr_matrix((np.concatenate([r[1] for r in stored]).astype(np.float64),
                             np.concatenate([r[0] for r in stored]), indptr),
                            shape=(len(keys), len(vectorizer.terms)))
        packed = self._packed = _Packed(keys, vectorizer, matrix, self.fits)
        return packed


@dataclass(frozen=True)
class _Packed:
    keys: tuple
    vectorizer: object
    matrix: object  # scipy CSR, one l2-normalised row per key
    fits: int  # the fit it was made with


stored_vectors = StoredVectors()


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
