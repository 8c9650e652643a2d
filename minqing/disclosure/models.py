"""The public board 居务公开: notices that, once published, keep every revision visible to the public.

A notice is written as a draft, published (revision 1 is frozen), and may be corrected afterwards:
each correction freezes a new revision with a stated reason, and the public page shows what changed
and when. Nothing published is ever silently rewritten or deleted — a withdrawal is itself shown.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel


class NoticeKind(models.TextChoices):
    NOTICE = "notice", _("通知公告")
    FINANCE = "finance", _("财务公开")
    MEETING = "meeting", _("会议决定")
    WELFARE = "welfare", _("救助公示")
    OTHER = "other", _("其他")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class NoticeQuerySet(models.QuerySet):
    def public(self):
        """What the board shows: published and withdrawn items (a withdrawal is public too)."""
        return self.exclude(status=NoticeStatus.DRAFT)

    def of_community(self, code: str):
        return self.filter(community__code=code)


class Notice(BaseModel):
    community = models.ForeignKey(
        "places.Place", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="notices",
    )
    kind = models.CharField(_("类别"), max_length=16, choices=NoticeKind.choices, default=NoticeKind.NOTICE)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    status = models.CharField(_("状态"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    display_until = models.DateField(_("公示截止日"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)
    # Welfare notices take objections on the board; which app answers them is found by `kind`.
    accepts_objections = models.BooleanField(_("接受异议"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("撰写人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("公开事项")
        verbose_name_plural = _("公开事项")
        indexes = [models.Index(fields=["community", "status", "-published_at"])]

    def __str__(self):
        return self.title

    @property
    def audit_place_code(self) -> str:
        return self.community.code

    @property
    def is_published(self) -> bool:
        return self.status == NoticeStatus.PUBLISHED

    @property
    def revision_count(self) -> int:
        return self.revisions.count()


class NoticeRevision(models.Model):
    """A frozen published version. Number 1 is the first publication; later numbers are corrections."""

    notice = models.ForeignKey(Notice, verbose_name=_("公开事项"), on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    changed_fields = models.JSONField(_("修改内容"), default=list, blank=True)
    reason = models.CharField(_("修改说明"), max_length=200, blank=True)
    actor_label = models.CharField(_("修改人"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["notice", "-number"]
        verbose_name = _("公开事项版本")
        verbose_name_plural = _("公开事项版本")
        constraints = [models.UniqueConstraint(fields=["notice", "number"], name="disclosure_one_number_per_notice")]

    def __str__(self):
        return f"{self.notice} · v{self.number}"

    @property
    def audit_place_code(self) -> str:
        return self.notice.community.code
