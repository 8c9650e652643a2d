"""How audit rows and timeline entries read to a person: labels for action codes, field names and values.

The audit trail stores codes (`dispute.accept`, `{"status": ["reported", "accepted"]}`); pages must show
words in the reader's language ("受理纠纷 · 状态：已登记 → 已受理"). One renderer does it for every app:

- action codes: each app registers a label per code in its `AppConfig.ready()` —

      from minqing.core.labels import register_action_labels, register_transition_labels
      register_action_labels({"party.member.create": _("登记党员"), "party.member.change": _("修改党员信息")})
      register_transition_labels(MEETING)   # "<table.name>.<verb>" → the table's verb label

  An unregistered code is humanised from its verb and the object's verbose_name ("新建 党员"), never
  shown raw.
- field names: the model's `verbose_name`; payload keys that are not fields (`reason`, `count`) through
  `register_field_labels`, else humanised.
- values: choices through their labels, booleans as 是/否, dates formatted, lists joined, nested dicts as
  "label：value"; FKs are stored as their text already (`core.audit._plain`).

Labels are lazy, so each page renders them in the language of its request.
"""
from __future__ import annotations

import datetime
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EMPTY = "—"
_ACTIONS: dict[str, str] = {}
_FIELDS: dict[str, str] = {
    "reason": gettext_lazy("理由"), "note": gettext_lazy("备注"), "count": gettext_lazy("数量"),
    "comment": gettext_lazy("意见"), "kind": gettext_lazy("类型"), "fields": gettext_lazy("字段"),
    "rows": gettext_lazy("行数"), "format": gettext_lazy("格式"), "filters": gettext_lazy("筛选条件"),
    "recurrence": gettext_lazy("复发自"), "matter": gettext_lazy("同一事项"), "party": gettext_lazy("当事人"),
    "role": gettext_lazy("角色"), "place": gettext_lazy("地点"), "user": gettext_lazy("用户"),
    "status": gettext_lazy("状态"), "amount": gettext_lazy("金额"), "date": gettext_lazy("日期"),
    "四包": gettext_lazy("四包"),  # a dispute's accept payload names its four duties under this key
}
# Common last words of action codes, for codes nobody registered.
_VERBS: dict[str, str] = {
    "create": gettext_lazy("新建"), "add": gettext_lazy("添加"), "update": gettext_lazy("修改"),
    "change": gettext_lazy("修改"), "delete": gettext_lazy("删除"), "remove": gettext_lazy("移除"),
    "submit": gettext_lazy("提交"), "accept": gettext_lazy("受理"), "reject": gettext_lazy("不予受理"),
    "close": gettext_lazy("办结"), "approve": gettext_lazy("批准"), "revoke": gettext_lazy("撤销"),
    "assign": gettext_lazy("分配"), "record": gettext_lazy("记录"), "import": gettext_lazy("导入"),
    "export": gettext_lazy("导出"), "publish": gettext_lazy("发布"), "withdraw": gettext_lazy("撤回"),
    "set": gettext_lazy("设置"), "cancel": gettext_lazy("取消"), "sign": gettext_lazy("签订"),
    "open": gettext_lazy("开启"), "file": gettext_lazy("登记"), "register": gettext_lazy("登记"),
    "declare": gettext_lazy("申报"), "answer": gettext_lazy("答复"), "start": gettext_lazy("开始"),
    "finish": gettext_lazy("完成"), "complete": gettext_lazy("完成"), "join": gettext_lazy("加入"),
    "leave": gettext_lazy("退出"), "score": gettext_lazy("评分"), "review": gettext_lazy("审核"),
    "call": gettext_lazy("召集"), "invite": gettext_lazy("邀请"), "notice": gettext_lazy("通知"),
    "minutes": gettext_lazy("记录纪要"), "schedule": gettext_lazy("安排"), "compute": gettext_lazy("计算"),
    "recompute": gettext_lazy("重新计算"), "enter": gettext_lazy("录入"), "to_demand": gettext_lazy("转为诉求"),
}
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def register_action_labels(labels: Mapping[str, str]) -> None:
    """code → label (lazy). Called from AppConfig.ready(); a later registration of a code wins."""
    _ACTIONS.update(labels)


def register_field_labels(labels: Mapping[str, str]) -> None:
    """Payload key → label, for audit keys that are not model fields (`reason`, `count`…)."""
    _FIELDS.update(labels)


def register_transition_labels(table, *, noun: str | None = None) -> None:
    """Every verb of a `core.transitions.TransitionTable`: "<name>.<verb>" → its verb label."""
    verbs = table.verbs
    if verbs is None:
        return
    items = verbs.items() if isinstance(verbs, Mapping) else ((v.value, v.label) for v in verbs)
    for verb, label in items:
        _ACTIONS.setdefault(f"{table.name}.{verb}", label)


def _model(object_type: str | None):
    if not object_type:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _humanise(code: str) -> str:
    return code.replace("_", " ").replace(".", " ").strip()


_tables_found = False


def _register_loaded_tables() -> None:
    """Every TransitionTable an app declared (in any loaded minqing module) labels its own verbs, so an
    app gets "<table.name>.<verb>" labels without registering them. Done once, on first use (by then
    every app's models and services are imported)."""
    global _tables_found
    if _tables_found:
        return
    _tables_found = True
    from .transitions import TransitionTable
    for name, module in list(sys.modules.items()):
        if name.startswith("minqing.") and module is not None:
            for value in list(vars(module).values()):
                if isinstance(value, TransitionTable):
                    register_transition_labels(value)


def action_label(code: str, object_type: str | None = None) -> str:
    """The registered label of an action code, else "<verb> <object>" from the code's last word and the
    object's verbose_name, else the code's words."""
    if code not in _ACTIONS:
        _register_loaded_tables()
    if code in _ACTIONS:
        return str(_ACTIONS[code])
    verb = code.rpartition(".")[2]
    model = _model(object_type)
    noun = str(model._meta.verbose_name) if model else ""
    if verb in _VERBS and noun:
        return _("%(verb)s%(noun)s") % {"verb": _VERBS[verb], "noun": noun}
    if noun:
        return f"{noun} · {_humanise(verb)}"
    return _humanise(code)


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(name: str, model=None) -> str:
    field = _field(model, name)
    if field is not None and getattr(field, "verbose_name", None):
        return str(field.verbose_name)
    if name in _FIELDS:
        return str(_FIELDS[name])
    return _humanise(name)


def _when(value: str) -> str | None:
    if _ISO_DATETIME.match(value):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "Y-m-d H:i")
    if _ISO_DATE.match(value):
        day = parse_date(value)
        if day is not None:
            return formats.date_format(day, "Y-m-d")
    return None


def value_text(value, field=None) -> str:
    """One stored value as a person reads it, in the current language."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if field is not None and getattr(field, "choices", None):
        choices = {str(k): v for k, v in field.flatchoices}
        if str(value) in choices:
            return str(choices[str(value)])
    if isinstance(value, (datetime.datetime, datetime.date)):
        value = value.isoformat()
    if isinstance(value, str):
        return _when(value) or value
    if isinstance(value, (list, tuple)):
        return "、".join(value_text(v, field) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{field_label(k)}：{value_text(v)}" for k, v in value.items())
    return str(value)


def is_data(value, field=None) -> bool:
    """True when the shown text is what someone typed (a name, a reason), not one of our labels: pages
    mark it (`data-user-content`) so a language check can tell data from interface."""
    if isinstance(value, (list, tuple)):
        return any(is_data(v, field) for v in value)
    if isinstance(value, dict):
        return any(is_data(v) for v in value.values())
    if not isinstance(value, str) or value == "":
        return False
    if field is not None and getattr(field, "choices", None) and value in {str(k) for k, _l in field.flatchoices}:
        return False
    return _when(value) is None


def action_choices() -> list[tuple[str, str]]:
    """(code, label) of every registered action, by label: the audit search's filter."""
    return sorted(((code, str(label)) for code, label in _ACTIONS.items()), key=lambda pair: pair[1])


@dataclass(frozen=True)
class ChangeLine:
    label: str
    before: str
    after: str
    is_set: bool  # nothing before: reads "label：after" rather than "— → after"
    before_is_data: bool = False
    after_is_data: bool = False


def change_lines(changes: dict, object_type: str | None = None) -> list[ChangeLine]:
    """{field: [before, after]} (or a legacy bare value) as labelled lines."""
    model = _model(object_type)
    lines = []
    for name, change in (changes or {}).items():
        field = _field(model, name)
        if isinstance(change, (list, tuple)) and len(change) == 2:
            before, after = change
        else:
            before, after = None, change
        lines.append(ChangeLine(label=field_label(name, model), before=value_text(before, field),
                                after=value_text(after, field), is_set=before in (None, ""),
                                before_is_data=is_data(before, field), after_is_data=is_data(after, field)))
    return lines


@dataclass(frozen=True)
class AuditLine:
    action: str
    changes: list[ChangeLine]


def audit_describe(entry) -> AuditLine:
    """An AuditEntry for a page: its action's label and its changes, labelled."""
    return AuditLine(action=action_label(entry.action, entry.object_type),
                     changes=change_lines(entry.changes, entry.object_type))
