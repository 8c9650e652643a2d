"""Excel pages: the template, the import (upload → dry run report → confirm) and its history.

Between the dry run and the confirmation the uploaded file waits under DATA_DIR/private/ledger_imports,
named by a random token that only the uploading session knows; it is deleted once imported.
"""
import os
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minqing.accounts.policy import has_perm_anywhere
from minqing.core.errors import ApplicationError, NotFound
from minqing.core.forms import form_add_error

from ..exporting import import_template
from ..forms import ImportForm
from ..importing import ledger_import
from .residents import _download

SESSION_KEY = "residents_pending_imports"


PENDING_MAX_AGE = 3600  # seconds a checked file waits for its confirmation (issue 13.10)


def _pending_dir() -> Path:
    path = Path(settings.DATA_DIR) / "private" / "ledger_imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def pending_sweep(now: float | None = None) -> int:
    """Delete checked files nobody confirmed within PENDING_MAX_AGE (also those a dead server left)."""
    now = time.time() if now is None else now
    removed = 0
    for path in _pending_dir().glob("*.xlsx"):
        if now - path.stat().st_mtime > PENDING_MAX_AGE:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _pending_write(token: str, content: bytes) -> None:
    """Owner-only (0600) from the first byte: the file holds full ID numbers and phones."""
    fd = os.open(_pending_dir() / f"{token}.xlsx", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(content)


@login_required
def template_download(request):
    return _download(import_template(actor=request.user), "民情台账导入模板.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@login_required
def import_upload(request):
    if not has_perm_anywhere(request.user, "ledger.import"):
        raise NotFound()
    form, report, token = ImportForm(request.POST or None, request.FILES or None), None, None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = ledger_import(actor=request.user, file=upload, filename=upload.name, dry_run=True)
        except ApplicationError as error:
            form_add_error(form, error)
        if report and report.ok:
            token = secrets.token_hex(16)
            upload.seek(0)
            pending_sweep()
            _pending_write(token, upload.read())
            request.session[SESSION_KEY] = {**request.session.get(SESSION_KEY, {}), token: upload.name}
    return render(request, "residents/import.html", {"form": form, "report": report, "token": token})


@login_required
@require_POST
def import_confirm(request):
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, {})
    path = _pending_dir() / f"{token}.xlsx"
    if token not in pending or not token.isalnum() or not path.exists():
        messages.error(request, _("待导入的文件已失效，请重新上传。"))
        return redirect("residents:import")
    request.session[SESSION_KEY] = {k: v for k, v in pending.items() if k != token}
    try:
        with path.open("rb") as file:
            report = ledger_import(actor=request.user, file=file, filename=pending[token], dry_run=False)
    except ApplicationError as error:  # e.g. the same file confirmed twice at once: 409, not a 500
        messages.error(request, str(error.message))
        return redirect("residents:import")
    finally:
        path.unlink(missing_ok=True)
    if report.applied:
        messages.success(request, _("导入完成：新建 %(h)d 户、%(r)d 位居民。") % {
            "h": report.ledger_import.households_created, "r": report.ledger_import.residents_created})
        return redirect("residents:search")
    return render(request, "residents/import.html", {"form": ImportForm(), "report": report, "token": None})
