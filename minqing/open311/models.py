"""Open311 GeoReport v2: the keys of submitting systems, and which demands came in through them.

A key without a user submits as a resident would on the public page (channel web/mobile, a phone
number required, the per-phone daily limit). A key bound to a user — the account of a hotline
platform, say — submits as that account: its roles decide where it may file, and its channel
(e.g. transfer 上级转办) is recorded. Only a key's SHA-256 is stored.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel


class Open311Key(BaseModel):
    name = models.CharField(_("系统名称"), max_length=80, unique=True)
    prefix = models.CharField(_("前缀"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(_("密钥散列"), max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("代表账号"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="open311_keys", help_text=_("留空：按居民自助提交处理（须留电话）。"),
    )
    channel = models.CharField(_("渠道"), max_length=16, default="web")
    is_active = models.BooleanField(_("启用"), default=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311 密钥")
        verbose_name_plural = _("Open311 密钥")

    def __str__(self):
        return self.name

    @property
    def audit_place_code(self) -> str:
        return ""


class Open311Request(BaseModel):
    """A demand submitted through Open311: what the spec has that a demand does not (lat/long, media)."""

    appeal = models.OneToOneField("appeals.Appeal", verbose_name=_("诉求"), on_delete=models.CASCADE,
                                  related_name="open311")
    key = models.ForeignKey(Open311Key, verbose_name=_("密钥"), on_delete=models.PROTECT, related_name="requests")
    token = models.CharField(_("令牌"), max_length=32, unique=True, editable=False)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    address_string = models.CharField(_("地址"), max_length=200, blank=True)
    media_url = models.URLField(_("图片链接"), max_length=500, blank=True)
    device_id = models.CharField(_("设备"), max_length=100, blank=True)
    account_id = models.CharField(_("账号"), max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Open311 提交")
        verbose_name_plural = _("Open311 提交")

    def __str__(self):
        return self.token

    @property
    def audit_place_code(self) -> str:
        return self.appeal.place_code
