"""A survey's QR code (segno, offline) and its results as an Excel workbook (openpyxl)."""
from __future__ import annotations

import io

import segno
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import Answer, QuestionKind


def qr_code(url: str, *, kind: str) -> bytes:
    """PNG or SVG of the survey's public link, medium error correction (survives a folded notice)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind=kind, scale=8 if kind == "png" else 4, border=2)
    return buffer.getvalue()


def results_workbook(*, survey, results: list[dict]) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = _("汇总")
    summary.append([survey.title, survey.place.name, f"{survey.closes_at:%Y-%m-%d}"])
    for item in results:
        q = item["question"]
        summary.append([])
        summary.append([f"{q.position}. {q.text}", q.get_kind_display(), _("作答 %(n)s") % {"n": item["answered"]}])
        for label, count in item.get("counts", []):
            summary.append(["", label, count])
        if item.get("mean") is not None:
            summary.append(["", _("平均分"), item["mean"]])
        for text in item.get("texts", []) + item.get("reasons", []):
            summary.append(["", text])
    sheet = book.create_sheet(_("答卷"))
    questions = [item["question"] for item in results]
    sheet.append([_("答卷"), _("提交时间"), *[f"{q.position}. {q.text}" for q in questions]])
    cells = {}
    for a in Answer.objects.filter(response__survey=survey).select_related("response", "question"):
        cells.setdefault(a.response_id, {"at": a.response.submitted_at})[a.question_id] = _cell(a)
    for index, (response_id, row) in enumerate(sorted(cells.items()), start=1):  # numbered, not the row id
        sheet.append([index, row["at"].strftime("%Y-%m-%d %H:%M"), *[row.get(q.pk, "") for q in questions]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(answer) -> str | int:
    q = answer.question
    if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return "；".join(q.choices[i] for i in answer.choices if i < len(q.choices))
    if q.kind == QuestionKind.SCALE:
        return answer.value
    if q.kind == QuestionKind.STAFF:
        from .models import Rating
        label = str(Rating(answer.choices[0]).label) if answer.choices else ""
        return f"{label} {answer.text}".strip()
    return answer.text
