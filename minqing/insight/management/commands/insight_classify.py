"""python manage.py insight_classify IN.csv OUT.csv — add `category` and `confidence` to every row."""
import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _

from minqing.insight.classifier import BASELINE_PATH, CategoryModel

BATCH = 512


class Command(BaseCommand):
    help = _("批量分类：读取含 text 列的 UTF-8 CSV，输出原有各列及 category、confidence")

    def add_arguments(self, parser):
        parser.add_argument("input", type=Path)
        parser.add_argument("output", type=Path)
        parser.add_argument("--model", type=Path, default=BASELINE_PATH, help=_("模型文件（.npz）"))

    def handle(self, *args, input, output, model, **options):
        classifier = CategoryModel.load(model)
        with open(input, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if "text" not in (reader.fieldnames or []):
                raise CommandError(_("输入文件缺少 text 列"))
            fields = list(reader.fieldnames) + [f for f in ("category", "confidence") if f not in reader.fieldnames]
            rows = list(reader)
        for start in range(0, len(rows), BATCH):
            batch = rows[start:start + BATCH]
            for row, suggestion in zip(batch, classifier.predict([r["text"] or "" for r in batch])):
                row["category"], row["confidence"] = suggestion.category, f"{suggestion.confidence:.4f}"
        with open(output, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
        self.stdout.write(_("已分类 %(n)d 条，写入 %(path)s") % {"n": len(rows), "path": output})
