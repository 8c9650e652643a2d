import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from minqing.jobs.registry import jobs_run_once


class Command(BaseCommand):
    help = "Run the scheduled jobs (overdue marking, reminders, closing unrated follow-ups, outbox) once or in a loop."

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="run every job once and exit (cron, systemd timer)")
        mode.add_argument("--loop", action="store_true", help="run every --interval seconds until stopped")
        parser.add_argument("--interval", type=int, default=60)

    def handle(self, *args, once=False, loop=False, interval=60, **options):
        while True:
            for name, result in jobs_run_once().items():
                self.stdout.write(f"{name}: {result}")
            if not loop:
                return
            close_old_connections()  # a long-running loop must not keep a dead or stale connection
            time.sleep(interval)
