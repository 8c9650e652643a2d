"""Excel pages: the template, the import (upload → dry run report → confirm) and its history.

Between the dry run and the confirmation the uploaded file waits under DATA_DIR/private/ledger_imports,
named by a random token that only the uploading session knows; it is deleted once imported.
"""
import secrets
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


def _pending_dir() -> Path:
    path = Path(settings.DATA_DIR) / "private" / "ledger_imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


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
            (_pending_dir() / f"{token}.xlsx").write_bytes(upload.read())
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
    with path.open("rb") as file:
        report = ledger_import(actor=request.user, file=file, filename=pending[token], dry_run=False)
    path.unlink(missing_ok=True)
    request.session[SESSION_KEY] = {k: v for k, v in pending.items() if k != token}
    if report.applied:
        messages.success(request, _("导入完成：新建 %(h)d 户、%(r)d 位居民。") % {
            "h": report.ledger_import.households_created, "r": report.ledger_import.residents_created})
        return redirect("residents:search")
    return render(request, "residents/import.html", {"form": ImportForm(), "report": report, "token": None})
