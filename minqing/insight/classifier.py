"""Category suggestion: a linear model over character n-gram TF-IDF, stored as plain arrays.

Trained with scikit-learn's LinearSVC, but saved as a `.npz` of vocabulary, idf, weights and intercepts
(loaded with allow_pickle=False) and run with numpy alone: a scikit-learn upgrade cannot break a
committed model, and loading a file cannot execute code.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .features import FeatureSpec, SparseRows, Vectorizer, fit_vectorizer

FORMAT_VERSION = 2  # 2 added the optional word block (lexicon, word_terms, word_idf); 1 still loads
READABLE_FORMATS = (1, 2)
BASELINE_PATH = Path(__file__).resolve().parent / "artefacts" / "category_baseline.npz"


@dataclass(frozen=True)
class Suggestion:
    category: str
    confidence: float


@dataclass(frozen=True)
class Explanation:
    category: str
    confidence: float
    terms: list[tuple[str, float]]  # (n-gram, contribution to this category's score), strongest first


@dataclass
class CategoryModel:
    vectorizer: Vectorizer
    classes: list[str]
    coef: np.ndarray  # (n_classes, n_features)
    intercept: np.ndarray  # (n_classes,)
    temperature: float = 1.0  # softmax(score / temperature) gives calibrated confidences
    meta: dict | None = None

    def __post_init__(self):
        # one contiguous row of class weights per feature: gathering rows is what prediction does most
        self.weights_by_feature = np.ascontiguousarray(self.coef.T, dtype=np.float32)

    def scores(self, texts: list[str]) -> np.ndarray:
        return _decision(self.vectorizer.transform(texts), self.weights_by_feature, self.intercept)

    def probabilities(self, texts: list[str]) -> np.ndarray:
        return _softmax(self.scores(texts) / self.temperature)

    def predict(self, texts: list[str]) -> list[Suggestion]:
        probs = self.probabilities(texts)
        best = probs.argmax(axis=1)
        return [Suggestion(self.classes[b], float(p[b])) for b, p in zip(best, probs)]

    def top(self, text: str, k: int = 3) -> list[Suggestion]:
        probs = self.probabilities([text])[0]
        order = np.argsort(-probs)[:k]
        return [Suggestion(self.classes[i], float(probs[i])) for i in order]

    def explain(self, text: str, k: int = 3, n_terms: int = 6) -> list[Explanation]:
        """The top k categories, each with the n-grams that pushed the message towards it."""
        idx, val = self.vectorizer.row(text)
        terms = [self.vectorizer.term(int(i)) for i in idx]
        return [Explanation(s.category, s.confidence,
                            _top_terms(terms, self.coef[self.classes.index(s.category), idx] * val, n_terms))
                for s in self.top(text, k)]

    def save(self, path: Path) -> None:
        vec = self.vectorizer
        header = {"format": FORMAT_VERSION, "spec": asdict(vec.spec), "classes": self.classes,
                  "temperature": self.temperature, "meta": self.meta or {}}
        words = {}
        if vec.word_terms:  # the word block: coef columns len(terms) … are the word terms
            words = {"lexicon": np.array(vec.lexicon), "word_terms": np.array(vec.word_terms),
                     "word_idf": np.asarray(vec.word_idf, dtype=np.float32)}
        np.savez_compressed(path, header=np.array(json.dumps(header, ensure_ascii=False)),
                            terms=np.array(vec.terms), idf=vec.idf.astype(np.float32),
                            coef=self.coef.astype(np.float16), intercept=self.intercept.astype(np.float32), **words)

    @classmethod
    def load(cls, path: Path = BASELINE_PATH) -> "CategoryModel":
        with np.load(path, allow_pickle=False) as arrays:
            header = json.loads(str(arrays["header"]))
            if header["format"] not in READABLE_FORMATS:
                raise ValueError(f"unknown model format {header['format']} in {path}")
            words = {}
            if "word_terms" in arrays.files:
                words = {"lexicon": arrays["lexicon"].tolist(), "word_terms": arrays["word_terms"].tolist(),
                         "word_idf": arrays["word_idf"]}
            vectorizer = Vectorizer(FeatureSpec(**header["spec"]), arrays["terms"].tolist(), arrays["idf"], **words)
            return cls(vectorizer, header["classes"], arrays["coef"].astype(np.float32), arrays["intercept"],
                       header["temperature"], header["meta"])


def train(texts: list[str], labels: list[str], *, spec: FeatureSpec = FeatureSpec(), c: float = 1.0,
          calibrate: bool = True, lexicon: list[str] | None = None) -> CategoryModel:
    """Fit the vocabulary and a one-vs-rest LinearSVC; optionally fit the softmax temperature.

    `lexicon` (features.build_lexicon) is needed when spec.word_weight > 0."""
    vectorizer = fit_vectorizer(texts, spec, lexicon)
    matrix = vectorizer.transform(texts)
    classes, coef, intercept = _fit_linear(matrix, labels, c)
    temperature = _fit_temperature(texts, labels, spec, c, lexicon=lexicon) if calibrate else 1.0
    return CategoryModel(vectorizer, classes, coef, intercept, temperature)


def _fit_linear(matrix: SparseRows, labels: list[str], c: float):
    from sklearn.svm import LinearSVC  # training only: prediction never imports scikit-learn

    svm = LinearSVC(C=c, class_weight="balanced", random_state=0).fit(matrix.to_scipy(), labels)
    coef = svm.coef_.astype(np.float32)
    if len(svm.classes_) == 2:  # binary LinearSVC keeps one row; give each class its own
        coef = np.vstack([-coef[0], coef[0]])
        intercept = np.array([-svm.intercept_[0], svm.intercept_[0]], dtype=np.float32)
    else:
        intercept = svm.intercept_.astype(np.float32)
    return [str(c) for c in svm.classes_], coef, intercept


def _fit_temperature(texts, labels, spec, c, folds: int = 3, lexicon=None) -> float:
    """The temperature that minimises the log loss of out-of-fold scores (SVM margins are not probabilities)."""
    order = np.arange(len(texts)) % folds
    if min(np.bincount(order)) < 10 or len(set(labels)) < 2:
        return 1.0
    all_scores, truth = [], []
    for fold in range(folds):
        train_idx, test_idx = np.flatnonzero(order != fold), np.flatnonzero(order == fold)
        vec = fit_vectorizer([texts[i] for i in train_idx], spec, lexicon)
        classes, coef, intercept = _fit_linear(vec.transform([texts[i] for i in train_idx]),
                                               [labels[i] for i in train_idx], c)
        known = [i for i in test_idx if labels[i] in classes]
        matrix = vec.transform([texts[i] for i in known])
        all_scores.append(_decision(matrix, np.ascontiguousarray(coef.T), intercept))
        truth.extend(classes.index(labels[i]) for i in known)
    scores, truth = np.vstack(all_scores), np.asarray(truth)
    grid = np.geomspace(0.05, 5.0, 60)
    losses = [-np.log(_softmax(scores / t)[np.arange(len(truth)), truth] + 1e-12).mean() for t in grid]
    return float(grid[int(np.argmin(losses))])


def _decision(matrix: SparseRows, weights_by_feature: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    """X @ W + intercept without scipy (W is features × classes): per-nonzero contributions summed by row."""
    n_rows = len(matrix.indptr) - 1
    out = np.tile(intercept.astype(np.float32), (n_rows, 1))
    filled = np.diff(matrix.indptr) > 0
    if filled.any():
        contrib = weights_by_feature[matrix.indices] * matrix.data[:, None]
        # reduceat sums each filled row's slice; empty rows have no slice and keep the intercept
        out[filled] += np.add.reduceat(contrib, matrix.indptr[:-1][filled], axis=0)
    return out


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _top_terms(terms: list[str], contributions: np.ndarray, n: int) -> list[tuple[str, float]]:
    merged: dict[str, float] = {}
    for term, value in zip(terms, contributions):
        merged[term] = merged.get(term, 0.0) + float(value)
    ranked = sorted(merged.items(), key=lambda kv: -kv[1])
    return [(t, round(v, 4)) for t, v in ranked[:n] if v > 0]
