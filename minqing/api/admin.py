from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ApiToken
from .services import api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only: tokens are created and revoked by their owners on the token page. Tokens are history
    (the audit trail names them): never deleted; an administrator revokes a leaked one (audited)."""

    list_display = ["name", "user", "prefix", "access", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["access"]
    search_fields = ["name", "prefix", "user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    actions = ["revoke_selected"]

    @admin.action(description=gettext_lazy("吊销所选令牌"))
    def revoke_selected(self, request, queryset):
        for token in queryset:
            api_token_revoke(actor=request.user, token_id=token.pk)
        self.message_user(request, _("已吊销 %(n)d 个令牌。") % {"n": queryset.count()})
