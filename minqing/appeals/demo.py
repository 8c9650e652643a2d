"""A year of demands for the demo community (Dec 2025 – Nov 2026), so lists and the rates dashboard
tell a story: heating complaints every winter month, a restructuring-legacy cluster (pensions and
wage arrears of the mine's former workers) in spring that was supervised and partly reopened, a
few overdue and reopened demands, and the last fortnight still open in every state.

DEMO DATA ONLY: rows are written with bulk_create and consistent timestamps and timeline events for
speed. This is not a second write path for users — everything people do goes through services.py.
"""
from __future__ import annotations

import datetime

from django.utils import timezone

from minqing.workdays.calendar import SHANGHAI, add_working_days

from .models import Appeal, AppealEvent, Channel, FollowUpBy, Kind, Outcome, Satisfaction, Status, Supervision
from .taxonomy import Category, Urgency
from .taxonomy_services import service_level_for
from .tokens import ALPHABET, token_hash

START = datetime.datetime(2025, 12, 1, tzinfo=SHANGHAI)
END = datetime.datetime(2026, 11, 22, 18, tzinfo=SHANGHAI)
DEMO_TOKEN = "demo-tracking-token"  # the first web demand's secret link is printed by demo_load

# (top, child) → texts; %s is replaced by a building name
TEXTS = {
    ("水电暖气", "供暖"): ["%s家里暖气不热，室温只有十三度，老人受不了", "%s暖气片漏水，地板泡了", "%s整栋楼暖气时冷时热",
                        "%s暖气管道有异响，晚上睡不着"],
    ("水电暖气", "供水"): ["%s停水两天没有通知", "%s自来水发黄，有异味"],
    ("水电暖气", "供电"): ["%s楼道电表箱冒火花", "%s频繁跳闸停电"],
    ("水电暖气", "燃气"): ["%s闻到燃气味，请尽快检查"],
    ("物业", "物业服务"): ["%s物业保洁几天没来，楼道很脏", "%s单元门禁坏了一个月"],
    ("物业", "公共维修"): ["%s楼顶漏雨，顶楼住户墙面发霉", "%s楼道灯坏了好久"],
    ("物业", "停车"): ["%s门口车辆乱停，消防通道被堵"],
    ("环境卫生", "垃圾清运"): ["%s旁边垃圾桶满了没人清运", "%s附近有人倾倒建筑垃圾"],
    ("环境卫生", "噪声"): ["%s楼下烧烤店夜里太吵"],
    ("治安", "安全隐患"): ["%s楼道堆放杂物，电动车在楼道充电"],
    ("邻里关系", "邻里纠纷"): ["%s楼上漏水到楼下，两家协商不成", "%s邻居装修占用公共走道"],
    ("社保民政", "高龄补贴"): ["%s八十岁老人高龄补贴没有到账"],
    ("社保民政", "低保救助"): ["%s家庭困难，咨询低保怎么申请"],
    ("医疗卫生", "家庭医生"): ["%s独居老人希望签约家庭医生上门"],
    ("教育", "入学"): ["%s孩子入学，咨询随迁子女需要什么材料"],
    ("就业", "就业服务"): ["%s下岗职工想参加技能培训找工作"],
    ("住房", "房屋安全"): ["%s墙体开裂，担心是采空区沉降"],
    ("道路交通", "路灯"): ["%s门口路灯不亮，晚上走路不安全"],
    ("其他", "表扬"): ["表扬社区工作人员帮%s老人办好了手续"],
}
LEGACY_TEXTS = [
    ("养老金", "原渝阳煤矿职工，改制后养老金核定偏低，要求重新核算工龄"),
    ("拖欠工资", "矿改制时拖欠的三个月工资至今未发"),
    ("社保接续", "改制买断后社保断缴，现在无法接续"),
    ("医疗待遇", "原矿工尘肺病医疗待遇改制后没人管"),
]
CHANNEL_WEIGHTS = [(Channel.WALK_IN, 30), (Channel.PHONE, 25), (Channel.WEB, 15), (Channel.VISIT, 15),
                   (Channel.BOX, 5), (Channel.MEETING, 4), (Channel.TRANSFER, 6)]
UNIT_FOR = {"供暖": "heating", "供水": "water", "供电": "power", "物业服务": "property", "公共维修": "property",
            "停车": "property"}
SATISFACTION_WEIGHTS = [(Satisfaction.SATISFIED, 70), (Satisfaction.BASIC, 20), (Satisfaction.DISSATISFIED, 10)]


def _pick(rng, weighted):
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def _monthly_heating_share(month: int) -> float:
    return {12: .45, 1: .5, 2: .4, 3: .25, 11: .35}.get(month, .02)


class _Builder:
    def __init__(self, ctx):
        self.ctx, self.rng = ctx, ctx.random
        self.users, self.units = ctx.shared["users"], ctx.shared["partner_units"]
        self.buildings = ctx.shared["places"]["buildings"]
        residents = ctx.shared.get("residents", {}).get("residents", [])
        self.by_building: dict[str, list] = {}
        for resident in residents:
            self.by_building.setdefault(resident.place_code, []).append(resident)
        self.categories = {(c.parent.name, c.name): c for c in Category.objects.filter(parent__isnull=False)
                           .select_related("parent")}
        self.appeals: list[Appeal] = []
        self.steps: dict[int, list[tuple]] = {}
        self.supervisions: list[tuple] = []
        self.codes: set[str] = set()
        self.levels: dict[tuple, object] = {}
        self.now = min(END, timezone.now())

    def level(self, category, urgency):
        key = (category.pk, urgency)
        if key not in self.levels:
            self.levels[key] = service_level_for(category, urgency)
        return self.levels[key]

    def code(self, when) -> str:
        while True:
            code = f"{when:%y%m%d}" + "".join(self.rng.choice(ALPHABET) for _ in range(5))
            if code not in self.codes:
                self.codes.add(code)
                return code

    def moment(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(self.rng.randint(7, 20), self.rng.randint(0, 59)),
                                         tzinfo=SHANGHAI)

    def new(self, *, when, key, text, channel=None, urgency=Urgency.NORMAL, kind=Kind.HELP, building=None) -> Appeal:
        building = building or self.rng.choice(self.buildings)
        people = self.by_building.get(building.code) or [None]
        resident = self.rng.choice(people) if self.rng.random() < .75 else None
        channel = channel or _pick(self.rng, CHANNEL_WEIGHTS)
        category = self.categories[key]
        appeal = Appeal(
            receipt_code=self.code(when), token_hash=token_hash(f"demo-{len(self.appeals)}"), place=building,
            place_code=building.code, resident=resident, reporter_name=resident.name if resident else "",
            channel=channel, kind=kind, category=category, urgency=urgency,
            title=text[:30], text=text, submitted_at=when, created_at=when,
            response_deadline=add_working_days(when, self.level(category, urgency).response_days),
        )
        if resident is not None and resident.phone_cipher:
            appeal.phone_cipher, appeal.phone_hash, appeal.phone_masked = (
                resident.phone_cipher, resident.phone_hash, resident.phone_masked)
        if channel == Channel.WEB and not any(a.channel == Channel.WEB for a in self.appeals):
            appeal.token_hash = token_hash(DEMO_TOKEN)
            self.ctx.shared["demo_tracking_link"] = f"/appeals/t/{appeal.receipt_code}/{DEMO_TOKEN}/"
        self.appeals.append(appeal)
        self.steps[id(appeal)] = [("submit", "", Status.SUBMITTED, None, when, appeal.get_channel_display(), True,
                                   appeal.reporter_name or "居民")]
        return appeal

    def step(self, appeal, verb, to_status, actor, at, note="", public=True):
        last = self.steps[id(appeal)][-1][2]
        if actor is not None:
            label = str(actor)
        elif verb == "follow_up":
            label = "居民"
        else:
            label = str(appeal.handler_unit) if appeal.handler_unit and verb in ("start", "reply", "return") else "系统"
        self.steps[id(appeal)].append((verb, last, to_status, actor, at, note, public, label))
        appeal.status = to_status

    def stalls(self, t) -> bool:
        """Not yet happened: in the future, or (for the last days' demands) still waiting."""
        return t > self.now or (self.now - t < datetime.timedelta(days=3) and self.rng.random() < .3)

    def live(self, appeal, *, legacy=False):
        """Walk the demand through its life, stopping where `now` is."""
        rng, users = self.rng, self.users
        t = appeal.submitted_at + datetime.timedelta(hours=rng.choice([1, 2, 3, 5, 20, 30]))
        if self.stalls(t):
            return
        worker = users["worker"] if rng.random() < .5 else users["secretary"]
        if rng.random() < .03 and not legacy:
            appeal.reject_reason, appeal.referral = "属于司法诉讼范围，社区无法受理", "区法律援助中心"
            appeal.first_response_at = appeal.closed_at = t
            return self.step(appeal, "reject", Status.REJECTED, worker, t, appeal.reject_reason)
        appeal.accepted_at = appeal.first_response_at = t
        self.step(appeal, "accept", Status.ACCEPTED, worker, t)
        t += datetime.timedelta(hours=rng.choice([1, 2, 4, 18]))
        if self.stalls(t):
            return
        unit_key = UNIT_FOR.get(appeal.category.name)
        appeal.leader = users["street"] if legacy else users["secretary"]
        appeal.dispatched_by, appeal.dispatched_at = worker, t
        if unit_key and unit_key in self.units:
            appeal.handler_unit = self.units[unit_key]
        else:
            appeal.handler_user = rng.choice([users["grid1"], users["grid3"], users["worker"]])
        days = self.level(appeal.category, appeal.urgency).handle_days
        appeal.handle_deadline = add_working_days(t, days)
        self.step(appeal, "dispatch", Status.DISPATCHED, worker, t, f"{appeal.handler_label}")
        if rng.random() < .05:  # wrong dispatch sent back, then dispatched again
            t += datetime.timedelta(hours=3)
            appeal.return_count, appeal.return_reason = 1, "不属于本单位职责"
            self.step(appeal, "return", Status.RETURNED, appeal.handler_user, t, appeal.return_reason, False)
            appeal.handler_unit, appeal.handler_user = None, users["worker"]
            t += datetime.timedelta(hours=2)
            self.step(appeal, "dispatch", Status.DISPATCHED, worker, t, str(users["worker"]))
        t += datetime.timedelta(hours=rng.choice([1, 3, 6]))
        if self.stalls(t):
            return
        appeal.started_at = t
        self.step(appeal, "start", Status.IN_PROGRESS, appeal.handler_user, t)
        late = rng.random() < (.35 if legacy else .07)
        span = (appeal.handle_deadline - t) * rng.uniform(.2, .9)
        t = t + span if not late else appeal.handle_deadline + datetime.timedelta(days=rng.randint(1, 9))
        if legacy and rng.random() < .5:
            self.supervisions.append((appeal, t - datetime.timedelta(days=1)))
        if t > self.now:
            if appeal.handle_deadline < self.now:
                appeal.is_overdue = True
            return
        appeal.is_overdue = t > appeal.handle_deadline
        self.reply(appeal, t, legacy=legacy)

    def reply(self, appeal, t, *, legacy):
        rng = self.rng
        outcome = (_pick(rng, [(Outcome.PENDING, 45), (Outcome.PARTLY, 35), (Outcome.UNREASONABLE, 20)]) if legacy
                   else _pick(rng, [(Outcome.SOLVED, 80), (Outcome.PARTLY, 12), (Outcome.PENDING, 5),
                                    (Outcome.UNREASONABLE, 3)]))
        appeal.outcome, appeal.replied_at = outcome, t
        appeal.reply_text = {"solved": "已上门处理，问题已解决。", "partly": "已处理主要问题，剩余部分正在协调。",
                             "pending": "诉求合理，已上报矿改制遗留问题专班，按政策统一解决。",
                             "unreasonable": "经核实不符合政策规定，已当面解释政策依据。"}[outcome]
        if outcome == Outcome.PENDING:
            appeal.plan, appeal.plan_date = "纳入年度解决计划", (t + datetime.timedelta(days=90)).date()
        self.step(appeal, "reply", Status.REPLIED, appeal.handler_user, t, appeal.reply_text)
        t += datetime.timedelta(days=rng.choice([1, 2, 3]))
        if t > self.now:
            return
        if rng.random() < .12:  # nobody rated it: closed by the scheduler after 7 days
            t += datetime.timedelta(days=6)
            if t > self.now:
                return
            appeal.satisfaction, appeal.follow_up_by, appeal.closed_at = Satisfaction.NOT_RATED, FollowUpBy.TIMEOUT, t
            return self.step(appeal, "close", Status.CLOSED, None, t, "7 天内未评价，按“未评价”办结。")
        weights = [(Satisfaction.SATISFIED, 35), (Satisfaction.BASIC, 30), (Satisfaction.DISSATISFIED, 35)] \
            if legacy else SATISFACTION_WEIGHTS
        appeal.satisfaction = _pick(rng, weights)
        appeal.follow_up_by = FollowUpBy.RESIDENT if appeal.channel == Channel.WEB else FollowUpBy.STAFF
        appeal.followed_up_at = t
        caller = None if appeal.follow_up_by == FollowUpBy.RESIDENT else self.users["secretary"]
        if appeal.satisfaction == Satisfaction.DISSATISFIED and appeal.reopen_count == 0:
            appeal.reopen_count = 1
            self.step(appeal, "follow_up", Status.REOPENED, caller, t, "不满意，要求重办")
            t += datetime.timedelta(hours=5)
            if t > self.now:
                return
            appeal.dispatched_at, appeal.handle_deadline = t, add_working_days(t, 3)
            self.step(appeal, "dispatch", Status.DISPATCHED, self.users["secretary"], t, appeal.handler_label)
            t += datetime.timedelta(days=2)
            if t > self.now:
                return
            self.step(appeal, "start", Status.IN_PROGRESS, appeal.handler_user, t - datetime.timedelta(days=1))
            return self.reply(appeal, t, legacy=legacy)
        self.step(appeal, "follow_up", Status.FOLLOWED_UP, caller, t, appeal.get_satisfaction_display())
        t += datetime.timedelta(hours=4)
        if t <= self.now:
            appeal.closed_at = t
            self.step(appeal, "close", Status.CLOSED, self.users["secretary"], t)

    def write(self):
        # Linked demands point at ones created earlier: insert those first, then the linked ones.
        linked = [a for a in self.appeals if a.matter is not None or a.merged_into is not None]
        Appeal.objects.bulk_create([a for a in self.appeals if a.matter is None and a.merged_into is None],
                                   batch_size=1000)
        for appeal in linked:
            appeal.matter, appeal.merged_into = appeal.matter, appeal.merged_into  # now with their ids
        Appeal.objects.bulk_create(linked, batch_size=1000)
        events = []
        for appeal in self.appeals:
            for verb, before, after, actor, at, note, public, label in self.steps[id(appeal)]:
                events.append(AppealEvent(appeal=appeal, verb=verb, from_status=before, to_status=after, actor=actor,
                                          actor_label=label, note=note, at=at, is_public=public))
        AppealEvent.objects.bulk_create(events, batch_size=2000)
        rows = []
        for appeal, at in self.supervisions:
            appeal.supervision_count += 1
            answered = at + datetime.timedelta(days=1)
            rows.append(Supervision(appeal=appeal, supervisor=self.users["street"], pressed_user=appeal.handler_user,
                                    pressed_unit=appeal.handler_unit, demand="改制遗留问题群众关注度高，请限期答复",
                                    answer="已列入专班台账，本周内答复" if answered < self.now else "",
                                    answered_by=appeal.handler_user if answered < self.now else None,
                                    answered_at=answered if answered < self.now else None))
        Supervision.objects.bulk_create(rows)
        Appeal.objects.bulk_update([a for a, _ in self.supervisions], ["supervision_count"])
        return len(events)


def build(ctx):
    if "users" not in ctx.shared:
        return
    b = _Builder(ctx)
    rng = b.rng
    keys = [k for k in TEXTS if k[0] != "水电暖气" or k[1] != "供暖"]
    day = START.date()
    while datetime.datetime.combine(day, datetime.time(), tzinfo=SHANGHAI) <= END:
        for _ in range(rng.choice([3, 4, 5, 6, 7]) if day.weekday() < 5 else rng.choice([1, 2, 3])):
            when = b.moment(day)
            if when > b.now:
                continue
            key = ("水电暖气", "供暖") if rng.random() < _monthly_heating_share(day.month) else rng.choice(keys)
            building = rng.choice(b.buildings)
            text = rng.choice(TEXTS[key]).replace("%s", building.name)
            kind = Kind.PRAISE if key[1] == "表扬" else (Kind.COMPLAINT if rng.random() < .3 else Kind.HELP)
            urgency = Urgency.URGENT if key[1] in ("燃气", "供电") or rng.random() < .05 else Urgency.NORMAL
            appeal = b.new(when=when, key=key, text=text, urgency=urgency, kind=kind, building=building)
            b.live(appeal)
        day += datetime.timedelta(days=1)
    _legacy_cluster(b)
    _merge_a_few(b)
    events = b.write()
    ctx.log(f"{len(b.appeals)} demands, {events} timeline events, {len(b.supervisions)} supervisions")
    if "demo_tracking_link" in ctx.shared:
        ctx.log(f"居民查询页示例: {ctx.shared['demo_tracking_link']}  居民提交页: /appeals/submit/")


def _legacy_cluster(b: _Builder) -> None:
    """Spring 2026: former miners raise pensions and wage arrears from the restructuring, many on one matter."""
    rng = b.rng
    first_of_matter: dict[str, Appeal] = {}
    for _ in range(60):
        day = datetime.date(2026, 3, 2) + datetime.timedelta(days=int(rng.triangular(0, 75, 20)))
        child, text = rng.choice(LEGACY_TEXTS)
        appeal = b.new(when=b.moment(day), key=("企业改制遗留", child), text=text, kind=Kind.HELP,
                       channel=_pick(rng, [(Channel.WALK_IN, 50), (Channel.MEETING, 20), (Channel.TRANSFER, 30)]))
        if child in first_of_matter:
            appeal.matter = first_of_matter[child]  # several former miners, one matter, each answered
        else:
            first_of_matter[child] = appeal
        b.live(appeal, legacy=True)


def _merge_a_few(b: _Builder) -> None:
    """A neighbour reports the same thing an hour later: the duplicate is merged, its reporter kept."""
    originals = [a for a in b.appeals[-400:] if a.category.parent.name in ("物业", "道路交通", "环境卫生")][:6]
    for original in originals:
        when = original.submitted_at + datetime.timedelta(hours=1)
        duplicate = b.new(when=when, key=(original.category.parent.name, original.category.name),
                          text=original.text, building=original.place)
        duplicate.merged_into, duplicate.matter = original, original
        duplicate.first_response_at = when + datetime.timedelta(hours=1)
        b.step(duplicate, "merge", Status.MERGED, b.users["worker"], duplicate.first_response_at,
               f"与 {original.receipt_code} 为同一问题，合并办理。")
