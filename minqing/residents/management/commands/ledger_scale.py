from django.core.management.base import BaseCommand

from minqing.residents.scale import build_scale


class Command(BaseCommand):
    help = "Build a city-sized resident ledger for benchmarks (its own district 500199 '规模测试区')."

    def add_arguments(self, parser):
        parser.add_argument("--residents", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=20261123)

    def handle(self, *args, residents, seed, **options):
        stats = build_scale(residents=residents, seed=seed, log=self.stdout.write)
        seconds = stats.seconds["total"]
        self.stdout.write(self.style.SUCCESS(
            f"规模台账已生成：{stats.residents:,} 位居民、{stats.households:,} 户、{stats.moves:,} 条迁移、"
            f"{stats.tags:,} 个标签，共 {stats.rows:,} 行，{stats.buildings:,} 栋楼；用时 {seconds:.1f} 秒"
            f"（{stats.residents / seconds:,.0f} 居民/秒，{stats.rows / seconds:,.0f} 行/秒）。"))
