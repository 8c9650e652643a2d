"""Schemas of the demands endpoints: one output for a demand, one input per verb."""
import datetime

from ninja import Field, Schema
from pydantic import AwareDatetime

from minqing.appeals.models import Channel, Kind, Outcome, Satisfaction, Status
from minqing.appeals.taxonomy import Urgency
from minqing.core.masking import mask_name

from ..schemas import REQUIRED_TEXT, IsoDate, ObjectId


class AppealOut(Schema):
    id: int
    version: int
    receipt_code: str
    status: Status
    status_label: str
    channel: Channel
    kind: Kind
    category_id: int | None
    category: str
    urgency: Urgency
    title: str
    text: str
    location: str
    place_code: str
    place_name: str
    reporter_name: str = Field(..., description="脱敏，如 张*丰")
    phone: str = Field(..., description="脱敏，如 138****5678")
    leader: str | None = Field(None, description="责任领导的用户名")
    handler_user: str | None = Field(None, description="承办人的用户名")
    handler_unit_id: int | None
    handler: str
    submitted_at: datetime.datetime
    response_deadline: datetime.datetime | None
    handle_deadline: datetime.datetime | None
    is_overdue: bool
    outcome: Outcome | None
    reply_text: str
    plan: str
    plan_date: datetime.date | None
    satisfaction: Satisfaction | None
    replied_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    return_count: int
    reopen_count: int
    supervision_count: int

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())

    @staticmethod
    def resolve_category(obj):
        return str(obj.category) if obj.category_id else ""

    @staticmethod
    def resolve_place_name(obj):
        return obj.place.name

    @staticmethod
    def resolve_reporter_name(obj):
        return mask_name(obj.reporter_name)

    @staticmethod
    def resolve_phone(obj):
        return obj.phone_masked

    @staticmethod
    def resolve_leader(obj):
        return obj.leader.username if obj.leader_id else None

    @staticmethod
    def resolve_handler_user(obj):
        return obj.handler_user.username if obj.handler_user_id else None

    @staticmethod
    def resolve_handler(obj):
        return obj.handler_label

    @staticmethod
    def resolve_outcome(obj):
        return obj.outcome or None

    @staticmethod
    def resolve_satisfaction(obj):
        return obj.satisfaction or None


class EventOut(Schema):
    verb: str
    verb_label: str
    from_status: str
    to_status: str
    actor: str = Field(..., alias="actor_label")
    note: str
    at: datetime.datetime

    @staticmethod
    def resolve_verb_label(obj):
        return str(obj.verb_label)


class AppealDetailOut(AppealOut):
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj):
        return obj.events_list


class AppealFilterIn(Schema):
    status: Status | None = None
    place_code: str | None = Field(None, max_length=20, pattern=r"^\d+$")
    category_id: ObjectId | None = None
    channel: Channel | None = None
    kind: Kind | None = None
    urgency: Urgency | None = None
    handler_unit_id: ObjectId | None = None
    overdue: bool | None = None
    submitted_from: IsoDate | None = None
    submitted_to: IsoDate | None = None
    text: str | None = Field(None, max_length=50)
    receipt_code: str | None = Field(None, max_length=16)


class AppealIn(Schema):
    """A demand. Hotline platforms push transfers with channel "transfer" and their ticket number as
    the Idempotency-Key header, so a resent push never files the demand twice."""

    place_code: str = Field(..., max_length=20, pattern=r"^\d+$")
    text: str = Field(..., max_length=4000, pattern=REQUIRED_TEXT)
    channel: Channel
    title: str = Field("", max_length=100)
    kind: Kind = Kind.HELP
    category_id: ObjectId | None = None
    urgency: Urgency = Urgency.NORMAL
    resident_id: ObjectId | None = None
    reporter_name: str = Field("", max_length=50)
    phone: str = Field("", max_length=20)
    location: str = Field("", max_length=200)


class VersionIn(Schema):
    version: int | None = Field(None, description="GET 得到的 version；给出时，若他人已先修改则 409 conflict")


class AcceptIn(VersionIn):
    category_id: ObjectId | None = None
    urgency: Urgency | None = None
    note: str = Field("", max_length=500)


class RejectIn(VersionIn):
    reason: str = Field(..., max_length=1000, pattern=REQUIRED_TEXT)
    referral: str = Field("", max_length=200)


class DispatchIn(VersionIn):
    leader: str = Field(..., max_length=150, description="责任领导的用户名")
    handler_user: str | None = Field(None, max_length=150, description="承办人的用户名（与 handler_unit_id 二选一）")
    handler_unit_id: ObjectId | None = None
    deadline: AwareDatetime | None = Field(None, description="带时区，如 2026-12-01T18:00:00+08:00；不填则按分类×紧急程度的时限表计算")
    note: str = Field("", max_length=500)


class ReasonIn(VersionIn):
    reason: str = Field(..., max_length=1000, pattern=REQUIRED_TEXT)


class ReplyIn(VersionIn):
    outcome: Outcome
    text: str = Field(..., max_length=4000, pattern=REQUIRED_TEXT)
    plan: str = Field("", max_length=1000)
    plan_date: IsoDate | None = None


class FollowUpIn(VersionIn):
    satisfaction: Satisfaction
    note: str = Field("", max_length=1000)


class NoteIn(VersionIn):
    note: str = Field("", max_length=1000)


class SuperviseIn(Schema):
    demand: str = Field(..., max_length=1000, pattern=REQUIRED_TEXT)


class MergeIn(VersionIn):
    into_id: ObjectId
