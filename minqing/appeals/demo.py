"""A year of demands for the demo community (Dec 2025 – Nov 2026), so lists and the rates dashboard
tell a story: heating complaints every winter month, a restructuring-legacy cluster (pensions and
wage arrears of the mine's former workers) in spring that was supervised and partly reopened, a
few overdue and reopened demands, and the last fortnight still open in every state.

The demo is a client of the services: every step of every demand — submission, accept, dispatch,
return, reply, follow-up, close, the scheduler's close and overdue mark, supervision, links and merges
— is a call of the real service, replayed at the moment it happened (`core.clock.history_at`). So each
step is a move of the APPEAL table with its audit row and timeline event, and deadlines are counted in
working days from those moments. The past sends no notices (core.clock).
"""
from __future__ import annotations

import datetime

from django.db.models import F
from django.utils import timezone

from minqing.accounts.policy import can
from minqing.core.clock import history_at
from minqing.core.crypto import decrypt
from minqing.workdays.calendar import SHANGHAI

from . import services
from .conf import follow_up_days
from .jobs import appeals_mark_overdue
from .models import HANDLER_PERM, Appeal, AppealEvent, Channel, Kind, Outcome, Satisfaction, Status, Supervision
from .taxonomy import Category, Urgency

START = datetime.datetime(2025, 12, 1, tzinfo=SHANGHAI)
END = datetime.datetime(2026, 11, 22, 18, tzinfo=SHANGHAI)

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
REPLY_TEXTS = {Outcome.SOLVED: "已上门处理，问题已解决。", Outcome.PARTLY: "已处理主要问题，剩余部分正在协调。",
               Outcome.PENDING: "诉求合理，已上报矿改制遗留问题专班，按政策统一解决。",
               Outcome.UNREASONABLE: "经核实不符合政策规定，已当面解释政策依据。"}


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
        self.tokens: dict[int, str] = {}  # the resident's secret link, for rating on the tracking page
        self.supervised: dict[int, datetime.datetime] = {}  # supervision id → when it was raised
        self.now = min(END, timezone.now())

    def moment(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(self.rng.randint(7, 20), self.rng.randint(0, 59)),
                                         tzinfo=SHANGHAI)

    @staticmethod
    def at(moment, service, **kwargs):
        """Call `service` as of `moment`: the table, the audit row and the timeline all see that moment."""
        with history_at(moment):
            return service(**kwargs)

    def community_staff(self, place_code: str) -> list:
        """Who works the desk where the demand is: 渝阳's worker and secretary, else the other community's
        secretary (the demo has one account there)."""
        yuyang = [self.users["worker"], self.users["secretary"]]
        return yuyang if can(yuyang[0], "appeal.accept", place_code) else [self.users["xincun"]]

    def phone(self, resident) -> str:
        if resident is not None and resident.phone_cipher:
            return decrypt(resident.phone_cipher)
        return "13" + "".join(str(self.rng.randint(0, 9)) for _ in range(9))

    def new(self, *, when, key, text, channel=None, urgency=Urgency.NORMAL, kind=Kind.HELP, building=None) -> Appeal:
        """登记: a worker at the desk, or the resident on the public page (channel web)."""
        building = building or self.rng.choice(self.buildings)
        people = self.by_building.get(building.code) or [None]
        resident = self.rng.choice(people) if self.rng.random() < .75 else None
        channel = channel or _pick(self.rng, CHANNEL_WEIGHTS)
        fields = {"place": building, "text": text, "title": text[:30], "kind": kind, "category": self.categories[key],
                  "urgency": urgency, "channel": channel}
        if channel == Channel.WEB:
            appeal = self.at(when, services.appeal_submit, actor=None, phone=self.phone(resident),
                             reporter_name=resident.name if resident else "", **fields)
            self.tokens[appeal.pk] = appeal.tracking_token
            if "demo_tracking_link" not in self.ctx.shared:
                self.ctx.shared["demo_tracking_link"] = f"/appeals/t/{appeal.receipt_code}/{appeal.tracking_token}/"
        else:
            appeal = self.at(when, services.appeal_submit, actor=self.community_staff(building.code)[0],
                             resident=resident, **fields)
        self.appeals.append(appeal)
        return appeal

    def stalls(self, t) -> bool:
        """Not yet happened: in the future, or (for the last days' demands) still waiting."""
        return t > self.now or (self.now - t < datetime.timedelta(days=3) and self.rng.random() < .3)

    def handler_actor(self, appeal):
        """Who acts for the handler: the worker it was sent to, the unit's account, or (a unit without
        an account in the demo) the community worker on its behalf."""
        if appeal.handler_user_id:
            return appeal.handler_user
        unit_key = next((k for k, unit in self.units.items() if unit.pk == appeal.handler_unit_id), None)
        return self.users.get(unit_key) or self.community_staff(appeal.place_code)[0]

    def live(self, appeal, *, legacy=False):
        """Walk the demand through its life, stopping where `now` is."""
        rng, users = self.rng, self.users
        t = appeal.submitted_at + datetime.timedelta(hours=rng.choice([1, 2, 3, 5, 20, 30]))
        if self.stalls(t):
            return
        worker = rng.choice(self.community_staff(appeal.place_code))
        if rng.random() < .03 and not legacy:
            self.at(t, services.appeal_reject, actor=worker, appeal_id=appeal.pk,
                    reason="属于司法诉讼范围，社区无法受理", referral="区法律援助中心")
            return
        appeal = self.at(t, services.appeal_accept, actor=worker, appeal_id=appeal.pk)
        t += datetime.timedelta(hours=rng.choice([1, 2, 4, 18]))
        if self.stalls(t):
            return
        appeal = self.dispatch(appeal, t, worker, legacy=legacy)
        if rng.random() < .05:  # wrong dispatch sent back, then dispatched again to the community worker
            t += datetime.timedelta(hours=3)
            appeal = self.at(t, services.appeal_return, actor=self.handler_actor(appeal), appeal_id=appeal.pk,
                             reason="不属于本单位职责")
            t += datetime.timedelta(hours=2)
            appeal = self.at(t, services.appeal_dispatch, actor=worker, appeal_id=appeal.pk, leader=appeal.leader,
                             handler_user=self.community_staff(appeal.place_code)[0])
        t += datetime.timedelta(hours=rng.choice([1, 3, 6]))
        if self.stalls(t):
            return
        self.work(appeal, t, legacy=legacy)

    def dispatch(self, appeal, t, worker, *, legacy):
        """三定: a partner unit for its trade, else a worker who may handle the place; the deadline is the
        service's, in working days from `t`."""
        users, staff = self.users, self.community_staff(appeal.place_code)
        unit = self.units.get(UNIT_FOR.get(appeal.category.name))
        handler_user = None
        if unit is None:
            grid = [u for u in (users["grid1"], users["grid3"]) if can(u, HANDLER_PERM, appeal.place_code)]
            handler_user = self.rng.choice([*grid, staff[0]])
        return self.at(t, services.appeal_dispatch, actor=worker, appeal_id=appeal.pk,
                       leader=users["street"] if legacy else staff[-1], handler_user=handler_user, handler_unit=unit)

    def work(self, appeal, t, *, legacy):
        """签收, then the reply — on time, or late (overdue), or still in hand at `now`."""
        rng = self.rng
        handler = self.handler_actor(appeal)
        appeal = self.at(t, services.appeal_start, actor=handler, appeal_id=appeal.pk)
        late = rng.random() < (.35 if legacy else .07)
        span = (appeal.handle_deadline - t) * rng.uniform(.2, .9)
        done = t + span if not late else appeal.handle_deadline + datetime.timedelta(days=rng.randint(1, 9))
        if legacy and rng.random() < .5 and done - datetime.timedelta(days=1) > t:
            self.supervise(appeal, done - datetime.timedelta(days=1), handler)
        if done > self.now:
            return  # still in hand; the scheduler marks it overdue if its deadline has passed (build)
        self.reply(appeal, done, legacy=legacy)

    def supervise(self, appeal, t, handler):
        if t > self.now:
            return
        supervision = self.at(t, services.appeal_supervise, actor=self.users["street"], appeal_id=appeal.pk,
                              demand="改制遗留问题群众关注度高，请限期答复")
        self.supervised[supervision.pk] = t
        answered = t + datetime.timedelta(hours=20)
        if answered < self.now:
            self.at(answered, services.appeal_supervision_answer, actor=handler, supervision_id=supervision.pk,
                    answer="已列入专班台账，本周内答复")

    def reply(self, appeal, t, *, legacy):
        rng = self.rng
        outcome = (_pick(rng, [(Outcome.PENDING, 45), (Outcome.PARTLY, 35), (Outcome.UNREASONABLE, 20)]) if legacy
                   else _pick(rng, [(Outcome.SOLVED, 80), (Outcome.PARTLY, 12), (Outcome.PENDING, 5),
                                    (Outcome.UNREASONABLE, 3)]))
        plan, plan_date = ("纳入年度解决计划", (t + datetime.timedelta(days=90)).date()) if outcome == Outcome.PENDING \
            else ("", None)
        appeal = self.at(t, services.appeal_reply, actor=self.handler_actor(appeal), appeal_id=appeal.pk,
                         outcome=outcome, text=REPLY_TEXTS[outcome], plan=plan, plan_date=plan_date)
        t += datetime.timedelta(days=rng.choice([1, 2, 3]))
        if t > self.now:
            return
        if rng.random() < .12:  # nobody rated it: the scheduler closes it after the follow-up window
            t = appeal.replied_at + datetime.timedelta(days=follow_up_days(), hours=rng.randint(1, 20))
            if t <= self.now:
                self.at(t, services.appeal_close_unrated, appeal_id=appeal.pk, now=t)
            return
        self.follow_up(appeal, t, legacy=legacy)

    def follow_up(self, appeal, t, *, legacy):
        """回访: the resident rates on the tracking page (web demands; a good rating closes it), or the
        secretary calls back and closes. Dissatisfied reopens it, once: redone, replied again."""
        weights = [(Satisfaction.SATISFIED, 35), (Satisfaction.BASIC, 30), (Satisfaction.DISSATISFIED, 35)] \
            if legacy else SATISFACTION_WEIGHTS
        satisfaction = _pick(self.rng, weights)
        if satisfaction == Satisfaction.DISSATISFIED and appeal.reopen_count:
            satisfaction = Satisfaction.BASIC  # the redone demand is accepted the second time
        token = self.tokens.get(appeal.pk)
        caller = None if token else self.community_staff(appeal.place_code)[-1]
        note = "不满意，要求重办" if satisfaction == Satisfaction.DISSATISFIED else ""
        appeal = self.at(t, services.appeal_follow_up, actor=caller, appeal_id=appeal.pk, satisfaction=satisfaction,
                         note=note, tracking_token=token)
        if satisfaction == Satisfaction.DISSATISFIED:
            return self.redo(appeal, t, legacy=legacy)
        t += datetime.timedelta(hours=4)
        if caller is not None and t <= self.now:
            self.at(t, services.appeal_close, actor=caller, appeal_id=appeal.pk)

    def redo(self, appeal, t, *, legacy):
        t += datetime.timedelta(hours=5)
        if t > self.now:
            return
        appeal = self.at(t, services.appeal_dispatch, actor=self.community_staff(appeal.place_code)[-1],
                         appeal_id=appeal.pk,
                         leader=appeal.leader, handler_user=appeal.handler_user, handler_unit=appeal.handler_unit)
        t += datetime.timedelta(days=1)
        if t > self.now:
            return
        appeal = self.at(t, services.appeal_start, actor=self.handler_actor(appeal), appeal_id=appeal.pk)
        t += datetime.timedelta(days=1)
        if t <= self.now:
            self.reply(appeal, t, legacy=legacy)

    def finish(self) -> None:
        """As of the demo's `now`: the scheduler marks what is overdue; Django stamped `created_at` with
        the real time (auto_now_add is not the services' clock), so the demands take their submission's."""
        with history_at(self.now):
            appeals_mark_overdue(self.now)
        ids = [a.pk for a in self.appeals]
        Appeal.objects.filter(pk__in=ids).update(created_at=F("submitted_at"))
        for pk, raised in self.supervised.items():
            Supervision.objects.filter(pk=pk).update(created_at=raised)


def build(ctx):
    if "users" not in ctx.shared:
        return
    b = _Builder(ctx)
    rng = b.rng
    keys = [k for k in TEXTS if k[0] != "水电暖气" or k[1] != "供暖"]
    day = START.date()
    while datetime.datetime.combine(day, datetime.time(), tzinfo=SHANGHAI) <= END:
        # ~2.6 a day (was ~4 when the demo wrote rows by hand): every step is now a service call
        for _ in range(rng.choice([2, 3, 4]) if day.weekday() < 5 else rng.choice([1, 2])):
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
    b.finish()
    ctx.log(f"{len(b.appeals)} demands, {AppealEvent.objects.count()} timeline events, "
            f"{len(b.supervised)} supervisions, all through the services")
    if "demo_tracking_link" in ctx.shared:
        ctx.log(f"居民查询页示例: {ctx.shared['demo_tracking_link']}  居民提交页: /appeals/submit/")


def _legacy_cluster(b: _Builder) -> None:
    """Spring 2026: former miners raise pensions and wage arrears from the restructuring, many on one
    matter: the first demand of each matter is linked to by the later ones (each is still answered)."""
    rng = b.rng
    raised = sorted((b.moment(datetime.date(2026, 3, 2) + datetime.timedelta(days=int(rng.triangular(0, 75, 20)))),
                     *rng.choice(LEGACY_TEXTS)) for _ in range(60))
    first_of_matter: dict[str, Appeal] = {}
    for when, child, text in raised:
        appeal = b.new(when=when, key=("企业改制遗留", child), text=text, kind=Kind.HELP,
                       channel=_pick(rng, [(Channel.WALK_IN, 50), (Channel.MEETING, 20), (Channel.TRANSFER, 30)]))
        if child in first_of_matter:
            # the street's task force keeps the matter (its demands come from both communities)
            appeal = b.at(when + datetime.timedelta(minutes=10), services.appeal_link, actor=b.users["street"],
                          appeal_id=appeal.pk, target_id=first_of_matter[child].pk, kind="matter")
        else:
            first_of_matter[child] = appeal
        b.live(appeal, legacy=True)


def _merge_a_few(b: _Builder) -> None:
    """A neighbour reports the same thing an hour later: the duplicate is merged into the demand that goes on,
    its reporter kept."""
    recent = [a.pk for a in b.appeals[-400:] if a.category.parent.name in ("物业", "道路交通", "环境卫生")]
    originals = (Appeal.objects.filter(pk__in=recent).exclude(status__in=(Status.MERGED, Status.REJECTED))
                 .select_related("category__parent", "place").order_by("pk")[:6])
    for original in originals:
        when = original.submitted_at + datetime.timedelta(hours=1)
        duplicate = b.new(when=when, key=(original.category.parent.name, original.category.name),
                          text=original.text, building=original.place)
        b.at(when + datetime.timedelta(hours=1), services.appeal_merge, actor=b.community_staff(original.place_code)[0],
             appeal_id=duplicate.pk, into_id=original.pk)
