"""TF-IDF over character n-grams, held as plain arrays so it needs only numpy to run.

Two blocks of features: the n-grams of the whole message, and again those of its first characters (marked
with a prefix). The head block stands in for the title, which a bare `text` column does not separate: in
5-fold CV it added about 0.005–0.007 macro F1 (docs/insight.md). Each block is l2-normalised on its own and
then weighted, which is what scikit-learn's TfidfVectorizer(sublinear_tf=True) + hstack would give.

An optional third block (spec.word_weight > 0) holds words: the text is cut by forward maximum matching
against a lexicon of words (2..word_max_len characters) taken from jieba-segmented training texts, so no
segmenter runs at prediction time (jieba itself is too slow for the throughput target). numpy look-ups
and one short loop per batch: about 20,000 messages a CPU-second for the cutting alone.
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
    word_weight: float = 0.0  # weight of the word block; 0 = characters only
    word_max_len: int = 4  # longest lexicon word the maximum matching tries

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
    # the word block (spec.word_weight > 0): segmentation lexicon, word terms and their idf; word features
    # come after the character n-grams, so feature len(terms) + j is word_terms[j]
    lexicon: list[str] | None = None
    word_terms: list[str] = field(default_factory=list)
    word_idf: np.ndarray | None = None

    def __post_init__(self):
        self.index = {term: i for i, term in enumerate(self.terms)}
        self.is_head = np.array([t.startswith(HEAD_PREFIX) for t in self.terms], dtype=bool)
        keys = np.array([_term_key(t) for t in self.terms], dtype=np.uint64)
        order = np.argsort(keys)
        self.keys, self.key_ids = keys[order], order.astype(np.int32)
        self.segmenter = Segmenter(self.lexicon, self.spec.word_max_len) if self.lexicon else None
        if self.segmenter is not None:
            word_keys = self.segmenter.keys_of(self.word_terms)
            order = np.argsort(word_keys)
            self.word_term_keys, self.word_term_ids = word_keys[order], (order + len(self.terms)).astype(np.int64)
        self.all_idf = (np.concatenate([self.idf, np.asarray(self.word_idf, dtype=np.float32)])
                        if self.word_terms else self.idf)

    @property
    def n_features(self) -> int:
        return len(self.terms) + len(self.word_terms)

    def term(self, i: int) -> str:
        """Feature i as text: a character n-gram (head ones without their prefix) or a word."""
        return self.terms[i].removeprefix(HEAD_PREFIX) if i < len(self.terms) else self.word_terms[i - len(self.terms)]

    def transform(self, texts: list[str]) -> SparseRows:
        """All texts at once: n-grams become numbers and are looked up, counted and weighted in numpy."""
        rows, ids = self._ids([normalise(t) for t in texts])
        n_rows, n_terms, n_chars = len(texts), self.n_features, len(self.terms)
        keys, tf = np.unique(rows * n_terms + ids, return_counts=True)
        row_of, idx = keys // n_terms, (keys % n_terms).astype(np.int32)
        val = (1.0 + np.log(tf.astype(np.float32))) * self.all_idf[idx]
        if n_terms > n_chars:  # block 0 body, 1 head, 2 words
            is_word = idx >= n_chars
            block = np.where(is_word, 2, self.is_head[np.minimum(idx, max(n_chars - 1, 0))]).astype(np.int64)
        else:
            block = self.is_head[idx].astype(np.int64)
        group = row_of * 3 + block  # each row's blocks are normalised separately
        norms = np.sqrt(np.bincount(group, weights=val.astype(np.float64) ** 2, minlength=3 * n_rows))
        weight = np.array([1.0, self.spec.head_weight, self.spec.word_weight], dtype=np.float32)[block]
        val *= weight / np.maximum(norms[group], 1e-12)
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
        if self.word_terms and self.segmenter is not None:
            word_rows, word_ids = self._words(norms)
            found_rows.append(word_rows)
            found_ids.append(word_ids)
        return np.concatenate(found_rows), np.concatenate(found_ids).astype(np.int64)

    def _words(self, norms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        rows, keys = self.segmenter.spans(norms)
        at = np.minimum(np.searchsorted(self.word_term_keys, keys), len(self.word_term_keys) - 1)
        hit = self.word_term_keys[at] == keys
        return rows[hit], self.word_term_ids[at[hit]]

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


class Segmenter:
    """Forward maximum matching over a word list: at each position the longest lexicon word (2..max_len
    characters) is taken, else one character is skipped.

    Done in numpy for a whole batch: every character becomes its rank in the lexicon's alphabet (0 for any
    other character, spaces included, so no word spans two clauses or two texts), every window of 2..max_len
    characters a number (ranks as digits), looked up with searchsorted. Only the walk that keeps the leftmost
    longest match and skips what it covers is a Python loop, over the positions where some word starts."""

    def __init__(self, lexicon: list[str], max_len: int = 4):
        words = sorted({w for w in lexicon if 2 <= len(w) <= max_len})
        self.max_len = max_len
        alphabet = sorted({ch for w in words for ch in w})
        self.bits = max(1, len(alphabet)).bit_length()
        if self.bits > 16 or self.bits * max_len > 63:
            raise ValueError("lexicon alphabet too large for numeric word keys")
        self.rank = np.zeros(0x110000, dtype=np.uint16)
        self.rank[[ord(ch) for ch in alphabet]] = np.arange(1, len(alphabet) + 1)
        keys = self.keys_of(words)
        order = np.argsort(keys)
        self.word_keys = keys[order]
        self.words_by_key = [words[i] for i in order]
        # per pair of ranks (first two characters): 0x80 if the pair is a word, plus the longest word length
        # starting with it — most windows are settled by this one look-up. A dense table while the alphabet
        # has at most 4,095 characters (16.8 MB); beyond that the pairs are searched instead.
        pair = (self.word_keys >> np.uint64(self.bits * (max_len - 2))).astype(np.int64)
        lengths = np.array([len(w) for w in self.words_by_key], dtype=np.uint8)
        self.pair_keys, first = np.unique(pair, return_inverse=True)
        self.pair_info = np.zeros(len(self.pair_keys), dtype=np.uint8)
        np.maximum.at(self.pair_info, first, lengths)
        self.pair_info[first[lengths == 2]] |= 0x80
        self.pairs = None
        if self.bits <= 12:
            self.pairs = np.zeros(1 << (2 * self.bits), dtype=np.uint8)
            self.pairs[self.pair_keys] = self.pair_info

    def keys_of(self, words: list[str]) -> np.ndarray:
        """The number of each word (a word with a character outside the alphabet, or too long, gets key 0:
        never found)."""
        if not words:
            return np.zeros(0, dtype=np.uint64)
        width = self.max_len
        padded = "".join(w.ljust(width, "\0") if len(w) <= width else "\0" * width for w in words)
        ranks = self.rank[np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32)].reshape(-1, width)
        ranks = ranks.astype(np.uint64)
        shifts = np.uint64(self.bits) * np.arange(width - 1, -1, -1, dtype=np.uint64)
        keys = np.bitwise_or.reduce(ranks << shifts, axis=1)
        lengths = np.array([len(w) for w in words])
        return np.where((ranks > 0).sum(axis=1) == lengths, keys, np.uint64(0)).astype(np.uint64)

    def spans(self, norms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(row, word key) of each word the maximum matching takes, in order, for a batch of normalised texts."""
        joined = " ".join(norms) + " "
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
        row_at = np.repeat(np.arange(len(norms), dtype=np.int64), [len(n) + 1 for n in norms])
        n, width = len(codes), self.max_len
        ranks = np.concatenate([self.rank[codes].astype(np.uint64), np.zeros(width, dtype=np.uint64)])
        pair = ((ranks[:n] << np.uint64(self.bits)) | ranks[1:n + 1]).astype(np.int64)
        if self.pairs is not None:
            info = self.pairs[pair]
        elif len(self.pair_keys):
            at = np.minimum(np.searchsorted(self.pair_keys, pair), len(self.pair_keys) - 1)
            info = np.where(self.pair_keys[at] == pair, self.pair_info[at], 0).astype(np.uint8)
        else:
            info = np.zeros(n, dtype=np.uint8)
        longest = np.where(info & 0x80, 2, 0).astype(np.int64)
        reach = (info & 0x7F).astype(np.int64)
        for size in range(3, width + 1):
            at = np.flatnonzero(reach >= size)  # a word this long can start only here
            if not len(at):
                continue
            key = np.zeros(len(at), dtype=np.uint64)
            valid = np.ones(len(at), dtype=bool)
            for k in range(size):
                digit = ranks[at + k]
                key |= digit << np.uint64(self.bits * (width - 1 - k))
                valid &= digit > 0
            found = np.minimum(np.searchsorted(self.word_keys, key), len(self.word_keys) - 1)
            longest[at[valid & (self.word_keys[found] == key)]] = size
        starts = np.flatnonzero(longest)
        taken, end = [], 0
        for pos, size in zip(starts.tolist(), longest[starts].tolist()):
            if pos >= end:
                taken.append(pos)
                end = pos + size
        taken = np.asarray(taken, dtype=np.int64)
        sizes = longest[taken]
        key = np.zeros(len(taken), dtype=np.uint64)
        for k in range(width):
            inside = k < sizes
            key |= np.where(inside, ranks[taken + k], 0).astype(np.uint64) << np.uint64(self.bits * (width - 1 - k))
        return row_at[taken], key

    def words(self, norm: str) -> list[str]:
        """The words of one normalised text (for reading; features use spans)."""
        _rows, keys = self.spans([norm])
        at = np.searchsorted(self.word_keys, keys)
        return [self.words_by_key[i] for i in at.tolist()]


def build_lexicon(segmented_texts: list[str], *, min_count: int = 2, max_len: int = 4) -> list[str]:
    """Words of 2..max_len characters seen at least min_count times among the tokens of segmented texts
    (space-separated, e.g. jieba output), normalised like the text they will be matched in."""
    counts: Counter = Counter()
    for segmented in segmented_texts:
        for token in segmented.split():
            token = normalise(token).replace(" ", "")
            if 2 <= len(token) <= max_len:
                counts[token] += 1
    return sorted(w for w, c in counts.items() if c >= min_count)


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


def fit_vectorizer(texts: list[str], spec: FeatureSpec = FeatureSpec(),
                   lexicon: list[str] | None = None) -> Vectorizer:
    """Vocabulary and smoothed idf (ln((1+n)/(1+df)) + 1) from the training texts.

    With spec.word_weight > 0 a lexicon (build_lexicon) is needed: the word block's terms are the lexicon
    words that maximum matching finds in the training texts, within min_df..max_df like the n-grams."""
    if spec.word_weight > 0 and not lexicon:
        raise ValueError("a word block needs a lexicon")
    segmenter = Segmenter(lexicon, spec.word_max_len) if spec.word_weight > 0 else None
    df: Counter = Counter()
    word_df: Counter = Counter()
    for text in texts:
        norm = normalise(text)
        df.update(set(ngrams(norm, spec.max_n, spec.min_n)))
        if spec.head_weight > 0:
            df.update({HEAD_PREFIX + g for g in ngrams(norm[:spec.head_chars], spec.max_n, spec.min_n)})
    if segmenter is not None:
        for start in range(0, len(texts), 512):
            rows, keys = segmenter.spans([normalise(t) for t in texts[start:start + 512]])
            pairs = np.unique(np.stack([rows, keys.astype(np.int64)]), axis=1)
            at = np.searchsorted(segmenter.word_keys, pairs[1].astype(np.uint64))
            word_df.update(segmenter.words_by_key[i] for i in at.tolist())
    n = len(texts)
    max_count = spec.max_df * n
    # an n-gram spanning a space would join two clauses; leave it out of the vocabulary
    terms = sorted(t for t, d in df.items() if spec.min_df <= d <= max_count and " " not in t)
    idf = _smoothed_idf(df, terms, n)
    if segmenter is None:
        return Vectorizer(spec=spec, terms=terms, idf=idf)
    word_terms = sorted(w for w, d in word_df.items() if spec.min_df <= d <= max_count)
    word_idf = _smoothed_idf(word_df, word_terms, n)
    return Vectorizer(spec=spec, terms=terms, idf=idf, lexicon=sorted(segmenter.words_by_key), word_terms=word_terms,
                      word_idf=word_idf)


def _smoothed_idf(df: Counter, terms: list[str], n: int) -> np.ndarray:
    """ln((1 + n) / (1 + df)) + 1 per term: scikit-learn's smooth_idf, for n-grams and words alike."""
    return np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms], dtype=np.float32)


def ngrams(norm: str, max_n: int, min_n: int = 1) -> list[str]:
    grams = list(norm) if min_n <= 1 else []
    for n in range(max(2, min_n), max_n + 1):
        grams += [norm[i:i + n] for i in range(len(norm) - n + 1)]
    return grams


def _concat(parts: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype=dtype)
