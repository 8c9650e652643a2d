"""Measurements behind docs/insight.md: cross-validated F1, speed, size, hot-issue and reply-quality checks.

Pure functions over the public data (datasets.py); the `insight_evaluate` command prints what they return.
"""
from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import classifier, datasets, hotissues, replyquality
from .features import FeatureSpec


@dataclass
class ClassifierReport:
    folds: int
    n_messages: int
    macro_f1: float
    macro_f1_raw_rows: float
    per_class_f1: dict[str, float]
    train_seconds: float
    train_cpu_seconds: float
    messages_per_second: float
    messages_per_cpu_second: float
    model_bytes: int
    temperature: float = 1.0


def macro_f1(truth: list[str], predicted: list[str]) -> tuple[float, dict[str, float]]:
    """The task's metric: the unweighted mean over classes of 2PR/(P+R)."""
    per_class = {}
    for label in sorted(set(truth)):
        tp = sum(t == label and p == label for t, p in zip(truth, predicted))
        fp = sum(t != label and p == label for t, p in zip(truth, predicted))
        fn = sum(t == label and p != label for t, p in zip(truth, predicted))
        per_class[label] = round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0
    return round(float(np.mean(list(per_class.values()))), 4), per_class


def group_folds(groups: list[str], k: int) -> list[int]:
    """Fold of each row; identical texts share a fold. Groups are dealt round-robin by size, like GroupKFold."""
    sizes = Counter(groups)
    load = [0] * k
    fold_of = {}
    for group, size in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        target = int(np.argmin(load))
        fold_of[group] = target
        load[target] += size
    return [fold_of[g] for g in groups]


def evaluate_classifier(messages: list[datasets.LabelledMessage], *, folds: int = 5,
                        spec: FeatureSpec | None = None, model_path: Path | None = None) -> ClassifierReport:
    """The committed baseline's configuration unless `spec` is given; a word block's lexicon comes from the
    training folds only."""
    from .baseline import BASELINE_SPEC

    spec = spec or BASELINE_SPEC

    def lexicon(part):
        return datasets.lexicon(part) if spec.word_weight > 0 else None

    texts, labels = [m.text for m in messages], [m.label for m in messages]
    fold_of = group_folds([m.group for m in messages], folds)
    predicted: list[str] = [""] * len(messages)
    for fold in range(folds):
        train_idx = [i for i, f in enumerate(fold_of) if f != fold]
        test_idx = [i for i, f in enumerate(fold_of) if f == fold]
        part = [messages[i] for i in train_idx]
        fold_texts, fold_labels = datasets.training_pairs(part)
        model = classifier.train(fold_texts, fold_labels, spec=spec, calibrate=False, lexicon=lexicon(part))
        for i, suggestion in zip(test_idx, model.predict([texts[i] for i in test_idx])):
            predicted[i] = suggestion.category
    overall, per_class = macro_f1(labels, predicted)
    raw = [i for i, m in enumerate(messages) if m.has_raw]
    raw_f1, _ = macro_f1([labels[i] for i in raw], [predicted[i] for i in raw])
    wall, cpu = time.perf_counter(), time.process_time()
    model = classifier.train(*datasets.training_pairs(messages), spec=spec, lexicon=lexicon(messages))
    train_wall, train_cpu = time.perf_counter() - wall, time.process_time() - cpu
    speed, cpu_speed = throughput(model, texts)
    path = model_path or Path("/tmp/insight_evaluate_model.npz")
    model.save(path)
    return ClassifierReport(folds, len(messages), overall, raw_f1, per_class, round(train_wall, 1),
                            round(train_cpu, 1), speed, cpu_speed, path.stat().st_size, model.temperature)


def throughput(model: classifier.CategoryModel, texts: list[str], batch: int = 256) -> tuple[float, float]:
    """Messages per second (wall clock, and per CPU second of this process), classified in batches."""
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(texts), batch):
        model.predict(texts[start:start + batch])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return round(len(texts) / wall), round(len(texts) / max(cpu, 1e-9))


@dataclass
class HotIssueReport:
    n_messages: int
    n_issues: int
    seconds: float
    examples: dict[str, dict] = field(default_factory=dict)  # example id → issues it landed in, their sizes
    top: list[hotissues.HotIssue] = field(default_factory=list)


def hot_messages(rows: list[dict]) -> list[hotissues.HotMessage]:
    return [hotissues.HotMessage(id=r["留言编号"].strip(), author=r["留言用户"].strip(), title=r["留言主题"].strip(),
                                 body=r["留言详情"].strip(), time=datasets.parse_time(r["留言时间"]),
                                 supports=int(float(r["点赞数"] or 0)), opposes=int(float(r["反对数"] or 0)))
            for r in rows]


def evaluate_hot_issues(limit: int | None = None) -> HotIssueReport:
    examples = defaultdict(set)
    for row in datasets.read_csv("hot_issue_official_example_30.csv"):
        if row["example_issue_id"] != "0":
            examples[row["example_issue_id"]].add(row["留言编号"].strip())
    rows = datasets.read_csv("hot_issue_messages.csv")
    if limit:  # keep the worked examples in a shortened run
        wanted = set().union(*examples.values())
        rows = [r for r in rows if r["留言编号"].strip() in wanted] + rows[:limit]
        rows = list({r["留言编号"].strip(): r for r in rows}.values())
    messages = hot_messages(rows)
    started = time.perf_counter()
    issues = hotissues.hot_issues(messages, min_size=1)
    seconds = round(time.perf_counter() - started, 1)
    issue_of = {m.id: n for n, issue in enumerate(issues) for m in issue.messages}
    report = HotIssueReport(len(messages), sum(len(i.messages) >= 2 for i in issues), seconds)
    for example, ids in sorted(examples.items()):
        landed = Counter(issue_of[i] for i in ids if i in issue_of)
        report.examples[example] = {"messages": len(ids), "issues": len(landed),
                                    "issue_sizes": [len(issues[n].messages) for n in landed],
                                    "issue_ranks": [n + 1 for n in landed]}
    report.top = issues[:5]
    return report


def evaluate_reply_quality() -> dict[str, dict[str, float]]:
    """AUC and agreement at a 0.5 cut of our scores against the hand labels (completeness, interpretability)."""
    rows = datasets.read_csv("reply_quality_labels_100.csv")
    scores = [replyquality.score_reply(demand=r["留言主题"] + r["留言详情"], reply=r["答复意见"],
                                       asked_at=datasets.parse_time(r["留言时间"]),
                                       replied_at=datasets.parse_time(r["答复时间"])) for r in rows]
    result = {}
    for label_column, attribute in (("完整性指标", "completeness"), ("可解释性指标", "explanation")):
        truth = np.array([float(r[label_column]) >= 0.5 for r in rows])
        values = np.array([getattr(s, attribute) for s in scores])
        cut = best_cut(values, truth)
        result[attribute] = {"n": len(rows), "positives": int(truth.sum()), "auc": round(auc(values, truth), 3),
                             **agreement(values >= 0.5, truth), "best_cut": cut,
                             **{f"{k}_at_best_cut": v for k, v in agreement(values >= cut, truth).items()}}
    return result


def auc(scores: np.ndarray, truth: np.ndarray) -> float:
    """Probability that a positive outranks a negative (ties count half)."""
    pos, neg = scores[truth], scores[~truth]
    if not len(pos) or not len(neg):
        return float("nan")
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (len(pos) * len(neg)))


def best_cut(scores: np.ndarray, truth: np.ndarray) -> float:
    """The cut with the highest accuracy on these same labels — optimistic, reported as such."""
    cuts = np.unique(scores)
    return float(max(cuts, key=lambda c: ((scores >= c) == truth).mean()))


def agreement(predicted: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    observed = float((predicted == truth).mean())
    chance = float(predicted.mean() * truth.mean() + (1 - predicted.mean()) * (1 - truth.mean()))
    kappa = (observed - chance) / (1 - chance) if chance < 1 else 0.0
    return {"accuracy": round(observed, 3), "kappa": round(kappa, 3)}
