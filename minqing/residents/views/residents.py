"""Resident pages: search, the resident page, editing, moves, tags and personal-data actions."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minqing.accounts.policy import can, has_perm_anywhere
from minqing.core.errors import ApplicationError, NotFound, PermissionDenied
from minqing.core.forms import form_add_error
from minqing.core.paging import CountSparingPaginator
from minqing.core.selectors import audit_list_for_object

from .. import privacy, services
from ..exporting import resident_list_export
from ..forms import (STATUS_FILTER, DeceasedForm, ExportPersonalDataForm, MoveOutForm, MoveToForm, ResidentForm,
                     RevealForm, SearchForm, TagAddForm, TagEndForm)
from ..models import ResidentTag
from ..selectors import ResidentFilter, is_full_pii, place_choices, resident_get, resident_list, resident_moves, resident_tags
from ..timeline import resident_timeline

PAGE_SIZE = 30


def _filters(request) -> tuple[SearchForm, ResidentFilter]:
    return _filters_from(request, request.GET)


def _filters_from(request, data) -> tuple[SearchForm, ResidentFilter]:
    form = SearchForm(data or None, places=place_choices(actor=request.user))
    form.is_valid()  # an unknown value drops only that filter, not the others
    data = getattr(form, "cleaned_data", {})
    floating = {"1": True, "0": False}.get(data.get("floating") or "")
    return form, ResidentFilter(q=data.get("q", ""), place_code=data.get("place", ""), tag=data.get("tag", ""),
                                status=STATUS_FILTER.get(data.get("status") or "living", "living"), floating=floating)


def _current_tags():
    return Prefetch("tags", queryset=ResidentTag.objects.current().select_related("tag"), to_attr="current_tags")


@login_required
def resident_search(request):
    """The search box posts, so a full ID number or phone never lands in a URL (access logs, history,
    Referer): those run the audited exact search here; anything else redirects to the GET list."""
    if not has_perm_anywhere(request.user, "ledger.view"):
        raise NotFound()
    if request.method == "POST":
        return _search_posted(request)
    form, filters = _filters(request)
    residents = resident_list(actor=request.user, filters=filters).prefetch_related(_current_tags())
    page = CountSparingPaginator(residents, PAGE_SIZE).get_page(request.GET.get("page"))
    if is_full_pii(filters.q):
        form.add_error("q", _("完整身份证号或电话请在查找框中输入（不写入网址）。"))
    return _search_render(request, form, page, filters)


def _search_posted(request):
    form, filters = _filters_from(request, request.POST)
    if not is_full_pii(filters.q):
        query = {k: v for k, v in request.POST.items() if k in form.fields and v}
        return redirect(f"{request.path}?{urlencode(query)}" if query else request.path)
    found, status = [], 200
    try:
        found = privacy.resident_search_pii(actor=request.user, value=filters.q)
    except ApplicationError as error:
        form_add_error(form, error)
        status = error.status
    page = Paginator(found, PAGE_SIZE).get_page(1)
    prefetch_related_objects(page.object_list, _current_tags())
    return _search_render(request, form, page, filters, exact=True, status=status)


def _search_render(request, form, page, filters, *, exact=False, status=200):
    return render(request, "residents/search.html", {
        "form": form, "page": page, "filters": filters, "exact": exact,
        "can_import": has_perm_anywhere(request.user, "ledger.import"),
        "can_change": has_perm_anywhere(request.user, "ledger.change")}, status=status)


@login_required
def resident_export(request):
    _form, filters = _filters(request)
    filename, content = resident_list_export(actor=request.user, filters=filters)
    return _download(content, filename, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def resident_detail(request, resident_id):
    resident = resident_get(actor=request.user, resident_id=resident_id)
    may = lambda perm: can(request.user, perm, resident.place_code)  # noqa: E731
    return render(request, "residents/resident_detail.html", {
        "resident": resident, "tags": resident_tags(resident=resident), "moves": resident_moves(resident=resident),
        "timeline": resident_timeline(actor=request.user, resident=resident),
        "audit_entries": audit_list_for_object(actor=request.user, obj=resident) if may("audit.view") else None,
        "can_change": may("ledger.change") and not resident.anonymised_at, "can_reveal": may("ledger.reveal_pii"),
        "tag_form": TagAddForm(), "reveal_form": RevealForm(), "export_form": ExportPersonalDataForm(),
        "anonymise_blocker": privacy.anonymise_blocker(resident),
    })


def _ensure_change(request, resident):
    if not can(request.user, "ledger.change", resident.place_code):
        raise PermissionDenied()


@login_required
def resident_edit(request, resident_id):
    resident = resident_get(actor=request.user, resident_id=resident_id)
    _ensure_change(request, resident)
    initial = {name: getattr(resident, name) for name in services.PROFILE_FIELDS} | {"version": resident.version}
    form = ResidentForm(request.POST or None, initial=initial)
    if resident.id_number_hash:  # birth date and sex follow the stored ID number; the date is not shown
        form.fields["sex"].disabled = True
        del form.fields["birth_date"]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version, id_number, phone = data.pop("version"), data.pop("id_number") or None, data.pop("phone") or None
        try:
            services.resident_update(actor=request.user, resident_id=resident.pk, expected_version=version,
                                     id_number=id_number, phone=phone, **data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("residents:detail", resident.pk)
    return render(request, "residents/resident_form.html", {"form": form, "resident": resident})


def _action(request, resident_id, form_class, template, call, done):
    """GET shows a small form; POST runs one service and goes back to the resident page."""
    resident = resident_get(actor=request.user, resident_id=resident_id)
    _ensure_change(request, resident)
    form = form_class(request.POST or None, initial={"version": resident.version})
    if request.method == "POST" and form.is_valid():
        try:
            call(resident, form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, done)
            return redirect("residents:detail", resident.pk)
    return render(request, "residents/resident_action.html", {"form": form, "resident": resident, "title": template})


@login_required
def resident_move_out(request, resident_id):
    return _action(request, resident_id, MoveOutForm, _("办理迁出"), lambda r, d: services.resident_move_out(
        actor=request.user, resident_id=r.pk, expected_version=d["version"], date=d["date"], to_text=d["to_text"],
        reason=d["reason"]), _("已办理迁出。"))


@login_required
def resident_move_to(request, resident_id):
    return _action(request, resident_id, MoveToForm, _("迁入其他户 / 重新迁入"), lambda r, d: services.resident_move_to(
        actor=request.user, resident_id=r.pk, household_id=d["household"], date=d["date"], relation=d["relation"],
        from_text=d["from_text"], reason=d["reason"]), _("已办理迁移。"))


@login_required
def resident_deceased(request, resident_id):
    return _action(request, resident_id, DeceasedForm, _("登记去世"), lambda r, d: services.resident_mark_deceased(
        actor=request.user, resident_id=r.pk, date=d["date"], expected_version=d["version"]), _("已登记。"))


@login_required
def resident_tag_add(request, resident_id):
    return _action(request, resident_id, TagAddForm, _("添加关爱标签"), lambda r, d: services.resident_tag_add(
        actor=request.user, resident_id=r.pk, tag_id=d["tag"].pk, start_date=d["start_date"],
        end_date=d["end_date"], note=d["note"]), _("已添加标签。"))


@login_required
@require_POST
def resident_tag_end(request, resident_id, resident_tag_id):
    resident = resident_get(actor=request.user, resident_id=resident_id)
    form = TagEndForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(_("请填写结束日期。"))
        services.resident_tag_end(actor=request.user, resident_tag_id=resident_tag_id,
                                  end_date=form.cleaned_data["end_date"])
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("residents:detail", resident.pk)


@login_required
@require_POST
def resident_reveal(request, resident_id):
    """Shows one plain value once, on a page that is not cached; the reveal is in the audit trail."""
    resident = resident_get(actor=request.user, resident_id=resident_id)
    form = RevealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写查看原因。"))
        return redirect("residents:detail", resident.pk)
    value = privacy.resident_reveal(actor=request.user, resident_id=resident.pk, field=form.cleaned_data["field"],
                                    reason=form.cleaned_data["reason"])
    response = render(request, "residents/reveal.html", {"resident": resident, "value": value,
                                                         "field": form.cleaned_data["field"]})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def resident_export_personal_data(request, resident_id):
    resident = resident_get(actor=request.user, resident_id=resident_id)
    form = ExportPersonalDataForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写导出原因。"))
        return redirect("residents:detail", resident.pk)
    filename, content = privacy.resident_personal_data_export(actor=request.user, resident_id=resident.pk,
                                                              reason=form.cleaned_data["reason"])
    return _download(content, filename, "application/json; charset=utf-8")


@login_required
@require_POST
def resident_anonymise(request, resident_id):
    resident = resident_get(actor=request.user, resident_id=resident_id)
    try:
        privacy.resident_anonymise(actor=request.user, resident_id=resident.pk)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已匿名化。"))
    return redirect("residents:detail", resident.pk)
