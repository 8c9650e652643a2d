"""Demands 诉求: submit, list, get, and one endpoint per lifecycle verb, each calling the appeals
service of that verb — the same scope, transition table, version check, timeline and audit as the
pages. Partner units see their inbox (what was sent to them) and reply through the same verbs.
"""
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from minqing.accounts.models import PartnerUnit, User
from minqing.accounts.policy import partner_unit_ids
from minqing.appeals import selectors, services
from minqing.appeals.models import HANDLING_STATUSES
from minqing.appeals.taxonomy_services import category_active_get
from minqing.core.errors import NotFound, PermissionDenied
from minqing.places.selectors import place_active_by_code
from minqing.residents.selectors import resident_get

from ..auth import ensure_token_may_write
from ..idempotency import idempotent
from ..pagination import Cursor
from ..schemas import ERRORS, READ_ERRORS, ErrorOut, ObjectId
from .appeal_schemas import (
    AcceptIn, AppealDetailOut, AppealFilterIn, AppealIn, AppealOut, DispatchIn, FollowUpIn, MergeIn, NoteIn,
    ReasonIn, RejectIn, ReplyIn, SuperviseIn, VersionIn,
)

router = Router(tags=["appeals 诉求"])
WRITE = {200: AppealOut, ERRORS: ErrorOut}


def _lookup(model, field: str, **where):
    """A referenced row, or a 404 naming the input field (as the schema documents for unknown ids; never
    a 500 or a silent None)."""
    return _found(model.objects.filter(**where).first(), field)


def _found(row, field: str):
    if row is None:
        raise NotFound(_("%(field)s：不存在或已停用。") % {"field": field})
    return row


def _category(category_id, field="category_id"):
    return None if category_id is None else _found(category_active_get(category_id), field)


def _user(username, field):
    return None if not username else _lookup(User, field, username=username, is_active=True)


def _writer(request):
    ensure_token_may_write(request)
    return request.auth


# --- submit, list, get -------------------------------------------------------------------------------

@router.post("/appeals", response={201: AppealOut, ERRORS: ErrorOut}, summary="登记诉求")
def appeal_submit(request, payload: AppealIn):
    actor = _writer(request)

    def run():
        place = _found(place_active_by_code(payload.place_code), "place_code")
        resident = resident_get(actor=actor, resident_id=payload.resident_id) if payload.resident_id else None
        appeal = services.appeal_submit(
            actor=actor, place=place, text=payload.text, channel=payload.channel, title=payload.title,
            kind=payload.kind, category=_category(payload.category_id), urgency=payload.urgency, resident=resident,
            reporter_name=payload.reporter_name, phone=payload.phone, location=payload.location)
        return 201, AppealOut.from_orm(appeal).model_dump(mode="json")
    return idempotent(request, client=f"user:{actor.pk}", run=run)


@router.get("/appeals", response={200: list[AppealOut], READ_ERRORS: ErrorOut}, summary="诉求列表")
@paginate(Cursor, ordering=("-id",))
def appeal_list(request, filters: Query[AppealFilterIn]):
    return selectors.appeal_list(actor=request.auth, **filters.dict()).select_related("leader")


@router.get("/appeals/{appeal_id}", response={200: AppealDetailOut, READ_ERRORS: ErrorOut}, summary="诉求详情与时间线")
def appeal_get(request, appeal_id: ObjectId):
    appeal = selectors.appeal_get(actor=request.auth, appeal_id=appeal_id)
    appeal.events_list = list(selectors.appeal_events(appeal=appeal))
    return appeal


@router.get("/partner/inbox", response={200: list[AppealOut], READ_ERRORS: ErrorOut}, summary="协办单位收件箱")
@paginate(Cursor, ordering=("-id",))
def partner_inbox(request):
    """Demands dispatched to the caller's partner unit(s) and not yet replied."""
    units = partner_unit_ids(request.auth)
    if not units:
        raise PermissionDenied(_("只有协办单位账号有收件箱。"), code="not_partner_unit")
    return selectors.appeal_list(actor=request.auth).filter(handler_unit_id__in=units, status__in=HANDLING_STATUSES)


# --- one endpoint per verb ------------------------------------------------------------------------------

@router.post("/appeals/{appeal_id}/accept", response=WRITE, summary="受理")
def appeal_accept(request, appeal_id: ObjectId, payload: AcceptIn):
    return services.appeal_accept(actor=_writer(request), appeal_id=appeal_id, expected_version=payload.version,
                                  category=_category(payload.category_id), urgency=payload.urgency, note=payload.note)


@router.post("/appeals/{appeal_id}/reject", response=WRITE, summary="不予受理")
def appeal_reject(request, appeal_id: ObjectId, payload: RejectIn):
    return services.appeal_reject(actor=_writer(request), appeal_id=appeal_id, expected_version=payload.version,
                                  reason=payload.reason, referral=payload.referral)


@router.post("/appeals/{appeal_id}/dispatch", response=WRITE, summary="派单（三定）")
def appeal_dispatch(request, appeal_id: ObjectId, payload: DispatchIn):
    unit = None if payload.handler_unit_id is None else _lookup(
        PartnerUnit, "handler_unit_id", pk=payload.handler_unit_id)
    return services.appeal_dispatch(
        actor=_writer(request), appeal_id=appeal_id, expected_version=payload.version,
        leader=_user(payload.leader, "leader"), handler_user=_user(payload.handler_user, "handler_user"),
        handler_unit=unit, deadline=payload.deadline, note=payload.note)


@router.post("/appeals/{appeal_id}/start", response=WRITE, summary="签收办理")
def appeal_start(request, appeal_id: ObjectId, payload: VersionIn):
    return services.appeal_start(actor=_writer(request), appeal_id=appeal_id, expected_version=payload.version)


@router.post("/appeals/{appeal_id}/return", response=WRITE, summary="退单")
def appeal_return(request, appeal_id: ObjectId, payload: ReasonIn):
    return services.appeal_return(actor=_writer(request), appeal_id=appeal_id, expected_version=payload.version,
                                  reason=payload.reason)


@router.post("/appeals/{appeal_id}/reply", response=WRITE, summary="答复")
def appeal_reply(request, appeal_id: ObjectId, payload: ReplyIn):
    return services.appeal_reply(actor=_writer(request), appeal_id=appeal_id, expected_version=payload.version,
                                 outcome=payload.outcome, text=payload.text, plan=payload.plan,
                                 plan_date=payload.plan_date)


@router.post("/appeals/{appeal_id}/follow-up", response=WRITE, summary="回访")
def appeal_follow_up(request, appeal_id: ObjectId, payload: FollowUpIn):
    return services.appeal_follow_up(actor=_writer(request), appeal_id=appeal_id, expected_version=payload.version,
                                     satisfaction=payload.satisfaction, note=payload.note)


@router.post("/appeals/{appeal_id}/close", response=WRITE, summary="办结")
def appeal_close(request, appeal_id: ObjectId, payload: NoteIn):
    return services.appeal_close(actor=_writer(request), appeal_id=appeal_id, expected_version=payload.version,
                                 note=payload.note)


@router.post("/appeals/{appeal_id}/reopen", response=WRITE, summary="重办")
def appeal_reopen(request, appeal_id: ObjectId, payload: ReasonIn):
    return services.appeal_reopen(actor=_writer(request), appeal_id=appeal_id, expected_version=payload.version,
                                  reason=payload.reason)


@router.post("/appeals/{appeal_id}/supervise", response=WRITE, summary="督办")
def appeal_supervise(request, appeal_id: ObjectId, payload: SuperviseIn):
    services.appeal_supervise(actor=_writer(request), appeal_id=appeal_id, demand=payload.demand)
    return selectors.appeal_get(actor=request.auth, appeal_id=appeal_id)


@router.post("/appeals/{appeal_id}/merge", response=WRITE, summary="合并重复诉求")
def appeal_merge(request, appeal_id: ObjectId, payload: MergeIn):
    return services.appeal_merge(actor=_writer(request), appeal_id=appeal_id, into_id=payload.into_id,
                                 expected_version=payload.version)
