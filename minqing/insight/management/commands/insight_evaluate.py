"""python manage.py insight_evaluate — the figures of docs/insight.md, measured on the public data."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _

from minqing.insight import datasets, evaluation


class Command(BaseCommand):
    help = _("评估：分类五折交叉验证 F1、吞吐、训练时间、模型大小，热点示例，答复质量一致性")

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help=_("只用前若干条留言（用于测试）"))
        parser.add_argument("--tiny", action="store_true", help=_("极小规模试运行：--limit 300、三折"))
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--skip", nargs="*", default=[], choices=["classifier", "hot", "reply"])

    def handle(self, *args, limit, tiny, folds, skip, **options):
        if not datasets.available():
            raise CommandError(_("找不到公开数据：%(path)s（可设置 INSIGHT_DATA_DIR）") % {"path": datasets.data_dir()})
        if tiny:
            limit, folds = limit or 300, 3
        if "classifier" not in skip:
            self._classifier(limit, folds)
        if "hot" not in skip:
            self._hot(limit)
        if "reply" not in skip:
            self._reply()

    def _classifier(self, limit, folds):
        messages = datasets.labelled_messages()
        if limit:  # the file is sorted by label: a stride keeps every class
            messages = messages[::max(len(messages) // limit, 1)][:limit]
        report = evaluation.evaluate_classifier(messages, folds=folds, model_path=Path("/tmp/insight_eval.npz"))
        self.stdout.write(f"classifier: {report.n_messages} messages, {report.folds}-fold CV, duplicates grouped")
        self.stdout.write(f"  macro F1 {report.macro_f1:.4f} (rows with raw text {report.macro_f1_raw_rows:.4f})")
        for label, f1 in report.per_class_f1.items():
            self.stdout.write(f"  F1 {label}: {f1:.4f}")
        self.stdout.write(f"  training {report.train_seconds}s wall, {report.train_cpu_seconds}s CPU "
                          f"(incl. 3-fold temperature fit; T={report.temperature:.3f})")
        self.stdout.write(f"  throughput {report.messages_per_second} msgs/s wall, "
                          f"{report.messages_per_cpu_second} msgs per CPU-second")
        self.stdout.write(f"  model size {report.model_bytes / 1e6:.2f} MB")

    def _hot(self, limit):
        report = evaluation.evaluate_hot_issues(limit)
        self.stdout.write(f"hot issues: {report.n_messages} messages → {report.n_issues} issues of ≥2 "
                          f"in {report.seconds}s")
        for example, found in report.examples.items():
            verdict = "one issue" if found["issues"] == 1 else f"SPLIT into {found['issues']}"
            self.stdout.write(f"  worked example {example}: {found['messages']} messages → {verdict}, "
                              f"issue size {found['issue_sizes']}, rank {found['issue_ranks']}")
        for rank, issue in enumerate(report.top, 1):
            span = f"{issue.start:%Y/%m/%d}–{issue.end:%Y/%m/%d}" if issue.start else "—"
            self.stdout.write(f"  #{rank} heat {issue.heat} | {len(issue.messages)} msgs, {issue.people} people | "
                              f"{span} | {'、'.join(issue.places[:2])} | {issue.description[:40]}")

    def _reply(self):
        for attribute, figures in evaluation.evaluate_reply_quality().items():
            self.stdout.write(f"reply quality {attribute}: n={figures['n']} positives={figures['positives']} "
                              f"AUC {figures['auc']} accuracy@0.5 {figures['accuracy']} kappa {figures['kappa']}; "
                              f"at the best cut {figures['best_cut']} (tuned on these labels) accuracy "
                              f"{figures['accuracy_at_best_cut']} kappa {figures['kappa_at_best_cut']}")
