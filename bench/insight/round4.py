"""Issue 19, fourth round (docs/insight.md "6 December 2026, fourth round"): dense semi-supervised features
learnt from unlabelled text, appended to the committed sparse features; their neighbour votes; blends with
the third round's 10-NN vote; relabelling/dropping suspicious training rows.

    OMP_NUM_THREADS=1 nice -n 19 .venv/bin/python bench/insight/round4.py base NAME …   # OOF margins → cache
    OMP_NUM_THREADS=1 nice -n 19 .venv/bin/python bench/insight/round4.py blend SPEC …  # nested blends
    OMP_NUM_THREADS=1 nice -n 19 .venv/bin/python bench/insight/round4.py basehold NAME # dev → hold-out, once

Same split, folds, features and blend machinery as round3.py / variants.py (imported). Margins are cached
in $ROUND3_CACHE (default here /tmp/insight_round4).

Unlabelled text ("U"): the 4,326 hot-issue messages and the 2,816 messages of replies.csv (title + detail,
like the training `text`), plus the training part of each fold (its labels unused). Never the fold's test
messages or the hold-out. Base names (any option may be left out; defaults shown):

  svm, knn:k=10,copies=0        third round's committed SVM and 10-NN vote (recomputed here)
  lsa:k=200,s=1,u=1,wh=0        committed features + a dense block = TF-IDF rows projected on the top k
                                right singular vectors of [training messages; U] (TruncatedSVD), scaled so
                                its mean row norm is s; wh=1 divides by the singular values (whitening);
                                u=0 fits the SVD on the training messages only. The block is linear in the
                                sparse features, so the trained SVM folds back into plain sparse weights:
                                no prediction cost, same model size.
  ppmi:k=100,s=1,win=5,u=1,src=w  same, the dense block = TF-IDF-weighted sum of embeddings from an SVD of
                                the positive PMI matrix of co-occurrences within `win` tokens; src=w: FMM
                                words, src=c: single characters, src=wc: both blocks. Linear too.
  *,nl=1                        (lsa/ppmi) the dense vector l2-normalised per row (not foldable: the
                                projection would have to ship)
  dknn:k=10,src=lsa,dim=200     10-NN vote by cosine in the dense space
  clean:drop=1,th=0             committed SVM retrained without (drop=1) / with relabelled (drop=0) the
                                training messages whose inner 3-fold out-of-fold prediction disagrees with
                                their label by a margin > th
"""
import os
import sys
from pathlib import Path

os.environ.setdefault("ROUND3_CACHE", "/tmp/insight_round4")
for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(var, "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))
import csv
import itertools

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix, hstack, vstack
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize as l2rows
from sklearn.svm import LinearSVC
from sklearn.utils.extmath import randomized_svd

import round3 as R3
from round3 import V, CLASSES, Y_HOLD, HELD, FOLD_OF
from minqing.insight.evaluation import macro_f1


def _unlabelled():
    out = []
    for name, title, detail in (("hot_issue_messages.csv", "留言主题", "留言详情"), ("replies.csv", "留言主题", "留言详情")):
        for row in V.datasets.read_csv(name):
            out.append((row[title] or "").strip() + "".join((row[detail] or "").split()))
    return [t for t in out if t]


U_TEXTS = _unlabelled()
print("unlabelled texts", len(U_TEXTS), flush=True)

_FOLDS = {}


def folds(split):
    """The dev folds (or the dev → hold-out fold), built once per process so feature blocks are shared."""
    if split not in _FOLDS:
        if split == "dev":
            _FOLDS[split] = V.dev_folds()
        else:
            _FOLDS[split] = [(V.Fold(V.dev, [m.text for m in HELD]), list(range(len(HELD))))]
    return _FOLDS[split]


def blocks(f):
    """The committed blocks for training, test and unlabelled texts, and each text's FMM word sequence.
    Fills the caches variants.py / round3.py read (identical matrices), so their bases reuse them."""
    def build(f):
        tf = V.feats(V.base)(f.texts)
        C = (tf(f.texts), tf(f.te_texts), tf(U_TEXTS))
        vocab = V.mm_vocab(f.segs, 2, 4)
        an = V.word_analyzer(vocab, 4, V.fmm, False)
        seqs = ([an(t) for t in f.texts], [an(t) for t in f.te_texts], [an(t) for t in U_TEXTS])
        wv = TfidfVectorizer(analyzer=lambda x: x, sublinear_tf=True, min_df=2, max_df=0.9)
        W = (wv.fit_transform(seqs[0]), wv.transform(seqs[1]), wv.transform(seqs[2]))
        f.cache["char"] = C[:2]
        f.cache[("word", 4, "fmm", 2, False)] = W[:2]
        body_v = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_df=0.9,
                                 preprocessor=V.normalise, lowercase=False).fit(f.texts)
        return {"C": C, "W": W, "seqs": seqs, "wvocab": wv.vocabulary_, "body_vocab": body_v.vocabulary_,
                "n_body": len(body_v.vocabulary_)}
    return f.block("r4blocks", build)


def committed3(f):
    """Committed features (chars body + head, words 0.7) for train, test, unlabelled."""
    b = blocks(f)
    return tuple(hstack([c, w * 0.7]).tocsr() for c, w in zip(b["C"], b["W"]))


def opts(spec, **defaults):
    kw = dict(defaults)
    for a in spec.split(","):
        if a:
            k, v = a.split("=")
            kw[k] = type(defaults[k])(v) if k in defaults and not isinstance(defaults[k], str) else v
    return kw


# --- dense projections ----------------------------------------------------------------------------------

def lsa_projection(f, k, u, wh):
    def build(f):
        Xtr, _, XU = committed3(f)
        M = vstack([Xtr[:len(f.tr)]] + ([XU] if u else [])).tocsr()
        svd = TruncatedSVD(k, algorithm="randomized", n_iter=5, random_state=0).fit(M)
        P = svd.components_.T.astype(np.float32)  # features × k
        if wh:
            P = P / svd.singular_values_.astype(np.float32)
        return P
    return f.block(("lsa", k, u, wh), build)


def cooc(seq_lists, index, win):
    """Symmetric co-occurrence counts (weighted 1/distance) of tokens within `win` positions; texts separated
    so no window spans two texts; tokens outside `index` keep their position but count for nothing."""
    ids = []
    for seqs in seq_lists:
        for s in seqs:
            ids.extend(index.get(t, -1) for t in s)
            ids.extend([-1] * win)
    ids = np.array(ids, dtype=np.int64)
    n = len(index)
    rows, cols, vals = [], [], []
    for d in range(1, win + 1):
        a, b = ids[:-d], ids[d:]
        ok = (a >= 0) & (b >= 0)
        rows += [a[ok], b[ok]]
        cols += [b[ok], a[ok]]
        vals += [np.full(ok.sum() * 2, 1.0 / d)]
    return coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n)).tocsr()


def ppmi_embed(C, k, alpha=0.75):
    C = C.tocoo()
    total = C.sum()
    r = np.asarray(C.sum(axis=1)).ravel()
    c = np.asarray(C.sum(axis=0)).ravel() ** alpha
    c = c / c.sum()
    pmi = np.log(C.data * 1.0 / (r[C.row] / total * c[C.col] * total) + 1e-12)
    keep = pmi > 0
    M = csr_matrix((pmi[keep], (C.row[keep], C.col[keep])), shape=C.shape)
    Uk, S, _ = randomized_svd(M, k, n_iter=5, random_state=0)
    return (Uk * np.sqrt(S)).astype(np.float32)


def ppmi_projection(f, k, win, u, src):
    """Projection matrix over the committed feature columns (zeros except the embedded block's columns)."""
    def build(f):
        b = blocks(f)
        n_feat = committed3(f)[0].shape[1]
        n_char = b["C"][0].shape[1]
        P = np.zeros((n_feat, k * len(src)), dtype=np.float32)
        for j, kind in enumerate(src):
            if kind == "w":
                seqs = [b["seqs"][0][:len(f.tr)]] + ([b["seqs"][2]] if u else [])
                E = ppmi_embed(cooc(seqs, b["wvocab"], win), k)
                # word columns come after all character columns, weighted 0.7 in the committed features
                P[n_char:, j * k:(j + 1) * k] = E
            else:  # single characters of the body block (its first columns: body vocabulary comes first)
                chars = sorted(t for t in b["body_vocab"] if len(t) == 1 and t != " ")
                index = {t: i for i, t in enumerate(chars)}
                seqs = [[list(V.normalise(t)) for t in f.texts[:len(f.tr)]]] + ([[list(V.normalise(t)) for t in U_TEXTS]] if u else [])
                E = ppmi_embed(cooc(seqs, index, win), k)
                # row i of E is chars[i]; its column in the body block is the body vocabulary's index
                P[np.array([b["body_vocab"][t] for t in chars]), j * k:(j + 1) * k] = E
        return P
    return f.block(("ppmi", k, win, u, src), build)


def dense(f, kind, **o):
    if kind == "lsa":
        P = lsa_projection(f, o["k"], o["u"], o["wh"])
    else:
        P = ppmi_projection(f, o["k"], o["win"], o["u"], o["src"])
    Xtr, Xte, _ = committed3(f)
    Dtr, Dte = np.asarray(Xtr @ P), np.asarray(Xte @ P)
    if o.get("nl"):
        Dtr, Dte = l2rows(Dtr), l2rows(Dte)
    return Dtr, Dte, P


def b_dense_svm(kind, spec):
    o = opts(spec, k=200 if kind == "lsa" else 100, s=1.0, u=1, wh=0, win=5, src="w", nl=0, c=1.0)

    def go(f):
        Xtr, Xte, _ = committed3(f)
        Dtr, Dte, P = dense(f, kind, **o)
        scale = o["s"] / (np.linalg.norm(Dtr[:len(f.tr)], axis=1).mean() + 1e-12)
        A = hstack([Xtr, csr_matrix(Dtr * scale)]).tocsr()
        B = hstack([Xte, csr_matrix(Dte * scale)]).tocsr()
        m = LinearSVC(C=o["c"], class_weight="balanced", random_state=0).fit(A, f.y)
        out = m.decision_function(B)
        if not o["nl"]:  # the dense block is linear: fold it into sparse weights and check the margins agree
            W = m.coef_[:, :Xtr.shape[1]].T + scale * (P @ m.coef_[:, Xtr.shape[1]:].T)
            folded = np.asarray(Xte @ W) + m.intercept_
            assert np.allclose(folded, out, atol=1e-3), np.abs(folded - out).max()
        return out
    return go


def b_dknn(spec):
    o = opts(spec, k=10, src="lsa", dim=200, u=1, wh=0, win=5, nl=1)

    def go(f):
        Dtr, Dte, _ = dense(f, "lsa" if o["src"] == "lsa" else "ppmi", k=o["dim"], u=o["u"], wh=o["wh"],
                            win=o["win"], src=o["src"] if o["src"] != "lsa" else "w", nl=1)
        n = len(f.tr)
        S = Dte @ Dtr[:n].T
        top = np.argpartition(-S, o["k"], axis=1)[:, :o["k"]]
        out = np.zeros((len(Dte), len(CLASSES)))
        lab = np.searchsorted(CLASSES, f.y[:n])
        rows = np.arange(len(out))
        for j in range(o["k"]):
            np.add.at(out, (rows, lab[top[:, j]]), S[rows, top[:, j]])
        return out
    return go


def b_clean(spec):
    """Inner 3-fold OOF margins on the fold's training messages (copies follow their message); a message
    whose label's margin trails the best other class by more than th is dropped (drop=1) or relabelled."""
    o = opts(spec, drop=1, th=0.0)

    def go(f):
        Xtr, Xte, _ = committed3(f)
        n = len(f.tr)
        copy_of = np.array([i for i, m in enumerate(f.tr) if m.has_raw])  # row n + j is a copy of copy_of[j]
        owner = np.concatenate([np.arange(n), copy_of])
        inner = np.array(V.group_folds([m.group for m in f.tr], 3))[owner]
        oof = np.zeros((len(owner), len(CLASSES)))
        for k in range(3):
            tr, te = inner != k, inner == k
            oof[te] = R3.svm_margins(Xtr[tr], f.y[tr], Xtr[te])
        lab = np.searchsorted(CLASSES, f.y)
        own = oof[np.arange(len(lab)), lab]
        other = np.where(np.eye(len(CLASSES), dtype=bool)[lab], -np.inf, oof).max(axis=1)
        bad_row = other - own > o["th"]
        bad_msg = np.zeros(n, dtype=bool)
        np.logical_or.at(bad_msg, owner, bad_row)  # either view of a message disagrees
        bad = bad_msg[owner]
        y = f.y.copy()
        if o["drop"]:
            keep = ~bad
            print(f"  clean: dropping {bad_msg.sum()} of {n} messages", flush=True)
            return R3.svm_margins(Xtr[keep], y[keep], Xte)
        best = CLASSES[np.where(np.eye(len(CLASSES), dtype=bool)[lab], -np.inf, oof).argmax(axis=1)]
        # relabel a message (and its copy) to the class both views' summed margins prefer
        msum = np.zeros((n, len(CLASSES)))
        np.add.at(msum, owner, oof)
        y[bad] = CLASSES[msum.argmax(axis=1)][owner[bad]]
        print(f"  clean: relabelled {bad_msg.sum()} of {n} messages", flush=True)
        return R3.svm_margins(Xtr, y, Xte)
    return go


def base_fn(name):
    kind, _, spec = name.partition(":")
    if name in R3.BASES:
        return R3.BASES[name]
    if kind == "knn":
        kw = opts(spec, k=10, copies=1, prune=0, qprune=0, power=1.0)
        return lambda f: R3.knn_general(f, **kw)
    if kind in ("lsa", "ppmi"):
        return b_dense_svm(kind, spec)
    if kind == "dknn":
        return b_dknn(spec)
    if kind == "clean":
        return b_clean(spec)
    raise KeyError(name)


def tag_of(name):
    return name.replace(":", "_").replace(",", "_").replace("=", "")


def compute(names, split="dev"):
    R3.compute_margins(names, split, base_fn, folds, tag=tag_of, prepare=blocks)


W_GRID = [0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0]


def blend(specs):
    for spec in specs:
        parts = [R3.zs(R3.load(tag_of(n))) for n in spec.split("+")]
        grid = [(1.0,) + ws for ws in itertools.product(W_GRID, repeat=len(parts) - 1)]
        f1n, best, f1b = R3.nested(parts, grid)
        print(f"BLEND {spec:50s} nested dev {f1n:.4f}   all-dev weights {best} → {f1b:.4f}", flush=True)


def blend_hold(spec, weights):
    """Hold-out score of a blend with weights fixed (chosen on dev)."""
    parts = [R3.zs(R3.load(tag_of(n), "hold")) for n in spec.split("+")]
    total = sum(w * p for w, p in zip(weights, parts))
    f1, per = macro_f1(list(Y_HOLD), list(CLASSES[total.argmax(1)]))
    print(f"HOLD-OUT BLEND {spec} weights {weights}: {f1:.4f}  {per}", flush=True)


if __name__ == "__main__":
    cmd, names = sys.argv[1], sys.argv[2:]
    if cmd == "base":
        compute(names)
    elif cmd == "basehold":
        compute(names, "hold")
    elif cmd == "blend":
        blend(names)
    elif cmd == "blendhold":
        blend_hold(names[0], [float(w) for w in names[1].split(",")])
