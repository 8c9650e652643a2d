"""Every write of the party app. Each service checks the actor's right (party.change at the
organisation's place), validates, writes, and leaves exactly one audit row (core.changes /
core.transitions)."""
from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.policy import ensure_can
from minqing.core.audit import audit_record
from minqing.core.changes import object_create, object_update
from minqing.core.concurrency import lock_for_change
from minqing.core.errors import ValidationError
from minqing.core.transitions import transition
from minqing.places.codes import community_code
from minqing.residents.models import ResidentStatus

from .models import (APPRAISAL_ROUND, MEMBER_RELATION, PARENT_KINDS, SESSION, AppraisalRound, AppraisalVote, Attendance,
                     Category, EdgeContact, EdgeOutcome, MemberVerb, ModelPost, OrgKind, OrgSession, PartyMember,
                     PartyOrg, Presence, Rating, Relation, RoundStatus, ServiceRecord, SessionKind, SessionVerb,
                     Transfer, TransferKind, WorkStatus)

PERM = "party.change"


def _past_or_today(day, field: str, errors: dict) -> None:
    if day is None:
        errors.setdefault(field, []).append(_("请填写日期。"))
    elif day > timezone.localdate():
        errors.setdefault(field, []).append(_("日期不能晚于今天。"))


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(fields=errors)


# --- organisations -------------------------------------------------------------------------------

@transaction.atomic
def org_create(*, actor, name: str, kind: str, place, parent: PartyOrg | None = None,
               founded_on: datetime.date | None = None) -> PartyOrg:
    ensure_can(actor, PERM, place.code)
    errors = {}
    if not (name or "").strip():
        errors["name"] = [_("请填写名称。")]
    if kind not in OrgKind.values:
        errors["kind"] = [_("请选择层级。")]
    elif (parent.kind if parent else None) not in PARENT_KINDS[kind]:
        errors["parent"] = [_("%(kind)s不能设在该上级组织之下。") % {"kind": OrgKind(kind).label}]
    if parent is not None and not place.code.startswith(parent.place_code):
        errors["place"] = [_("地点须在上级组织的范围之内。")]
    if founded_on and founded_on > timezone.localdate():
        errors["founded_on"] = [_("日期不能晚于今天。")]
    _raise(errors)
    org = PartyOrg(name=name.strip(), kind=kind, parent=parent, place=place, place_code=place.code,
                   founded_on=founded_on)
    return object_create(org, actor=actor, action="party.org.create",
                         fields=("name", "kind", "parent", "place", "founded_on"))


@transaction.atomic
def org_set_officers(*, actor, org: PartyOrg, secretary: PartyMember | None, committee=()) -> PartyOrg:
    org = lock_for_change(PartyOrg.objects.all(), pk=org.pk)
    ensure_can(actor, PERM, org.place_code)
    people = [m for m in [secretary, *committee] if m is not None]
    if any(m.org_id != org.pk and m.group_id != org.pk and not m.place_code.startswith(org.place_code) for m in people):
        raise ValidationError(fields={"secretary": [_("书记和委员须为本组织的党员。")]})
    before = sorted(org.committee.values_list("pk", flat=True))
    object_update(org, actor=actor, action="party.org.officers", changes={"secretary": secretary},
                  payload={"committee": [before, sorted(m.pk for m in committee)]})
    org.committee.set(committee)
    return org


# --- members -------------------------------------------------------------------------------------

def _member_dates(*, joined_on, full_on, category, errors: dict) -> None:
    _past_or_today(joined_on, "joined_on", errors)
    if full_on:
        _past_or_today(full_on, "full_on", errors)
        if joined_on and full_on < joined_on:
            errors.setdefault("full_on", []).append(_("转正日期不能早于入党日期。"))
    if category == Category.PROBATIONARY and full_on:
        errors.setdefault("full_on", []).append(_("预备党员尚未转正，不填转正日期。"))


def _group_errors(org: PartyOrg, group: PartyOrg | None, errors: dict) -> None:
    if group is not None and (group.kind != OrgKind.GROUP or group.parent_id != org.pk):
        errors["group"] = [_("党小组须属于所选支部。")]


@transaction.atomic
def member_register(*, actor, resident, org: PartyOrg, joined_on: datetime.date, date: datetime.date,
                    category: str = Category.FULL, work_status: str = WorkStatus.WORKING,
                    relation: str = Relation.HERE, from_text: str = "", group: PartyOrg | None = None,
                    full_on: datetime.date | None = None, employer: str = "") -> PartyMember:
    """A resident joins the roster: relation transferred in here (`date` = 转入日期), or registered as a
    floating member whose relation stays at `from_text` (`date` = 登记日期)."""
    ensure_can(actor, PERM, org.place_code)
    errors: dict = {}
    existing = PartyMember.objects.filter(resident=resident).select_related("org").first()
    if existing is not None:
        errors["resident"] = [_("该居民已在“%(org)s”登记（%(rel)s），不能同时在两个支部；如需转入请在其党员页面办理。")
                              % {"org": existing.org, "rel": existing.get_relation_display()}]
    if resident.status != ResidentStatus.LIVING:
        errors["resident"] = [_("该居民已不在册。")]
    elif community_code(resident.place_code) != community_code(org.place_code):
        errors["resident"] = [_("该居民不住在本社区。")]
    if org.kind == OrgKind.GROUP:
        errors["org"] = [_("请选择支部；党小组另行选择。")]
    if category not in Category.values:
        errors["category"] = [_("请选择党员类别。")]
    if work_status not in WorkStatus.values:
        errors["work_status"] = [_("请选择在职情况。")]
    if relation not in (Relation.HERE, Relation.ELSEWHERE):
        errors["relation"] = [_("请选择组织关系。")]
    if relation == Relation.ELSEWHERE and not (from_text or "").strip():
        errors["from_text"] = [_("流动党员请填写组织关系所在的党组织。")]
    _member_dates(joined_on=joined_on, full_on=full_on, category=category, errors=errors)
    _past_or_today(date, "date", errors)
    if date and joined_on and date < joined_on:
        errors.setdefault("date", []).append(_("转入（登记）日期不能早于入党日期。"))
    _group_errors(org, group, errors)
    _raise(errors)
    member = PartyMember(resident=resident, org=org, group=group, place_code=org.place_code, category=category,
                         work_status=work_status, relation=relation, joined_on=joined_on, full_on=full_on,
                         relation_elsewhere=from_text.strip() if relation == Relation.ELSEWHERE else "",
                         employer=employer.strip())
    member.save(force_insert=True)
    kind = TransferKind.IN if relation == Relation.HERE else TransferKind.REGISTER
    Transfer.objects.create(member=member, kind=kind, date=date, from_text=from_text.strip(), to_text=org.name,
                            place_code=org.place_code, recorded_by=actor)
    audit_record(actor=actor, action="party.member.register", obj=member, changes={
        "resident": [None, resident.pk], "org": [None, org.name], "category": [None, category],
        "relation": [None, relation], "joined_on": [None, joined_on.isoformat()],
        "transfer": [None, f"{TransferKind(kind).label} {date.isoformat()} {from_text.strip()}".strip()]})
    return member


MEMBER_EDITABLE = ("category", "work_status", "full_on", "group", "employer", "dual_registered_on", "dual_service")


@transaction.atomic
def member_update(*, actor, member: PartyMember, expected_version: int | None = None, **changes) -> PartyMember:
    member = lock_for_change(PartyMember.objects.all(), pk=member.pk, expected_version=expected_version)
    ensure_can(actor, PERM, member.place_code)
    unknown = set(changes) - set(MEMBER_EDITABLE)
    errors = {name: [_("该字段不可修改。")] for name in unknown}
    merged = {name: getattr(member, name) for name in MEMBER_EDITABLE} | changes
    _member_dates(joined_on=member.joined_on, full_on=merged["full_on"], category=merged["category"], errors=errors)
    errors.pop("joined_on", None)
    if merged["category"] == Category.FULL and member.category == Category.PROBATIONARY and not merged["full_on"]:
        errors.setdefault("full_on", []).append(_("预备党员转为正式党员，请填写转正日期。"))
    if merged["dual_registered_on"]:
        _past_or_today(merged["dual_registered_on"], "dual_registered_on", errors)
    _group_errors(member.org, merged["group"], errors)
    _raise(errors)
    object_update(member, actor=actor, action="party.member.change", changes=changes)
    return member


def _last_transfer_date(member: PartyMember) -> datetime.date | None:
    return member.transfers.order_by("-date", "-id").values_list("date", flat=True).first()


def _check_move_date(member: PartyMember, date, field: str = "date") -> None:
    errors: dict = {}
    _past_or_today(date, field, errors)
    last = _last_transfer_date(member)
    if date and date < member.joined_on:
        errors.setdefault(field, []).append(_("日期不能早于入党日期（%(d)s）。") % {"d": member.joined_on})
    elif date and last and date < last:
        errors.setdefault(field, []).append(_("日期不能早于上一次组织关系变动（%(d)s）。") % {"d": last})
    _raise(errors)


@transaction.atomic
def member_transfer_out(*, actor, member: PartyMember, date: datetime.date, to_text: str,
                        expected_version: int | None = None) -> PartyMember:
    """The relation leaves (转出); a floating member leaving is `member_leave`."""
    member = lock_for_change(PartyMember.objects.all(), pk=member.pk, expected_version=expected_version)
    ensure_can(actor, PERM, member.place_code)
    MEMBER_RELATION.check(member, MemberVerb.TRANSFER_OUT)
    if not (to_text or "").strip():
        raise ValidationError(fields={"to_text": [_("请填写转往的党组织。")]})
    _check_move_date(member, date)
    Transfer.objects.create(member=member, kind=TransferKind.OUT, date=date, from_text=member.org.name,
                            to_text=to_text.strip(), place_code=member.place_code, recorded_by=actor)
    transition(member, table=MEMBER_RELATION, verb=MemberVerb.TRANSFER_OUT, actor=actor,
               payload={"date": date.isoformat(), "to": to_text.strip()})
    return member


@transaction.atomic
def member_leave(*, actor, member: PartyMember, date: datetime.date, to_text: str = "",
                 expected_version: int | None = None) -> PartyMember:
    member = lock_for_change(PartyMember.objects.all(), pk=member.pk, expected_version=expected_version)
    ensure_can(actor, PERM, member.place_code)
    MEMBER_RELATION.check(member, MemberVerb.LEAVE)
    _check_move_date(member, date)
    Transfer.objects.create(member=member, kind=TransferKind.LEAVE, date=date, from_text=member.org.name,
                            to_text=to_text.strip(), place_code=member.place_code, recorded_by=actor)
    transition(member, table=MEMBER_RELATION, verb=MemberVerb.LEAVE, actor=actor,
               payload={"date": date.isoformat(), "to": to_text.strip()})
    return member


@transaction.atomic
def member_transfer_in(*, actor, member: PartyMember, date: datetime.date, from_text: str,
                       org: PartyOrg | None = None, expected_version: int | None = None) -> PartyMember:
    """The relation comes here (转入): a floating member's relation arrives, or a member who left returns.
    Not dated before the last move, so no one is in two branches at once."""
    member = lock_for_change(PartyMember.objects.select_related("org"), pk=member.pk,
                             expected_version=expected_version)
    ensure_can(actor, PERM, member.place_code)
    org = org or member.org
    ensure_can(actor, PERM, org.place_code)
    MEMBER_RELATION.check(member, MemberVerb.TRANSFER_IN)
    if org.kind == OrgKind.GROUP:
        raise ValidationError(fields={"org": [_("请选择支部。")]})
    if not (from_text or "").strip():
        raise ValidationError(fields={"from_text": [_("请填写转出的党组织。")]})
    _check_move_date(member, date)
    Transfer.objects.create(member=member, kind=TransferKind.IN, date=date, from_text=from_text.strip(),
                            to_text=org.name, place_code=org.place_code, recorded_by=actor)
    changes = {"org": org, "place_code": org.place_code, "relation_elsewhere": ""}
    if org.pk != member.org_id:
        changes["group"] = None
    transition(member, table=MEMBER_RELATION, verb=MemberVerb.TRANSFER_IN, actor=actor, changes=changes,
               payload={"date": date.isoformat(), "from": from_text.strip()})
    return member


# --- edge members --------------------------------------------------------------------------------

@transaction.atomic
def edge_contact_record(*, actor, resident, contacted_on: datetime.date, outcome: str, note: str = "") -> EdgeContact:
    ensure_can(actor, PERM, resident.place_code)
    errors: dict = {}
    _past_or_today(contacted_on, "contacted_on", errors)
    if outcome not in EdgeOutcome.values:
        errors["outcome"] = [_("请选择联系结果。")]
    _raise(errors)
    contact = EdgeContact(resident=resident, place_code=resident.place_code, contacted_on=contacted_on,
                          outcome=outcome, note=(note or "").strip()[:300], contacted_by=actor)
    return object_create(contact, actor=actor, action="party.edge.contact",
                         fields=("resident", "contacted_on", "outcome", "note"))


# --- organisation life ---------------------------------------------------------------------------

@transaction.atomic
def session_plan(*, actor, org: PartyOrg, kind: str, planned_on: datetime.date, topic: str,
                 venue: str = "", lecturer=None) -> OrgSession:
    ensure_can(actor, PERM, org.place_code)
    errors: dict = {}
    if kind not in SessionKind.values:
        errors["kind"] = [_("请选择类型。")]
    elif (kind == SessionKind.GROUP_MEETING) != (org.kind == OrgKind.GROUP):
        errors["kind"] = [_("党小组会由党小组召开，其他由支部召开。")]
    if planned_on is None:
        errors["planned_on"] = [_("请填写日期。")]
    if not (topic or "").strip():
        errors["topic"] = [_("请填写主题。")]
    if lecturer is not None and kind != SessionKind.LESSON:
        errors["lecturer"] = [_("只有党课需要主讲人。")]
    _raise(errors)
    session = OrgSession(org=org, place_code=org.place_code, kind=kind, planned_on=planned_on, topic=topic.strip(),
                         venue=(venue or "").strip(), lecturer=lecturer)
    return object_create(session, actor=actor, action="party.session.plan",
                         fields=("org", "kind", "planned_on", "topic", "venue"))


def session_expected(session: OrgSession):
    """Who is expected: the group's members at a group meeting, else the branch's active members."""
    members = PartyMember.objects.exclude(relation=Relation.OUT)
    if session.org.kind == OrgKind.GROUP:
        return members.filter(group=session.org)
    return members.filter(org=session.org)


@transaction.atomic
def session_hold(*, actor, session: OrgSession, held_on: datetime.date, attendance: dict,
                 expected_version: int | None = None) -> OrgSession:
    """Record that the session took place and who came: `attendance` maps member id → (presence, reason).
    Every expected member needs a line; a leave needs its reason."""
    session = lock_for_change(OrgSession.objects.select_related("org"), pk=session.pk,
                              expected_version=expected_version)
    ensure_can(actor, PERM, session.place_code)
    SESSION.check(session, SessionVerb.HOLD)
    errors: dict = {}
    _past_or_today(held_on, "held_on", errors)
    expected = {m.pk: m for m in session_expected(session)}
    missing = [m for pk, m in expected.items() if pk not in attendance]
    if missing:
        errors["attendance"] = [_("请登记每位党员的出席情况（未登记：%(n)s）。") % {"n": "、".join(str(m) for m in missing[:5])}]
    for pk, (presence, reason) in attendance.items():
        if pk not in expected:
            errors["attendance"] = [_("出席名单中有非本组织的党员。")]
        elif presence not in Presence.values:
            errors[f"presence_{pk}"] = [_("请选择出席情况。")]
        elif presence == Presence.LEAVE and not (reason or "").strip():
            errors[f"reason_{pk}"] = [_("请假须填写事由（%(m)s）。") % {"m": expected[pk]}]
    _raise(errors)
    Attendance.objects.bulk_create([Attendance(session=session, member_id=pk, presence=presence,
                                               leave_reason=(reason or "").strip()[:200] if presence == Presence.LEAVE else "")
                                    for pk, (presence, reason) in attendance.items()])
    counts = {value: sum(1 for p, _r in attendance.values() if p == value) for value in Presence.values}
    transition(session, table=SESSION, verb=SessionVerb.HOLD, actor=actor, changes={"held_on": held_on},
               payload=counts)
    return session


@transaction.atomic
def session_record_minutes(*, actor, session: OrgSession, minutes: str,
                           expected_version: int | None = None) -> OrgSession:
    session = lock_for_change(OrgSession.objects.all(), pk=session.pk, expected_version=expected_version)
    ensure_can(actor, PERM, session.place_code)
    SESSION.check(session, SessionVerb.RECORD_MINUTES)
    if not (minutes or "").strip():
        raise ValidationError(fields={"minutes": [_("请填写会议纪要。")]})
    transition(session, table=SESSION, verb=SessionVerb.RECORD_MINUTES, actor=actor,
               changes={"minutes": minutes.strip()})
    return session


@transaction.atomic
def session_cancel(*, actor, session: OrgSession, reason: str, expected_version: int | None = None) -> OrgSession:
    session = lock_for_change(OrgSession.objects.all(), pk=session.pk, expected_version=expected_version)
    ensure_can(actor, PERM, session.place_code)
    SESSION.check(session, SessionVerb.CANCEL)
    if not (reason or "").strip():
        raise ValidationError(fields={"reason": [_("请填写取消原因。")]})
    transition(session, table=SESSION, verb=SessionVerb.CANCEL, actor=actor, payload={"reason": reason.strip()})
    return session


# --- model posts and service ---------------------------------------------------------------------

@transaction.atomic
def post_create(*, actor, member: PartyMember, title: str, start_date: datetime.date, duty: str = "") -> ModelPost:
    ensure_can(actor, PERM, member.place_code)
    errors: dict = {}
    if not (title or "").strip():
        errors["title"] = [_("请填写示范岗名称。")]
    _past_or_today(start_date, "start_date", errors)
    if not member.is_active:
        errors["member"] = [_("该党员已转出。")]
    _raise(errors)
    post = ModelPost(member=member, place_code=member.place_code, title=title.strip(), duty=(duty or "").strip(),
                     start_date=start_date)
    return object_create(post, actor=actor, action="party.post.create", fields=("member", "title", "duty", "start_date"))


@transaction.atomic
def service_record(*, actor, member: PartyMember, served_on: datetime.date, hours, what: str) -> ServiceRecord:
    ensure_can(actor, PERM, member.place_code)
    errors: dict = {}
    _past_or_today(served_on, "served_on", errors)
    try:
        hours = Decimal(str(hours))
    except (InvalidOperation, TypeError):
        hours = None
    if hours is None or not (Decimal("0") < hours <= Decimal("24")):
        errors["hours"] = [_("时长须在 0 到 24 小时之间。")]
    if not (what or "").strip():
        errors["what"] = [_("请填写服务内容。")]
    _raise(errors)
    record = ServiceRecord(member=member, place_code=member.place_code, served_on=served_on, hours=hours,
                           what=what.strip())
    return object_create(record, actor=actor, action="party.service.record",
                         fields=("member", "served_on", "hours", "what"))


# --- appraisal -----------------------------------------------------------------------------------

@transaction.atomic
def appraisal_open(*, actor, org: PartyOrg, year: int) -> AppraisalRound:
    ensure_can(actor, PERM, org.place_code)
    errors: dict = {}
    if org.kind != OrgKind.BRANCH:
        errors["org"] = [_("民主评议以党支部为单位。")]
    if not year or year > timezone.localdate().year or year < 2000:
        errors["year"] = [_("年度不正确。")]
    elif AppraisalRound.objects.filter(org=org, year=year).exists():
        errors["year"] = [_("该支部本年度的民主评议已开始。")]
    _raise(errors)
    appraisal = AppraisalRound(org=org, place_code=org.place_code, year=year)
    return object_create(appraisal, actor=actor, action="party.appraisal.open", fields=("org", "year"))


@transaction.atomic
def appraisal_ballot_record(*, actor, appraisal: AppraisalRound, ratings: dict) -> int:
    """One representative's ballot: `ratings` maps member id → (rating, comment). Returns the ballot number."""
    appraisal = lock_for_change(AppraisalRound.objects.all(), pk=appraisal.pk)
    ensure_can(actor, PERM, appraisal.place_code)
    if appraisal.status != RoundStatus.OPEN:
        raise ValidationError(_("本次民主评议已结束，不能再登记评议票。"))
    members = set(PartyMember.objects.filter(org=appraisal.org).exclude(relation=Relation.OUT).values_list("pk", flat=True))
    errors: dict = {}
    chosen = {pk: value for pk, value in ratings.items() if value[0]}
    if not chosen:
        errors["ratings"] = [_("请至少评价一名党员。")]
    for pk, (rating, _comment) in chosen.items():
        if pk not in members:
            errors["ratings"] = [_("评议票中有非本支部的党员。")]
        elif rating not in Rating.values:
            errors[f"rating_{pk}"] = [_("评价不正确。")]
    _raise(errors)
    number = (appraisal.votes.order_by("-ballot_no").values_list("ballot_no", flat=True).first() or 0) + 1
    AppraisalVote.objects.bulk_create([AppraisalVote(round=appraisal, ballot_no=number, member_id=pk, rating=rating,
                                                     comment=(comment or "").strip()[:300])
                                       for pk, (rating, comment) in chosen.items()])
    audit_record(actor=actor, action="party.appraisal.ballot", obj=appraisal,
                 changes={"ballot_no": [None, number], "ratings": [None, len(chosen)]})
    return number


@transaction.atomic
def appraisal_close(*, actor, appraisal: AppraisalRound, expected_version: int | None = None) -> AppraisalRound:
    appraisal = lock_for_change(AppraisalRound.objects.all(), pk=appraisal.pk, expected_version=expected_version)
    ensure_can(actor, PERM, appraisal.place_code)
    transition(appraisal, table=APPRAISAL_ROUND, verb="close", actor=actor,
               payload={"ballots": appraisal.votes.values("ballot_no").distinct().count()})
    return appraisal
