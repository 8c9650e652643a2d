"""Issue 19, sixth round (docs/insight.md "8 December 2026, sixth round"): the compact 10-NN blend on the
hold-out (run with round4.py, see below), then two ideas not tried before: character skip-bigrams and a
lower sample weight for the joined-token copies.

    export ROUND3_CACHE=/tmp/insight_round6 OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
    nice -n 19 .venv/bin/python bench/insight/round4.py base svm knn:k=10,copies=0,prune=128
    nice -n 19 .venv/bin/python bench/insight/round4.py blend svm+knn:k=10,copies=0,prune=128
    nice -n 19 .venv/bin/python bench/insight/round4.py basehold svm knn:k=10,copies=0,prune=128
    nice -n 19 .venv/bin/python bench/insight/round4.py blendhold svm+knn:k=10,copies=0,prune=128 1,0.2
    nice -n 19 .venv/bin/python bench/insight/round6.py base NAME …      # OOF margins → cache
    nice -n 19 .venv/bin/python bench/insight/round6.py nested NAME|NAME|…  # nested choice in a family
    nice -n 19 .venv/bin/python bench/insight/round6.py basehold NAME     # dev → hold-out, once
    nice -n 19 .venv/bin/python bench/insight/round6.py paired SPLIT SPEC …  # SPEC (e.g. svm+knn_k10_copies0_prune128@0.2)
                                                      # against svm: errors, changed predictions, paired bootstrap

Base names (options may be left out; defaults shown):

  skip:w=0.5,g=1,head=0   committed features + a block of character skip-bigrams (c[i] + "_" + c[i+g'] for
                          g' = 2 … g + 1, i.e. g characters skipped at most; pairs with a space left out),
                          TF-IDF like the other blocks (sublinear, min_df 2, max_df 0.9, l2), weight w;
                          head=1 also over the first 45 characters (weight w/2)
  cw:w=0.5                committed SVM with the joined-token copies of raw rows at sample weight w

Same split, folds, features and cache layout as round3.py / round4.py (imported); `svm` is read from the cache
round4.py wrote.
"""
import os
import sys
from pathlib import Path

os.environ.setdefault("ROUND3_CACHE", "/tmp/insight_round6")
for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(var, "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

import round3 as R3
from round3 import V, CLASSES, Y_DEV, Y_HOLD, HELD, FOLD_OF, opts
from minqing.insight.evaluation import macro_f1


def skip_analyzer(g, head=0):
    def analyse(text):
        t = V.normalise(text)
        if head:
            t = t[:head]
        out = []
        for d in range(2, g + 2):
            out += [a + "_" + b for a, b in zip(t, t[d:]) if a != " " and b != " "]
        return out
    return analyse


def skip_block(g, head):
    def build(f):
        v = TfidfVectorizer(analyzer=skip_analyzer(g, head), sublinear_tf=True, min_df=2, max_df=0.9)
        return v.fit_transform(f.texts), v.transform(f.te_texts)
    return lambda f: f.block(("skip", g, head), build)


def b_skip(spec):
    o = opts(spec, w=0.5, g=1, head=0)

    def go(f):
        parts = [(V.chars(f), 1.0), (V.words(f, bigrams=False), 0.7), (skip_block(o["g"], 0)(f), o["w"])]
        if o["head"]:
            parts.append((skip_block(o["g"], 45)(f), o["w"] / 2))
        Xtr, Xte = V.stack(f, parts)
        return R3.svm_margins(Xtr, f.y, Xte)
    return go


def b_cw(spec):
    o = opts(spec, w=0.5)

    def go(f):
        Xtr, Xte = R3.committed_X(f)
        sw = np.ones(len(f.y))
        sw[len(f.tr):] = o["w"]
        m = LinearSVC(C=1.0, class_weight="balanced", random_state=0).fit(Xtr, f.y, sample_weight=sw)
        assert list(m.classes_) == list(CLASSES)
        return m.decision_function(Xte)
    return go


def base_fn(name):
    kind, _, spec = name.partition(":")
    return {"skip": b_skip, "cw": b_cw}[kind](spec)


_FOLDS = {}


def folds(split):
    if split not in _FOLDS:
        _FOLDS[split] = V.dev_folds() if split == "dev" else [(V.Fold(V.dev, [m.text for m in HELD]), list(range(len(HELD))))]
    return _FOLDS[split]


def compute(names, split="dev"):
    R3.compute_margins(names, split, base_fn, folds)


def nested_choice(family):
    """The variant of a family chosen on 4 folds' out-of-fold predictions, the fifth scored with it."""
    names = family.split("|")
    preds = {n: CLASSES[R3.load(n).argmax(1)] for n in names}
    out = np.zeros(len(Y_DEV), dtype=object)
    picks = []
    for k in range(5):
        tr, te = FOLD_OF != k, FOLD_OF == k
        best = max(names, key=lambda n: macro_f1(list(Y_DEV[tr]), list(preds[n][tr]))[0])
        picks.append(best)
        out[te] = preds[best][te]
    f1 = macro_f1(list(Y_DEV), list(out))[0]
    print(f"NESTED {' | '.join(names)}\n   nested dev {f1:.4f}  picks per fold {picks}", flush=True)


def spec_pred(spec, split):
    """Predictions of a blend spec NAME1+NAME2@w (z-scored margins, weights fixed) from the cache."""
    total = 0
    for part in spec.split("+"):
        n, _, w = part.partition("@")
        total = total + float(w or 1) * R3.zs(R3.load(n, split))
    return CLASSES[total.argmax(1)]


def paired(split, specs, reps=1000):
    """Against the committed svm on the same rows: errors, predictions changed (fixed / broken), and a paired
    bootstrap (rows resampled, 1,000 times) of the macro-F1 difference: how much the split can resolve."""
    y = Y_DEV if split == "dev" else Y_HOLD
    f1 = lambda yy, pp: macro_f1(list(yy), list(pp))[0]
    a = spec_pred("svm", split)
    for spec in specs:
        b = spec_pred(spec, split)
        rng = np.random.default_rng(0)
        d = np.array([f1(y[i], b[i]) - f1(y[i], a[i]) for i in (rng.integers(0, len(y), len(y)) for _ in range(reps))])
        ch = a != b
        print(f"PAIRED {split} {spec}: svm {f1(y, a):.4f} ({(a != y).sum()} errors), this {f1(y, b):.4f} ({(b != y).sum()} errors); "
              f"changed {ch.sum()}, fixed {(ch & (b == y)).sum()}, broken {(ch & (a == y)).sum()}; difference mean {d.mean():+.4f}, "
              f"90 % [{np.percentile(d, 5):+.4f}, {np.percentile(d, 95):+.4f}], P(> 0) {np.mean(d > 0):.2f}", flush=True)


if __name__ == "__main__":
    cmd, names = sys.argv[1], sys.argv[2:]
    if cmd == "base":
        compute(names)
    elif cmd == "basehold":
        compute(names, "hold")
    elif cmd == "paired":
        paired(names[0], names[1:])
    elif cmd == "nested":
        for fam in names:
            nested_choice(fam)
