"""Issue 19, fifth round (docs/insight.md "7 December 2026, fifth round"): distant labels from the departments
named in replies.csv, and the official taxonomy's category names as features.

    OMP_NUM_THREADS=1 nice -n 19 .venv/bin/python bench/insight/round5.py overlap          # reply ↔ labelled overlap, department labels
    OMP_NUM_THREADS=1 nice -n 19 .venv/bin/python bench/insight/round5.py base NAME …      # OOF margins → cache
    OMP_NUM_THREADS=1 nice -n 19 .venv/bin/python bench/insight/round5.py nested NAME1,NAME2,…  # choose the variant on 4 folds, score the fifth
    OMP_NUM_THREADS=1 nice -n 19 .venv/bin/python bench/insight/round5.py blend SPEC …     # nested blends (round4 rule)
    OMP_NUM_THREADS=1 nice -n 19 .venv/bin/python bench/insight/round5.py basehold NAME …  # dev → hold-out, once

Same split, folds, committed features and blend machinery as round3.py / round4.py / variants.py (imported).
Margins are cached in $ROUND3_CACHE (default here /tmp/insight_round5).

Reply messages ("R"): the 2,816 messages of replies.csv, text = title + detail (whitespace removed), like the
training `text` of title+detail rows. Those that repeat a labelled message (dev or hold-out: same normalised
title, same normalised text, or character 1–2-gram cosine ≥ OVERLAP_COS with any of the 7,339 messages) are
dropped before anything else. A reply message gets a distant label when the departments its reply
(答复意见) names map, through DEPARTMENTS below, to exactly one of the 7 classes (strict=1: and the reply
names none of the out-of-scope departments in OUT_OF_SCOPE).

The committed features' vectorisers are fitted on the fold's training texts only (as in the committed model);
reply rows are transformed with them and appended with sample weight w. The class weights stay those
"balanced" gives on the fold's own rows, so w=0 is the committed SVM exactly.

Base names (options may be left out; defaults shown):

  svm                              the committed configuration (check: 0.9212)
  rep:w=1,strict=0,agree=0,m=0     + distant-labelled reply rows at weight w; agree=1 keeps only the rows on
                                   which the fold's committed SVM agrees with the department label and
                                   leads its runner-up by more than m; refit=1 fits the vectorisers with the
                                   reply texts too (idf and vocabulary see them); skip=交 drops the
                                   department labels of the classes whose name starts with those characters
  svmlab:w=1,m=0.5                 + reply rows labelled by the fold's SVM alone (all mapped-or-not reply
                                   messages whose top margin leads by > m): self-training, for comparison
  tax:s=0.3,lvl=23,sub=1           + a 15-column block: per first-level class of taxonomy.csv, log(1 + hits)
                                   of its second/third-level names (and their sub-words, sub=1) in the
                                   message, each hit weighted 1/(number of first-level classes sharing the
                                   term); scaled so its mean row norm is s
  taxlex:src=23                    the committed model with the taxonomy names (and sub-words) of 2–4
                                   characters added to the fold's FMM lexicon
"""
import os
import sys
from pathlib import Path

os.environ.setdefault("ROUND3_CACHE", "/tmp/insight_round5")
for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(var, "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))
import collections
import re

import numpy as np
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize as l2rows
from sklearn.svm import LinearSVC

import round3 as R3
from round4 import blend, folds, tag_of  # the fourth round's blend, folds and cache names (importing it loads its corpus)
from round3 import V, CLASSES, Y_DEV, FOLD_OF, opts
from minqing.insight.evaluation import macro_f1

OVERLAP_COS = 0.6

# --- department → first-level class (by hand, from taxonomy.csv's 7 classes) ----------------------------
# Longest names first; a name that belongs to no single class of the 7 (文化和旅游, 食品药品, 公积金, 发改,
# 公安/交警 …) is not mapped. 公交 and 地铁 are 城乡建设 in the taxonomy, so no transit company is mapped.
DEPARTMENTS = {
    "城乡建设": ["住房和城乡建设局", "住房和城乡建设厅", "住房和城乡建设委员会", "住房和城乡建设部", "住房城乡建设",
              "住建局", "住建委", "住建厅", "城乡建设局", "城乡规划局", "城乡规划建设局", "规划局", "规划分局",
              "自然资源和规划局", "城市管理和综合执法局", "城市管理和行政执法局", "城市管理局", "城管局", "城管执法局",
              "城管执法大队", "住房保障局", "住房保障和房产管理局", "房产局", "房产管理局", "房屋征收", "征收办",
              "不动产登记中心", "建设局", "建委", "市政局", "园林局", "重点工程建设"],
    "劳动和社会保障": ["人力资源和社会保障局", "人力资源和社会保障厅", "人力资源社会保障", "人社局", "人社厅", "社保局",
                "社会保险管理服务局", "社保中心", "社会保险服务中心", "医疗保障局", "医保局", "医保中心",
                "医疗保险服务中心", "劳动保障监察", "劳动监察", "就业服务中心", "劳动人事争议仲裁"],
    "教育文体": ["教育局", "教育厅", "教育体育局", "教体局", "教育部", "教育考试院", "招生考试", "体育局", "文体局"],
    "商贸旅游": ["商务局", "商务厅", "市场监督管理局", "市场监管局", "市场监督管理分局", "工商局", "工商分局",
              "工商行政管理局", "质量技术监督局", "质监局", "质量监督管理局", "物价局", "价格监督检查", "旅游局",
              "旅游发展委员会"],
    "环境保护": ["生态环境局", "生态环境厅", "生态环境分局", "环境保护局", "环境保护厅", "环保局", "环保分局",
              "环境监察", "环境监测站", "环保厅"],
    "卫生计生": ["卫生健康委员会", "卫生健康委", "卫健委", "卫健局", "卫生健康局", "卫计委", "卫生和计划生育委员会",
              "卫生计生委", "卫生计生局", "卫生局", "疾病预防控制中心", "疾控中心", "卫生监督所", "计生办"],
    "交通运输": ["交通运输局", "交通运输厅", "交通运输委员会", "交通局", "公路局", "公路管理局", "运输管理处", "运管处",
              "运输管理局", "道路运输管理", "邮政管理局", "出租汽车管理", "客运管理", "交通建设"],
}
OUT_OF_SCOPE = ["公安局", "公安分局", "派出所", "交警", "国土资源局", "民政局", "财政局", "发展和改革", "发改委", "发改局",
                "林业局", "水利局", "农业农村局", "农业局", "司法局", "信访局", "文化和旅游", "文旅局", "食品药品监督",
                "住房公积金", "公积金", "税务局", "应急管理局", "自然资源局", "统计局", "退役军人"]
_DEPT_RE = re.compile("|".join(sorted({n for ns in DEPARTMENTS.values() for n in ns}, key=len, reverse=True)))
_DEPT_CLASS = {n: c for c, ns in DEPARTMENTS.items() for n in ns}
_OUT_RE = re.compile("|".join(OUT_OF_SCOPE))


def _reply_rows():
    rows = V.datasets.read_csv("replies.csv")
    out = []
    for r in rows:
        title = (r["留言主题"] or "").strip()
        text = title + "".join((r["留言详情"] or "").split())
        out.append({"title": title, "text": text, "reply": r["答复意见"] or ""})
    return out


def _overlap(reps):
    """Indices of reply messages that repeat a labelled message (dev or hold-out), and why."""
    rows = R3.ROWS
    titles = {V.normalise(r["title"]).replace(" ", "") for r in rows if r["title"].strip()}
    texts = {V.normalise(m.text).replace(" ", "") for m in V.msgs}
    v = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), preprocessor=V.normalise, lowercase=False, min_df=1)
    A = l2rows(v.fit_transform([m.text for m in V.msgs]))
    B = l2rows(v.transform([r["text"] for r in reps]))
    best = np.zeros(len(reps))
    for s in range(0, len(reps), 500):
        best[s:s + 500] = (B[s:s + 500] @ A.T).max(axis=1).toarray().ravel()
    why = {}
    for i, r in enumerate(reps):
        if V.normalise(r["title"]).replace(" ", "") in titles:
            why[i] = "title"
        elif V.normalise(r["text"]).replace(" ", "") in texts:
            why[i] = "text"
        elif best[i] >= OVERLAP_COS:
            why[i] = "cos"
    return why, best


REPS_ALL = _reply_rows()
_WHY, _BEST_COS = _overlap(REPS_ALL)
REPS = [r for i, r in enumerate(REPS_ALL) if i not in _WHY]
REP_TEXTS = [r["text"] for r in REPS]


def dept_label(reply, strict):
    found = {_DEPT_CLASS[m] for m in _DEPT_RE.findall(reply)}
    if len(found) != 1 or (strict and _OUT_RE.search(reply)):
        return None
    return found.pop()


DEPT = {s: np.array([dept_label(r["reply"], s) or "" for r in REPS], dtype=object) for s in (0, 1)}

# --- taxonomy terms ------------------------------------------------------------------------------------
TAX = V.datasets.read_csv("taxonomy.csv")
L1 = sorted({r["一级分类"] for r in TAX})
_GENERIC = {"其他", "管理", "问题", "其他问题"}


def tax_terms(lvl="23", sub=1, vocab=None):
    """term → set of first-level classes. lvl: which levels' names ('2', '3', '23'); sub: also the pieces
    of each name split at 和/与/及/、 and, with `vocab`, its FMM words (2–4 characters)."""
    out = collections.defaultdict(set)
    for r in TAX:
        for level in lvl:
            name = V.normalise(r["二级分类" if level == "2" else "三级分类"]).replace(" ", "")
            cands = {name}
            if sub:
                pieces = [p for p in re.split("[和与及、]", name) if len(p) >= 2]
                cands |= set(pieces)
                if vocab is not None:
                    for p in pieces:
                        cands |= set(V.fmm(p, vocab, 4))
            for t in cands:
                if len(t) >= 2 and t not in _GENERIC:
                    out[t].add(r["一级分类"])
    return out


def tax_counts(texts, terms):
    """Rows × 15: per first-level class, Σ over its terms of (occurrences in the normalised text) / (classes
    sharing the term); then log(1 + ·)."""
    items = sorted(terms.items(), key=lambda kv: -len(kv[0]))
    M = np.zeros((len(texts), len(L1)), dtype=np.float64)
    for i, t in enumerate(texts):
        s = V.normalise(t).replace(" ", "")
        for term, cls in items:
            n = s.count(term)
            if n:
                for c in cls:
                    M[i, L1.index(c)] += n / len(cls)
    return np.log1p(M)


# --- features ---------------------------------------------------------------------------------------------
def feats3(f, extra_vocab=(), refit=False):
    """Committed features (chars body + head 0.5, FMM word unigrams 0.7) for training, test and reply texts;
    extra_vocab = words added to the fold's FMM lexicon; refit = vectorisers fitted on training + reply texts."""
    def build(f):
        fit_on = f.texts + (REP_TEXTS if refit else [])
        tf = V.feats(V.base)(fit_on)
        C = (tf(f.texts), tf(f.te_texts), tf(REP_TEXTS))
        vocab = V.mm_vocab(f.segs, 2, 4) | set(extra_vocab)
        wv = TfidfVectorizer(analyzer=V.word_analyzer(vocab, 4, V.fmm, False), sublinear_tf=True, min_df=2, max_df=0.9)
        wv.fit(fit_on)
        W = (wv.transform(f.texts), wv.transform(f.te_texts), wv.transform(REP_TEXTS))
        return tuple(hstack([c, w * 0.7]).tocsr() for c, w in zip(C, W))
    return f.block(("r5feats", tuple(sorted(extra_vocab)), refit), build)


def balanced(y):
    cls, n = np.unique(y, return_counts=True)
    return {c: len(y) / (len(cls) * k) for c, k in zip(cls, n)}


def fit_svm(X, y, cw, sw=None):
    m = LinearSVC(C=1.0, class_weight=cw, random_state=0).fit(X, y, sample_weight=sw)
    assert list(m.classes_) == list(CLASSES)
    return m


def fold_svm(f):
    """The committed SVM of the fold (cached): its margins on test and reply rows."""
    def build(f):
        Xtr, Xte, XR = feats3(f)
        m = fit_svm(Xtr, f.y, balanced(f.y))
        return m.decision_function(Xte), m.decision_function(XR)
    return f.block("r5svm", build)


def b_svm(f):
    return fold_svm(f)[0]


def lead(M):
    s = np.sort(M, axis=1)
    return s[:, -1] - s[:, -2]


def b_rep(spec):
    o = opts(spec, w=1.0, strict=0, agree=0, m=0.0, refit=0, skip="")

    def go(f):
        Xtr, Xte, XR = feats3(f, refit=bool(o["refit"]))
        lab = DEPT[o["strict"]]
        keep = lab != ""
        for ch in o["skip"]:  # skip=交: no department labels of the classes starting with these characters
            keep &= np.array([not l.startswith(ch) for l in lab])
        if o["agree"]:
            MR = fold_svm(f)[1]
            keep &= (CLASSES[MR.argmax(1)] == lab) & (lead(MR) > o["m"])
        y = np.concatenate([f.y, lab[keep]])
        X = vstack([Xtr, XR[keep]]).tocsr()
        sw = np.concatenate([np.ones(len(f.y)), np.full(keep.sum(), o["w"])])
        if f is folds("dev")[0][0]:
            print(f"  rep {spec} (first fold): {keep.sum()} reply rows {dict(collections.Counter(lab[keep]))}", flush=True)
        return fit_svm(X, y, balanced(f.y), sw).decision_function(Xte)
    return go


def b_svmlab(spec):
    o = opts(spec, w=1.0, m=0.5)

    def go(f):
        Xtr, Xte, XR = feats3(f)
        MR = fold_svm(f)[1]
        keep = lead(MR) > o["m"]
        lab = CLASSES[MR.argmax(1)]
        X = vstack([Xtr, XR[keep]]).tocsr()
        y = np.concatenate([f.y, lab[keep]])
        sw = np.concatenate([np.ones(len(f.y)), np.full(keep.sum(), o["w"])])
        if f is folds("dev")[0][0]:
            print(f"  svmlab {spec} (first fold): {keep.sum()} reply rows", flush=True)
        return fit_svm(X, y, balanced(f.y), sw).decision_function(Xte)
    return go


def b_tax(spec):
    o = opts(spec, s=0.3, lvl="23", sub=1, fv=1)

    def go(f):
        Xtr, Xte, _ = feats3(f)
        vocab = V.mm_vocab(f.segs, 2, 4) if o["fv"] else None
        terms = tax_terms(o["lvl"], o["sub"], vocab)
        key = ("taxcounts", o["lvl"], o["sub"], o["fv"])
        Ttr, Tte = f.block(key, lambda f: (tax_counts(f.texts, terms), tax_counts(f.te_texts, terms)))
        scale = o["s"] / (np.linalg.norm(Ttr[:len(f.tr)], axis=1).mean() + 1e-12)
        A = hstack([Xtr, csr_matrix(Ttr * scale)]).tocsr()
        B = hstack([Xte, csr_matrix(Tte * scale)]).tocsr()
        return fit_svm(A, f.y, balanced(f.y)).decision_function(B)
    return go


def b_taxlex(spec):
    o = opts(spec, src="23", sub=1)

    def go(f):
        terms = tax_terms(o["src"], o["sub"], V.mm_vocab(f.segs, 2, 4))
        extra = tuple(t for t in terms if 2 <= len(t) <= 4)
        Xtr, Xte, _ = feats3(f, extra_vocab=extra)
        return fit_svm(Xtr, f.y, balanced(f.y)).decision_function(Xte)
    return go


def base_fn(name):
    kind, _, spec = name.partition(":")
    if name == "svm":
        return b_svm
    if kind == "knn":
        kw = opts(spec, k=10, copies=1, prune=0, qprune=0, power=1.0)
        return lambda f: R3.knn_general(f, **kw)
    return {"rep": b_rep, "svmlab": b_svmlab, "tax": b_tax, "taxlex": b_taxlex}[kind](spec)


def compute(names, split="dev"):
    R3.compute_margins(names, split, base_fn, folds, tag=tag_of)


def nested_choice(names):
    """A family of variants (e.g. weights): the variant is chosen on 4 folds' OOF predictions, the fifth is
    scored with it; the dev figure of the choice, never selected on the rows it scores."""
    M = [R3.load(tag_of(n)) for n in names]
    pred = np.zeros(len(Y_DEV), dtype=object)
    picks = []
    for k in range(5):
        tr, te = FOLD_OF != k, FOLD_OF == k
        j = max(range(len(M)), key=lambda j: R3.f1_of(M[j][tr], Y_DEV[tr]))
        picks.append(names[j])
        pred[te] = CLASSES[M[j][te].argmax(1)]
    f1 = macro_f1(list(Y_DEV), list(pred))[0]
    print(f"NESTED {' | '.join(names)}\n   nested dev {f1:.4f}  picks per fold {picks}", flush=True)


def report_overlap():
    c = collections.Counter(_WHY.values())
    print(f"reply messages {len(REPS_ALL)}; dropped as repeats of a labelled message (dev or hold-out): {len(_WHY)} "
          f"(same title {c['title']}, same text {c['text']}, char 1-2 cosine >= {OVERLAP_COS} {c['cos']}); kept {len(REPS)}")
    print("  max cosine to a labelled message, kept reply messages: quantiles 50/90/99/max",
          np.round(np.quantile(np.delete(_BEST_COS, list(_WHY)), [0.5, 0.9, 0.99, 1.0]), 3))
    for s in (0, 1):
        lab = DEPT[s]
        print(f"  department labels (strict={s}): {int((lab != '').sum())} of {len(REPS)}: "
              f"{dict(collections.Counter(l for l in lab if l))}")
    # how often the committed SVM trained on all of dev agrees with the department label (a noise gauge)
    f = folds("hold")[0][0]
    MR = fold_svm(f)[1]
    pred = CLASSES[MR.argmax(1)]
    for s in (0, 1):
        lab = DEPT[s]
        sel = lab != ""
        agree = pred[sel] == lab[sel]
        print(f"  strict={s}: SVM trained on dev agrees with the department label on {agree.sum()} of {sel.sum()} "
              f"({agree.mean():.3f}); with lead > 0.5 as well: {int((agree & (lead(MR[sel]) > 0.5)).sum())}")
        conf = collections.Counter(zip(lab[sel][~agree], pred[sel][~agree])).most_common(6)
        print(f"    disagreements (department label, SVM): {conf}")
    terms = tax_terms("23", 1, V.mm_vocab([m.group for m in V.dev], 2, 4))
    T = tax_counts([m.text for m in V.dev], terms)
    in7 = [L1.index(c) for c in CLASSES]
    hit = T.sum(1) > 0
    top = np.array(L1)[T.argmax(1)]
    print(f"  taxonomy terms {len(terms)}; dev messages with a hit {hit.sum()} of {len(T)}; "
          f"argmax class = label on {(top[hit] == Y_DEV[hit]).mean():.3f} of those; hits in the 7 classes' columns "
          f"{(T[:, in7].sum(1) > 0).sum()}")


if __name__ == "__main__":
    cmd, names = sys.argv[1], sys.argv[2:]
    if cmd == "overlap":
        report_overlap()
    elif cmd == "base":
        compute(names)
    elif cmd == "basehold":
        compute(names, "hold")
    elif cmd == "nested":
        for spec in names:
            nested_choice(spec.split("|"))
    elif cmd == "blend":
        blend(names)
