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

import numpy as np

from .textnorm import normalise

HEAD_PREFIX = "^"


@dataclass(frozen=True)
class FeatureSpec:
    """Character n-grams of length min_n..max_n (at most 2: prediction looks bigrams up as numbers)."""

    max_n: int = 2
    min_n: int = 1
    head_chars: int = 45
    head_weight: float = 0.5
    min_df: int = 2
    max_df: float = 0.9

    def __post_init__(self):
        if not 1 <= self.min_n <= self.max_n <= 2:
            raise ValueError("character n-grams of length 1 or 2 only")


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
    is_head: np.ndarray = field(default=None, repr=False)
    keys: np.ndarray = field(default=None, repr=False)  # sorted numeric keys of the terms
    key_ids: np.ndarray = field(default=None, repr=False)  # term index of each sorted key

    def __post_init__(self):
        self.index = {term: i for i, term in enumerate(self.terms)}
        self.is_head = np.array([t.startswith(HEAD_PREFIX) for t in self.terms], dtype=bool)
        keys = np.array([_term_key(t) for t in self.terms], dtype=np.uint64)
        order = np.argsort(keys)
        self.keys, self.key_ids = keys[order], order.astype(np.int32)

    def transform(self, texts: list[str]) -> SparseRows:
        """All texts at once: n-grams become numbers and are looked up, counted and weighted in numpy."""
        rows, ids = self._ids([normalise(t) for t in texts])
        n_rows, n_terms = len(texts), len(self.terms)
        keys, tf = np.unique(rows * n_terms + ids, return_counts=True)
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

    def _ids(self, norms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(row, term index) of every known n-gram occurrence, body and head blocks together."""
        body_rows, body_ids = self._lookup(norms, 0)
        found_rows, found_ids = [body_rows], [body_ids]
        if self.spec.head_weight > 0:
            head_rows, head_ids = self._lookup([n[:self.spec.head_chars] for n in norms], _HEAD_FLAG)
            found_rows.append(head_rows)
            found_ids.append(head_ids)
        return np.concatenate(found_rows), np.concatenate(found_ids).astype(np.int64)

    def _lookup(self, norms: list[str], flag: int) -> tuple[np.ndarray, np.ndarray]:
        # One string for the batch, texts separated by a space: an n-gram spanning a space is never a term.
        joined = " ".join(norms) + " "
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        row_at = np.repeat(np.arange(len(norms), dtype=np.int64), [len(n) + 1 for n in norms])
        candidates, rows = [], []
        if self.spec.min_n <= 1:
            candidates.append(codes | np.uint64(flag))
            rows.append(row_at)
        if self.spec.max_n >= 2 and len(codes) > 1:
            candidates.append(((codes[:-1] << np.uint64(21)) | codes[1:]) | np.uint64(_BIGRAM_FLAG | flag))
            rows.append(row_at[:-1])
        if not candidates or not len(self.keys):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
        wanted, rows = np.concatenate(candidates), np.concatenate(rows)
        at = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        hit = self.keys[at] == wanted
        return rows[hit], self.key_ids[at[hit]]


# A term as a number: code points in 21 bits each, a flag for bigrams and one for the head block.
_BIGRAM_FLAG = 1 << 42
_HEAD_FLAG = 1 << 43


def _term_key(term: str) -> int:
    flag = 0
    if term.startswith(HEAD_PREFIX):
        term, flag = term[len(HEAD_PREFIX):], _HEAD_FLAG
    if len(term) == 1:
        return ord(term) | flag
    return (ord(term[0]) << 21) | ord(term[1]) | _BIGRAM_FLAG | flag


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
