"""Our demands and categories in GeoReport v2's words, and the two wire formats (XML required, JSON).

Mapping: service_code = category id, group = its first-level category; status open/closed from the
lifecycle (closed = 已办结/不予受理/已合并); expected_datetime = the handling deadline (or, before
dispatch, the response deadline); agency_responsible = the handling partner unit or worker;
address_id = our place code. Nothing personal (reporter, phone) is ever written out.
"""
from __future__ import annotations

import datetime
import json
from decimal import Decimal
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse
from django.utils import timezone

from minqing.appeals.models import FINAL_STATUSES, Kind
from minqing.appeals.taxonomy import Urgency

# A list field's child element name in XML (JSON just nests arrays).
XML_ITEMS = {"services": "service", "service_requests": "request", "attributes": "attribute",
             "values": "value", "errors": "error", "endpoints": "endpoint", "formats": "format"}


def status_of(appeal) -> str:
    return "closed" if appeal.status in FINAL_STATUSES else "open"


def _when(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def service_of(category) -> dict:
    return {
        "service_code": str(category.pk), "service_name": category.name,
        "description": str(category), "metadata": True, "type": "realtime",
        "keywords": category.name, "group": category.parent.name if category.parent_id else category.name,
    }


def _list_attribute(code: str, order: int, description: str, choices, required=False) -> dict:
    return {
        "variable": True, "code": code, "datatype": "singlevaluelist", "required": required,
        "datatype_description": "", "order": order, "description": description,
        "values": [{"key": value, "name": str(label)} for value, label in choices.choices],
    }


def definition_of(category) -> dict:
    return {"service_code": str(category.pk), "attributes": [
        _list_attribute("kind", 1, "诉求类型 (kind)", Kind),
        _list_attribute("urgency", 2, "紧急程度 (urgency)", Urgency),
    ]}


def status_notes_of(appeal) -> str:
    """The status, the outcome, and the reason given to the resident (不予受理 reason, where it was referred)."""
    notes = str(appeal.get_status_display())
    if appeal.outcome:
        notes = f"{notes}：{appeal.get_outcome_display()}"
    reasons = [r.strip() for r in (appeal.reject_reason, appeal.referral) if r and r.strip()]
    return "；".join([notes, *reasons])


def request_of(submission) -> dict:
    appeal = submission.appeal
    notes = status_notes_of(appeal)
    return {
        "service_request_id": appeal.receipt_code, "status": status_of(appeal), "status_notes": notes,
        "service_name": appeal.category.name if appeal.category_id else "",
        "service_code": str(appeal.category_id or ""), "description": appeal.text,
        "agency_responsible": appeal.handler_label or appeal.place.name,
        "service_notice": "", "requested_datetime": _when(appeal.submitted_at),
        "updated_datetime": _when(appeal.updated_at),
        "expected_datetime": _when(appeal.handle_deadline or appeal.response_deadline),
        "address": submission.address_string or appeal.location or appeal.place.name,
        "address_id": appeal.place_code, "zipcode": "",
        "lat": _number(submission.lat if submission.lat is not None else appeal.place.latitude),
        "long": _number(submission.long if submission.long is not None else appeal.place.longitude),
        "media_url": submission.media_url,
    }


def created_of(submission) -> dict:
    return {"service_request_id": submission.appeal.receipt_code, "token": submission.token,
            "service_notice": f"已收到，回执码 {submission.appeal.receipt_code}，可凭回执码和电话查询进度。",
            "account_id": submission.account_id or None}


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


# --- wire formats ---------------------------------------------------------------------------------

def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _fill(element: Element, data: dict) -> None:
    for name, value in data.items():
        child = SubElement(element, name)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    _fill(SubElement(child, XML_ITEMS[name]), item)
                else:
                    SubElement(child, XML_ITEMS[name]).text = _text(item)
        else:
            child.text = _text(value)


def to_xml(root: str, items: list[dict] | dict) -> bytes:
    """`<root><item>…</item>…</root>` for a list (root's item name from XML_ITEMS), or one object as root."""
    element = Element(root)
    if isinstance(items, dict):
        _fill(element, items)
    else:
        for item in items:
            _fill(SubElement(element, XML_ITEMS[root]), item)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(element, encoding="unicode").encode()


def render(fmt: str, root: str, data, status: int = 200) -> HttpResponse:
    if fmt == "json":
        return HttpResponse(json.dumps(data, ensure_ascii=False), status=status,
                            content_type="application/json; charset=utf-8")
    return HttpResponse(to_xml(root, data), status=status, content_type="text/xml; charset=utf-8")


def render_errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    return render(fmt, "errors", [{"code": status, "description": d} for d in descriptions], status=status)
