"""Every write of the volunteers app: teams and members (workers), activities (workers), sign-ups
(residents on the public page, no login), attendance and hours (workers, after the activity).

Each write leaves one audit row (core.changes / core.transitions). Sign-ups lock the activity row
first, so two residents taking the last place are served one after the other, and the unique
constraint (activity, phone hash) settles two sign-ups from the same phone.
"""
from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.policy import ensure_can
from minqing.core.changes import object_create, object_update
from minqing.core.concurrency import lock_for_change
from minqing.core.crypto import encrypt, lookup_hash
from minqing.core.errors import Conflict, NotFound, ValidationError
from minqing.core.masking import mask_phone
from minqing.core.transitions import transition
from minqing.places.codes import community_code
from minqing.places.models import PlaceKind

from .models import (ACTIVITY, POINTS_PER_HOUR, SIGNUP, Activity, ActivityStatus, ActivityVerb, Membership, SignUp,
                     SignUpStatus, SignUpVerb, Team)

PHONE_RE = re.compile(r"^1\d{10}$")
MAX_HOURS = Decimal("24")
PUBLIC = "居民（公开页面）"  # the audit label of writes made on the public pages, without a login


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- teams and members ------------------------------------------------------------------------

@transaction.atomic
def team_create(*, actor, community, name: str, kind: str, category: str, charter: str = "", leader=None,
                founded_on: datetime.date | None = None) -> Team:
    ensure_can(actor, "volunteer.change", community.code)
    if community.kind != PlaceKind.COMMUNITY:
        raise ValidationError(fields={"community": [_("服务队/协会须建在社区。")]})
    if not name.strip():
        raise ValidationError(fields={"name": [_("请填写名称。")]})
    if Team.objects.filter(community=community, name=name.strip()).exists():
        raise ValidationError(fields={"name": [_("本社区已有同名的服务队/协会。")]})
    _check_resident(actor, leader, community.code, "leader")
    team = object_create(Team(community=community, place_code=community.code, name=name.strip(), kind=kind,
                              category=category, charter=charter.strip(), leader=leader, founded_on=founded_on),
                         actor=actor, action="volunteers.team.create")
    if leader is not None:
        _member_add(actor=actor, team=team, resident=leader, joined_on=founded_on or timezone.localdate())
    return team


@transaction.atomic
def team_update(*, actor, team_id: int, version: int | None = None, **changes) -> Team:
    team = lock_for_change(Team.objects.all(), pk=team_id, expected_version=version)
    ensure_can(actor, "volunteer.change", team.place_code)
    _check_resident(actor, changes.get("leader"), team.place_code, "leader")
    allowed = {k: v for k, v in changes.items() if k in ("name", "charter", "leader", "category", "is_active")}
    object_update(team, actor=actor, action="volunteers.team.change", changes=allowed)
    if team.leader_id and not team.memberships.filter(resident_id=team.leader_id, left_on=None).exists():
        _member_add(actor=actor, team=team, resident=team.leader, joined_on=timezone.localdate())
    return team


def _check_resident(actor, resident, code: str, field: str) -> None:
    if resident is None:
        return
    if community_code(resident.place_code) != community_code(code):
        raise ValidationError(fields={field: [_("只能选择本社区台账中的居民。")]})
    ensure_can(actor, "ledger.view", resident.place_code)


@transaction.atomic
def member_add(*, actor, team_id: int, resident, joined_on: datetime.date | None = None) -> Membership:
    team = lock_for_change(Team.objects.all(), pk=team_id)
    ensure_can(actor, "volunteer.change", team.place_code)
    _check_resident(actor, resident, team.place_code, "resident")
    if team.memberships.filter(resident=resident, left_on=None).exists():
        raise ValidationError(fields={"resident": [_("该居民已是成员。")]})
    return _member_add(actor=actor, team=team, resident=resident, joined_on=joined_on or timezone.localdate())


def _member_add(*, actor, team, resident, joined_on) -> Membership:
    return object_create(Membership(team=team, resident=resident, place_code=team.place_code, joined_on=joined_on),
                         actor=actor, action="volunteers.member.add")


@transaction.atomic
def member_leave(*, actor, membership_id: int, left_on: datetime.date | None = None) -> Membership:
    membership = lock_for_change(Membership.objects.all(), pk=membership_id)
    ensure_can(actor, "volunteer.change", membership.place_code)
    if membership.left_on:
        raise ValidationError(_("该成员已退出。"))
    object_update(membership, actor=actor, action="volunteers.member.leave",
                  changes={"left_on": left_on or timezone.localdate()})
    team = lock_for_change(Team.objects.all(), pk=membership.team_id)
    if team.leader_id == membership.resident_id:  # a team is not led by someone who left it
        object_update(team, actor=actor, action="volunteers.team.change", changes={"leader": None})
    return membership


# --- activities -------------------------------------------------------------------------------

@transaction.atomic
def activity_post(*, actor, team, title: str, location: str, starts_at: datetime.datetime,
                  ends_at: datetime.datetime, places_needed: int, description: str = "") -> Activity:
    ensure_can(actor, "volunteer.change", team.place_code)
    errors = {}
    if not team.is_active:
        errors["team"] = [_("该服务队/协会已停止活动。")]
    if ends_at <= starts_at:
        errors["ends_at"] = [_("结束时间须晚于开始时间。")]
    if not 1 <= places_needed <= 500:
        errors["places_needed"] = [_("招募人数须在 1 到 500 之间。")]
    if not title.strip():
        errors["title"] = [_("请填写活动名称。")]
    if errors:
        raise ValidationError(fields=errors)
    return object_create(Activity(team=team, place_code=team.place_code, title=title.strip(), location=location.strip(),
                                  description=description.strip(), starts_at=starts_at, ends_at=ends_at,
                                  places_needed=places_needed, posted_by=actor),
                         actor=actor, action="volunteers.activity.post")


@transaction.atomic
def activity_cancel(*, actor, activity_id: int, reason: str) -> Activity:
    activity = lock_for_change(Activity.objects.all(), pk=activity_id)
    ensure_can(actor, "volunteer.change", activity.place_code)
    if not reason.strip():
        raise ValidationError(fields={"reason": [_("请说明取消原因。")]})
    transition(activity, table=ACTIVITY, verb=ActivityVerb.CANCEL, actor=actor, payload={"reason": reason.strip()})
    return activity


@transaction.atomic
def activity_record_attendance(*, actor, activity_id: int, attended: dict[int, Decimal],
                               now: datetime.datetime | None = None) -> Activity:
    """Close an activity: `attended` maps sign-up id → hours served; every other sign-up is absent.
    Points are hours × POINTS_PER_HOUR, fixed at this moment."""
    activity = lock_for_change(Activity.objects.all(), pk=activity_id)
    ensure_can(actor, "volunteer.change", activity.place_code)
    if (now or timezone.now()) < activity.starts_at:
        raise ValidationError(_("活动尚未开始，不能登记考勤。"))
    signups = {s.pk: s for s in activity.signups.select_for_update().filter(status=SignUpStatus.SIGNED)}
    unknown = set(attended) - set(signups)
    if unknown:
        raise ValidationError(fields={"attended": [_("考勤名单中有不属于本活动的报名。")]})
    for pk, hours in attended.items():
        if not Decimal("0") < Decimal(hours) <= MAX_HOURS:
            raise ValidationError(fields={"attended": [_("服务时长须大于 0 且不超过 24 小时。")]})
    transition(activity, table=ACTIVITY, verb=ActivityVerb.FINISH, actor=actor,
               payload={"attended": len(attended), "absent": len(signups) - len(attended)})
    for pk, signup in signups.items():
        if pk in attended:
            hours = Decimal(attended[pk]).quantize(Decimal("0.1"))
            transition(signup, table=SIGNUP, verb=SignUpVerb.ATTEND, actor=actor,
                       changes={"hours": hours, "points": int(hours * POINTS_PER_HOUR)})
        else:
            transition(signup, table=SIGNUP, verb=SignUpVerb.ABSENT, actor=actor)
    return activity


# --- sign-ups (public) ------------------------------------------------------------------------

def phone_clean(phone: str) -> str:
    phone = (phone or "").strip().replace(" ", "").replace("-", "")
    if not PHONE_RE.match(phone):
        raise ValidationError(fields={"phone": [_("请填写 11 位手机号。")]})
    return phone


@transaction.atomic
def signup_create(*, activity_id: int, name: str, phone: str, now: datetime.datetime | None = None):
    """A resident signs up (no login). Returns (sign-up, cancel token); the token is shown once.

    Locks the activity row, so the count of taken places cannot change under us."""
    phone = phone_clean(phone)
    if not name.strip():
        raise ValidationError(fields={"name": [_("请填写称呼。")]})
    activity = lock_for_change(Activity.objects.all(), pk=activity_id)
    if activity.status != ActivityStatus.OPEN or (now or timezone.now()) >= activity.starts_at:
        raise ValidationError(_("该活动已截止报名。"))
    digest = lookup_hash(phone)
    existing = activity.signups.filter(phone_hash=digest).first()
    if existing and existing.status != SignUpStatus.CANCELLED:
        raise Conflict(_("这个手机号已报名本活动，无需重复报名。"), code="already_signed_up")
    if activity.signups.filter(status=SignUpStatus.SIGNED).count() >= activity.places_needed:
        raise Conflict(_("名额已满，感谢您的热心，请关注下一次活动。"), code="full")
    token = secrets.token_urlsafe(18)
    if existing:
        transition(existing, table=SIGNUP, verb=SignUpVerb.RESIGN, actor=PUBLIC,
                   changes={"name": name.strip()[:20], "cancel_token_hash": _token_hash(token)})
        return existing, token
    signup = SignUp(activity=activity, place_code=activity.place_code, name=name.strip()[:20],
                    phone_cipher=encrypt(phone), phone_hash=digest, phone_masked=mask_phone(phone),
                    resident=_ledger_match(digest, activity.place_code), cancel_token_hash=_token_hash(token))
    try:
        with transaction.atomic():
            object_create(signup, actor=PUBLIC, action="volunteers.signup.create",
                          fields=("activity", "name", "phone_masked", "status"))
    except IntegrityError as exc:  # the same phone, at the same instant, in another request
        raise Conflict(_("这个手机号已报名本活动，无需重复报名。"), code="already_signed_up") from exc
    return signup, token


def _ledger_match(digest: str, code: str):
    """The ledger resident with this phone in the activity's community, when there is exactly one."""
    from minqing.residents.models import Resident

    matches = list(Resident.objects.living().within(community_code(code)).filter(phone_hash=digest)[:2])
    return matches[0] if len(matches) == 1 else None


def signup_by_token(*, signup_id: int, token: str) -> SignUp:
    signup = SignUp.objects.select_related("activity", "activity__team").filter(pk=signup_id).first()
    if signup is None or not token or not hmac.compare_digest(signup.cancel_token_hash, _token_hash(token)):
        raise NotFound()
    return signup


@transaction.atomic
def signup_cancel(*, signup_id: int, token: str) -> SignUp:
    """The resident cancels with the secret link shown when they signed up."""
    signup_by_token(signup_id=signup_id, token=token)
    signup = lock_for_change(SignUp.objects.all(), pk=signup_id)
    if signup.status == SignUpStatus.CANCELLED:
        return signup  # the same click twice: already done
    if signup.status == SignUpStatus.SIGNED and signup.activity.starts_at <= timezone.now():
        raise ValidationError(_("活动已开始，不能再取消报名。"))
    transition(signup, table=SIGNUP, verb=SignUpVerb.CANCEL, actor=PUBLIC)
    return signup
