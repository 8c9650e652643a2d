"""The model variants of docs/insight.md "December 2026": 5-fold grouped CV on the development part
(the 15 % hold-out by duplicate group is set aside). Run: `DJANGO_SETTINGS_MODULE=minqing.settings.test
.venv/bin/python bench/insight/variants.py [name …]` (each variant takes 60–200 CPU-seconds).

Second round ("6 December 2026"): `variants.py "r2:NAME" …` for the dev CV of the variants in `r2`,
`variants.py "holdout:NAME"` to train on the development part and score the hold-out once."""
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


# ---------------------------------------------------------------------------------------------------------
# Issue 19, second round (docs/insight.md "6 December 2026"): word features from a maximum-match segmenter,
# NB/Platt blends, SGD over hashed n-grams, a pair-specialised second stage, class prototypes. The base
# character blocks of each fold are built once and shared by every variant in one process.
# `variants.py r2:NAME …` runs second-round variants; `variants.py holdout:NAME` trains on the whole
# development part and scores the hold-out once (only for variants that beat 0.9187 on dev).

from sklearn.naive_bayes import MultinomialNB, ComplementNB
from sklearn.linear_model import SGDClassifier
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize as l2rows


def mm_vocab(segmented_texts, min_count=2, max_len=6):
    """Words of length 2..max_len from the dataset's jieba tokens (training part only), normalised like text."""
    from collections import Counter
    counts = Counter()
    for seg in segmented_texts:
        for tok in seg.split():
            tok = normalise(tok).replace(" ", "")
            if 2 <= len(tok) <= max_len:
                counts[tok] += 1
    return {w for w, c in counts.items() if c >= min_count}


def fmm(norm, vocab, max_len=4):
    """Forward maximum match: longest vocabulary word at each position, else skip one character."""
    out, i, n = [], 0, len(norm)
    while i < n:
        for size in range(min(max_len, n - i), 1, -1):
            w = norm[i:i + size]
            if w in vocab:
                out.append(w)
                i += size
                break
        else:
            i += 1
    return out


def bmm(norm, vocab, max_len=4):
    """Backward maximum match."""
    out, j = [], len(norm)
    while j > 0:
        for size in range(min(max_len, j), 1, -1):
            w = norm[j - size:j]
            if w in vocab:
                out.append(w)
                j -= size
                break
        else:
            j -= 1
    out.reverse()
    return out


def word_analyzer(vocab, max_len=4, seg=fmm, bigrams=True):
    def analyse(text):
        words = seg(normalise(text), vocab, max_len)
        return words + ([a + "|" + b for a, b in zip(words, words[1:])] if bigrams else [])
    return analyse


class Fold:
    """One CV fold (or dev → hold-out): training texts/labels (with the joined-token copies) and test texts."""
    def __init__(self, tr, te_texts, te_labels=None):
        self.tr = tr
        self.texts = [m.text for m in tr] + [from_segmented(m.group) for m in tr if m.has_raw]
        self.y = np.array([m.label for m in tr] + [m.label for m in tr if m.has_raw])
        self.segs = [m.group for m in tr]
        self.te_texts = te_texts
        self.te_labels = te_labels
        self.cache = {}

    def block(self, key, build):
        if key not in self.cache:
            self.cache[key] = build(self)
        return self.cache[key]


def char_block(f):
    tf = feats(base)(f.texts)
    return tf(f.texts), tf(f.te_texts)


def word_block_maker(max_len=4, seg=fmm, min_count=2, bigrams=True):
    def build(f):
        vocab = mm_vocab(f.segs, min_count, max_len)
        v = TfidfVectorizer(analyzer=word_analyzer(vocab, max_len, seg, bigrams), sublinear_tf=True,
                            min_df=2, max_df=0.9)
        return v.fit_transform(f.texts), v.transform(f.te_texts)
    return build


def chars(f):
    return f.block("char", char_block)


def words(f, max_len=4, seg=fmm, min_count=2, bigrams=True):
    return f.block(("word", max_len, seg.__name__, min_count, bigrams), word_block_maker(max_len, seg, min_count, bigrams))


def stack(f, parts):
    Xtr = hstack([p[0] * w for p, w in parts]).tocsr()
    Xte = hstack([p[1] * w for p, w in parts]).tocsr()
    return Xtr, Xte


def head_words_block(max_len=4, head=45):
    def build(f):
        vocab = mm_vocab(f.segs, 2, max_len)
        an = word_analyzer(vocab, max_len, fmm, False)
        v = TfidfVectorizer(analyzer=lambda t: an(normalise(t)[:head]), sublinear_tf=True, min_df=2, max_df=0.9)
        return v.fit_transform(f.texts), v.transform(f.te_texts)
    return build


def v_svm_blocks(word_w=None, c=1.0, head_w=0.0, **wkw):
    def go(f):
        parts = [(chars(f), 1.0)] + ([(words(f, **wkw), word_w)] if word_w else [])
        if head_w:
            parts.append((f.block("headwords", head_words_block()), head_w))
        Xtr, Xte = stack(f, parts)
        return LinearSVC(C=c, class_weight="balanced", random_state=0).fit(Xtr, f.y).predict(Xte)
    return go


def zs(d):
    return (d - d.mean(axis=1, keepdims=True)) / (d.std(axis=1, keepdims=True) + 1e-9)


def v_svm_nb(alpha=0.3, mix=0.3, nb_on="words", nb_kind="mnb"):
    """SVM (char + word blocks) blended with a naive Bayes log-posterior (word or char counts)."""
    def go(f):
        Xtr, Xte = stack(f, [(chars(f), 1.0), (words(f), 0.5)])
        svm = LinearSVC(C=1.0, class_weight="balanced", random_state=0).fit(Xtr, f.y)
        d_svm = svm.decision_function(Xte)
        src = words(f) if nb_on == "words" else chars(f)
        nb = (MultinomialNB(alpha=alpha) if nb_kind == "mnb" else ComplementNB(alpha=alpha)).fit(src[0], f.y)
        d_nb = nb.predict_log_proba(src[1]) if nb_kind == "mnb" else nb.decision_function(src[1]) if hasattr(nb, "decision_function") else nb.predict_joint_log_proba(src[1])
        return svm.classes_[np.argmax((1 - mix) * zs(d_svm) + mix * zs(d_nb), axis=1)]
    return go


def v_platt_nb(mix=0.3, alpha=0.1, word_w=0.7):
    """Platt-calibrated SVM (char + word unigrams; 3-fold sigmoid) averaged with MultinomialNB on word
    unigram counts: (1 - mix)·P_svm + mix·P_nb."""
    def go(f):
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.feature_extraction.text import CountVectorizer
        Xtr, Xte = stack(f, [(chars(f), 1.0), (words(f, bigrams=False), word_w)])
        svm = CalibratedClassifierCV(LinearSVC(C=1.0, class_weight="balanced", random_state=0), cv=3,
                                     method="sigmoid").fit(Xtr, f.y)
        vocab = mm_vocab(f.segs, 2, 4)
        cv = CountVectorizer(analyzer=word_analyzer(vocab, 4, fmm, False), min_df=2)
        nb = MultinomialNB(alpha=alpha).fit(cv.fit_transform(f.texts), f.y)
        p = (1 - mix) * svm.predict_proba(Xte) + mix * nb.predict_proba(cv.transform(f.te_texts))
        return svm.classes_[p.argmax(axis=1)]
    return go


def v_nbsvm(alpha=1.0, beta=0.25, c=1.0):
    """Wang & Manning NBSVM, one-vs-rest: features scaled by the class's log-count ratio, interpolated."""
    def go(f):
        Xtr, Xte = stack(f, [(chars(f), 1.0), (words(f), 0.5)])
        classes = np.unique(f.y)
        out = np.zeros((Xte.shape[0], len(classes)))
        B = (Xtr > 0).astype(np.float64)
        for k, cls in enumerate(classes):
            pos = f.y == cls
            p = alpha + np.asarray(B[pos].sum(axis=0)).ravel()
            q = alpha + np.asarray(B[~pos].sum(axis=0)).ravel()
            r = np.log((p / p.sum()) / (q / q.sum()))
            from scipy.sparse import diags
            R = diags(r)
            m = LinearSVC(C=c, random_state=0, class_weight="balanced").fit(Xtr @ R, pos)
            w = m.coef_.ravel()
            w = (1 - beta) * w.mean() * 0 + w  # keep the plain NBSVM form below
            wbar = np.abs(w).mean()
            w = (1 - beta) * wbar + beta * w
            out[:, k] = (Xte @ R) @ w + m.intercept_[0]
        return classes[out.argmax(axis=1)]
    return go


def v_sgd_hash(n_features=2 ** 21, ngram=(1, 3), alpha=2e-5, word_w=0.5, **wkw):
    def go(f):
        hv = HashingVectorizer(analyzer="char", ngram_range=ngram, n_features=n_features, alternate_sign=False,
                               preprocessor=normalise, lowercase=False, norm=None)
        from sklearn.feature_extraction.text import TfidfTransformer
        tt = TfidfTransformer(sublinear_tf=True)
        Htr = tt.fit_transform(hv.transform(f.texts)); Hte = tt.transform(hv.transform(f.te_texts))
        hh = HashingVectorizer(analyzer="char", ngram_range=(1, 2), n_features=2 ** 18, alternate_sign=False,
                               preprocessor=lambda t: normalise(t)[:45], lowercase=False, norm=None)
        th = TfidfTransformer(sublinear_tf=True)
        Gtr = th.fit_transform(hh.transform(f.texts)); Gte = th.transform(hh.transform(f.te_texts))
        parts = [((Htr, Hte), 1.0), ((Gtr, Gte), 0.5)] + ([(words(f, **wkw), word_w)] if word_w else [])
        Xtr, Xte = stack(f, parts)
        m = SGDClassifier(loss="modified_huber", alpha=alpha, max_iter=30, tol=None, class_weight="balanced",
                          random_state=0, average=True).fit(Xtr, f.y)
        return m.predict(Xte)
    return go


PAIRS = [("商贸旅游", "城乡建设"), ("交通运输", "城乡建设")]


def v_pair_stage(word_w=0.5, c_pair=0.5, margin=0.5, bigrams=None):
    """Stage 1 = SVM (char + words); when its top two are one of PAIRS and within `margin`, a binary SVM
    trained only on those two classes decides."""
    def go(f):
        wkw = {} if bigrams is None else {"bigrams": bigrams}
        parts = [(chars(f), 1.0)] + ([(words(f, **wkw), word_w)] if word_w else [])
        Xtr, Xte = stack(f, parts)
        svm = LinearSVC(C=1.0, class_weight="balanced", random_state=0).fit(Xtr, f.y)
        d = svm.decision_function(Xte)
        cls = svm.classes_
        order = np.argsort(-d, axis=1)
        pred = cls[order[:, 0]].copy()
        for a, b in PAIRS:
            sel = np.isin(f.y, [a, b])
            m = LinearSVC(C=c_pair, class_weight="balanced", random_state=0).fit(Xtr[sel], f.y[sel])
            idx = [r for r in range(len(pred)) if {cls[order[r, 0]], cls[order[r, 1]]} == {a, b}
                   and d[r, order[r, 0]] - d[r, order[r, 1]] < margin]
            if idx:
                pred[idx] = m.predict(Xte[idx])
        return pred
    return go


def v_protos(per_class=8, top_terms=0, mix=0.2, word_w=0.5, vocab_cap=None, sim_k=1, temp=0.05, **wkw):
    """SVM + class prototypes: k-means (spherical) per class on the training rows' features; the class
    score is the mean of its top `sim_k` prototype cosines; blended with z-scored SVM margins."""
    def go(f):
        from sklearn.cluster import KMeans
        parts = [(chars(f), 1.0)] + ([(words(f, **wkw), word_w)] if word_w else [])
        Xtr, Xte = stack(f, parts)
        Xtr_n, Xte_n = l2rows(Xtr), l2rows(Xte)
        svm = LinearSVC(C=1.0, class_weight="balanced", random_state=0).fit(Xtr, f.y)
        d = svm.decision_function(Xte)
        cls = svm.classes_
        sims = np.zeros_like(d)
        for k, c in enumerate(cls):
            Xc = Xtr_n[f.y == c]
            if per_class == 1:
                P = np.asarray(Xc.mean(axis=0))
            else:
                km = KMeans(per_class, n_init=1, random_state=0, max_iter=30).fit(Xc)
                P = km.cluster_centers_
            P = P / (np.linalg.norm(P, axis=1, keepdims=True) + 1e-12)
            if top_terms:
                cut = -np.sort(-np.abs(P), axis=1)[:, top_terms - 1:top_terms]
                P = np.where(np.abs(P) >= cut, P, 0)
            P = P.astype(np.float16).astype(np.float32)
            S = np.asarray(Xte_n @ P.T)
            S.sort(axis=1)
            sims[:, k] = S[:, -sim_k:].mean(axis=1)
        return cls[np.argmax((1 - mix) * zs(d) + mix * zs(sims), axis=1)]
    return go


def v_product(spec=None):
    """The product's own numpy pipeline (minqing.insight.classifier) with the baseline's spec."""
    def go(f):
        from minqing.insight import classifier
        from minqing.insight.baseline import BASELINE_SPEC
        sp = spec or BASELINE_SPEC
        lex = datasets.lexicon(f.tr) if sp.word_weight > 0 else None
        model = classifier.train(f.texts, list(f.y), spec=sp, calibrate=False, lexicon=lex)
        return [p.category for p in model.predict(f.te_texts)]
    return go


r2 = {
 "product baseline spec": v_product(),
 "svm char (check)": v_svm_blocks(None),
 "svm char + fmm words w0.5": v_svm_blocks(0.5),
 "svm char + fmm words w0.3": v_svm_blocks(0.3),
 "svm char + fmm words w0.7": v_svm_blocks(0.7),
 "svm char + fmm words w1.0": v_svm_blocks(1.0),
 "svm char + fmm unigrams w0.5": v_svm_blocks(0.5, bigrams=False),
 "svm char + bmm words w0.5": v_svm_blocks(0.5, seg=bmm),
 "svm char + fmm words maxlen6 w0.5": v_svm_blocks(0.5, max_len=6),
 "svm char + fmm words C0.7": v_svm_blocks(0.5, c=0.7),
 "svm char + fmm words w1.5": v_svm_blocks(1.5),
 "svm char + fmm words w2.0": v_svm_blocks(2.0),
 "svm char + fmm words w1.0 C0.7": v_svm_blocks(1.0, c=0.7),
 "svm char + fmm words w1.0 C1.5": v_svm_blocks(1.0, c=1.5),
 "svm char + fmm words w1.0 maxlen6": v_svm_blocks(1.0, max_len=6),
 "svm char + fmm words w1.0 mincount1": v_svm_blocks(1.0, min_count=1),
 "svm char + fmm unigrams w1.0": v_svm_blocks(1.0, bigrams=False),
 "svm char + bmm words w1.0": v_svm_blocks(1.0, seg=bmm),
 "svm char + fmm unigrams w0.7": v_svm_blocks(0.7, bigrams=False),
 "svm char + fmm unigrams w1.5": v_svm_blocks(1.5, bigrams=False),
 "svm char + fmm unigrams w1.0 maxlen6": v_svm_blocks(1.0, bigrams=False, max_len=6),
 "svm char + fmm unigrams w1.0 mincount1": v_svm_blocks(1.0, bigrams=False, min_count=1),
 "svm char + fmm unigrams w0.7 C0.7": v_svm_blocks(0.7, c=0.7, bigrams=False),
 "svm char + fmm unigrams w0.7 C1.5": v_svm_blocks(0.7, c=1.5, bigrams=False),
 "svm char + fmm unigrams w0.7 + head words 0.3": v_svm_blocks(0.7, head_w=0.3, bigrams=False),
 "svm char + fmm unigrams w0.7 + head words 0.5": v_svm_blocks(0.7, head_w=0.5, bigrams=False),
 "uni0.7 + protos 8/class": v_protos(per_class=8, word_w=0.7, bigrams=False),
 "uni0.7 + protos 8/class top2000": v_protos(per_class=8, word_w=0.7, top_terms=2000, bigrams=False),
 "uni0.7 + protos 20/class": v_protos(per_class=20, word_w=0.7, bigrams=False),
 "uni0.7 + protos 20/class top3": v_protos(per_class=20, word_w=0.7, sim_k=3, bigrams=False),
 "uni0.7 + protos 50/class top5": v_protos(per_class=50, word_w=0.7, sim_k=5, bigrams=False),
 "uni0.7 + protos 20/class mix0.3": v_protos(per_class=20, word_w=0.7, mix=0.3, bigrams=False),
 "svm char + bmm unigrams w0.7": v_svm_blocks(0.7, seg=bmm, bigrams=False),
 "svm char + fmm unigrams w0.7 mincount1": v_svm_blocks(0.7, bigrams=False, min_count=1),
 "svm char + fmm unigrams w0.7 mincount3": v_svm_blocks(0.7, bigrams=False, min_count=3),
 "platt svm + mnb words mix0.3": v_platt_nb(0.3),
 "platt svm + mnb words mix0.15": v_platt_nb(0.15),
 "sgd mhuber hash 1-3 + uni0.7": v_sgd_hash(word_w=0.7, bigrams=False),
 "uni0.7 pair stage": v_pair_stage(word_w=0.7, bigrams=False),
 "svm+mnb words": v_svm_nb(0.3, 0.3, "words"),
 "svm+mnb words mix0.15": v_svm_nb(0.3, 0.15, "words"),
 "svm+mnb chars": v_svm_nb(0.3, 0.3, "chars"),
 "nbsvm char+words": v_nbsvm(),
 "sgd mhuber hash 1-3": v_sgd_hash(),
 "sgd mhuber hash 1-3 alpha1e-5": v_sgd_hash(alpha=1e-5),
 "pair stage": v_pair_stage(),
 "pair stage margin1": v_pair_stage(margin=1.0),
 "protos 1/class": v_protos(per_class=1),
 "protos 8/class": v_protos(per_class=8),
 "protos 8/class top3": v_protos(per_class=8, sim_k=3),
 "protos 20/class": v_protos(per_class=20),
}


def dev_folds(folds=5):
    fold_of = group_folds([m.group for m in dev], folds)
    out = []
    for f in range(folds):
        tr = [m for m, k in zip(dev, fold_of) if k != f]
        te = [i for i, k in enumerate(fold_of) if k == f]
        out.append((Fold(tr, [dev[i].text for i in te]), te))
    return out


def run2(names):
    fs = dev_folds()
    for name in names:
        t0 = time.process_time()
        pred = [""] * len(dev)
        for f, te in fs:
            for i, p in zip(te, r2[name](f)):
                pred[i] = p
        f1, per = macro_f1([m.label for m in dev], pred)
        print(f"{name:50s} {f1:.4f}  cpu {time.process_time()-t0:.0f}s  {per}", flush=True)


def holdout(names):
    held = [m for m, h in zip(msgs, hold) if h]
    f = Fold(dev, [m.text for m in held])
    for name in names:
        t0 = time.process_time()
        f1, per = macro_f1([m.label for m in held], list(r2[name](f)))
        print(f"HOLD-OUT {name:41s} {f1:.4f}  cpu {time.process_time()-t0:.0f}s  {per}", flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0].startswith("r2:"):
        run2([a[3:] for a in args])
    elif args and args[0].startswith("holdout:"):
        holdout([a[8:] for a in args])
    else:
        for name in (args or exps):
            run(name, *exps[name])
