"""python manage.py insight_train — retrain the category model from this community's own closed demands."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _

from minqing.insight import communitymodel


class Command(BaseCommand):
    help = _("用本社区已办结诉求重新训练分类模型（数据不足时保留基线模型）")

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=None)
        parser.add_argument("--min-per-category", type=int, default=communitymodel.MIN_PER_CATEGORY)

    def handle(self, *args, output, min_per_category, **options):
        try:
            result = communitymodel.train_from_closed_appeals(path=output, min_per_category=min_per_category)
        except communitymodel.NotEnoughHistory as error:
            raise CommandError(str(error)) from error
        path = output or communitymodel.community_path()
        self.stdout.write(_("已训练：%(n)d 条诉求，%(k)d 个分类，保存至 %(path)s")
                          % {"n": result.messages, "k": result.categories, "path": path})
