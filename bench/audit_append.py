"""Audit rows appended in one transaction: the cost of each block of rows as the transaction grows.

    DATABASE_URL=postgres://… .venv/bin/python -m bench.audit_append [--rows 8000] [--block 1000] [--tree DIR]

A request appends a few audit rows; the demo load and a large import append thousands in one transaction.
The chain head once took a row version per appended row, which PostgreSQL walked on every later lock, so a
block's cost grew with the rows before it (docs/performance.md, "eleventh pass"). The transaction is
rolled back: the database is left as it was. Prints ms per row for each block.
"""
from __future__ import annotations

import argparse
import os
import sys
import time


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=8000)
    parser.add_argument("--block", type=int, default=1000)
    parser.add_argument("--tree", default=".", help="the code tree to measure (another commit's checkout)")
    args = parser.parse_args(argv)
    sys.path.insert(0, os.path.abspath(args.tree))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minqing.settings.local")
    import django

    django.setup()
    from django.db import transaction

    from minqing.accounts.models import User
    from minqing.core.audit import audit_record

    actor = User.objects.order_by("id").first()

    class Rollback(Exception):
        pass

    blocks = []
    try:
        with transaction.atomic():
            for start in range(0, args.rows, args.block):
                began = time.perf_counter()
                for i in range(start, start + args.block):
                    audit_record(actor=actor, action="bench.append", obj=actor, changes={"i": i})
                blocks.append((start, (time.perf_counter() - began) * 1000 / args.block))
            raise Rollback
    except Rollback:
        pass
    for start, ms in blocks:
        print(f"rows {start:>6}–{start + args.block - 1:<6} {ms:6.2f} ms/row")


if __name__ == "__main__":
    main()
