"""The welfare public notice 公示 on the board, and the messages to supervisors and workers.

What the public sees follows the rules for welfare notices: the applicant's name masked (张*丰),
the building but not the room, the household size and the amount — never an ID number or phone.
"""
from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from minqing.accounts.models import Role
from minqing.accounts.policy import holders
from minqing.core.masking import mask_name
from minqing.disclosure import services as board
from minqing.disclosure.models import NoticeKind
from minqing.notifications.messages import message
from minqing.notifications.services import notification_send
from minqing.places.codes import community_code
from minqing.places.models import Place, PlaceKind


def public_line(application) -> str:
    household = application.household
    amount = application.proposed_amount
    unit = _("元/月") if application.programme.period_months else _("元")
    return _("申请人：%(name)s；住址：%(building)s；家庭人口：%(size)s 人；拟救助金额：%(amount)s %(unit)s") % {
        "name": mask_name(application.applicant.name), "building": household.building.name,
        "size": application.household_size, "amount": amount if amount is not None else "—", "unit": unit}


def notice_body(application, *, start: datetime.date, end: datetime.date) -> str:
    return "\n".join([
        _("经本人申请、入户核查和民主评议，社区拟同意以下家庭享受“%(p)s”，现予公示：") % {"p": application.programme.name},
        public_line(application),
        _("公示期：%(s)s 至 %(e)s。") % {"s": start, "e": end},
        _("如有异议，请在公示期内通过本页面“提出异议”或到社区居委会反映，可不留姓名。社区将调查核实并答复。"),
    ])


def _community(application) -> Place:
    code = community_code(application.household.place_code)
    return Place.objects.get(code=code, kind=PlaceKind.COMMUNITY)


def notice_open(application, *, actor, today: datetime.date) -> dict:
    """Publish the notice on the board; returns the application's fields to set (notice, its dates)."""
    days = application.programme.notice_days
    start, end = today, today + datetime.timedelta(days=days - 1)
    notice = board.notice_publish_on_behalf(
        actor=actor, community=_community(application), kind=NoticeKind.WELFARE,
        title=_("%(p)s拟救助对象公示") % {"p": application.programme.name},
        body=notice_body(application, start=start, end=end), display_until=end, accepts_objections=True)
    return {"notice": notice, "notice_start": start, "notice_end": end}


def notice_close(application, *, actor) -> None:
    """Add a closing line to the public notice: a visible revision, so the board shows the outcome."""
    if not application.notice_id:
        return
    answered = application.objections.count()
    closing = _("公示期满。共收到异议 %(n)s 条，均已调查答复。已报街道审批。") % {"n": answered}
    board.notice_revise_on_behalf(actor=actor, notice=application.notice,
                                  body=f"{application.notice.body}\n{closing}", reason=_("公示期满"))


def notice_withdraw(application, *, actor, reason: str) -> None:
    if application.notice_id:
        board.notice_withdraw_on_behalf(actor=actor, notice=application.notice, reason=reason)


def _notify(users, kind: str, text: dict, url: str, place_code: str, dedupe_key: str) -> None:
    """`text` is a message (notifications.messages): each reader reads it in their own language."""
    users = list(users)
    transaction.on_commit(lambda: notification_send(users=users, kind=kind, message=text, url=url,
                                                    place_code=place_code, dedupe_key=dedupe_key))


def notify_supervisors(application) -> None:
    """Applications from staff relatives are flagged to the supervisors 督查 over the household."""
    _notify(holders("welfare.view", application.place_code, roles=(Role.SUPERVISOR,)), "welfare.flag",
            message(gettext_noop("工作人员亲属救助申请 %(ref)s：%(note)s"), ref=application.reference,
                    note=application.flag_note),
            reverse("welfare:detail", args=[application.pk]), application.place_code,
            f"welfare-flag-{application.pk}")


def notify_objection(objection) -> None:
    application = objection.application
    _notify(holders("welfare.change", application.place_code,
                    roles=(Role.COMMUNITY_WORKER, Role.COMMUNITY_SECRETARY)), "welfare.objection",
            message(gettext_noop("公示收到异议 %(r)s（%(ref)s），请调查答复。"), r=objection.receipt,
                    ref=application.reference),
            reverse("welfare:detail", args=[application.pk]), application.place_code,
            f"welfare-objection-{objection.pk}")
