from django.contrib import admin

from minqing.accounts.policy import has_perm_anywhere

from .models import JobLock


@admin.register(JobLock)
class JobLockAdmin(admin.ModelAdmin):
    """Read-only: when each scheduled job last ran and what it did (docs/operations.md)."""

    list_display = ("name", "last_started_at", "last_finished_at", "last_result", "locked_until", "locked_by")

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
