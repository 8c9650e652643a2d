"""Personal API tokens and the replay log behind Idempotency-Key.

A token is shown to its owner once; only its SHA-256 is stored. Tokens are long random strings (not
passwords a person chose), so one fast hash is enough: nothing can be guessed from the digest, and
looking a token up is one indexed equality match per request.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(BaseModel):
    """A personal token: it acts as its owner, with the owner's roles and scope, never more."""

    class Access(models.TextChoices):
        READ = "read", _("只读")
        WRITE = "write", _("读写")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens",
    )
    name = models.CharField(_("用途"), max_length=60, help_text=_("例如：供热公司工单系统、12345 热线对接。"))
    prefix = models.CharField(_("前缀"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(_("令牌散列"), max_length=64, unique=True, editable=False)
    access = models.CharField(_("权限"), max_length=8, choices=Access.choices, default=Access.WRITE)
    expires_at = models.DateTimeField(_("到期时间"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def audit_place_code(self) -> str:
        return ""

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def can_write(self) -> bool:
        return self.access == self.Access.WRITE


class IdempotencyRecord(models.Model):
    """The first response to (client, Idempotency-Key), replayed to every retry with the same key.

    `client` names who sent it ("user:12", "open311:3"), so two clients never share a key space.
    A row is written (empty) before the work starts; a concurrent retry finds it and is told to wait.
    """

    client = models.CharField(_("客户端"), max_length=40)
    key = models.CharField(_("幂等键"), max_length=100)
    method = models.CharField(_("方法"), max_length=8)
    path = models.CharField(_("路径"), max_length=200)
    fingerprint = models.CharField(_("请求摘要"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("状态码"), null=True, blank=True)
    response = models.JSONField(_("响应"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("幂等记录")
        verbose_name_plural = _("幂等记录")
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="api_idempotency_one_per_client")]

    def __str__(self):
        return f"{self.client} {self.key}"

    @property
    def audit_place_code(self) -> str:
        return ""
