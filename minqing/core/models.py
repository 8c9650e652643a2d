"""The base model every Minqing table builds on, and the append-only audit trail."""
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _


class ChoiceLabels:
    """get_FOO_display() without rebuilding the field's whole choices dict on every call.

    Django's version hashes every (lazy) label of the field each time, which translates them all: 41 µs
    a call against 3 µs here, and a list page calls it once a row (issue 19). The labels stay lazy in
    the map, so each call still answers in the reader's language."""

    def _get_FIELD_display(self, field):
        labels = _CHOICE_LABELS.get(field)
        if labels is None:
            labels = _CHOICE_LABELS[field] = {make_hashable(value): label for value, label in field.flatchoices}
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


_CHOICE_LABELS: dict = {}   # field → {value: label}; choices are fixed when the model class is made


class BaseModel(ChoiceLabels, models.Model):
    """created_at/updated_at on every row; `version` lets a form detect that someone else saved first."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise DjangoPermissionDenied("The audit trail is append-only.")

    def delete(self):
        raise DjangoPermissionDenied("The audit trail is append-only.")

    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class AuditEntry(models.Model):
    """One row per change, written by the service that made it (Zulip's RealmAuditLog).

    Append-only three times over: the model refuses save-on-existing and delete, the queryset
    refuses update/delete, and database triggers (migration 0002) refuse UPDATE and DELETE.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    actor_label = models.CharField(_("操作人名称"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100)
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    place_code = models.CharField(_("地点编码"), max_length=32, blank=True, db_index=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True, db_index=True)
    # set before the row is hashed (auto_now_add would overwrite it on insert)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64, blank=True, default="", editable=False)
    entry_hash = models.CharField(_("本条哈希"), max_length=64, blank=True, default="", editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [models.Index(fields=["object_type", "object_id", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise DjangoPermissionDenied("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise DjangoPermissionDenied("The audit trail is append-only.")


class AuditChainHead(models.Model):
    """The one row every audit writer locks: the chain's last hash and row (core/auditchain.py)."""

    last_hash = models.CharField(max_length=64)
    last_entry_id = models.BigIntegerField(null=True)

    class Meta:
        verbose_name = _("审计链头")


class RateCounter(models.Model):
    """One fixed window of one rate limit for one client, shared by every web process (core/ratelimit.py).

    Kept in the database rather than the per-process cache because `make run` serves with several
    gunicorn workers: a limit of 10 submissions an hour per address must not become 10 per worker."""

    bucket = models.CharField(max_length=255, primary_key=True)  # scope:client:window start
    count = models.PositiveIntegerField(default=0)
    window_end = models.BigIntegerField(db_index=True)  # Unix seconds; rows past it are swept

    class Meta:
        verbose_name = _("限流计数")
        verbose_name_plural = _("限流计数")
