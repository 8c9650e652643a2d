from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Open311Key, Open311Request
from .services import open311_key_revoke


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    """Read-only: keys are issued with `manage.py open311_key` (the secret is shown once, there). Keys are
    history (requests point at them): never deleted, revoked with an audited action."""

    list_display = ["name", "prefix", "user", "channel", "is_active", "last_used_at", "created_at"]
    search_fields = ["name", "prefix"]
    actions = ["revoke_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("停用所选密钥"))
    def revoke_selected(self, request, queryset):
        for key in queryset:
            open311_key_revoke(actor=request.user, key_id=key.pk)
        self.message_user(request, _("已停用 %(n)d 个密钥。") % {"n": queryset.count()})


@admin.register(Open311Request)
class Open311RequestAdmin(admin.ModelAdmin):
    list_display = ["appeal", "key", "address_string", "created_at"]
    list_select_related = ["appeal", "key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the record of what another system submitted
