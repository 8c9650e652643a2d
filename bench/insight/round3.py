"""Issue 19, third round (docs/insight.md "6 December 2026, third round"): base models' out-of-fold margins on the
development part, cached, then blends of them judged on the same 5 grouped folds.

    OMP_NUM_THREADS=1 nice -n 19 .venv/bin/python bench/insight/round3.py base NAME …   # OOF margins → cache
    OMP_NUM_THREADS=1 nice -n 19 .venv/bin/python bench/insight/round3.py blend NAME …  # score blends
    OMP_NUM_THREADS=1 nice -n 19 .venv/bin/python bench/insight/round3.py basehold NAME  # dev → hold-out, once
    … round3.py bias SPEC …   # per-class offsets (SPEC = NAME1+NAME2@weight)
    … round3.py stack SPEC …  # multinomial LR over the bases' margins
    … round3.py knnspeed      # size and speed of the compact neighbour index
    … round3.py noise         # the committed SVM's confusions; near-duplicate messages with other labels

Base names: svm (the committed configuration), cs, lr, wordsub, char13, knn10, knn:k=10,copies=0,prune=128
(any of k, copies, prune, qprune, power), aug:title / aug:detail / aug:title,detail / aug:title2 (the
committed SVM trained with extra copies); the CNN's margins come from bench/insight/cnn.py (torch venv).
Figures: bench/insight/results/2026-12-06-round3.txt.

Same split, folds and features as variants.py (imported from it). Margins are cached in
$ROUND3_CACHE (default /tmp/insight_round3) as npz, one file per base model and split ("dev" = the 5-fold
out-of-fold margins of the 6,205 development messages, "hold" = trained on all of dev, margins of the 1,134
hold-out messages). Blend weights are chosen on 4 folds' out-of-fold margins and applied to the fifth
("nested"), so a blend's dev figure is not selected on the rows it is scored on.
"""
import os
import sys
from pathlib import Path

for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(var, "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))
import time

import numpy as np
from sklearn.preprocessing import normalize as l2rows
from sklearn.svm import LinearSVC
from sklearn.linear_model import LogisticRegression

import variants as V
from minqing.insight.evaluation import group_folds, macro_f1

CACHE = Path(os.environ.get("ROUND3_CACHE", "/tmp/insight_round3"))
CACHE.mkdir(parents=True, exist_ok=True)
CLASSES = np.array(sorted({m.label for m in V.dev}))
Y_DEV = np.array([m.label for m in V.dev])
HELD = [m for m, h in zip(V.msgs, V.hold) if h]
Y_HOLD = np.array([m.label for m in HELD])
FOLD_OF = np.array(group_folds([m.group for m in V.dev], 5))


def committed_X(f, word_w=0.7):
    return V.stack(f, [(V.chars(f), 1.0), (V.words(f, bigrams=False), word_w)])


def svm_margins(Xtr, y, Xte, c=1.0, **kw):
    m = LinearSVC(C=c, class_weight="balanced", random_state=0, **kw).fit(Xtr, y)
    assert list(m.classes_) == list(CLASSES)
    return m.decision_function(Xte)


def b_svm(f):
    Xtr, Xte = committed_X(f)
    return svm_margins(Xtr, f.y, Xte)


def b_cs(f):
    Xtr, Xte = committed_X(f)
    return svm_margins(Xtr, f.y, Xte, multi_class="crammer_singer")


def b_lr(f):
    Xtr, Xte = committed_X(f)
    m = LogisticRegression(C=30, max_iter=500, class_weight="balanced").fit(Xtr, f.y)
    return m.predict_log_proba(Xte)


def b_words_unibi(f):
    """A different view: word unigrams + bigrams alone (FMM), no characters."""
    Xtr, Xte = V.words(f, bigrams=True)
    return svm_margins(Xtr, f.y, Xte)


def b_char13(f):
    """Another view: character 1–3-grams (body) + head 1–3 + word unigrams."""
    def build(f):
        tf = V.feats([("c", (1, 3), 0, 1.0), ("c", (1, 3), 45, 0.5)])(f.texts)
        return tf(f.texts), tf(f.te_texts)
    c13 = f.block("char13", build)
    Xtr, Xte = V.stack(f, [(c13, 1.0), (V.words(f, bigrams=False), 0.7)])
    return svm_margins(Xtr, f.y, Xte)


def b_head(head):
    """The committed configuration with another head length (for bagging over head lengths)."""
    def go(f):
        def build(f):
            tf = V.feats([("c", (1, 2), 0, 1.0), ("c", (1, 2), head, 0.5)])(f.texts)
            return tf(f.texts), tf(f.te_texts)
        Xtr, Xte = V.stack(f, [(f.block(("head", head), build), 1.0), (V.words(f, bigrams=False), 0.7)])
        return svm_margins(Xtr, f.y, Xte)
    return go


def knn_scores(Xtr, y, Xte, k=10):
    """Per class: sum of cosine similarities of the test row's k nearest training rows of that class."""
    S = (l2rows(Xte) @ l2rows(Xtr).T).toarray()
    top = np.argpartition(-S, k, axis=1)[:, :k]
    out = np.zeros((Xte.shape[0], len(CLASSES)))
    lab = np.searchsorted(CLASSES, y)
    for j in range(k):
        np.add.at(out, (np.arange(len(out)), lab[top[:, j]]), S[np.arange(len(out)), top[:, j]])
    return out


def b_knn10(f):
    Xtr, Xte = committed_X(f)
    return knn_scores(Xtr, f.y, Xte, 10)


def prune_rows(X, top):
    """Keep each row's `top` largest values (the compact index), then l2-normalise."""
    X = X.tocsr().copy()
    for i in range(X.shape[0]):
        a, b = X.indptr[i], X.indptr[i + 1]
        if b - a > top:
            vals = X.data[a:b]
            cut = np.partition(vals, b - a - top)[b - a - top]
            vals[vals < cut] = 0
    X.eliminate_zeros()
    return l2rows(X)


def knn_general(f, k=10, copies=1, prune=0, qprune=0, power=1.0):
    Xtr, Xte = committed_X(f)
    y = f.y
    if not copies:  # only the messages, not the joined-token copies of raw rows
        Xtr, y = Xtr[:len(f.tr)], y[:len(f.tr)]
    if prune:
        Xtr = prune_rows(Xtr, prune)
    if qprune:
        Xte = prune_rows(Xte, qprune)
    S = (l2rows(Xte) @ l2rows(Xtr).T).toarray()
    top = np.argpartition(-S, k, axis=1)[:, :k]
    out = np.zeros((Xte.shape[0], len(CLASSES)))
    lab = np.searchsorted(CLASSES, y)
    rows = np.arange(len(out))
    for j in range(k):
        np.add.at(out, (rows, lab[top[:, j]]), S[rows, top[:, j]] ** power)
    return out


ROWS = V.datasets.read_csv("messages_train.csv")
DEV_ROWS = [r for r, h in zip(ROWS, V.hold) if not h]


class AugFold(V.Fold):
    """A fold whose training texts get extra copies of raw rows: "title" (the title alone), "title2" (the
    title twice), "detail" (the body without the title)."""
    def __init__(self, tr, te_texts, rows, kinds):
        super().__init__(tr, te_texts)
        extra_t, extra_y = [], []
        for m, r in zip(tr, rows):
            if r["text_kind"] != "title+detail":
                continue
            if "title" in kinds and r["title"].strip():
                extra_t.append(r["title"]); extra_y.append(m.label)
            if "title2" in kinds and r["title"].strip():  # the title twice
                extra_t += [r["title"]] * 2; extra_y += [m.label] * 2
            if "detail" in kinds and r["detail"].strip():
                extra_t.append(r["detail"]); extra_y.append(m.label)
        self.n_base = len(self.texts)
        self.texts = self.texts + extra_t
        self.y = np.concatenate([self.y, np.array(extra_y)])


def aug_folds(kinds):
    out = []
    for k in range(5):
        idx = [i for i in range(len(V.dev)) if FOLD_OF[i] != k]
        te = [i for i in range(len(V.dev)) if FOLD_OF[i] == k]
        out.append((AugFold([V.dev[i] for i in idx], [V.dev[i].text for i in te], [DEV_ROWS[i] for i in idx], kinds), te))
    return out


BASES = {"svm": b_svm, "cs": b_cs, "lr": b_lr, "wordsub": b_words_unibi, "char13": b_char13, "knn10": b_knn10, "head30": b_head(30),
         "head60": b_head(60), "head90": b_head(90)}


def compute_base(names, split="dev"):
    """Margins of each base model; "aug:KINDS" (e.g. aug:title,detail) = the committed SVM trained with
    extra copies (AugFold), cached as aug_KINDS."""
    n = len(V.dev) if split == "dev" else len(HELD)
    for name in names:
        t0 = time.process_time()
        if name.startswith("aug:") and split == "dev":
            folds, model, tag = aug_folds(name[4:].split(",")), "svm", name.replace(":", "_").replace(",", "_")
        elif name.startswith("aug:"):
            folds = [(AugFold(V.dev, [m.text for m in HELD], DEV_ROWS, name[4:].split(",")), list(range(len(HELD))))]
            model, tag = "svm", name.replace(":", "_").replace(",", "_")
        elif split == "dev":
            folds, model, tag = V.dev_folds(), name, name
        else:
            folds, model, tag = [(V.Fold(V.dev, [m.text for m in HELD]), list(range(len(HELD))))], name, name
        out = np.zeros((n, len(CLASSES)))
        for f, te in folds:
            if model.startswith("knn:"):  # knn:k=10,copies=0,prune=64,qprune=0,power=1
                kw = {a.split("=")[0]: float(a.split("=")[1]) for a in model[4:].split(",") if a}
                kw = {a: (int(v) if a != "power" else v) for a, v in kw.items()}
                out[te] = knn_general(f, **kw)
            else:
                out[te] = BASES[model](f)
        np.savez(CACHE / f"{tag}.{split}.npz", m=out)
        if split == "dev":
            f1, per = macro_f1(list(Y_DEV), list(CLASSES[out.argmax(1)]))
            print(f"BASE {tag:30s} dev {f1:.4f}  cpu {time.process_time() - t0:.0f}s  {per}", flush=True)
        else:
            f1, per = macro_f1(list(Y_HOLD), list(CLASSES[out.argmax(1)]))
            print(f"HOLD-OUT {tag:26s} {f1:.4f}  cpu {time.process_time() - t0:.0f}s  {per}", flush=True)


def opts(spec, **defaults):
    """A variant's settings from its name's "k=v,k=v" part, typed like the defaults (rounds 5 and 6)."""
    kw = dict(defaults)
    for a in spec.split(","):
        if a:
            k, v = a.split("=")
            kw[k] = type(defaults[k])(v)
    return kw


def compute_margins(names, split, base_fn, folds, *, tag=lambda name: name, prepare=lambda fold: None):
    """The later rounds' base models: for each name, `base_fn(name)`'s margins on every fold of `folds(split)`
    (out-of-fold on dev, the hold-out once trained on all of dev), cached as `<tag(name)>.<split>.npz` and
    printed with their macro F1. `prepare(fold)` runs before each fold (the fourth round builds its blocks)."""
    n = len(V.dev) if split == "dev" else len(HELD)
    y = Y_DEV if split == "dev" else Y_HOLD
    label = "BASE" if split == "dev" else "HOLD-OUT"
    for name in names:
        t0 = time.process_time()
        fn = base_fn(name)
        out = np.zeros((n, len(CLASSES)))
        for f, te in folds(split):
            prepare(f)
            out[te] = fn(f)
        np.savez(CACHE / f"{tag(name)}.{split}.npz", m=out)
        f1, per = macro_f1([str(c) for c in y], [str(c) for c in CLASSES[out.argmax(1)]])
        print(f"{label} {name:40s} {f1:.4f}  cpu {time.process_time() - t0:.0f}s  {per}", flush=True)


def load(name, split="dev"):
    return np.load(CACHE / f"{name}.{split}.npz")["m"]


def zs(d):
    return (d - d.mean(axis=1, keepdims=True)) / (d.std(axis=1, keepdims=True) + 1e-9)


def f1_of(scores, y):
    return macro_f1(list(y), list(CLASSES[scores.argmax(1)]))[0]


def blend_grid(parts, grid):
    """parts: list of z-scored margin arrays; grid: candidate weight vectors (first weight fixed at 1)."""
    return [sum(w * p for w, p in zip(ws, parts)) for ws in grid]


def nested(parts, grid, y=Y_DEV, fold_of=FOLD_OF):
    """Dev figure of a blend whose weights are chosen on the other 4 folds, plus the weights chosen on all."""
    pred = np.zeros(len(y), dtype=object)
    for k in range(5):
        tr, te = fold_of != k, fold_of == k
        best = max(grid, key=lambda ws: f1_of(sum(w * p[tr] for w, p in zip(ws, parts)), y[tr]))
        pred[te] = CLASSES[sum(w * p[te] for w, p in zip(best, parts)).argmax(1)]
    best_all = max(grid, key=lambda ws: f1_of(sum(w * p for w, p in zip(ws, parts)), y))
    return macro_f1(list(y), list(pred))[0], best_all, f1_of(sum(w * p for w, p in zip(best_all, parts)), y)


if __name__ == "__main__":
    cmd, names = sys.argv[1], sys.argv[2:]
    if cmd == "base":
        compute_base(names)
    elif cmd == "basehold":
        compute_base(names, "hold")
    elif cmd == "blend":
        # blend NAME1+NAME2+… : first at weight 1, each other at a weight from the grid (z-scored margins)
        import itertools
        W = [0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0]
        for spec in names:
            parts = [zs(load(n)) for n in spec.split("+")]
            grid = [(1.0,) + ws for ws in itertools.product(W, repeat=len(parts) - 1)]
            f1n, best, f1b = nested(parts, grid)
            print(f"BLEND {spec:40s} nested dev {f1n:.4f}   best weights on all dev {best} → {f1b:.4f}", flush=True)
    elif cmd == "bias":
        # per-class offsets added to a blend's scores, chosen by coordinate ascent for macro F1 on 4 folds,
        # applied to the fifth. Spec: NAME1+NAME2@w2 (weights fixed).
        def combo(spec):
            total = 0
            for part in spec.split("+"):
                n, _, w = part.partition("@")
                total = total + float(w or 1) * zs(load(n))
            return total

        def fit_offsets(S, y):
            off = np.zeros(len(CLASSES))
            steps = np.linspace(-0.4, 0.4, 17)
            for _ in range(2):
                for c in range(len(CLASSES)):
                    best = max(steps, key=lambda s: (f1_of(S + np.where(np.arange(len(CLASSES)) == c, s, off), y), -abs(s)))
                    off[c] = best
            return off

        for spec in names:
            S = combo(spec)
            pred = np.zeros(len(Y_DEV), dtype=object)
            for k in range(5):
                tr, te = FOLD_OF != k, FOLD_OF == k
                off = fit_offsets(S[tr], Y_DEV[tr])
                pred[te] = CLASSES[(S[te] + off).argmax(1)]
            print(f"BIAS {spec:40s} plain {f1_of(S, Y_DEV):.4f}  nested offsets {macro_f1(list(Y_DEV), list(pred))[0]:.4f}", flush=True)
    elif cmd == "stack":
        # multinomial LR over the concatenated z-scored margins of several bases, nested: fit on 4 folds'
        # out-of-fold margins, predict the fifth. Spec: NAME1+NAME2+…
        for spec in names:
            F = np.hstack([zs(load(n)) for n in spec.split("+")])
            for c in (0.03, 0.1, 1.0):
                pred = np.zeros(len(Y_DEV), dtype=object)
                for k in range(5):
                    tr, te = FOLD_OF != k, FOLD_OF == k
                    m = LogisticRegression(C=c, max_iter=2000, class_weight="balanced").fit(F[tr], Y_DEV[tr])
                    pred[te] = m.predict(F[te])
                print(f"STACK {spec:40s} C {c}: nested dev {macro_f1(list(Y_DEV), list(pred))[0]:.4f}", flush=True)
    elif cmd == "knnspeed":
        # size and speed of the compact neighbour index (messages only, each row cut to its 128 largest
        # terms, float16 values, int32 indices), index built on all of dev; the neighbour part only (the
        # features are the SVM's, already computed at prediction), scipy sparse product + top 10
        from scipy.sparse import csr_matrix
        f = V.Fold(V.dev, [m.text for m in V.dev])
        Xtr, Xq = committed_X(f)
        idx = prune_rows(Xtr[:len(V.dev)], 128)
        size = idx.nnz * (4 + 2) + (idx.shape[0] + 1) * 4 + idx.shape[0]
        idx16 = csr_matrix((idx.data.astype(np.float16).astype(np.float32), idx.indices, idx.indptr), shape=idx.shape)
        T = idx16.T.tocsr()
        Q = l2rows(Xq).astype(np.float32)
        c0 = time.process_time()
        for s in range(0, Q.shape[0], 256):
            S = (Q[s:s + 256] @ T).toarray()
            top = np.argpartition(-S, 10, axis=1)[:, :10]
        cpu = time.process_time() - c0
        print(f"KNN index {idx.shape[0]} rows, {idx.nnz} values: {size / 1e6:.2f} MB raw; "
              f"neighbour search {Q.shape[0] / cpu:.0f} msg/CPU-s (batches of 256)", flush=True)
    elif cmd == "noise":
        from collections import Counter
        from sklearn.feature_extraction.text import TfidfVectorizer
        pred = CLASSES[load("svm").argmax(1)]
        wrong = pred != Y_DEV
        print("errors (truth, predicted):", Counter(zip(Y_DEV[wrong], pred[wrong])).most_common(12))
        X = l2rows(TfidfVectorizer(analyzer="char", ngram_range=(1, 2), lowercase=False)
                   .fit_transform([V.normalise(m.text) for m in V.dev]))
        S = (X @ X.T).tocsr()
        S.setdiag(0)
        S.eliminate_zeros()
        for th in (0.95, 0.9, 0.8, 0.7):
            A = S.multiply(S >= th).tocoo()
            keep = A.row < A.col
            i, j = A.row[keep], A.col[keep]
            diff = Y_DEV[i] != Y_DEV[j]
            conflict = sorted(set(i[diff]) | set(j[diff]))
            print(f"cos>={th}: pairs {len(i)}, label-conflict pairs {diff.sum()}, rows with a near-dup "
                  f"{len(set(i) | set(j))}, rows in conflict {len(conflict)}, pairs across folds "
                  f"{(FOLD_OF[i] != FOLD_OF[j]).sum()}; errors among rows in conflict: {wrong[conflict].sum()} of {wrong.sum()}")
