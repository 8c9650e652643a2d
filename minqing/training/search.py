"""Finding policy answers in Chinese: TF-IDF over character uni- and bigrams, cosine to the query.

The same features as the insight app (`insight.features`, no word segmenter, no model file): a query such
as "老人满八十岁每月能领多少钱" shares characters and bigrams (老人, 八十, 每月) with the answer on 高龄津贴
even when it shares no whole word. Ranking runs in Python on the answers' text, so PostgreSQL and SQLite
give the same order (PostgreSQL's own full text needs a Chinese parser such as zhparser, which we do not
require). Score = 0.6 × cosine with the question + 0.4 × cosine with question and answer together: a
resident's words are closest to how the question is put; the answer adds the terms of the policy.

Measured on a labelled set of 32 queries (`relevance.py`, docs/training.md).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from minqing.insight.features import FeatureSpec, fit_vectorizer
from minqing.insight.textnorm import normalise

SPEC = FeatureSpec(max_n=2, min_n=1, head_chars=0, head_weight=0.0, min_df=1, max_df=1.0)
QUESTION_WEIGHT = 0.6
MIN_SCORE = 0.05  # below this an answer shares little more than common characters with the query


@dataclass(frozen=True)
class Hit:
    id: int
    score: float


class PolicyIndex:
    """Vectors of a set of answers ({id, question, answer}) and a ranking of them for a query."""

    def __init__(self, docs: list[dict]):
        self.ids = [d["id"] for d in docs]
        self._bigrams = [_bigrams(f"{d['question']} {d['answer']}") for d in docs]
        questions = [d["question"] for d in docs]
        wholes = [f"{d['question']} {d['answer']}" for d in docs]
        self._q = fit_vectorizer(questions or [""], SPEC) if docs else None
        self._w = fit_vectorizer(wholes or [""], SPEC) if docs else None
        self._qm = self._q.transform(questions).to_scipy() if docs else None
        self._wm = self._w.transform(wholes).to_scipy() if docs else None

    def rank(self, query: str, *, k: int = 10, allowed: set[int] | None = None,
             min_score: float = MIN_SCORE, shared_bigram: bool = False) -> list[Hit]:
        """Best first. `shared_bigram` keeps only answers sharing at least one character bigram with the
        query: a long demand text otherwise reaches a score through single common characters alone."""
        if not self.ids or not (query or "").strip():
            return []
        scores = (QUESTION_WEIGHT * (self._qm @ self._q.transform([query]).to_scipy().T).toarray().ravel()
                  + (1 - QUESTION_WEIGHT) * (self._wm @ self._w.transform([query]).to_scipy().T).toarray().ravel())
        hits, query_bigrams = [], _bigrams(query) if shared_bigram else set()
        for i in np.argsort(-scores, kind="stable"):
            if scores[i] < min_score or len(hits) >= k:
                break
            if shared_bigram and not self._bigrams[i] & query_bigrams:
                continue
            if allowed is None or self.ids[i] in allowed:
                hits.append(Hit(self.ids[i], round(float(scores[i]), 4)))
        return hits


def _bigrams(text: str) -> set[str]:
    norm = normalise(text)
    return {norm[i:i + 2] for i in range(len(norm) - 1) if " " not in norm[i:i + 2]}


_cache: dict[tuple, PolicyIndex] = {}


def index_for(load, fingerprint: tuple) -> PolicyIndex:
    """The index of the rows `load()` returns, rebuilt only when the fingerprint (count, latest change,
    highest id) moves; the answer base is small, so one index per process."""
    index = _cache.get(fingerprint)
    if index is None:
        _cache.clear()
        index = _cache[fingerprint] = PolicyIndex(load())
    return index
