from django.core.management.base import BaseCommand
from django.db import transaction

from minqing.workdays.calendar import calendar_cache_clear
from minqing.workdays.models import CalendarDay, CalendarYear
from minqing.workdays.seed import seed_from_package


class Command(BaseCommand):
    help = "Add the years the installed chinesecalendar package knows and the table does not (after an upgrade)."

    def handle(self, *args, **options):
        with transaction.atomic():
            added = seed_from_package(CalendarYear, CalendarDay)
        calendar_cache_clear()
        self.stdout.write(f"新增年度：{', '.join(map(str, added)) or '无'}")
