"""TF-IDF over character n-grams, held as plain arrays so it needs only numpy to run.

Two blocks of features: the n-grams of the whole message, and again those of its first characters (marked
with a prefix). The head block stands in for the title, which a bare `text` column does not separate: in
5-fold CV it added about 0.005–0.007 macro F1 (docs/insight.md). Each block is l2-normalised on its own and
then weighted, which is what scikit-learn's TfidfVectorizer(sublinear_tf=True) + hstack would give.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np

from .textnorm import normalise

HEAD_PREFIX = "^"


@dataclass(frozen=True)
class FeatureSpec:
    max_n: int = 2
    min_n: int = 1
    head_chars: int = 45
    head_weight: float = 0.5
    min_df: int = 2
    max_df: float = 0.9


@dataclass
class SparseRows:
    """A CSR matrix without scipy: row i holds indices[indptr[i]:indptr[i+1]] with their data."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    n_features: int

    def to_scipy(self):
        from scipy.sparse import csr_matrix  # training and clustering only; prediction stays on numpy

        return csr_matrix((self.data, self.indices, self.indptr), shape=(len(self.indptr) - 1, self.n_features))


@dataclass
class Vectorizer:
    spec: FeatureSpec
    terms: list[str]
    idf: np.ndarray
    index: dict[str, int] = field(default_factory=dict, repr=False)
    head_index: dict[str, int] = field(default_factory=dict, repr=False)
    is_head: np.ndarray = field(default=None, repr=False)

    def __post_init__(self):
        # Two lookups, so the head block's n-grams need no prefix string built per message.
        for i, term in enumerate(self.terms):
            if term.startswith(HEAD_PREFIX):
                self.head_index[term[len(HEAD_PREFIX):]] = i
            else:
                self.index[term] = i
        self.is_head = np.array([t.startswith(HEAD_PREFIX) for t in self.terms], dtype=bool)

    def transform(self, texts: list[str]) -> SparseRows:
        """All texts at once: Python only maps n-grams to ids; counting and weighting are numpy over the batch."""
        ids, lengths = self._ids(texts)
        n_rows, n_terms = len(texts), len(self.terms)
        rows = np.repeat(np.arange(n_rows, dtype=np.int64), lengths)
        known = ids >= 0
        keys, tf = np.unique(rows[known] * n_terms + ids[known], return_counts=True)
        row_of, idx = keys // n_terms, (keys % n_terms).astype(np.int32)
        val = (1.0 + np.log(tf.astype(np.float32))) * self.idf[idx]
        head = self.is_head[idx]
        group = row_of * 2 + head  # each row's body and head blocks are normalised separately
        norms = np.sqrt(np.bincount(group, weights=val.astype(np.float64) ** 2, minlength=2 * n_rows))
        val *= np.where(head, self.spec.head_weight, 1.0) / np.maximum(norms[group], 1e-12)
        indptr = np.concatenate([[0], np.cumsum(np.bincount(row_of, minlength=n_rows))])
        return SparseRows(indptr.astype(np.int64), idx, val.astype(np.float32), n_terms)

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Indices and weights of one text's known n-grams."""
        matrix = self.transform([text])
        return matrix.indices, matrix.data

    def _ids(self, texts: list[str]) -> tuple[np.ndarray, list[int]]:
        get, head_get = self.index.get, self.head_index.get
        ids: list[int] = []
        lengths = []
        for text in texts:
            norm = normalise(text)
            before = len(ids)
            # map(dict.get, grams, repeat(-1)) keeps the per-gram work in C
            ids.extend(map(get, ngrams(norm, self.spec.max_n, self.spec.min_n), repeat(-1)))
            if self.spec.head_weight > 0:
                head = ngrams(norm[:self.spec.head_chars], self.spec.max_n, self.spec.min_n)
                ids.extend(map(head_get, head, repeat(-1)))
            lengths.append(len(ids) - before)
        return np.array(ids, dtype=np.int64), lengths


def fit_vectorizer(texts: list[str], spec: FeatureSpec = FeatureSpec()) -> Vectorizer:
    """Vocabulary and smoothed idf (ln((1+n)/(1+df)) + 1) from the training texts."""
    df: Counter = Counter()
    for text in texts:
        norm = normalise(text)
        df.update(set(ngrams(norm, spec.max_n, spec.min_n)))
        if spec.head_weight > 0:
            df.update({HEAD_PREFIX + g for g in ngrams(norm[:spec.head_chars], spec.max_n, spec.min_n)})
    n = len(texts)
    max_count = spec.max_df * n
    # an n-gram spanning a space would join two clauses; leave it out of the vocabulary
    terms = sorted(t for t, d in df.items() if spec.min_df <= d <= max_count and " " not in t)
    idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms], dtype=np.float32)
    return Vectorizer(spec=spec, terms=terms, idf=idf)


def ngrams(norm: str, max_n: int, min_n: int = 1) -> list[str]:
    grams = list(norm) if min_n <= 1 else []
    for n in range(max(2, min_n), max_n + 1):
        grams += [norm[i:i + n] for i in range(len(norm) - n + 1)]
    return grams


def _concat(parts: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype=dtype)
