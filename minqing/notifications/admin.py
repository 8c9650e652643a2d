from django.contrib import admin

from minqing.accounts.policy import has_perm_anywhere

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only view of the SMS outbox (phones masked; the cipher is not shown)."""

    list_display = ("created_at", "phone_masked", "text", "status", "attempts", "last_error", "sent_at")
    list_filter = ("status",)
    fields = ("created_at", "phone_masked", "text", "place_code", "status", "attempts", "last_error", "sent_at")
    readonly_fields = fields

    def has_module_permission(self, request):
        return request.user.is_active and has_perm_anywhere(request.user, "admin.site")

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
