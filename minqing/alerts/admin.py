"""Read-only: alerts are handled and rules configured through the pages and services (audited)."""
from django.contrib import admin

from minqing.disputes.admin import ReadOnlyAdmin

from .models import Alert, WarningRule


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("title", "rule", "level", "place", "status", "owner", "created_at")
    list_filter = ("rule", "level", "status")


@admin.register(WarningRule)
class WarningRuleAdmin(ReadOnlyAdmin):
    list_display = ("code", "enabled", "level", "params")
