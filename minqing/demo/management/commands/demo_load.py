import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from minqing.demo.builders import DemoContext, builders, plans_per_statement, refresh_planner_statistics
from minqing.places.models import Place

DEMO_PASSWORD_NOTE = "演示账号仅供本机体验，切勿用于生产环境。"


class Command(BaseCommand):
    help = "Build the deterministic demo community (a coal mine's living area) and print the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="do nothing if places already exist")
        parser.add_argument("--seed", type=int, default=20261123)

    def handle(self, *args, if_empty=False, seed=20261123, **options):
        if not getattr(settings, "MINQING_ALLOW_DEMO", True):
            # the demo creates admin/minqing2026 and fictional residents: never in production (issue 13.10)
            raise CommandError("演示数据不能装入生产环境（MINQING_ALLOW_DEMO = False）。")
        if Place.objects.exists():
            if if_empty:
                self.stdout.write("数据库已有数据，跳过演示数据。")
                self._print_accounts()
                return
            self.stderr.write("数据库已有数据；演示数据只能装入空数据库。")
            return
        started = time.perf_counter()
        ctx = DemoContext(seed=seed, log=lambda msg: self.stdout.write(f"  {msg}"))
        with plans_per_statement(), transaction.atomic():
            for module in builders():
                step = time.perf_counter()
                module.build(ctx)
                self.stdout.write(f"  {module.__name__}: {time.perf_counter() - step:.1f}s")
        refresh_planner_statistics()
        self.stdout.write(self.style.SUCCESS(f"演示社区已生成，用时 {time.perf_counter() - started:.1f} 秒。"))
        self._print_accounts()

    def _print_accounts(self):
        from minqing.accounts.demo import DEMO_ACCOUNTS

        self.stdout.write("\n演示账号（密码均为 %s）：" % DEMO_ACCOUNTS[0][1])
        for username, _password, label in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<16} {label}")
        self.stdout.write(DEMO_PASSWORD_NOTE)
