"""The model variants of docs/insight.md "December 2026": 5-fold grouped CV on the development part
(the 15 % hold-out by duplicate group is set aside). Run: `DJANGO_SETTINGS_MODULE=minqing.settings.test
.venv/bin/python bench/insight/variants.py [name …]` (each variant takes 60–200 CPU-seconds)."""
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minqing.settings.test")
import hashlib
import sys
import time
sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2]))
import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
from sklearn.linear_model import LogisticRegression
from minqing.insight import datasets
from minqing.insight.textnorm import normalise, from_segmented
from minqing.insight.evaluation import group_folds, macro_f1

msgs = datasets.labelled_messages()
hold = [int(hashlib.sha1(m.group.encode()).hexdigest(), 16) % 100 < 15 for m in msgs]
dev = [m for m, h in zip(msgs, hold) if not h]
print("dev", len(dev), "holdout", sum(hold))

def feats(spec):
    def build(train_texts):
        vecs = []
        for kind, rng, head, w in spec:
            v = TfidfVectorizer(analyzer="char", ngram_range=rng, sublinear_tf=True, min_df=2, max_df=0.9,
                                preprocessor=(lambda t, head=head: normalise(t)[:head] if head else normalise(t)),
                                lowercase=False)
            v.fit(train_texts)
            vecs.append((v, w))
        return lambda texts: hstack([v.transform(texts) * w for v, w in vecs]).tocsr()
    return build

def run(name, spec, model, folds=5, aug=True):
    fold_of = group_folds([m.group for m in dev], folds)
    pred = [""] * len(dev)
    t0 = time.process_time()
    for f in range(folds):
        tr = [m for m, k in zip(dev, fold_of) if k != f]
        te = [i for i, k in enumerate(fold_of) if k == f]
        texts = [m.text for m in tr] + ([from_segmented(m.group) for m in tr if m.has_raw] if aug else [])
        labels = [m.label for m in tr] + ([m.label for m in tr if m.has_raw] if aug else [])
        tf = feats(spec)(texts)
        X = tf(texts)
        clf = model().fit(X, labels)
        out = clf.predict(tf([dev[i].text for i in te]))
        for i, p in zip(te, out):
            pred[i] = p
    f1, _ = macro_f1([m.label for m in dev], pred)
    print(f"{name:50s} {f1:.4f}  cpu {time.process_time()-t0:.0f}s", flush=True)
    return f1

from sklearn.linear_model import RidgeClassifier

class Ens:
    """Average of z-scored decision functions of several linear models."""
    def __init__(self, makers): self.makers = makers
    def fit(self, X, y):
        self.models = [m().fit(X, y) for m in self.makers]; self.classes_ = self.models[0].classes_; return self
    def predict(self, X):
        total = 0
        for m in self.models:
            d = m.decision_function(X)
            total = total + (d - d.mean(axis=1, keepdims=True)) / (d.std(axis=1, keepdims=True) + 1e-9)
        return self.classes_[np.argmax(total, axis=1)]

svm = lambda c=1.0, cw="balanced": (lambda: LinearSVC(C=c, class_weight=cw, random_state=0))
lr = lambda c=20: (lambda: LogisticRegression(C=c, max_iter=300, class_weight="balanced"))
ridge = lambda: (lambda: RidgeClassifier(alpha=1.0, class_weight="balanced"))
base = [("c", (1, 2), 0, 1.0), ("c", (1, 2), 45, 0.5)]
exps = {
 "svm no class weight": (base, svm(1.0, None)),
 "head w0.7": ([("c", (1, 2), 0, 1.0), ("c", (1, 2), 45, 0.7)], svm()),
 "head 30 w0.5": ([("c", (1, 2), 0, 1.0), ("c", (1, 2), 30, 0.5)], svm()),
 "ridge": (base, ridge()),
 "lr C20": (base, lr(20)),
 "ens svm+ridge": (base, lambda: Ens([svm(), ridge()])),
 "ens svm+lr": (base, lambda: Ens([svm(), lr(20)])),
}

exps.update({
 "1-3 + head45": ([("c", (1, 3), 0, 1.0), ("c", (1, 2), 45, 0.5)], svm()),
 "1-3 + head45 1-3": ([("c", (1, 3), 0, 1.0), ("c", (1, 3), 45, 0.5)], svm()),
 "base C0.5": (base, svm(0.5)),
 "base 1-2 + head45": (base, svm()),
})
for name in (sys.argv[1:] or exps):
    run(name, *exps[name])
