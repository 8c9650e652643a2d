"""A city-sized ledger for benchmarks: `manage.py ledger_scale --residents 1000000`.

Builds its own place tree (a district "规模测试区" with streets, communities, grids and buildings of
~250 residents each) and fills it from the same population generator as the demo. The rows are the
product's rows — real Fernet ciphertext for every ID number and phone, real lookup hashes, masks and
pinyin initials, an 'in' move per resident and their care tags — written COPY-style: PostgreSQL's
COPY, or executemany on SQLite, one transaction per batch of buildings, ids assigned up front so
households, residents, moves and tags link without reading anything back.
"""
from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from minqing.core import crypto, masking
from minqing.places.models import KIND_SHAPE, Place, PlaceKind

from .initials import name_initials
from .models import CareTag, Household, Move, Resident, ResidentTag
from .population import PopulationGenerator

RESIDENTS_PER_BUILDING = 250
BUILDINGS_PER_GRID, GRIDS_PER_COMMUNITY, COMMUNITIES_PER_STREET = 12, 8, 10
HOUSEHOLD_COLUMNS = ("id", "created_at", "updated_at", "version", "building_id", "place_code", "room", "head_id",
                     "liaison_id", "notes", "is_active")
RESIDENT_COLUMNS = ("id", "created_at", "updated_at", "version", "household_id", "place_code", "name", "name_initials",
                    "relation", "sex", "birth_date", "id_number_cipher", "id_number_hash", "id_number_masked",
                    "phone_cipher", "phone_hash", "phone_masked", "is_floating", "registered_place", "status",
                    "occupation", "notes", "anonymised_at")
MOVE_COLUMNS = ("id", "created_at", "updated_at", "version", "resident_id", "kind", "date", "from_household_id",
                "to_household_id", "from_text", "to_text", "reason", "place_code", "recorded_by_id")
TAG_COLUMNS = ("id", "created_at", "updated_at", "version", "resident_id", "tag_id", "start_date", "end_date", "note",
               "place_code")


@dataclass
class ScaleStats:
    residents: int = 0
    households: int = 0
    moves: int = 0
    tags: int = 0
    buildings: int = 0
    seconds: dict = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return self.residents + self.households + self.moves + self.tags


class _Writer:
    """Rows into a table as fast as the database takes them."""

    def write(self, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                names = ", ".join(columns)
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _next_id(model) -> int:
    return (model.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1


def _place_tree(buildings_needed: int, log) -> list[Place]:
    """District 500199 → streets → communities → grids → buildings, enough buildings for the residents."""
    if Place.objects.filter(code="500199").exists():
        raise RuntimeError("规模测试区 (500199) already exists: run ledger_scale on an empty ledger database")
    grids_needed = math.ceil(buildings_needed / BUILDINGS_PER_GRID)
    communities_needed = math.ceil(grids_needed / GRIDS_PER_COMMUNITY)
    streets_needed = math.ceil(communities_needed / COMMUNITIES_PER_STREET)
    district = Place.objects.create(kind=PlaceKind.DISTRICT, code="500199", name="规模测试区", depth=0)

    def make(kind, parent, count, label):
        children = [Place(kind=kind, parent=parent, depth=KIND_SHAPE[kind][0], name=f"{label}{n}",
                          code=f"{parent.code}{n:03d}") for n in range(1, count + 1)]
        return Place.objects.bulk_create(children)

    streets = make(PlaceKind.STREET, district, streets_needed, "街道")
    communities = [c for s in streets for c in make(PlaceKind.COMMUNITY, s, COMMUNITIES_PER_STREET, "社区")]
    grids = [g for c in communities[:communities_needed] for g in make(PlaceKind.GRID, c, GRIDS_PER_COMMUNITY, "网格")]
    buildings = []
    for grid in grids[:grids_needed]:
        buildings += [Place(kind=PlaceKind.BUILDING, parent=grid, depth=4, name=f"{n}栋", code=f"{grid.code}{n:03d}")
                      for n in range(1, BUILDINGS_PER_GRID + 1)]
    buildings = Place.objects.bulk_create(buildings[:buildings_needed], batch_size=2000)
    log(f"  place tree: {len(streets)} streets, {communities_needed} communities, {grids_needed} grids, "
        f"{len(buildings)} buildings")
    return buildings


def build_scale(*, residents: int, seed: int = 20261123, batch_buildings: int = 80, log=print) -> ScaleStats:
    """Build about `residents` residents (whole households, so a few more). Returns counts and timings."""
    started = time.perf_counter()
    stats = ScaleStats()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a big page cache: index inserts at random hash positions
            cursor.execute("PRAGMA cache_size = -524288")  # 512 MB
    with transaction.atomic():
        buildings = _place_tree(math.ceil(residents / RESIDENTS_PER_BUILDING), log)
    stats.buildings = len(buildings)
    gen = PopulationGenerator(random.Random(seed))
    tags = {t.code: t.pk for t in CareTag.objects.all()}
    ids = {model: _next_id(model) for model in (Household, Resident, Move, ResidentTag)}
    writer, now, initials = _Writer(), timezone.now(), {}
    encrypt, lookup = crypto.encrypt, crypto.lookup_hash
    per_building = max(1, math.ceil(residents / len(buildings)))
    for start in range(0, len(buildings), batch_buildings):
        rows = {Household: [], Resident: [], Move: [], ResidentTag: []}
        for building in buildings[start:start + batch_buildings]:
            people, room = 0, 0
            while people < per_building and stats.residents + people < residents:
                plan = gen.household()
                room += 1
                hh_id = ids[Household]
                ids[Household] += 1
                head_id = ids[Resident]
                unit, rest = divmod(room - 1, 28)
                room_label = f"{unit + 1}单元{rest // 4 + 1}0{rest % 4 + 1}"
                rows[Household].append((hh_id, now, now, 1, building.pk, building.code, room_label, head_id, None, "",
                                        True))
                for person in plan.members:
                    res_id = ids[Resident]
                    ids[Resident] += 1
                    people += 1
                    name_key = initials.get(person.name) or initials.setdefault(person.name, name_initials(person.name))
                    phone = person.phone
                    rows[Resident].append((
                        res_id, now, now, 1, hh_id, building.code, person.name, name_key, person.relation, person.sex,
                        person.birth_date, encrypt(person.id_number), lookup(person.id_number),
                        masking.mask_id_number(person.id_number), encrypt(phone) if phone else "",
                        lookup(phone) if phone else "", masking.mask_phone(phone), person.is_floating,
                        person.registered_place, "living", person.occupation, "", None))
                    rows[Move].append((ids[Move], now, now, 1, res_id, "in", max(plan.moved_in, person.birth_date),
                                       None, hh_id, person.registered_place, f"{building.name}{room_label}",
                                       "登记入册", building.code, None))
                    ids[Move] += 1
                    for code, begin in person.tags:
                        rows[ResidentTag].append((ids[ResidentTag], now, now, 1, res_id, tags[code],
                                                  max(begin, person.birth_date), None, "", building.code))
                        ids[ResidentTag] += 1
            stats.residents += people
        with transaction.atomic():
            for model, columns in ((Household, HOUSEHOLD_COLUMNS), (Resident, RESIDENT_COLUMNS),
                                   (Move, MOVE_COLUMNS), (ResidentTag, TAG_COLUMNS)):
                writer.write(model, columns, rows[model])
        stats.households += len(rows[Household])
        stats.moves += len(rows[Move])
        stats.tags += len(rows[ResidentTag])
        elapsed = time.perf_counter() - started
        log(f"  {stats.residents:,} residents, {stats.rows:,} rows, {elapsed:.0f}s "
            f"({stats.residents / elapsed:,.0f} residents/s)")
        if stats.residents >= residents:
            break
    _reset_sequences()
    stats.seconds["total"] = time.perf_counter() - started
    return stats


def _reset_sequences() -> None:
    """Ids were assigned here, not by the database: move PostgreSQL's sequences past them."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Household, Resident, Move, ResidentTag]):
            cursor.execute(sql)

