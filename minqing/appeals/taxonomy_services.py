"""Writes to the category tree and the service-level table (permission "taxonomy.manage"), the
service-level lookup, and the optional import of a category CSV (e.g. the government message-board
tree in ../shared/data/tipdm2020/taxonomy.csv, read at run time from the path given)."""
from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from minqing.accounts.policy import ensure_can
from minqing.core.audit import audit_record
from minqing.core.concurrency import lock_for_change, save_changed
from minqing.core.errors import ValidationError
from minqing.core.ttlcache import TtlCache, detached, watch

from .default_taxonomy import DEFAULT_LEVELS
from .taxonomy import Category, ServiceLevel, Urgency


# Every submission reads its category and service level; both change only through this module's
# services (or the admin), so each process keeps them for a minute and forgets them on any save.
_CATEGORIES = TtlCache("active categories", ttl=60)
_SERVICE_LEVELS = TtlCache("service levels", ttl=60)
# id → (name, parent id) of every category, inactive ones too (an old demand keeps its category): a demand
# list's rows show the names (appeals.rows) and its category filter takes a category with its children.
_CATEGORY_NAMES = TtlCache("category names", ttl=60)
watch(Category, ServiceLevel)


def category_names(*, including: set[int] = frozenset()) -> dict[int, tuple[str, int | None]]:
    """Every category's (name, parent id), kept; read afresh when one of `including` is missing (a category
    created a moment ago in another process, or without a save signal)."""
    def load():
        return {pk: (name, parent_id) for pk, name, parent_id in
                Category.objects.values_list("pk", "name", "parent_id")}

    names = _CATEGORY_NAMES.get("all", load)
    if not including <= names.keys():
        _CATEGORY_NAMES.clear()
        names = _CATEGORY_NAMES.get("all", load)
    return names


def category_with_children(category_id: int) -> list[int]:
    """The category's id and its children's, as a filter's id list."""
    names = category_names(including={category_id})
    return [category_id] + [pk for pk, (_name, parent_id) in names.items() if parent_id == category_id]


def category_active_get(category_id) -> Category | None:
    """The active category with this id (its parent loaded), or None."""
    if category_id is None:
        return None
    return detached(_CATEGORIES.get(category_id, lambda: Category.objects.filter(
        pk=category_id, is_active=True).select_related("parent").first()))


def service_level_for(category: Category | None, urgency: str) -> ServiceLevel:
    """The row for the category, else its parent's, else the default; a built-in default if none."""
    key = (category.pk if category else None, category.parent_id if category else None, urgency)
    return detached(_SERVICE_LEVELS.get(key, lambda: _service_level_load(category, urgency)))


def _service_level_load(category: Category | None, urgency: str) -> ServiceLevel:
    candidates = []
    if category is not None:
        candidates = [category.pk] + ([category.parent_id] if category.parent_id else [])
    rows = {row.category_id: row for row in ServiceLevel.objects.filter(
        Q(category_id__in=candidates) | Q(category__isnull=True), urgency=urgency)}
    for key in [*candidates, None]:
        if key in rows:
            return rows[key]
    response, handle = DEFAULT_LEVELS.get(urgency, DEFAULT_LEVELS[Urgency.NORMAL])
    return ServiceLevel(category=None, urgency=urgency, response_days=response, handle_days=handle)


@transaction.atomic
def category_create(*, actor, name: str, parent: Category | None = None, sort: int = 0) -> Category:
    ensure_can(actor, "taxonomy.manage", None)
    name = (name or "").strip()
    if not name:
        raise ValidationError(fields={"name": [_("请填写分类名称。")]})
    if parent is not None and parent.parent_id is not None:
        raise ValidationError(fields={"parent": [_("分类只有两级：上级必须是一级分类。")]})
    if Category.objects.filter(parent=parent, name=name).exists():
        raise ValidationError(fields={"name": [_("同级已有同名分类。")]})
    category = Category.objects.create(parent=parent, name=name, sort=sort)
    audit_record(actor=actor, action="appeal.category_create", obj=category, changes={"name": name})
    return category


@transaction.atomic
def category_update(*, actor, category_id: int, name: str, is_active: bool, sort: int,
                    expected_version: int | None = None) -> Category:
    ensure_can(actor, "taxonomy.manage", None)
    category = lock_for_change(Category.objects.all(), pk=category_id, expected_version=expected_version)
    changes = {k: [getattr(category, k), v] for k, v in (("name", name.strip()), ("is_active", is_active),
                                                         ("sort", sort)) if getattr(category, k) != v}
    if not changes:
        return category
    for key, (_old, new) in changes.items():
        setattr(category, key, new)
    save_changed(category, list(changes))
    audit_record(actor=actor, action="appeal.category_update", obj=category, changes=changes)
    return category


@transaction.atomic
def service_level_set(*, actor, category: Category | None, urgency: str, response_days: int,
                      handle_days: int) -> ServiceLevel:
    ensure_can(actor, "taxonomy.manage", None)
    errors = {}
    if urgency not in Urgency.values:
        errors["urgency"] = [_("请选择紧急程度。")]
    if not 0 <= response_days <= 60:
        errors["response_days"] = [_("响应时限应在 0–60 个工作日之间。")]
    if not 0 <= handle_days <= 120 or handle_days < response_days:
        errors["handle_days"] = [_("办理时限应在 0–120 个工作日之间，且不短于响应时限。")]
    if errors:
        raise ValidationError(fields=errors)
    level, created = ServiceLevel.objects.select_for_update().get_or_create(
        category=category, urgency=urgency, defaults={"response_days": response_days, "handle_days": handle_days})
    before = {"response_days": level.response_days, "handle_days": level.handle_days}
    level.response_days, level.handle_days = response_days, handle_days
    save_changed(level, ["response_days", "handle_days"])
    audit_record(actor=actor, action="appeal.service_level_set", obj=level,
                 changes={"before": {} if created else before,
                          "after": {"response_days": response_days, "handle_days": handle_days}})
    return level


@transaction.atomic
def category_import_csv(*, actor, path: str | Path) -> tuple[int, int]:
    """Import a three-column tree (一级, 二级, 三级) as two levels: 一级 → top, "二级·三级" → child.

    Existing categories are kept; returns (top-level added, children added). Whole file or nothing.
    """
    ensure_can(actor, "taxonomy.manage", None)
    source = Path(path).name[:20]
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    if not rows or len(rows[0]) < 2:
        raise ValidationError(fields={"path": [_("文件应有“一级分类,二级分类[,三级分类]”列。")]})
    tops = {c.name: c for c in Category.objects.filter(parent__isnull=True)}
    added_tops = added_children = 0
    for number, row in enumerate(rows[1:], start=2):
        cells = [c.strip() for c in row]
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise ValidationError(fields={"path": [_("第 %(n)d 行缺少分类名称。") % {"n": number}]})
        top = tops.get(cells[0])
        if top is None:
            top = tops[cells[0]] = Category.objects.create(name=cells[0][:60], source=source, sort=900)
            added_tops += 1
        child = "·".join(c for c in cells[1:3] if c)[:60]
        _child, created = Category.objects.get_or_create(parent=top, name=child, defaults={"source": source})
        added_children += created
    audit_record(actor=actor, action="appeal.category_import", obj=top,
                 changes={"file": source, "top_added": added_tops, "children_added": added_children})
    return added_tops, added_children
