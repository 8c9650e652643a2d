"""The mediation agreement 调解协议书 and the follow-up on whether it was honoured.

Article 29 of the People's Mediation Law (人民调解法) lists what the written agreement states: the
parties' basic particulars; the main facts, the matters in dispute and each party's responsibility;
the content agreed, and the way and time limit of performance. We also record where it is performed.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel

# field → the article-29 item it carries; the agreement service refuses an agreement missing any.
REQUIRED_CONTENTS = {
    "facts": _("纠纷的主要事实"),
    "matters_in_dispute": _("争议事项"),
    "responsibilities": _("各方当事人的责任"),
    "terms": _("达成协议的内容（各方权利义务）"),
    "performance_method": _("履行方式"),
    "performance_place": _("履行地点"),
    "performance_deadline": _("履行期限"),
}


class Agreement(BaseModel):
    class Scope(models.TextChoices):
        FULL = "full", _("全部达成")
        PARTIAL = "partial", _("部分达成")

    dispute = models.ForeignKey("disputes.Dispute", verbose_name=_("纠纷"), on_delete=models.CASCADE,
                                related_name="agreements")
    scope = models.CharField(_("协议范围"), max_length=8, choices=Scope.choices, default=Scope.FULL)
    facts = models.TextField(_("纠纷主要事实"))
    matters_in_dispute = models.TextField(_("争议事项"))
    responsibilities = models.TextField(_("各方责任"))
    terms = models.TextField(_("协议内容（权利义务）"))
    performance_method = models.CharField(_("履行方式"), max_length=200)
    performance_place = models.CharField(_("履行地点"), max_length=200)
    performance_deadline = models.DateField(_("履行期限"))
    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("人民调解员"), on_delete=models.PROTECT,
                                 related_name="+")
    committee = models.CharField(_("人民调解委员会"), max_length=100)
    copies = models.PositiveSmallIntegerField(_("份数"), default=3)

    class Meta:
        ordering = ["dispute", "-created_at"]
        verbose_name = _("调解协议书")
        verbose_name_plural = _("调解协议书")

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        return f"（{self.created_at:%Y}）调字第{self.pk:04d}号" if self.pk and self.created_at else ""

    @property
    def audit_place_code(self) -> str:
        return self.dispute.place.code


class FollowUp(BaseModel):
    """A check after the performance date: was the agreement honoured? If not, mediation re-opens."""

    agreement = models.ForeignKey(Agreement, verbose_name=_("调解协议"), on_delete=models.CASCADE,
                                  related_name="follow_ups")
    visited_on = models.DateField(_("回访日期"))
    honoured = models.BooleanField(_("已履行"))
    note = models.TextField(_("回访情况"))
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("回访人"), on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["agreement", "-visited_on"]
        verbose_name = _("履行回访")
        verbose_name_plural = _("履行回访")

    def __str__(self):
        return f"{self.visited_on} {'✓' if self.honoured else '✗'}"

    @property
    def audit_place_code(self) -> str:
        return self.agreement.dispute.place.code
