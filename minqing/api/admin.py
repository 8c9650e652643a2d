from django.contrib import admin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only: tokens are created and revoked by their owners on the token page."""

    list_display = ["name", "user", "prefix", "access", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["access"]
    search_fields = ["name", "prefix", "user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
