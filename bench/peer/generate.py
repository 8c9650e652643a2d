"""Loads django-helpdesk with as many tickets as Minqing's city has demands (run in the helpdesk venv).

    /tmp/peer/hd-venv/bin/python bench/peer/generate.py build --tickets 100000
    /tmp/peer/hd-venv/bin/python bench/peer/generate.py prepare      # JSON: sessions, token, sample ids

The tickets are the city's demands in helpdesk's terms, drawn from the same tables as bench/generate.py
(its top categories and their weights, texts and replies, two years ending 2026-11-20):
- 14 queues = Minqing's 14 top categories; the ticket's queue follows the same weights;
- 56 staff users = one per community (Minqing's community workers); 90 % of tickets assigned;
- status by age, as Minqing's demands are walked through their state machine as far as their age
  allows: most old tickets closed or resolved, the recent ones open; priority from the urgency mix;
- follow-ups as helpdesk writes them: "Ticket Opened", one to three staff comments, and the
  resolving/closing follow-up with its TicketChange row (status) — about the rows per ticket of
  Minqing's timeline.
Rows go in by PostgreSQL COPY (psycopg 3), as Minqing's city does; users and queues through the ORM
(so helpdesk's own signals make their UserSettings). VACUUM ANALYZE at the end.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(HERE), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hdsite.settings")

from bench.generate import DAYS, END, REPLIES, TEXTS, TOP_WEIGHTS  # noqa: E402  (plain data, no Django)

UTC = datetime.timezone.utc
STAFF = 56
QUEUE_SLUGS = {"水电暖气": "utilities", "物业": "property", "环境卫生": "sanitation", "治安": "public-order",
               "邻里关系": "neighbours", "社保民政": "social-security", "医疗卫生": "health", "教育": "education",
               "就业": "employment", "住房": "housing", "企业改制遗留": "enterprise-legacy", "拆迁": "demolition",
               "道路交通": "roads", "其他": "other"}
PRIORITIES = [(3, 86), (2, 11), (1, 3)]  # Minqing's urgency mix: normal, urgent, critical
OPEN, REOPENED, RESOLVED, CLOSED = 1, 2, 3, 4


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def _esc(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", "\\n").replace("\r", "")


def _line(values) -> str:
    return "\t".join(_esc(v) for v in values) + "\n"


def status_for_age(rng: random.Random, age_days: float) -> int:
    """Recent tickets open, older ones resolved or closed (Minqing's demands close within ~30 days)."""
    r = rng.random()
    if age_days < 3:
        return OPEN if r < 0.7 else RESOLVED
    if age_days < 30:
        return OPEN if r < 0.2 else RESOLVED if r < 0.45 else CLOSED
    return OPEN if r < 0.02 else REOPENED if r < 0.03 else RESOLVED if r < 0.15 else CLOSED


def setup_django():
    import django

    django.setup()


def people_and_queues():
    """The queues (one per top category) and the staff, through the ORM; the bench's own staff user."""
    from django.contrib.auth import get_user_model
    from helpdesk.models import Queue

    User = get_user_model()
    queues = []
    for title, slug in QUEUE_SLUGS.items():
        queue, _ = Queue.objects.get_or_create(slug=slug, defaults={"title": title, "allow_public_submission": True})
        queues.append(queue)
    staff = []
    for n in range(1, STAFF + 1):
        user, created = User.objects.get_or_create(username=f"staff{n:02d}", defaults={
            "email": f"staff{n:02d}@example.com", "is_staff": True})
        if created:
            user.set_unusable_password()
            user.save()
        staff.append(user)
    bench, created = User.objects.get_or_create(username="bench", defaults={"email": "bench@example.com",
                                                                             "is_staff": True})
    if created:
        bench.set_unusable_password()
        bench.save()
    return queues, staff, bench


def build(args) -> dict:
    import psycopg
    from django.conf import settings
    from django.db import connection

    setup_django()
    from django.core.management import call_command

    t0 = time.perf_counter()
    log("migrate")
    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cur:
        cur.execute("TRUNCATE helpdesk_ticketchange, helpdesk_followup, helpdesk_ticket CASCADE")
    queues, staff, _bench = people_and_queues()
    rng = random.Random(args.seed)
    titles = list(TOP_WEIGHTS)
    weights = [TOP_WEIGHTS[t] for t in titles]
    queue_by_title = {q.title: q.pk for q in queues}
    prio_values, prio_weights = zip(*PRIORITIES)
    replies = list(REPLIES.values())
    end = END.astimezone(UTC)
    tickets, followups, changes = [], [], []
    fu_id = ch_id = 0
    for tid in range(1, args.tickets + 1):
        age = rng.random() * DAYS
        created = end - datetime.timedelta(days=age)
        created = min(end, created.replace(hour=rng.randrange(10), minute=rng.randrange(60)))  # 8–18 h Shanghai
        top = rng.choices(titles, weights)[0]
        text = rng.choice(TEXTS[top])
        status = status_for_age(rng, age)
        assignee = staff[rng.randrange(STAFF)].pk if rng.random() < 0.9 or status != OPEN else None
        handled = min(end, created + datetime.timedelta(hours=rng.uniform(2, 24 * min(age, 20) + 2)))
        resolution = rng.choice(replies) if status in (RESOLVED, CLOSED) else ""
        modified = handled if status != OPEN else created
        tickets.append(_line((tid, text[:200], created, modified, f"resident{rng.randrange(20000):05d}@example.com",
                              status, False, f"{text}。请尽快处理。", resolution, rng.choices(prio_values, prio_weights)[0],
                              created + datetime.timedelta(days=15), None, assignee, queue_by_title[top],
                              str(uuid.uuid4()), None, None)))
        fu_id += 1
        followups.append(_line((fu_id, created, "Ticket Opened", f"{text}。请尽快处理。", True, None, tid, None,
                                None, None, None)))
        comment_at = created
        for _ in range(rng.randint(1, 3)):
            comment_at = min(end, comment_at + datetime.timedelta(hours=rng.uniform(1, 30)))
            fu_id += 1
            followups.append(_line((fu_id, comment_at, "Comment", "已联系居民，正在协调相关单位处理。", rng.random() < 0.5,
                                    None, tid, assignee, None, None, None)))
        if status in (RESOLVED, CLOSED, REOPENED):
            fu_id += 1
            new = RESOLVED if status == REOPENED else status
            label = {RESOLVED: "Resolved", CLOSED: "Closed"}[new]
            followups.append(_line((fu_id, handled, label, resolution or replies[0], True, new, tid, assignee,
                                    None, None, None)))
            ch_id += 1
            changes.append(_line((ch_id, "Status", "Open", label, fu_id)))
    dsn = settings.DATABASES["default"]
    log(f"generated {len(tickets):,} tickets, {len(followups):,} follow-ups, {len(changes):,} changes; COPY")
    t_copy = time.perf_counter()
    with psycopg.connect(host=dsn["HOST"], port=dsn["PORT"], dbname=dsn["NAME"], user=dsn["USER"],
                         password=dsn["PASSWORD"]) as pg:
        with pg.cursor() as cur:
            for table, columns, rows in (
                ("helpdesk_ticket", "id, title, created, modified, submitter_email, status, on_hold, description, "
                                    "resolution, priority, due_date, last_escalation, assigned_to_id, queue_id, "
                                    "secret_key, kbitem_id, merged_to_id", tickets),
                ("helpdesk_followup", "id, date, title, comment, public, new_status, ticket_id, user_id, message_id, "
                                      "time_spent, email_recipients", followups),
                ("helpdesk_ticketchange", "id, field, old_value, new_value, followup_id", changes),
            ):
                with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for start in range(0, len(rows), 10000):
                        copy.write("".join(rows[start:start + 10000]))
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        pg.commit()
        pg.autocommit = True
        pg.execute("VACUUM ANALYZE")
        size = pg.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    info = {"tickets": len(tickets), "followups": len(followups), "ticket_changes": len(changes),
            "queues": len(queues), "staff": len(staff), "copy_seconds": round(time.perf_counter() - t_copy, 1),
            "seconds": round(time.perf_counter() - t0, 1), "database_size": size}
    log(f"built {info}")
    return info


def prepare(args) -> dict:
    """What the driver needs, made through helpdesk's and Django's own code before the clock starts:
    a session for the bench's staff user, a DRF token, the queues and a sample of ticket ids."""
    setup_django()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from helpdesk.models import Queue, Ticket
    from rest_framework.authtoken.models import Token

    _queues, _staff, bench = people_and_queues()
    session = SessionStore()
    session[SESSION_KEY] = str(bench.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = bench.get_session_auth_hash()
    session.create()
    token, _ = Token.objects.get_or_create(user=bench)
    ids = list(Ticket.objects.order_by("?").values_list("id", flat=True)[:600])
    return {"cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}", "token": token.key,
            "queues": list(Queue.objects.order_by("id").values_list("id", flat=True)), "ticket_ids": ids,
            "tickets": Ticket.objects.count()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["build", "prepare"])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args(argv)
    out = build(args) if args.step == "build" else prepare(args)
    print("RESULT " + json.dumps(out, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
