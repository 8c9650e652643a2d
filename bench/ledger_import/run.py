"""Benchmark: a generated 10,000-resident .xlsx validates (dry run) and imports in under 30 s.

    .venv/bin/python -m bench.ledger_import.run              # 10,000 residents, writes results.json
    .venv/bin/python -m bench.ledger_import.run --residents 50000 --no-record

Runs against a fresh SQLite database in a temporary directory (or DATABASE_URL if set — it must be a
scratch database: the demo place tree and accounts are loaded into it). The file is made by the
product's own population generator in the demo buildings, so every row is valid: the benchmark
measures the full path — reading the sheet, validating every row (ID check digits, phones, dates,
duplicates in the file and in the database, buildings, heads), sealing the personal data
(Fernet + keyed hash + mask) and the bulk write with moves, care tags and the audit row.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
RESULTS = Path(__file__).resolve().parent / "results.json"
LIMIT_SECONDS = 30.0


def setup_django(scratch: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minqing.settings.local")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
    os.environ.setdefault("MINQING_FIELD_ENCRYPTION_KEY", "YmVuY2gtb25seS1rZXktbm90LWZvci1wcm9kdWN0aW8=")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_workbook(residents: int, seed: int) -> bytes:
    """A ledger sheet as a community worker would fill it: households of the demo community's buildings."""
    from openpyxl import Workbook

    from minqing.places.models import Place, PlaceKind
    from minqing.residents.importing import COLUMNS, RELATION_BY_LABEL
    from minqing.residents.models import CareTag, Relation
    from minqing.residents.population import PopulationGenerator

    labels = {value: label for label, value in RELATION_BY_LABEL.items()}
    tag_names = dict(CareTag.objects.values_list("code", "name"))
    buildings = list(Place.objects.filter(kind=PlaceKind.BUILDING, code__startswith="500110001001"))
    gen = PopulationGenerator(random.Random(seed))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("居民")
    sheet.append([header for _key, header, _required in COLUMNS])
    count, room = 0, 0
    while count < residents:
        plan = gen.household()
        room += 1
        building = buildings[room % len(buildings)]
        for person in plan.members:
            sheet.append([
                building.code, f"{room // 100 + 1}单元{room % 100 + 100}", person.name,
                str(labels.get(person.relation, Relation.OTHER.label)), person.id_number,
                "男" if person.sex == "M" else "女", person.birth_date.isoformat(), person.phone,
                "是" if person.is_floating else "否", person.registered_place, person.occupation,
                "、".join(tag_names[code] for code, _start in person.tags[:2]), plan.moved_in.isoformat(), "",
            ])
            count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-record", action="store_true", help="do not overwrite results.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="minqing-bench-import-") as scratch:
        setup_django(Path(scratch))
        from minqing.accounts.models import User
        from minqing.demo.builders import DemoContext
        from minqing.residents.importing import ledger_import
        from minqing.residents.models import Resident

        ctx = DemoContext(log=lambda message: None)
        import minqing.accounts.demo
        import minqing.places.demo

        minqing.places.demo.build(ctx)
        minqing.accounts.demo.build(ctx)
        worker = User.objects.get(username="worker")

        t0 = time.perf_counter()
        content = make_workbook(args.residents, args.seed)
        generated = time.perf_counter() - t0
        print(f"generated {args.residents:,}-resident workbook ({len(content) / 1e6:.1f} MB) in {generated:.1f}s")

        t0 = time.perf_counter()
        dry = ledger_import(actor=worker, file=io.BytesIO(content), filename="bench.xlsx", dry_run=True)
        validate_s = time.perf_counter() - t0
        assert dry.ok, dry.issues[:5]
        print(f"dry run (validate only): {validate_s:.1f}s, {dry.rows:,} rows, {len(dry.issues)} problems")

        t0 = time.perf_counter()
        cpu0 = time.process_time()
        report = ledger_import(actor=worker, file=io.BytesIO(content), filename="bench.xlsx", dry_run=False)
        import_s, import_cpu = time.perf_counter() - t0, time.process_time() - cpu0
        assert report.applied and Resident.objects.count() == args.residents
        print(f"import (validate + write): {import_s:.1f}s wall, {import_cpu:.1f}s CPU — "
              f"{report.households_new:,} households, {report.residents_new:,} residents")
        ok = validate_s < LIMIT_SECONDS and import_s < LIMIT_SECONDS
        print(("PASS" if ok else "FAIL") + f": limit {LIMIT_SECONDS:.0f}s each")
        if not args.no_record:
            load = os.getloadavg()
            RESULTS.write_text(json.dumps({
                "residents": args.residents, "households": report.households_new, "rows": dry.rows,
                "file_mb": round(len(content) / 1e6, 2), "dry_run_seconds": round(validate_s, 2),
                "import_seconds": round(import_s, 2), "import_cpu_seconds": round(import_cpu, 2),
                "limit_seconds": LIMIT_SECONDS, "passed": ok, "database": "sqlite (WAL)",
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, load average {load[0]:.1f} at start",
                "python": platform.python_version(), "recorded": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            }, ensure_ascii=False, indent=2) + "\n")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
