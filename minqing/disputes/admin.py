"""Read-only admin views: every change goes through the services (and their audit), never the admin."""
from django.contrib import admin

from minqing.accounts.admin import AuditedAdmin

from .models import Agreement, Dispute, ScreeningRound, StabilityAssessment


class ReadOnlyAdmin(AuditedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "place", "risk_level", "status", "deadline", "created_at")
    list_filter = ("status", "kind", "risk_level")
    search_fields = ("title", "description")


@admin.register(ScreeningRound)
class ScreeningRoundAdmin(ReadOnlyAdmin):
    list_display = ("grid", "period_start", "found_nothing", "filed_by")
    list_filter = ("found_nothing", "period")


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ("dispute", "scope", "performance_deadline", "mediator")


@admin.register(StabilityAssessment)
class StabilityAssessmentAdmin(ReadOnlyAdmin):
    list_display = ("decision", "place", "state", "conclusion", "signed_by")
