"""Scheduled jobs: apps register them in AppConfig.ready(); `manage.py scheduler` runs them.

A job is a function `run(now) -> str` that is idempotent on its own (running it twice changes
nothing the second time); the lease in JobLock additionally keeps two schedulers from running the
same job at the same moment.
"""
from __future__ import annotations

import datetime
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import JobLock

logger = logging.getLogger("minqing.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[datetime.datetime], str]
    lease_minutes: int = 10


_jobs: dict[str, Job] = {}


def register_job(name: str, run: Callable[[datetime.datetime], str], lease_minutes: int = 10) -> None:
    _jobs[name] = Job(name, run, lease_minutes)


def registered_jobs() -> list[Job]:
    return [_jobs[name] for name in sorted(_jobs)]


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


def job_lock_acquire(name: str, *, now: datetime.datetime, minutes: int, holder: str) -> bool:
    try:
        with transaction.atomic():
            JobLock.objects.get_or_create(name=name)
    except IntegrityError:
        pass  # another scheduler created it at the same moment
    taken = JobLock.objects.filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now), name=name).update(
        locked_until=now + datetime.timedelta(minutes=minutes), locked_by=holder, last_started_at=now,
        updated_at=now,
    )
    return taken == 1


def job_lock_release(name: str, *, holder: str, result: str) -> None:
    JobLock.objects.filter(name=name, locked_by=holder).update(
        locked_until=None, last_finished_at=timezone.now(), last_result=result[:200], updated_at=timezone.now(),
    )


def jobs_run_once(now: datetime.datetime | None = None, *, holder: str | None = None) -> dict[str, str]:
    """Run every registered job whose lease is free; {job: result or 'skipped (running elsewhere)'}."""
    holder = holder or _holder()
    results = {}
    for job in registered_jobs():
        moment = now or timezone.now()
        if not job_lock_acquire(job.name, now=moment, minutes=job.lease_minutes, holder=holder):
            results[job.name] = "skipped (running elsewhere)"
            continue
        result = "error"
        try:
            result = job.run(moment) or "ok"
        except Exception:  # one failing job must not stop the others; the log has the traceback
            logger.exception("scheduled job %s failed", job.name)
        finally:
            job_lock_release(job.name, holder=holder, result=result)
        results[job.name] = result
    return results
