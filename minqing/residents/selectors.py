"""Every read of the ledger, given the actor and filtered by their scope (`ledger.view`).

Stable names other modules call: `resident_list`, `resident_get`, `household_get`,
`resident_find_by_id_number`, `resident_find_by_phone`. Anything outside the actor's scope is
"not found", exactly like something that does not exist.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Substr

from minqing.accounts.policy import scope_q
from minqing.core.errors import NotFound
from minqing.places.codes import code_length
from minqing.places.models import Place, PlaceKind

from .identity import id_number_lookup_hash, phone_lookup_hash
from .initials import looks_like_initials
from .models import CareTag, Household, LedgerChange, LedgerTally, Resident, ResidentStatus, ResidentTag

_ID_LIKE = re.compile(r"^(\d{17}[\dXx]|\d{15})$")
_PHONE_LIKE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
_ADDRESS_LIKE = re.compile(r"^(.{0,20}?\d+(?:栋|号楼|幢|号))(.*)$")  # "3栋201", "1号楼2单元"
GRID_CODE_LENGTH = code_length(PlaceKind.GRID)


def is_full_pii(q: str) -> bool:
    """A complete ID number or phone (not a name, a masked value or an address)."""
    q = (q or "").strip()
    return bool(_ID_LIKE.match(q) or _PHONE_LIKE.match(q))


def pii_kind(q: str) -> str:
    q = (q or "").strip()
    return "id_number" if _ID_LIKE.match(q) else "phone" if _PHONE_LIKE.match(q) else ""


def _residents(actor) -> QuerySet[Resident]:
    return Resident.objects.filter(scope_q(actor, "ledger.view", field="place_code"))


def _households(actor) -> QuerySet[Household]:
    return Household.objects.filter(scope_q(actor, "ledger.view", field="place_code"))


@dataclass(frozen=True)
class ResidentFilter:
    """What a resident list is filtered by; also written into exports so a file says what it holds."""

    q: str = ""
    place_code: str = ""
    tag: str = ""  # CareTag.code
    status: str = ResidentStatus.LIVING  # "" for every status
    floating: bool | None = None

    def describe(self) -> dict:
        return {k: str(v) if isinstance(v, str) else v for k, v in self.__dict__.items() if v not in ("", None)}

    def text(self) -> str:
        """The filter as a person reads it ("状态：在住；地点：渝阳社区"), in the current language."""
        from django.utils.translation import gettext as _
        parts = [_("状态：%(s)s") % {"s": ResidentStatus(self.status).label if self.status else _("全部")}]
        if self.place_code:
            place = Place.objects.filter(code=self.place_code).first()
            parts.append(_("地点：%(p)s") % {"p": place.name if place else self.place_code})
        if self.tag:
            tag = CareTag.objects.filter(code=self.tag).first()
            parts.append(_("关爱标记：%(t)s") % {"t": tag.name if tag else self.tag})
        if self.floating is not None:
            parts.append(_("流动人口：%(f)s") % {"f": _("是") if self.floating else _("否")})
        if self.q:
            parts.append(_("搜索：%(q)s") % {"q": self.q})
        return "；".join(parts)


def _search(residents: QuerySet[Resident], q: str, households: QuerySet[Household] | None = None,
            ) -> QuerySet[Resident]:
    """Name, pinyin initials, full or masked ID number/phone, or address ('3栋201').

    `households`: the actor's households, for the room match (see the last line)."""
    q = q.strip()
    if not q:
        return residents
    if is_full_pii(q):
        # A full ID number or phone confirms a guess: that search is `privacy.resident_search_pii`
        # (its own permission, audited, rate-limited, sent by POST), never a list filter.
        return residents.none()
    if "*" in q:
        head, tail = q.split("*", 1)[0], q.rsplit("*", 1)[-1]
        masked = Q()
        for field in ("id_number_masked", "phone_masked"):
            masked |= Q(**{f"{field}__startswith": head, f"{field}__endswith": tail})
        return residents.filter(masked)
    if looks_like_initials(q):
        return residents.filter(name_initials__startswith=q.lower())
    address = _ADDRESS_LIKE.match(q)
    if address and Place.objects.filter(kind=PlaceKind.BUILDING, name=address.group(1)).exists():
        return residents.filter(household__building__name=address.group(1),
                                household__room__contains=address.group(2).strip())
    # The room match is a subquery over the actor's households (hashed once), not a join probed per
    # resident: with a million residents the join read ~70,000 buffers per search (bench/, issue 9).
    rooms = (Household.objects.all() if households is None else households).filter(room__contains=q)
    return residents.filter(Q(name__contains=q) | Q(household_id__in=rooms.values("pk"))
                            | Q(registered_place__contains=q))


def resident_list(*, actor, filters: ResidentFilter | None = None, q: str = "", place_code: str = "",
                  tag: str = "", status: str | None = ResidentStatus.LIVING, floating: bool | None = None,
                  ) -> QuerySet[Resident]:
    """Residents in the actor's scope, filtered; by default only those living here."""
    f = filters or ResidentFilter(q=q, place_code=place_code, tag=tag, status=status or "", floating=floating)
    residents = _search(_residents(actor), f.q, _households(actor))
    if f.place_code:
        residents = residents.filter(place_code__startswith=f.place_code)
    if f.status:
        residents = residents.filter(status=f.status)
    if f.floating is not None:
        residents = residents.filter(is_floating=f.floating)
    if f.tag:
        current = ResidentTag.objects.current().filter(tag__code=f.tag)
        residents = residents.filter(pk__in=current.values("resident_id"))
    return residents.select_related("household__building")


def resident_get(*, actor, resident_id: int) -> Resident:
    resident = _residents(actor).select_related("household__building", "household__liaison").filter(
        pk=resident_id).first()
    if resident is None:
        raise NotFound()
    return resident


def household_get(*, actor, household_id: int) -> Household:
    household = _households(actor).select_related("building", "head", "liaison").filter(pk=household_id).first()
    if household is None:
        raise NotFound()
    return household


def resident_find_by_id_number(*, actor, id_number: str) -> Resident | None:
    """The one resident with this full ID number (15 or 18 digits), if they are in the actor's scope.
    For code (imports, services); a person searches through `privacy.resident_search_pii`."""
    if not (id_number or "").strip():
        return None
    return _residents(actor).select_related("household__building").filter(
        id_number_hash=id_number_lookup_hash(id_number)).first()


def resident_find_by_phone(*, actor, phone: str) -> QuerySet[Resident]:
    """Residents with this phone in scope (a family may share one), living ones first."""
    if not (phone or "").strip():
        return Resident.objects.none()
    return _residents(actor).select_related("household__building").filter(
        phone_hash=phone_lookup_hash(phone)).order_by(
        Case(When(status=ResidentStatus.LIVING, then=Value(0)), default=Value(1)), "id")


def household_members(*, actor, household: Household) -> QuerySet[Resident]:
    """Living members, the head first. The household itself was read through household_get."""
    head_first = Case(When(pk=household.head_id or 0, then=Value(0)), default=Value(1))
    return household.members.filter(status=ResidentStatus.LIVING).select_related("household__building").order_by(
        head_first, "birth_date", "id")


def household_former_members(*, household: Household) -> QuerySet[Resident]:
    """Residents who lived here and left (their moves point at this household)."""
    return (Resident.objects.filter(moves__from_household=household).exclude(household=household)
            .select_related("household__building").distinct())


def household_rows(*, actor, place_code: str = "", without_liaison: bool = False, liaison_id: int | None = None,
                   active: bool = True) -> QuerySet[Household]:
    """The households that match, in the actor's scope, with nothing joined: what a count needs (the home panel's
    "我联系的 N 户"; household_list's member count joins and groups every household's residents — 5.3 ms of a grid
    worker's home page for 1,200 households at city scale, for a number the count does not need)."""
    households = _households(actor)
    if place_code:
        households = households.filter(place_code__startswith=place_code)
    if active:
        households = households.filter(is_active=True)
    if without_liaison:
        households = households.filter(liaison__isnull=True)
    if liaison_id is not None:
        households = households.filter(liaison_id=liaison_id)
    return households


def household_list(*, actor, place_code: str = "", without_liaison: bool = False, liaison_id: int | None = None,
                   active: bool = True) -> QuerySet[Household]:
    """household_rows with their building, head and liaison, and each one's living members counted, for lists."""
    households = household_rows(actor=actor, place_code=place_code, without_liaison=without_liaison,
                                liaison_id=liaison_id, active=active)
    return households.select_related("building", "head", "liaison").annotate(
        member_count=Count("members", filter=Q(members__status=ResidentStatus.LIVING))).order_by("place_code", "room", "id")


def liaison_summary(*, actor, place_code: str = "") -> list[dict]:
    """Each cadre with the number of households they look after (in the actor's scope)."""
    households = _households(actor).filter(is_active=True, liaison__isnull=False)
    if place_code:
        households = households.filter(place_code__startswith=place_code)
    return list(households.values("liaison_id", "liaison__display_name", "liaison__username")
                .annotate(households=Count("id")).order_by("-households", "liaison__username"))


def place_choices(*, actor) -> list[tuple[str, str]]:
    """Communities and grids in the actor's scope, for the place filter: (code, indented name)."""
    places = Place.objects.filter(scope_q(actor, "ledger.view", field="code"),
                                  kind__in=[PlaceKind.COMMUNITY, PlaceKind.GRID]).order_by("code")
    return [(p.code, ("　" if p.kind == PlaceKind.GRID else "") + p.name) for p in places[:500]]


def care_tag_list() -> QuerySet[CareTag]:
    return CareTag.objects.filter(is_active=True)


def care_tag_counts_by_grid(*, actor, place_code: str = "") -> dict:
    """{"grids": [Place], "tags": [CareTag], "counts": {(grid_code, tag_id): n}, "totals": {tag_id: n}}:
    residents living here who carry each current tag, counted per grid — one grouped query."""
    current_tags = ResidentTag.objects.current().filter(
        scope_q(actor, "ledger.view", field="place_code"), resident__status=ResidentStatus.LIVING)
    if place_code:
        current_tags = current_tags.filter(place_code__startswith=place_code)
    rows = (current_tags.annotate(grid_code=Substr("place_code", 1, GRID_CODE_LENGTH))
            .values("grid_code", "tag_id").annotate(n=Count("resident_id", distinct=True)))
    counts, totals = {}, {}
    for row in rows:
        counts[(row["grid_code"], row["tag_id"])] = row["n"]
        totals[row["tag_id"]] = totals.get(row["tag_id"], 0) + row["n"]
    grids = Place.objects.filter(kind=PlaceKind.GRID, code__in={code for code, _tag in counts})
    return {"grids": list(grids), "tags": list(care_tag_list()), "counts": counts, "totals": totals}


def ledger_counts(*, actor, also: dict | None = None, counter=None) -> dict:
    """The figures on the home panel, in one query (`also`: more name → queryset counts to fold in;
    `counter`: count_all, or a request's batch's count_later)."""
    from minqing.core.counts import count_all

    return (counter or count_all)({**ledger_count_querysets(actor=actor), **(also or {})})


def ledger_count_querysets(*, actor) -> dict[str, QuerySet]:
    """What the ledger's figures count: living residents, the floating among them, active households and
    those without a liaison, within the actor's scope."""
    return ledger_figure_querysets(_residents(actor), _households(actor))


def ledger_figure_querysets(residents: QuerySet[Resident], households: QuerySet[Household]) -> dict[str, QuerySet]:
    """The four figures' conditions over any set of residents and households: an actor's scope (the panel) or
    the whole city grouped by community (residents.tally), so the two cannot count differently."""
    residents = residents.filter(status=ResidentStatus.LIVING)
    households = households.filter(is_active=True)
    return {
        "residents": residents,
        "floating": residents.filter(is_floating=True),
        "households": households,
        "without_liaison": households.filter(liaison__isnull=True),
    }


def ledger_tally_figures(*, actor, now) -> dict | None:
    """The scope's ledger figures summed from the scheduler's tally (residents.tally) with the time of its
    oldest count, in one query; None when nothing in the scope was counted within TALLY_TRUSTED_FOR."""
    from .tally import FIGURES, TALLY_TRUSTED_FOR

    summed = LedgerTally.objects.filter(scope_q(actor, "ledger.view", field="place_code")).aggregate(
        as_of=Min("counted_at"), **{name: Sum(name) for name in FIGURES})
    if summed["as_of"] is None or now - summed["as_of"] > TALLY_TRUSTED_FOR:
        return None
    return {"counts": {name: summed[name] for name in FIGURES}, "as_of": summed["as_of"]}


def ledger_tally_values(*, actor, now) -> dict[str, QuerySet]:
    """For each figure, a select of the scope's tallied sum that returns no row when the tally cannot answer
    exactly — a resident or household of the scope changed since it was counted (LedgerChange), or the count is
    older than TALLY_TRUSTED_FOR: for core.counts.FirstOf, the live count being the fallback."""
    from .tally import FIGURES, TALLY_TRUSTED_FOR

    scope = scope_q(actor, "ledger.view", field="place_code")
    rows = (LedgerTally.objects.filter(scope).filter(~Exists(LedgerChange.objects.filter(scope)))
            .values(whole=Value(1)).annotate(as_of=Min("counted_at")).filter(as_of__gte=now - TALLY_TRUSTED_FOR))
    return {name: rows.annotate(figure=Sum(name)).values("figure") for name in FIGURES}


def resident_moves(*, resident: Resident):
    return resident.moves.select_related("from_household__building", "to_household__building", "recorded_by")


def resident_tags(*, resident: Resident):
    return resident.tags.select_related("tag")
