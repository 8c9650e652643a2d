"""Rebuild the dashboard's rollups from the demands — after a bulk load or a data fix that bypassed
the services (the scheduled job keeps them current otherwise)."""
import time

from django.core.management.base import BaseCommand

from minqing.dashboard.rollups import rollups_rebuild


class Command(BaseCommand):
    help = "Rebuild the dashboard's per-day and per-month rollups from every demand."

    def handle(self, *args, **options):
        started = time.monotonic()
        rows = rollups_rebuild()
        self.stdout.write(f"{rows} rollup rows in {time.monotonic() - started:.1f} s")
