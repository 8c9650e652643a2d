"""Figures per branch, rolled up per community and street, and their Excel export (masked like the ledger).

Definitions (documented here, next to the code):
- members: on the roster with the relation here or registered as floating (转出 excluded);
- floating: registered here with the relation elsewhere (流动党员);
- attendance rate: present ÷ attendance lines at sessions held in the year (leave counts as not present);
- appraisal: ratings given in the year's 民主评议, and members rated 不合格 by more than a third.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from minqing.accounts.policy import has_perm_anywhere
from minqing.core.audit import audit_record
from minqing.core.errors import NotFound
from minqing.places.codes import community_code, street_code
from minqing.places.models import Place

from .models import Attendance, AppraisalVote, Category, Presence, Rating, Relation, SessionStatus, WorkStatus
from .selectors import VIEW, branches, member_list


@dataclass
class Figures:
    label: str
    code: str
    members: int = 0
    by_category: dict = field(default_factory=dict)
    by_status: dict = field(default_factory=dict)
    floating: int = 0
    present: int = 0
    lines: int = 0
    ratings: dict = field(default_factory=dict)

    @property
    def attendance_rate(self) -> float | None:
        return round(100 * self.present / self.lines, 1) if self.lines else None

    def add(self, other: "Figures") -> None:
        self.members += other.members
        self.floating += other.floating
        self.present += other.present
        self.lines += other.lines
        for mine, theirs in ((self.by_category, other.by_category), (self.by_status, other.by_status),
                             (self.ratings, other.ratings)):
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value


def _grouped(queryset, key: str, value: str) -> dict:
    out: dict = {}
    for org_id, name, n in queryset.values_list(key, value).annotate(n=Count("id")).order_by():
        out.setdefault(org_id, {})[name] = n
    return out


def branch_figures(*, actor, year: int) -> list[Figures]:
    """One row per branch in scope (a fixed number of queries, whatever the size)."""
    orgs = list(branches(actor=actor))
    ids = [o.pk for o in orgs]
    members = member_list(actor=actor).filter(org_id__in=ids)
    category, status = _grouped(members, "org_id", "category"), _grouped(members, "org_id", "work_status")
    relation = _grouped(members, "org_id", "relation")
    attendance = dict(((org, presence), n) for org, presence, n in Attendance.objects.filter(
        session__org__in=ids, session__status__in=[SessionStatus.HELD, SessionStatus.CLOSED],
        session__held_on__year=year).values_list("session__org_id", "presence").annotate(n=Count("id")).order_by())
    ratings = _grouped(AppraisalVote.objects.filter(round__org__in=ids, round__year=year), "round__org_id", "rating")
    rows = []
    for org in orgs:
        cats = category.get(org.pk, {})
        lines = sum(n for (o, _p), n in attendance.items() if o == org.pk)
        rows.append(Figures(label=org.name, code=org.place_code, members=sum(cats.values()), by_category=cats,
                            by_status=status.get(org.pk, {}), floating=relation.get(org.pk, {}).get(Relation.ELSEWHERE, 0),
                            present=attendance.get((org.pk, Presence.PRESENT), 0), lines=lines,
                            ratings=ratings.get(org.pk, {})))
    return rows


def rollup(rows: list[Figures]) -> list[Figures]:
    """Totals per community and per street of the branch rows."""
    codes = sorted({c for r in rows for c in (community_code(r.code), street_code(r.code)) if c})
    names = dict(Place.objects.filter(code__in=codes).values_list("code", "name"))
    totals = {code: Figures(label=names.get(code, code), code=code) for code in codes}
    for row in rows:
        for code in {community_code(row.code), street_code(row.code)} - {""}:
            totals[code].add(row)
    return [totals[c] for c in sorted(codes, key=lambda c: (-len(c), c))]  # communities, then streets


CATEGORY_COLUMNS = [(Category.FULL, Category.FULL.label), (Category.PROBATIONARY, Category.PROBATIONARY.label)]
STATUS_COLUMNS = list(WorkStatus.choices)
RATING_COLUMNS = list(Rating.choices)


def export_workbook(*, actor, year: int) -> bytes:
    """Figures and the roster, masked as on screen (ID numbers and phones as the ledger masks them); one audit row."""
    if not has_perm_anywhere(actor, VIEW):
        raise NotFound()
    rows = branch_figures(actor=actor, year=year)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("统计")
    sheet.append([_("党组织"), _("地点编码"), _("党员"), *[str(l) for _v, l in CATEGORY_COLUMNS],
                  *[str(l) for _v, l in STATUS_COLUMNS], _("流动党员"), _("出席率%"), *[str(l) for _v, l in RATING_COLUMNS]])
    for figure in [*rows, *rollup(rows)]:
        sheet.append([figure.label, figure.code, figure.members, *[figure.by_category.get(v, 0) for v, _l in CATEGORY_COLUMNS],
                      *[figure.by_status.get(v, 0) for v, _l in STATUS_COLUMNS], figure.floating,
                      figure.attendance_rate, *[figure.ratings.get(v, 0) for v, _l in RATING_COLUMNS]])
    roster = workbook.create_sheet(_("党员名册"))
    roster.append([_("姓名"), _("性别"), _("身份证号"), _("联系电话"), _("所在支部"), _("党小组"), _("党员类别"),
                   _("在职情况"), _("组织关系"), _("入党日期"), _("住址")])
    members = list(member_list(actor=actor))
    for m in members:
        r = m.resident
        address = f"{r.household.building.name}{r.household.room}" if r.household_id else ""
        roster.append([r.name, r.get_sex_display(), r.id_number_masked, r.phone_masked, m.org.name,
                       m.group.name if m.group_id else "", m.get_category_display(), m.get_work_status_display(),
                       m.get_relation_display(), m.joined_on.isoformat(), address])
    for ws in (sheet, roster):
        for cell in ws[1]:
            cell.font = Font(bold=True)
    first = rows[0] if rows else None
    audit_record(actor=actor, action="party.export", obj=first_org_or_place(actor, first),
                 payload={"year": year, "members": len(members), "branches": len(rows)})
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def first_org_or_place(actor, first):
    """The audit row needs an object: the first branch exported, else the actor's user row."""
    from .models import PartyOrg

    if first is not None:
        org = PartyOrg.objects.filter(place_code=first.code, name=first.label).first()
        if org:
            return org
    return actor


def member_counts(*, actor) -> dict:
    members = member_list(actor=actor)
    return members.aggregate(total=Count("id"), floating=Count("id", filter=Q(relation=Relation.ELSEWHERE)),
                             probationary=Count("id", filter=Q(category=Category.PROBATIONARY)))
