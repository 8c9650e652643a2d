"""Every read of demands, given the actor: place scope (policy.scope_q) or, for partner units, what
was sent to them. An appeal outside the actor's scope is "not found", like one that does not exist."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Q, QuerySet
from django.utils import timezone

from minqing.accounts.policy import can, has_perm_anywhere, holders, partner_unit_ids, scope_q
from minqing.core.crypto import lookup_hash
from minqing.core.dates import days_q
from minqing.core.errors import ApplicationError, NotFound

from .conf import due_soon_hours, recurrence_window_days
from .models import HANDLER_PERM, LEADER_PERM, ROW_RELATED, Appeal, AppealEvent, Status, Supervision
from .moves import VERB_PERMS, appeal_ensure
from .taxonomy_services import category_with_children
from .tokens import token_matches


def appeal_scope_q(actor, perm: str = "appeal.view") -> Q:
    units = partner_unit_ids(actor)
    condition = scope_q(actor, perm, field="place_code")
    if perm == "appeal.view" and getattr(actor, "pk", None) and not has_perm_anywhere(actor, "appeal.view"):
        condition |= Q(created_by_id=actor.pk)  # a building head or branch secretary follows what they registered
    return condition | Q(handler_unit_id__in=units) if units else condition


def appeal_visible(*, actor, perm: str = "appeal.view") -> QuerySet[Appeal]:
    return Appeal.objects.filter(appeal_scope_q(actor, perm))


@dataclass(frozen=True)
class AppealFilters:
    status: str | None = None
    place_code: str | None = None
    category_id: int | None = None
    channel: str | None = None
    kind: str | None = None
    urgency: str | None = None
    handler_user_id: int | None = None
    handler_unit_id: int | None = None
    leader_id: int | None = None
    overdue: bool | None = None
    submitted_from: datetime.date | None = None
    submitted_to: datetime.date | None = None
    text: str | None = None
    receipt_code: str | None = None


def appeal_list(*, actor, filters: AppealFilters | None = None, **kwargs) -> QuerySet[Appeal]:
    """The filtered demand list (newest first). Pass an AppealFilters or the same names as keywords."""
    f = filters or AppealFilters(**kwargs)
    if f.place_code and can(actor, "appeal.view", f.place_code):
        # Inside the actor's place scope, the place filter implies the scope condition (scope = the actor's
        # prefixes OR what they registered OR what was sent to their unit; the filter's prefix starts with
        # one of those prefixes), so the scope is not repeated. Why: two prefix LIKEs made PostgreSQL plan
        # the rows and the count afresh on every page (a street's prefix is too wide to prepare, see
        # core/postgresql/base.py); the community's prefix alone lets both run as prepared statements.
        appeals = Appeal.objects.all()
    else:
        appeals = appeal_visible(actor=actor)
    exact = {"status": f.status, "channel": f.channel, "kind": f.kind, "urgency": f.urgency,
             "handler_user_id": f.handler_user_id, "handler_unit_id": f.handler_unit_id, "leader_id": f.leader_id,
             "receipt_code": f.receipt_code}
    appeals = appeals.filter(**{k: v for k, v in exact.items() if v not in (None, "")})
    if f.place_code:
        appeals = appeals.filter(place_code__startswith=f.place_code)
    if f.category_id:
        # the category or its children, as an id list (an index condition), not an OR across a join; the ids
        # from the kept category tree, not a subquery for PostgreSQL to plan on every page
        appeals = appeals.filter(category_id__in=category_with_children(f.category_id))
    if f.overdue is not None:
        appeals = appeals.filter(is_overdue=f.overdue)
    if f.submitted_from:
        appeals = appeals.filter(days_q("submitted_at", start=f.submitted_from))
    if f.submitted_to:
        appeals = appeals.filter(days_q("submitted_at", end=f.submitted_to))
    if f.text:
        appeals = appeals.filter(Q(title__icontains=f.text) | Q(text__icontains=f.text))
    return appeals.select_related(*ROW_RELATED)


def appeal_registered_by(*, actor, limit: int = 20) -> list[Appeal]:
    """The latest demands the actor registered (for the intake page), as far as the actor may read them."""
    return list(appeal_visible(actor=actor).filter(created_by_id=actor.pk).as_rows()
                .order_by("-submitted_at")[:limit])


def appeal_get(*, actor, appeal_id: int) -> Appeal:
    # Not joined: merged_into, recurrence_of and matter, empty on nearly every demand (read lazily when set).
    # Each join costs PostgreSQL's planner more than the row costs to read: with these three joined the
    # query took 3.8 ms to plan, without them 2.6 ms, on every view of the demand page (at 2M demands).
    appeal = appeal_visible(actor=actor).select_related(*ROW_RELATED, "leader", "resident").filter(
        pk=appeal_id).first()
    if appeal is None:
        raise NotFound()
    return appeal


def appeal_get_by_token(*, receipt_code: str, token: str) -> Appeal:
    """The public tracking page: the receipt code and the secret token from the link."""
    appeal = Appeal.objects.select_related("category", "handler_unit", "merged_into").filter(
        receipt_code=(receipt_code or "").upper()).first()
    if appeal is None or not token_matches(appeal, token):
        raise NotFound()
    return appeal


def appeal_get_by_phone(*, receipt_code: str, phone: str) -> Appeal:
    """The public lookup without the link: the receipt code and the phone number left at intake."""
    appeal = Appeal.objects.filter(receipt_code=(receipt_code or "").strip().upper()).first()
    if appeal is None or not phone or appeal.phone_hash != lookup_hash(phone.strip().replace(" ", "")):
        raise NotFound()
    return appeal


def appeal_rating_rounds(*, appeal: Appeal) -> list[dict]:
    """Every rating of the demand, one per round of reply and follow-up, oldest first: [{round, label, at}].
    The demand keeps only the latest rating; the earlier ones are read from its audit rows."""
    from minqing.core.models import AuditEntry

    from .models import Satisfaction

    rows = (AuditEntry.objects.for_object(appeal).filter(action="appeal.follow_up")
            .order_by("created_at", "id").values_list("changes", "created_at"))
    rounds = []
    for changes, at in rows:
        value = (changes or {}).get("satisfaction")
        value = value[-1] if isinstance(value, list) else value
        if value in Satisfaction.values:
            rounds.append({"round": len(rounds) + 1, "label": Satisfaction(value).label, "value": value, "at": at})
    return rounds


def appeal_events(*, appeal: Appeal, public_only: bool = False) -> QuerySet[AppealEvent]:
    events = AppealEvent.objects.filter(appeal=appeal)
    return events.filter(is_public=True) if public_only else events.select_related("actor")


def _todo_querysets(actor, now: datetime.datetime) -> dict[str, QuerySet[Appeal]]:
    units = partner_unit_ids(actor)
    mine = Q(handler_user=actor) | Q(handler_unit_id__in=units) if units else Q(handler_user=actor)
    visible = appeal_visible(actor=actor)
    soon = datetime.timedelta(hours=due_soon_hours())
    return {
        "new": _within(actor, visible, "appeal.accept").filter(status=Status.SUBMITTED).order_by("submitted_at")
        if has_perm_anywhere(actor, "appeal.accept") else visible.none(),
        "to_dispatch": _within(actor, visible, "appeal.dispatch").filter(
            status__in=[Status.ACCEPTED, Status.REOPENED]).order_by("submitted_at")
        if has_perm_anywhere(actor, "appeal.dispatch") else visible.none(),
        "returned": visible.filter(status=Status.RETURNED, dispatched_by=actor).order_by("-updated_at"),
        "overdue": visible.filter(mine).overdue(now).order_by("handle_deadline"),
        "due_soon": visible.filter(mine).due_within(now, due_soon_hours()).order_by("handle_deadline"),
        "mine": visible.filter(mine, status__in=[Status.DISPATCHED, Status.IN_PROGRESS],
                               handle_deadline__gte=now + soon).order_by("handle_deadline"),
        "follow_up": _within(actor, visible, "appeal.follow_up").filter(
            status__in=[Status.REPLIED, Status.FOLLOWED_UP]).order_by("replied_at")
        if has_perm_anywhere(actor, "appeal.follow_up") else visible.none(),
    }


def _within(actor, visible: QuerySet[Appeal], perm: str) -> QuerySet[Appeal]:
    """`visible` narrowed to where the actor holds `perm`. When that is where they see (most roles), the
    condition is not repeated: each `place_code LIKE` costs PostgreSQL's planner a pass over the column's
    1,000-bucket histogram, ~0.4 ms a count on the home page's seven to-do counts."""
    scope = appeal_scope_q(actor, perm)
    return visible if scope == appeal_scope_q(actor) else visible.filter(scope)


def appeal_todo_sections(*, actor, limit: int, now: datetime.datetime | None = None) -> dict[str, tuple[list[Appeal], int]]:
    """The to-do page: each section's `limit` most urgent rows and its true size, from one set of querysets
    (one `now`, so a row and the count it belongs to agree); the sizes in one query together."""
    from minqing.core.counts import count_all

    from .rows import attach_names

    querysets = _todo_querysets(actor, now or timezone.now())
    sizes = count_all(querysets)
    rows = {name: list(qs.as_rows(names=False)[:limit]) for name, qs in querysets.items()}
    attach_names([appeal for section in rows.values() for appeal in section], using=querysets["new"].db)
    return {name: (rows[name], sizes[name]) for name in querysets}


def appeal_todo_counts(*, actor, now: datetime.datetime | None = None, counter=None) -> dict[str, int]:
    """The size of every to-do section, in one query (`counter`: count_all, or a request's batch's
    count_later to count them together with the other home panels).

    Without `now` (the home page), the statements are kept for a minute per user, the `now` in them
    included: a deadline passed within that minute counts as overdue up to a minute late. The to-do page
    itself counts with its rows' own `now` (appeal_todo_sections)."""
    from minqing.core.counts import count_all, kept_count_sql

    if now is None:
        querysets = kept_count_sql("appeals-todo", actor, lambda: _todo_querysets(actor, timezone.now()))
    else:
        querysets = _todo_querysets(actor, now)
    return (counter or count_all)(querysets)


def appeal_supervision_list(*, actor, answered: bool | None = None) -> QuerySet[Supervision]:
    """Supervision records within the actor's scope (newest first), for the leader's list."""
    visible_ids = appeal_visible(actor=actor).values("pk")
    records = Supervision.objects.filter(appeal_id__in=visible_ids)
    if answered is not None:
        records = records.filter(answered_at__isnull=not answered)
    return records.select_related("appeal", "supervisor", "pressed_user", "pressed_unit", "answered_by")


def appeal_led_open_list(*, actor) -> QuerySet[Appeal]:
    """Open demands the actor is the responsible leader of, most urgent deadline first."""
    return appeal_visible(actor=actor).open().filter(leader=actor).as_rows().order_by("handle_deadline")


def appeal_overdue_list(*, actor, now: datetime.datetime | None = None) -> QuerySet[Appeal]:
    """Open demands past their handling deadline across the actor's scope (the street's list)."""
    now = now or timezone.now()
    return (appeal_visible(actor=actor).open()
            .filter(Q(is_overdue=True) | Q(status__in=[Status.DISPATCHED, Status.IN_PROGRESS], handle_deadline__lt=now))
            .as_rows().order_by("place_code", "handle_deadline"))


def _same_matter_q(appeal: Appeal) -> Q:
    """The same kind of problem: the same subcategory (物业收费 is not 停车 though both are 物业); a demand
    filed under a top category matches that category and its children."""
    if appeal.category.parent_id is None:
        return Q(category_id=appeal.category_id) | Q(category__parent_id=appeal.category_id)
    return Q(category_id=appeal.category_id)


def appeal_recurrence_candidates(*, actor, appeal: Appeal, limit: int = 5) -> list[Appeal]:
    """Closed demands that closed within the recurrence window before this one was submitted and are the
    same matter: the same resident or phone with the same subcategory — or, before the demand is
    categorised (the public page), any matter of theirs — or the same building with the same
    subcategory. Proposed as 复发; a worker confirms with the link form."""
    if appeal.recurrence_of_id:
        return []
    same_person = Q(pk__in=[])
    if appeal.resident_id:
        same_person |= Q(resident_id=appeal.resident_id)
    if appeal.phone_hash:
        same_person |= Q(phone_hash=appeal.phone_hash)
    if appeal.category_id is None:
        condition = same_person
    else:
        condition = (same_person | Q(place_code=appeal.place_code)) & _same_matter_q(appeal)
    window = datetime.timedelta(days=recurrence_window_days())
    return list(appeal_visible(actor=actor).filter(
        condition, status=Status.CLOSED,
        closed_at__gte=appeal.submitted_at - window, closed_at__lte=appeal.submitted_at,
    ).exclude(pk=appeal.pk).order_by("-closed_at")[:limit])


class Linked(NamedTuple):
    merged: list[Appeal]  # the duplicates merged into the demand
    matter: list[Appeal]  # the other demands of its matter (同一事项)
    recurrences: list[Appeal]  # later demands linked as its recurrences, oldest first (merged ones left out)


def appeal_linked(*, actor, appeal: Appeal) -> Linked:
    """The demands linked to this one that the actor may see, read in one query (issue 19: the demand page
    made one for each relation, on every view, though most demands have none). A merged duplicate belongs
    to both the merged and the matter lists, as it belongs to both relations. A street links demands of
    two communities as one matter: each community's staff see only their own."""
    rows = list(appeal_visible(actor=actor).filter(
        Q(merged_into=appeal) | Q(matter=appeal) | Q(recurrence_of=appeal)).exclude(pk=appeal.pk))
    return Linked(merged=[a for a in rows if a.merged_into_id == appeal.pk],
                  matter=[a for a in rows if a.matter_id == appeal.pk],
                  recurrences=[a for a in reversed(rows) if a.recurrence_of_id == appeal.pk and a.status != Status.MERGED])


def appeal_may_recur_from(appeal: Appeal, earlier: Appeal) -> bool:
    """Whether `earlier` may be linked as what `appeal` is a recurrence of (the rule appeal_link checks)."""
    window = datetime.timedelta(days=recurrence_window_days())
    return (not appeal.recurrence_of_id and earlier.pk != appeal.pk and earlier.status == Status.CLOSED
            and earlier.closed_at is not None
            and appeal.submitted_at - window <= earlier.closed_at <= appeal.submitted_at)


def appeal_home_panel(request) -> dict:
    from minqing.core.counts import request_counts

    return {"counts": appeal_todo_counts(actor=request.user, counter=request_counts(request).count_later)}


def appeal_allowed_verbs(*, actor, appeal: Appeal) -> list[str]:
    """The verbs this actor may use on this demand now: the page shows one form for each."""
    allowed = []
    for verb, perm in VERB_PERMS.items():
        if not appeal.can(verb):
            continue
        try:
            appeal_ensure(actor, perm, appeal)
        except ApplicationError:
            continue
        allowed.append(verb)
    return allowed


def appeal_dispatch_choices(*, appeal: Appeal) -> dict:
    """The people the dispatch form offers: exactly those appeal_dispatch accepts as leader and handler
    (holders of the permission at the demand's place or above it)."""
    return {"leaders": holders(LEADER_PERM, appeal.place_code), "handlers": holders(HANDLER_PERM, appeal.place_code)}
