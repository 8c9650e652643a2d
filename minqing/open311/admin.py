from django.contrib import admin

from .models import Open311Key, Open311Request


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    """Read-only: keys are issued with `manage.py open311_key` (the secret is shown once, there)."""

    list_display = ["name", "prefix", "user", "channel", "is_active", "last_used_at", "created_at"]
    search_fields = ["name", "prefix"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Open311Request)
class Open311RequestAdmin(admin.ModelAdmin):
    list_display = ["appeal", "key", "address_string", "created_at"]
    list_select_related = ["appeal", "key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
