"""Personal data on request: revealing one value, a resident's own data as a file, anonymisation.

Revealing needs `ledger.reveal_pii` at the resident's place and a reason; each reveal and each export
writes an audit row (which value, why — never the value itself). Anonymisation needs `ledger.change`
and is allowed once a resident has left (moved out or died) at least `retention_days` ago
(settings.MINQING_LEDGER_RETENTION_DAYS, default 180): names, numbers and free text are erased, the
birth year, sex, tags and moves stay for statistics.
"""
from __future__ import annotations

import datetime
import json

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.policy import can, ensure_can, has_perm_anywhere, place_codes
from minqing.core import crypto
from minqing.core.audit import audit_record
from minqing.core.concurrency import lock_for_change, save_changed
from minqing.core.errors import NotFound, PermissionDenied, RateLimited, ValidationError
from minqing.core.models import AuditEntry

from .models import Resident, ResidentStatus
from .selectors import pii_kind, resident_find_by_id_number, resident_find_by_phone

REVEALABLE = {"id_number": "id_number_cipher", "phone": "phone_cipher"}


def retention_days() -> int:
    return int(getattr(settings, "MINQING_LEDGER_RETENTION_DAYS", 180))


def _resident(resident_id) -> Resident:
    resident = Resident.objects.select_related("household__building").filter(pk=resident_id).first()
    if resident is None:
        raise NotFound()
    return resident


@transaction.atomic
def resident_reveal(*, actor, resident_id: int, field: str, reason: str) -> str:
    """The plain value of one personal field, for this actor, now. Audited."""
    resident = _resident(resident_id)
    ensure_can(actor, "ledger.reveal_pii", resident.place_code)
    if field not in REVEALABLE:
        raise ValidationError(fields={"field": [_("只能查看身份证号或电话。")]})
    if not (reason or "").strip():
        raise ValidationError(fields={"reason": [_("请填写查看原因。")]})
    audit_record(actor=actor, action="resident.reveal_pii", obj=resident,
                 changes={"field": field, "reason": reason.strip()[:200]})
    return crypto.decrypt(getattr(resident, REVEALABLE[field]))


@transaction.atomic
def resident_personal_data_export(*, actor, resident_id: int, reason: str) -> tuple[str, bytes]:
    """Everything the ledger holds about one resident, as a JSON file (filename, content). Audited."""
    resident = _resident(resident_id)
    ensure_can(actor, "ledger.reveal_pii", resident.place_code)
    if not (reason or "").strip():
        raise ValidationError(fields={"reason": [_("请填写导出原因（如：本人申请）。")]})
    household = resident.household
    data = {
        "exported_at": timezone.localtime().isoformat(),
        "resident": {
            "姓名": resident.name, "性别": resident.get_sex_display(), "出生日期": _iso(resident.birth_date),
            "身份证号": crypto.decrypt(resident.id_number_cipher), "电话": crypto.decrypt(resident.phone_cipher),
            "与户主关系": resident.get_relation_display(), "状态": resident.get_status_display(),
            "流动人口": resident.is_floating, "户籍地": resident.registered_place, "工作单位/职业": resident.occupation,
            "备注": resident.notes, "住址": f"{household.building.full_name} {household.room}" if household else "",
        },
        "迁移记录": [{"日期": _iso(m.date), "类型": m.get_kind_display(), "迁出地": m.from_text, "迁入地": m.to_text,
                  "原因": m.reason} for m in resident.moves.all()],
        "关爱标签": [{"标签": t.tag.name, "开始": _iso(t.start_date), "结束": _iso(t.end_date), "说明": t.note}
                 for t in resident.tags.select_related("tag")],
    }
    audit_record(actor=actor, action="resident.export_personal_data", obj=resident,
                 changes={"reason": reason.strip()[:200]})
    return f"resident-{resident.pk}.json", json.dumps(data, ensure_ascii=False, indent=2).encode()


def pii_searches_per_hour() -> int:
    return int(getattr(settings, "MINQING_PII_SEARCHES_PER_HOUR", 30))


def actor_place_code(actor, perm: str) -> str:
    """Where an actor-wide action (a search, an export) happened, for the audit trail's scope: the
    actor's widest grant, so supervisors of that place see the row."""
    codes = place_codes(actor, perm)
    return min(codes, key=len) if codes else ""


@transaction.atomic
def resident_search_pii(*, actor, value: str) -> list[Resident]:
    """Residents in scope with this full ID number or phone. A full number confirms a guess, so this is
    its own permission (`ledger.search_pii`), one audit row per search (the kind and the number of
    hits, never the value), and at most MINQING_PII_SEARCHES_PER_HOUR searches per person per hour,
    counted from those audit rows (so every web process shares the count)."""
    kind = pii_kind(value)
    if not kind:
        raise ValidationError(fields={"q": [_("请输入完整的身份证号（15 或 18 位）或电话号码。")]})
    if not has_perm_anywhere(actor, "ledger.search_pii"):
        raise PermissionDenied(_("按完整身份证号或电话查找需要“精确查找”权限。"))
    since = timezone.now() - datetime.timedelta(hours=1)
    if AuditEntry.objects.filter(actor=actor, action="ledger.search_pii", created_at__gte=since).count() \
            >= pii_searches_per_hour():
        raise RateLimited(_("精确查找次数已达每小时上限，请稍后再试。"))
    if kind == "id_number":
        found = resident_find_by_id_number(actor=actor, id_number=value)
        residents = [found] if found else []
    else:
        residents = list(resident_find_by_phone(actor=actor, phone=value)[:20])
    residents = [r for r in residents if can(actor, "ledger.search_pii", r.place_code)]
    audit_record(actor=actor, action="ledger.search_pii", obj=actor,
                 place_code=actor_place_code(actor, "ledger.search_pii"),
                 changes={"kind": kind, "found": len(residents)})
    return residents


def _iso(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def anonymise_blocker(resident: Resident) -> str | None:
    """Why this resident may not be anonymised yet, or None."""
    if resident.anonymised_at:
        return _("该居民已匿名化。")
    if resident.status == ResidentStatus.LIVING:
        return _("在住居民不能匿名化。")
    left = resident.moves.filter(kind="out").order_by("-date").values_list("date", flat=True).first()
    left = left or timezone.localtime(resident.updated_at).date()
    if (timezone.localdate() - left).days < retention_days():
        return _("离开未满保存期限（%(n)d 天），暂不能匿名化。") % {"n": retention_days()}
    return None


@transaction.atomic
def resident_anonymise(*, actor, resident_id: int) -> Resident:
    resident = lock_for_change(Resident.objects.all(), pk=resident_id)
    ensure_can(actor, "ledger.change", resident.place_code)
    blocker = anonymise_blocker(resident)
    if blocker:
        raise ValidationError(blocker)
    resident.name, resident.name_initials = _("已匿名"), ""
    resident.id_number_cipher = resident.id_number_hash = resident.id_number_masked = ""
    resident.phone_cipher = resident.phone_hash = resident.phone_masked = ""
    if resident.birth_date:
        resident.birth_date = resident.birth_date.replace(month=1, day=1)
    resident.registered_place = resident.occupation = resident.notes = ""
    resident.anonymised_at = timezone.now()
    save_changed(resident, ["name", "name_initials", "id_number_cipher", "id_number_hash", "id_number_masked",
                            "phone_cipher", "phone_hash", "phone_masked", "birth_date", "registered_place",
                            "occupation", "notes", "anonymised_at"])
    resident.moves.update(from_text="", to_text="", reason="")
    resident.tags.update(note="")
    audit_record(actor=actor, action="resident.anonymise", obj=resident, changes={})
    return resident
