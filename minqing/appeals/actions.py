"""The verb forms of the demand page: verb → (form, label, the one service it calls).

One registry, so the page shows exactly one form per verb the actor may use now, and one view
(views.appeal_act) handles every post.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minqing.core.errors import ValidationError

from . import forms, services
from .models import Appeal
from .selectors import appeal_allowed_verbs, appeal_dispatch_choices, appeal_visible


def _by_code(actor, code: str, field: str) -> int:
    found = appeal_visible(actor=actor).filter(receipt_code=code.strip().upper()).values_list("pk", flat=True).first()
    if found is None:
        raise ValidationError(fields={field: [_("未找到该回执码的诉求。")]})
    return found


@dataclass(frozen=True)
class Action:
    form: type
    label: str
    call: Callable
    primary: bool = False

    def kwargs(self, appeal: Appeal) -> dict:
        return appeal_dispatch_choices(appeal=appeal) if self.form is forms.DispatchForm else {}

    def bind(self, request, appeal: Appeal, verb: str):
        return self.form(request.POST, prefix=verb, **self.kwargs(appeal))

    def blank(self, appeal: Appeal, verb: str, prefill: dict | None = None):
        initial = {"version": appeal.version}
        if self.form is forms.AcceptForm:
            initial.update(category=appeal.category_id, urgency=appeal.urgency)
        if self.form is forms.DispatchForm:
            initial.update(leader=appeal.leader_id, handler_user=appeal.handler_user_id,
                           handler_unit=appeal.handler_unit_id)
        initial.update(prefill or {})
        return self.form(initial=initial, prefix=verb, **self.kwargs(appeal))


def _v(data) -> int | None:
    return data.get("version")


def _deadline(value):
    return timezone.make_aware(value) if value is not None and timezone.is_naive(value) else value


def _accept(actor, appeal: Appeal, data) -> Appeal:
    """Accepting is where a demand from the public page gets its category: record what insight would have
    suggested and what the worker chose, unless intake already did."""
    from minqing.insight.selectors import intake_category_suggestions
    from minqing.insight.services import category_suggestion_log_intake, category_suggestion_logged

    accepted = services.appeal_accept(actor=actor, appeal_id=appeal.pk, expected_version=_v(data),
                                      category=data["category"], urgency=data["urgency"], note=data["note"])
    if accepted.category_id and not category_suggestion_logged(appeal=accepted):
        category_suggestion_log_intake(actor=actor, appeal=accepted,
                                       suggestions=intake_category_suggestions(text=accepted.text))
    return accepted


ACTIONS: dict[str, Action] = {
    "accept": Action(forms.AcceptForm, _("受理"), lambda actor, a, d: _accept(actor, a, d), primary=True),
    "reject": Action(forms.RejectForm, _("不予受理"), lambda actor, a, d: services.appeal_reject(
        actor=actor, appeal_id=a.pk, expected_version=_v(d), reason=d["reason"], referral=d["referral"])),
    "dispatch": Action(forms.DispatchForm, _("派单"), lambda actor, a, d: services.appeal_dispatch(
        actor=actor, appeal_id=a.pk, expected_version=_v(d), leader=d["leader"], handler_user=d["handler_user"],
        handler_unit=d["handler_unit"], deadline=_deadline(d["deadline"]), note=d["note"]), primary=True),
    "start": Action(forms.StartForm, _("签收办理"), lambda actor, a, d: services.appeal_start(
        actor=actor, appeal_id=a.pk, expected_version=_v(d)), primary=True),
    "return": Action(forms.ReturnForm, _("退单"), lambda actor, a, d: services.appeal_return(
        actor=actor, appeal_id=a.pk, expected_version=_v(d), reason=d["reason"])),
    "reply": Action(forms.ReplyForm, _("答复"), lambda actor, a, d: services.appeal_reply(
        actor=actor, appeal_id=a.pk, expected_version=_v(d), outcome=d["outcome"], text=d["text"],
        plan=d["plan"], plan_date=d["plan_date"]), primary=True),
    "follow_up": Action(forms.FollowUpForm, _("回访"), lambda actor, a, d: services.appeal_follow_up(
        actor=actor, appeal_id=a.pk, expected_version=_v(d), satisfaction=d["satisfaction"], note=d["note"]),
        primary=True),
    "close": Action(forms.CloseForm, _("办结"), lambda actor, a, d: services.appeal_close(
        actor=actor, appeal_id=a.pk, expected_version=_v(d), note=d["note"]), primary=True),
    "reopen": Action(forms.ReopenForm, _("重办"), lambda actor, a, d: services.appeal_reopen(
        actor=actor, appeal_id=a.pk, expected_version=_v(d), reason=d["reason"])),
    "supervise": Action(forms.SuperviseForm, _("督办"), lambda actor, a, d: services.appeal_supervise(
        actor=actor, appeal_id=a.pk, demand=d["demand"])),
    "link": Action(forms.LinkForm, _("关联"), lambda actor, a, d: services.appeal_link(
        actor=actor, appeal_id=a.pk, expected_version=_v(d), kind=d["kind"],
        target_id=_by_code(actor, d["target"], "target"))),
    "merge": Action(forms.MergeForm, _("合并"), lambda actor, a, d: services.appeal_merge(
        actor=actor, appeal_id=a.pk, expected_version=_v(d), into_id=_by_code(actor, d["into"], "into"))),
}


def action_forms(actor, appeal: Appeal, bound: tuple[str, object] | None = None,
                 prefill: dict[str, dict] | None = None) -> list[dict]:
    """[{verb, label, form, primary}] for the verbs the actor may use; a bound form (after an error)
    replaces the blank one, so the user's input is shown again with the message. Each form is
    prefixed with its verb, so field ids stay unique on the page (POST names: "<verb>-<field>").
    `prefill` puts suggested values (verb → initial) into a blank form, e.g. a suggested handler."""
    prefill = prefill or {}
    bound_verb, bound_form = bound or (None, None)
    verbs = appeal_allowed_verbs(actor=actor, appeal=appeal)
    if bound_verb and bound_verb not in verbs and bound_verb in ACTIONS:
        verbs.append(bound_verb)  # e.g. someone else moved it first: keep the input visible
    return [{"verb": verb, "label": ACTIONS[verb].label, "primary": ACTIONS[verb].primary, "open": verb == bound_verb,
             "form": bound_form if verb == bound_verb else ACTIONS[verb].blank(appeal, verb, prefill.get(verb))}
            for verb in verbs if verb in ACTIONS]


