"""In-app notifications for staff, and the outbox of status messages to residents.

Both carry a `dedupe_key` (unique): a scheduled reminder or a message written twice — by a retried
job or two schedulers — is stored once.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
                             related_name="notifications")
    kind = models.CharField(_("类型"), max_length=40)
    text = models.CharField(_("内容"), max_length=300)
    # The text as a message (notifications.messages): put into words when read, in the reader's language.
    # Empty on rows written before it existed: those show `text` as stored.
    message = models.JSONField(_("消息"), default=dict, blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    place_code = models.CharField(_("地点编码"), max_length=20, blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=120, unique=True, null=True, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        indexes = [models.Index(fields=["user", "-created_at"], name="notif_user_recent_idx",
                                condition=Q(read_at__isnull=True))]

    def __str__(self):
        return self.text

    @property
    def shown(self):
        """The text in the reader's language, its data marked (the stored text for older rows)."""
        from .messages import message_html

        return message_html(self.message) if self.message else self.text

    @property
    def audit_place_code(self) -> str:
        return self.place_code


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class OutboxMessage(models.Model):
    """A text message to a resident's phone, sent by the configured gateway (MINQING_SMS_BACKEND)."""

    phone_cipher = models.TextField(_("电话（密文）"))
    phone_masked = models.CharField(_("电话"), max_length=24)
    text = models.CharField(_("内容"), max_length=500)
    place_code = models.CharField(_("地点编码"), max_length=20, blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=120, unique=True, null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("错误"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("短信发件箱")
        verbose_name_plural = _("短信发件箱")
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_status_idx")]

    def __str__(self):
        return f"{self.phone_masked} {self.text[:30]}"

    @property
    def audit_place_code(self) -> str:
        return self.place_code


class PhoneChallenge(BaseModel):
    """A one-time code sent to a resident's phone, proving they hold it before any other text goes there
    (issue 13.5: the public page must not become a way to text any number). Only an HMAC of the code with
    this row's salt is stored; `subject` names what the proven phone is for ("appeal:42")."""

    subject = models.CharField(_("用途"), max_length=60)
    phone_hash = models.CharField(_("电话（查找散列）"), max_length=64)
    phone_masked = models.CharField(_("电话"), max_length=24)
    address_hash = models.CharField(_("来源地址（散列）"), max_length=64)
    salt = models.CharField(_("盐"), max_length=32)
    code_hmac = models.CharField(_("验证码散列"), max_length=64)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    expires_at = models.DateTimeField(_("失效时间"))
    verified_at = models.DateTimeField(_("验证时间"), null=True, blank=True)
    place_code = models.CharField(_("地点编码"), max_length=20, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("手机验证码")
        verbose_name_plural = _("手机验证码")
        indexes = [models.Index(fields=["phone_hash", "created_at"], name="phonecode_phone_idx"),
                   models.Index(fields=["address_hash", "created_at"], name="phonecode_address_idx"),
                   models.Index(fields=["subject", "created_at"], name="phonecode_subject_idx")]

    def __str__(self):
        return self.phone_masked  # never the code

    @property
    def audit_place_code(self) -> str:
        return self.place_code
