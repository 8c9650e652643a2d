"""Builds the city: a place tree, staff, a resident ledger and two years of demands, by COPY.

Why not the ORM: a million demands with their timelines are ~15 million rows; bulk_create manages
~20k rows/s, PostgreSQL's COPY several hundred thousand. The rows are still the product's rows:
same tables, same derived columns (place codes, lookup hashes, masks, pinyin initials, the
timestamps and counters the services keep), made from the product's own population generator.

Shortcuts, stated so nobody mistakes them for the product's behaviour:
- Encrypted columns (ID numbers, phones) reuse a small pool of pre-encrypted values: Fernet costs
  ~40 µs a value and nothing in the benchmark decrypts. The lookup hashes and masks are the real
  ones of each person's own number, so search by ID number or phone works exactly as in production.
- Deadlines are computed in calendar days, not the Chinese working-day calendar.
- The generated history's audit rows are hash-chained as the product chains them (AuditChain below),
  continuing the chain head and moving it to the last row, so `audit_verify` passes on a city and a
  write costs what it costs on a chained table.
- Notifications (the in-app inbox and the SMS outbox) are not generated; they are not read by any
  scenario and production prunes them.
- While loading, the session runs with session_replication_role=replica (no FK triggers) and the
  secondary indexes are dropped and rebuilt afterwards, as one does for a bulk load.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import queue
import random
import threading
import time
from dataclasses import dataclass, field
from types import SimpleNamespace

UTC = datetime.timezone.utc
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
# The data set ends "today" as the product sees it; two years of demands before it.
END = datetime.datetime(2026, 11, 20, 18, 0, tzinfo=SHANGHAI)
DAYS = 730
START = END - datetime.timedelta(days=DAYS)

STREET_NAMES = ["东城", "西城", "南岸", "北关", "河口", "新桥", "龙井", "石门", "青山", "白沙", "金港", "玉泉"]
COMMUNITY_NAMES = ["和平", "幸福", "光明", "团结", "友谊", "建设", "文化", "红旗", "民主", "胜利", "向阳", "长青",
                   "春晖", "桂苑", "兰亭", "枫林", "松涛", "柳岸"]
CHANNELS = [("phone", 34), ("walk_in", 20), ("web", 21), ("visit", 12), ("transfer", 8), ("box", 2), ("meeting", 3)]
KINDS = [("help", 40), ("complaint", 25), ("inquiry", 15), ("suggestion", 10), ("report", 7), ("praise", 3)]
URGENCIES = [("normal", 86), ("urgent", 11), ("critical", 3)]
# top category → weight; heating and water swell in winter (see _category_weights)
TOP_WEIGHTS = {"水电暖气": 18, "物业": 17, "环境卫生": 13, "治安": 5, "邻里关系": 7, "社保民政": 9, "医疗卫生": 4,
               "教育": 3, "就业": 3, "住房": 6, "企业改制遗留": 4, "拆迁": 2, "道路交通": 6, "其他": 3}
TEXTS = {
    "水电暖气": ["家里暖气不热，室温只有十四度，老人受不了", "楼道停水两天了还没有来水", "电表跳闸后一直没人来修",
             "燃气表漏气，有味道，请尽快处理", "下水道堵了，污水返到厨房"],
    "物业": ["电梯又坏了，八楼的老人下不了楼", "物业收费不透明，要求公示", "小区停车太乱，消防通道被堵",
           "楼顶漏水，物业推说不归他们管"],
    "环境卫生": ["垃圾三天没清运，味道很大", "楼下烧烤噪声到半夜", "绿化带被占用种菜", "有人违章搭建棚子"],
    "治安": ["楼道灯坏了，晚上不安全", "有人冒充社区人员上门推销", "电动车在楼道充电有火灾隐患"],
    "邻里关系": ["楼上漏水到我家，协商不成", "邻居家狗经常半夜叫", "因为占用楼道和邻居吵起来了"],
    "社保民政": ["高龄补贴这个月没有到账", "申请低保需要什么材料", "残疾证年审怎么办理", "养老金认证不会操作"],
    "医疗卫生": ["家庭医生签约后没人联系", "想预约上门体检", "疫苗接种时间怎么查"],
    "教育": ["孩子入学划片问题咨询", "托幼名额不够", "申请助学金的流程"],
    "就业": ["下岗后想参加技能培训", "创业贴息贷款怎么申请", "灵活就业社保怎么交"],
    "住房": ["老房子墙体开裂，担心安全", "棚改安置房什么时候交房", "产权证一直办不下来"],
    "企业改制遗留": ["矿上改制时的养老金补差一直没落实", "改制时的欠薪还没有发", "职工医疗待遇接续问题"],
    "拆迁": ["过渡费已经三个月没发", "补偿标准和邻居不一样", "回迁房分配顺序有疑问"],
    "道路交通": ["小区门口路面塌陷", "路灯不亮已经一周", "公交站牌被撞坏"],
    "其他": ["表扬网格员热心帮忙", "咨询社区活动室开放时间", "建议增加便民服务点"],
}
REPLIES = {"solved": "已协调相关单位处理完毕，经回访问题已解决。", "partly": "已部分解决，剩余问题正在协调。",
           "pending": "诉求合理，已列入计划，将按期解决。", "unreasonable": "经核实诉求不符合政策，已当面解释。"}
STAFF_PASSWORD = "bench-password-2026"


def _weighted(pairs):
    values, weights = zip(*pairs)
    return list(values), list(weights)


@dataclass
class Shape:
    streets: int = 8
    communities_per_street: int = 7
    grids_per_community: int = 6
    buildings_per_grid: int = 16

    @property
    def communities(self) -> int:
        return self.streets * self.communities_per_street


@dataclass
class Stats:
    rows: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)

    def add(self, table: str, n: int):
        self.rows[table] = self.rows.get(table, 0) + n


# --- COPY plumbing ---------------------------------------------------------------------------------

def _esc(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S+00")
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _line(values) -> str:
    return "\t".join(map(_esc, values)) + "\n"


class CopyWriter:
    """COPY chunks on a second connection in a thread, so Python generates while PostgreSQL ingests."""

    def __init__(self, dsn: str, stats: Stats):
        import psycopg

        self.conn = psycopg.connect(dsn, autocommit=True)
        self.conn.execute("SET session_replication_role = replica")
        self.conn.execute("SET synchronous_commit = off")
        self.stats = stats
        self.queue: queue.Queue = queue.Queue(maxsize=6)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def put(self, table: str, columns: tuple[str, ...], lines: list[str]) -> None:
        if self.error:
            raise self.error
        if lines:
            self.queue.put((table, columns, "".join(lines).encode()))
            self.stats.add(table, len(lines))

    def _run(self):
        while True:
            item = self.queue.get()
            if item is None:
                return
            table, columns, data = item
            try:
                with self.conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
                    cp.write(data)
            except BaseException as exc:  # surfaced on the next put/close
                self.error = exc
                return

    def close(self):
        self.queue.put(None)
        self.thread.join()
        self.conn.close()
        if self.error:
            raise self.error


# --- indexes: drop before the load, rebuild after ---------------------------------------------------

class AuditChain:
    """The demands' audit rows, hash-chained as core/audit.py chains them (issue 13.2), so that
    `manage.py audit_verify` passes on a generated city. Rows are COPYed by one writer in the order they
    are chained, so the sequence gives them ids in chain order; the chain head is moved at the end."""

    def __init__(self, last_hash: str):
        self.last_hash = last_hash

    @classmethod
    def from_head(cls) -> AuditChain:
        try:
            from minqing.core.audit import chain_tail_hash
        except ImportError:  # a tree from before migration 0005 (--tree): its head is written per row
            from minqing.core.auditchain import GENESIS
            from minqing.core.models import AuditChainHead

            head = AuditChainHead.objects.filter(pk=1).first()
            return cls(head.last_hash if head else GENESIS)
        return cls(chain_tail_hash())

    def line(self, **row) -> str:
        from minqing.core.auditchain import entry_digest

        row["created_at"] = row["created_at"].replace(microsecond=0)  # what _esc writes, and so what is hashed
        digest = entry_digest(self.last_hash, SimpleNamespace(**row))
        row["changes"] = json.dumps(row["changes"], ensure_ascii=False)
        line = _line((*row.values(), self.last_hash, digest))
        self.last_hash = digest
        return line

    def head_save(self) -> None:
        """After the COPY: the head names the chain's last hash and the last row written."""
        from minqing.core.models import AuditChainHead, AuditEntry

        last_id = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
        AuditChainHead.objects.update_or_create(pk=1, defaults={"last_hash": self.last_hash, "last_entry_id": last_id})


def head_trigger_switch(cur, state: str) -> None:
    """The audit head follows the newest row by a trigger at each commit (core migration 0005); the COPY's
    millions of rows would queue one trigger event each, so it is off during the load and `head_save` moves the
    head once. A tree from before the trigger has none to switch."""
    cur.execute("SELECT 1 FROM pg_trigger WHERE tgname = 'core_auditchainhead_follow'")
    if cur.fetchone():
        cur.execute(f"ALTER TABLE core_auditentry {state} TRIGGER core_auditchainhead_follow")


def indexes_drop(cur, tables: list[str]) -> list[str]:
    """Drop the secondary indexes (not primary keys, not those backing constraints); return their DDL."""
    cur.execute("""
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relname = ANY(%s) AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""", [tables])
    rows = cur.fetchall()
    for name, _ddl in rows:
        cur.execute(f"DROP INDEX {name}")
    return [ddl for _name, ddl in rows]


def sequences_reset(cur, tables: list[str]) -> None:
    for table in tables:
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT max(id) FROM {table}), 1))")


# --- the city ---------------------------------------------------------------------------------------

class City:
    def __init__(self, *, demands: int, residents: int, shape: Shape, seed: int, dsn: str, log=print,
                 audit: bool = True):
        self.demands, self.residents_target, self.shape = demands, residents, shape
        self.rng = random.Random(seed)
        self.dsn, self.log, self.audit = dsn, log, audit
        self.stats = Stats()
        self.now = datetime.datetime.now(UTC)

    # places, staff, partner units: a few thousand rows, through the ORM
    def build_places(self):
        from minqing.places.models import KIND_SHAPE, Place, PlaceKind

        def node(kind, code, name, parent, **extra):
            return Place(kind=kind, code=code, name=name, parent=parent, depth=KIND_SHAPE[kind][0], **extra)

        district = node(PlaceKind.DISTRICT, "500120", "江城区", None)
        district.save()
        streets = Place.objects.bulk_create([
            node(PlaceKind.STREET, f"500120{s + 1:03d}", f"{STREET_NAMES[s % len(STREET_NAMES)]}街道", district)
            for s in range(self.shape.streets)])
        communities = Place.objects.bulk_create([
            node(PlaceKind.COMMUNITY, f"{street.code}{c + 1:03d}",
                 f"{COMMUNITY_NAMES[(i * self.shape.communities_per_street + c) % len(COMMUNITY_NAMES)]}社区", street)
            for i, street in enumerate(streets) for c in range(self.shape.communities_per_street)])
        grids = Place.objects.bulk_create([
            node(PlaceKind.GRID, f"{community.code}{g + 1:03d}", f"第{g + 1}网格", community)
            for community in communities for g in range(self.shape.grids_per_community)])
        buildings = []
        for grid in grids:
            for b in range(self.shape.buildings_per_grid):
                number = int(grid.code[-3:]) * 100 + b + 1
                buildings.append(node(PlaceKind.BUILDING, f"{grid.code}{b + 1:03d}", f"{number}栋", grid,
                                      address=f"江城区{grid.parent.name if grid.parent_id else ''}{number}栋"))
        buildings = Place.objects.bulk_create(buildings, batch_size=2000)
        self.district, self.streets, self.communities, self.grids, self.buildings = (
            district, streets, communities, grids, buildings)
        self.stats.add("places_place", 1 + len(streets) + len(communities) + len(grids) + len(buildings))

    def build_staff(self):
        from django.contrib.auth.hashers import make_password

        from minqing.accounts.models import PartnerUnit, Role, RoleAssignment, User

        password = make_password(STAFF_PASSWORD)  # hashed once, shared by every bench account
        users, grants = [], []

        def user(username, display, role, place, unit=None):
            u = User(username=username, display_name=display, password=password, is_staff=role == Role.ADMIN)
            users.append(u)
            grants.append((u, role, place, unit))
            return u

        self.admin = user("admin", "系统管理员", Role.ADMIN, self.district)
        self.street_staff, self.supervisors, self.units, self.unit_users = {}, {}, {}, {}
        self.secretaries, self.workers, self.grid_workers = {}, {}, {}
        unit_rows = []
        for street in self.streets:
            for kind, label in (("heating", "供热站"), ("property", "物业公司"), ("water", "供水所"), ("power", "供电所")):
                unit_rows.append(PartnerUnit(name=f"{street.name}{label}", kind=kind, service_area=street))
        PartnerUnit.objects.bulk_create(unit_rows)
        for street_index, street in enumerate(self.streets):
            s = street.code[-3:]
            self.street_staff[street.code] = user(f"street{s}", f"{street.name}干部", Role.STREET_STAFF, street)
            self.supervisors[street.code] = user(f"inspector{s}", f"{street.name}督查", Role.SUPERVISOR, street)
            units = unit_rows[street_index * 4:(street_index + 1) * 4]
            self.units[street.code] = units
            for unit in units:
                self.unit_users[unit.pk] = user(f"unit{unit.pk}", unit.name, Role.PARTNER_UNIT, street, unit)
        for community in self.communities:
            c = community.code[-6:]
            self.secretaries[community.code] = user(f"secretary{c}", f"{community.name}书记",
                                                    Role.COMMUNITY_SECRETARY, community)
            self.workers[community.code] = [user(f"worker{c}{n}", f"{community.name}社工{n}", Role.COMMUNITY_WORKER,
                                                 community) for n in (1, 2)]
        for grid in self.grids:
            self.grid_workers[grid.code] = user(f"grid{grid.code[-9:]}", f"{grid.name}网格员", Role.GRID_WORKER, grid)
        User.objects.bulk_create(users, batch_size=1000)
        RoleAssignment.objects.bulk_create([RoleAssignment(user=u, role=r, place=p, partner_unit=unit)
                                            for u, r, p, unit in grants], batch_size=1000)
        self.stats.add("accounts_user", len(users))
        self.stats.add("accounts_roleassignment", len(grants))
        self.stats.add("accounts_partnerunit", len(unit_rows))

    # --- residents: COPY ------------------------------------------------------------------------------
    HOUSEHOLD_COLUMNS = ("id", "created_at", "updated_at", "version", "building_id", "place_code", "room", "head_id",
                         "liaison_id", "notes", "is_active")
    RESIDENT_COLUMNS = ("id", "created_at", "updated_at", "version", "household_id", "place_code", "name",
                        "name_initials", "relation", "sex", "birth_date", "id_number_cipher", "id_number_hash",
                        "id_number_masked", "phone_cipher", "phone_hash", "phone_masked", "is_floating",
                        "registered_place", "status", "occupation", "notes", "anonymised_at", "political_status")

    def build_residents(self, writer: CopyWriter):
        from minqing.core import crypto
        from minqing.core.masking import mask_id_number, mask_phone
        from minqing.residents.initials import name_initials
        from minqing.residents.population import PopulationGenerator

        rng = self.rng
        gen = PopulationGenerator(random.Random(rng.random()), today=END.date())
        id_pool = [crypto.encrypt(f"50012019{n:02d}0101{n:03d}X") for n in range(32)]
        phone_pool = [crypto.encrypt(f"1380000{n:04d}") for n in range(32)]
        initials_cache: dict[str, str] = {}
        lookup = crypto.lookup_hash
        created = _esc(START - datetime.timedelta(days=400))
        hh_lines, res_lines = [], []
        hh_id = res_id = 0
        per_building = max(1, self.residents_target // len(self.buildings))
        # residents by building: (id, name, phone_hash, phone_masked) — demands point at them
        self.building_residents: dict[int, list[tuple]] = {}
        self.search_samples: list[tuple] = []
        for building in self.buildings:
            liaison = self.grid_workers[building.code[:15]]
            people_here, room_no = 0, 0
            bucket = self.building_residents.setdefault(building.pk, [])
            while people_here < per_building:
                plan = gen.household()
                hh_id += 1
                room_no += 1
                head_id = None
                for person in plan.members:
                    res_id += 1
                    people_here += 1
                    if head_id is None:
                        head_id = res_id
                    initials = initials_cache.get(person.name)
                    if initials is None:
                        initials = initials_cache[person.name] = name_initials(person.name)
                    phone = person.phone
                    phone_hash = lookup(phone) if phone else ""
                    phone_masked = mask_phone(phone)
                    res_lines.append(_line((
                        res_id, created, created, 1, hh_id, building.code, person.name, initials, person.relation,
                        person.sex, person.birth_date, id_pool[res_id % 32], lookup(person.id_number),
                        mask_id_number(person.id_number), phone_pool[res_id % 32] if phone else "", phone_hash,
                        phone_masked, person.is_floating, person.registered_place, "living", person.occupation, "",
                        None, "")))
                    if len(bucket) < 400:
                        bucket.append((res_id, person.name, phone_hash, phone_masked))
                    if res_id % 997 == 0:  # real people for the search scenarios
                        self.search_samples.append((res_id, building.code, person.name, person.id_number))
                unit, rest = divmod(room_no - 1, 28)
                room = f"{unit + 1}单元{rest // 4 + 1}0{rest % 4 + 1}"
                hh_lines.append(_line((hh_id, created, created, 1, building.pk, building.code, room, head_id,
                                       liaison.pk, "", True)))
            if len(res_lines) >= 20000:
                writer.put("residents_household", self.HOUSEHOLD_COLUMNS, hh_lines)
                writer.put("residents_resident", self.RESIDENT_COLUMNS, res_lines)
                hh_lines, res_lines = [], []
        writer.put("residents_household", self.HOUSEHOLD_COLUMNS, hh_lines)
        writer.put("residents_resident", self.RESIDENT_COLUMNS, res_lines)
        self.resident_count = res_id
        self.phone_pool = phone_pool

    # --- demands: COPY --------------------------------------------------------------------------------
    APPEAL_COLUMNS = (
        "id", "created_at", "updated_at", "version", "receipt_code", "token_hash", "place_id", "place_code",
        "resident_id", "reporter_name", "phone_cipher", "phone_hash", "phone_masked", "channel", "kind",
        "category_id", "urgency", "title", "text", "location", "status", "created_by_id", "reject_reason", "referral",
        "leader_id", "handler_user_id", "handler_unit_id", "dispatched_by_id", "return_reason", "outcome",
        "reply_text", "plan", "plan_date", "satisfaction", "follow_up_by", "follow_up_note", "matter_id",
        "recurrence_of_id", "merged_into_id", "submitted_at", "first_response_at", "accepted_at", "dispatched_at",
        "started_at", "replied_at", "followed_up_at", "closed_at", "response_deadline", "handle_deadline",
        "reminded_at", "is_overdue", "return_count", "reopen_count", "supervision_count")
    EVENT_COLUMNS = ("appeal_id", "verb", "from_status", "to_status", "actor_id", "actor_label", "note", "is_public",
                     "at")
    AUDIT_COLUMNS = ("actor_id", "actor_label", "action", "object_type", "object_id", "object_repr", "place_code",
                     "changes", "request_id", "created_at", "prev_hash", "entry_hash")
    SUPERVISION_COLUMNS = ("created_at", "updated_at", "version", "appeal_id", "supervisor_id", "pressed_user_id",
                           "pressed_unit_id", "demand", "answer", "answered_by_id", "answered_at")

    def _categories(self):
        from minqing.appeals.taxonomy import Category

        tops = {c.name: c for c in Category.objects.filter(parent__isnull=True)}
        children = {}
        for c in Category.objects.filter(parent__isnull=False):
            children.setdefault(c.parent_id, []).append(c)
        self.category_choices = [(name, children.get(top.pk) or [top]) for name, top in tops.items()]

    def _submitted_times(self, n: int) -> list[datetime.datetime]:
        """Demand arrival times over two years: more in winter (heating), office hours, fewer at weekends."""
        rng = self.rng
        day_weights = []
        for d in range(DAYS):
            day = START + datetime.timedelta(days=d)
            w = 1.0 + (0.6 if day.month in (11, 12, 1, 2) else 0.0) + 0.15 * d / DAYS  # slow growth over time
            w *= 0.55 if day.weekday() >= 5 else 1.0
            day_weights.append(w)
        days = rng.choices(range(DAYS), day_weights, k=n)
        days.sort()
        out = []
        for d in days:
            hour = min(22, max(7, int(rng.gauss(12.5, 3.2))))
            out.append(START.replace(hour=0, minute=0, second=0) + datetime.timedelta(
                days=d, hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60)))
        return out

    def build_demands(self, writer: CopyWriter, chunk: int = 20000):
        rng = self.rng
        self._categories()
        channels, channel_w = _weighted(CHANNELS)
        kinds, kind_w = _weighted(KINDS)
        urgencies, urgency_w = _weighted(URGENCIES)
        top_names = [name for name, _children in self.category_choices]
        winter_w = [TOP_WEIGHTS.get(n, 3) * (3.0 if n == "水电暖气" else 1.0) for n in top_names]
        summer_w = [TOP_WEIGHTS.get(n, 3) for n in top_names]
        children_of = dict(self.category_choices)
        times = self._submitted_times(self.demands)
        end_utc = END.astimezone(UTC)
        codes_per_day: dict[str, int] = {}
        alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
        appeal_lines, event_lines, audit_lines, sup_lines = [], [], [], []
        building_count = len(self.buildings)
        # a few hot buildings: demand is lumpy (old estates complain more)
        building_w = [rng.paretovariate(2.5) for _ in range(building_count)]
        building_picks = rng.choices(range(building_count), building_w, k=self.demands)
        self.sample_appeal_ids: list[int] = []
        for i, submitted in enumerate(times, start=1):
            building = self.buildings[building_picks[i - 1]]
            community_code, street_code = building.code[:12], building.code[:9]
            top = rng.choices(top_names, winter_w if submitted.month in (11, 12, 1, 2, 3) else summer_w)[0]
            category = rng.choice(children_of[top])
            urgency = rng.choices(urgencies, urgency_w)[0]
            channel = rng.choices(channels, channel_w)[0]
            kind = rng.choices(kinds, kind_w)[0]
            people = self.building_residents.get(building.pk) or [(None, "", "", "")]
            resident_id, reporter, phone_hash, phone_masked = rng.choice(people) if rng.random() < 0.7 else (
                None, "", "", "")
            local = submitted.astimezone(SHANGHAI)
            day_key = f"{local:%y%m%d}"
            seq = codes_per_day.get(day_key, 0)
            codes_per_day[day_key] = seq + 1
            code = day_key + "".join(alphabet[(seq >> (5 * k)) & 31] for k in range(5))
            text = rng.choice(TEXTS.get(top, TEXTS["其他"]))
            workers = self.workers[community_code]
            intake_by = rng.choice(workers) if channel != "web" else None
            age_days = (end_utc - submitted).total_seconds() / 86400
            a = self._lifecycle(i, submitted, age_days, urgency, community_code, street_code, workers)
            a_status = a["status"]
            row = (
                i, submitted, a["updated"], a["version"], code, hashlib.sha256(code.encode()).hexdigest(),
                building.pk, building.code, resident_id, reporter, self.phone_pool[i % 32] if phone_hash else "", phone_hash,
                phone_masked, channel, kind, category.pk, urgency, text[:100], text + "。请社区帮忙解决。",
                f"{building.name}", a_status, intake_by.pk if intake_by else None, a.get("reject_reason", ""),
                a.get("referral", ""), a.get("leader"), a.get("handler_user"), a.get("handler_unit"),
                a.get("dispatched_by"), a.get("return_reason", ""), a.get("outcome", ""), a.get("reply_text", ""),
                a.get("plan", ""), a.get("plan_date"), a.get("satisfaction", ""), a.get("follow_up_by", ""), "",
                None, None, a.get("merged_into"), submitted, a.get("first_response_at"), a.get("accepted_at"),
                a.get("dispatched_at"), a.get("started_at"), a.get("replied_at"), a.get("followed_up_at"),
                a.get("closed_at"), submitted + datetime.timedelta(days=1), a.get("handle_deadline"), None,
                a.get("is_overdue", False), a.get("return_count", 0), a.get("reopen_count", 0),
                a.get("supervision_count", 0))
            appeal_lines.append(_line(row))
            for verb, from_s, to_s, actor, at, public, note in a["events"]:
                label = actor.display_name if actor else ("居民" if verb == "submit" else "系统")
                event_lines.append(_line((i, verb, from_s, to_s, actor.pk if actor else None, label, note, public, at)))
                if self.audit:
                    changes = {"status": [from_s, to_s]} if verb != "submit" else {
                        "channel": [None, channel], "category": [None, category.name], "photos": [None, 0]}
                    audit_lines.append(self.chain.line(
                        actor_id=actor.pk if actor else None, actor_label=label, action=f"appeal.{verb}",
                        object_type="appeals.appeal", object_id=str(i), object_repr=f"{code} {text[:40]}",
                        place_code=building.code, changes=changes, request_id="", created_at=at))
            for sup in a.get("supervisions", ()):
                sup_lines.append(_line((sup["at"], sup["answered_at"] or sup["at"], 1, i, sup["by"].pk,
                                        a.get("handler_user"), a.get("handler_unit"), "请加快办理，按期答复。",
                                        "已加派人手，本周内答复。" if sup["answered_at"] else "",
                                        a.get("handler_user") if sup["answered_at"] else None, sup["answered_at"])))
            if len(appeal_lines) >= chunk:
                self._flush_demands(writer, appeal_lines, event_lines, audit_lines, sup_lines)
                appeal_lines, event_lines, audit_lines, sup_lines = [], [], [], []
                if i % (chunk * 10) == 0:
                    self.log(f"  {i:,} demands")
        self._flush_demands(writer, appeal_lines, event_lines, audit_lines, sup_lines)

    def _flush_demands(self, writer, appeal_lines, event_lines, audit_lines, sup_lines):
        writer.put("appeals_appeal", self.APPEAL_COLUMNS, appeal_lines)
        writer.put("appeals_appealevent", self.EVENT_COLUMNS, event_lines)
        writer.put("core_auditentry", self.AUDIT_COLUMNS, audit_lines)
        writer.put("appeals_supervision", self.SUPERVISION_COLUMNS, sup_lines)

    def _lifecycle(self, appeal_id, submitted, age_days, urgency, community_code, street_code, workers) -> dict:
        """Walk one demand through the state machine as far as its age and luck take it."""
        rng = self.rng
        h = datetime.timedelta(hours=1)
        secretary = self.secretaries[community_code]
        events = [("submit", "", "submitted", None, submitted, True, "")]
        a = {"events": events, "status": "submitted", "version": 1, "updated": submitted}
        end = END.astimezone(UTC)

        def step(verb, to_status, actor, at, public=True, note=""):
            if at > end:
                raise StopIteration
            events.append((verb, a["status"], to_status, actor, at, public, note))
            a["status"], a["updated"], a["version"] = to_status, at, a["version"] + 1

        handle_days = {"normal": 5, "urgent": 2, "critical": 1}[urgency]
        try:
            t = submitted + h * rng.uniform(0.2, 20)
            if rng.random() < 0.02:
                a["reject_reason"], a["referral"] = "不属于社区职责范围", "区人社局"
                a["first_response_at"] = a["closed_at"] = t
                step("reject", "rejected", secretary, t, note="不属于社区职责范围")
                return a
            a["first_response_at"] = a["accepted_at"] = t
            step("accept", "accepted", rng.choice(workers), t)
            dispatch_round = 0
            while True:
                dispatch_round += 1
                t += h * rng.uniform(0.5, 24)
                to_unit = rng.random() < 0.3
                unit = rng.choice(self.units[street_code]) if to_unit else None
                handler = None if to_unit else rng.choice(workers)
                a.update(leader=secretary.pk, handler_user=handler.pk if handler else None,
                         handler_unit=unit.pk if unit else None, dispatched_by=secretary.pk, dispatched_at=t,
                         handle_deadline=t + datetime.timedelta(days=handle_days))
                step("dispatch", "dispatched", secretary, t)
                acting = self.unit_users[unit.pk] if unit else handler
                t += h * rng.uniform(0.2, 12)
                if dispatch_round == 1 and rng.random() < 0.05:
                    a["return_reason"], a["return_count"] = "非本单位职责", a.get("return_count", 0) + 1
                    step("return", "returned", acting, t, public=False, note="非本单位职责")
                    continue
                a["started_at"] = t
                step("start", "in_progress", acting, t)
                if rng.random() < 0.03:
                    for _ in range(rng.choice((1, 1, 2))):
                        st = t + h * rng.uniform(24, 96)
                        answered = st + h * rng.uniform(2, 48)
                        a.setdefault("supervisions", []).append(
                            {"at": st, "by": self.supervisors[street_code] if rng.random() < 0.5 else secretary,
                             "answered_at": answered if answered < end else None})
                        a["supervision_count"] = a.get("supervision_count", 0) + 1
                        step("supervise", "in_progress", secretary, st, public=False, note="督办")
                # handling time: mostly within the deadline, a tail beyond it
                took = datetime.timedelta(days=handle_days) * (rng.uniform(0.1, 0.9) if rng.random() < 0.9
                                                               else rng.uniform(1.05, 3))
                if t + took > a["handle_deadline"]:
                    a["is_overdue"] = True
                t += took
                outcome = rng.choices(["solved", "partly", "pending", "unreasonable"], [80, 9, 6, 5])[0]
                a.update(outcome=outcome, reply_text=REPLIES[outcome], replied_at=t)
                if outcome == "pending":
                    a["plan"], a["plan_date"] = "已列入年度维修计划", (t + datetime.timedelta(days=60)).date()
                step("reply", "replied", acting, t, note=REPLIES[outcome])
                t += h * rng.uniform(2, 72)
                satisfaction = rng.choices(["satisfied", "basic", "dissatisfied", "not_rated"], [76, 13, 5, 6])[0]
                if satisfaction == "not_rated":
                    t = a["replied_at"] + datetime.timedelta(days=7)
                    a.update(satisfaction="not_rated", follow_up_by="timeout", followed_up_at=t, closed_at=t)
                    step("close", "closed", None, t, note="逾期未评")
                    return a
                a.update(satisfaction=satisfaction, follow_up_by=rng.choice(["staff", "staff", "resident"]),
                         followed_up_at=t)
                if satisfaction == "dissatisfied" and dispatch_round == 1:
                    a["reopen_count"] = a.get("reopen_count", 0) + 1
                    step("follow_up", "reopened", secretary, t, note="不满意")
                    continue
                step("follow_up", "followed_up", secretary, t)
                t += h * rng.uniform(0.5, 24)
                a["closed_at"] = t
                step("close", "closed", secretary, t)
                return a
        except StopIteration:
            return a

    # --- the whole build ------------------------------------------------------------------------------
    LOADED = ["residents_household", "residents_resident", "appeals_appeal", "appeals_appealevent",
              "core_auditentry", "appeals_supervision"]

    def build(self):
        from django.db import connection

        t0 = time.perf_counter()
        self.build_places()
        self.build_staff()
        self.chain = AuditChain.from_head()
        self.stats.seconds["places_and_staff"] = time.perf_counter() - t0
        with connection.cursor() as cur:
            dropped = indexes_drop(cur, self.LOADED)
            head_trigger_switch(cur, "DISABLE")
        writer = CopyWriter(self.dsn, self.stats)
        t1 = time.perf_counter()
        try:
            self.build_residents(writer)
            self.stats.seconds["residents_generated"] = time.perf_counter() - t1
            self.log(f"  {self.resident_count:,} residents generated in {time.perf_counter() - t1:.0f}s")
            t2 = time.perf_counter()
            self.build_demands(writer)
            self.stats.seconds["demands_generated"] = time.perf_counter() - t2
        finally:
            writer.close()
        self.chain.head_save()
        with connection.cursor() as cur:
            head_trigger_switch(cur, "ENABLE")
        t3 = time.perf_counter()
        self.stats.seconds["copy_total"] = t3 - t1
        self.log(f"  COPY done in {t3 - t1:.0f}s; rebuilding {len(dropped)} indexes")
        with connection.cursor() as cur:
            cur.execute("SET maintenance_work_mem = '1GB'")
            for ddl in dropped:
                cur.execute(ddl)
            sequences_reset(cur, self.LOADED)
        t4 = time.perf_counter()
        self.stats.seconds["indexes"] = t4 - t3
        with connection.cursor() as cur:
            for table in self.LOADED + ["places_place", "accounts_user", "accounts_roleassignment"]:
                cur.execute(f"VACUUM (ANALYZE) {table}")
        self.stats.seconds["vacuum_analyze"] = time.perf_counter() - t4
        self.stats.seconds["total"] = time.perf_counter() - t0
        return self.stats
