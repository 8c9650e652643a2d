from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from minqing.core.audit import audit_record

from .models import PartnerUnit, RoleAssignment, User
from .policy import has_perm_anywhere


def _admins_only(request) -> bool:
    """Django admin is for system administrators only, whatever `is_staff` says."""
    return request.user.is_active and has_perm_anywhere(request.user, "admin.site")


admin.site.has_permission = _admins_only
admin.site.site_header = "民情 · 系统管理"
admin.site.site_title = "民情"


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits are audited like any service write."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes = {name: str(form.cleaned_data.get(name)) for name in form.changed_data}
        audit_record(actor=request.user, action=f"admin.{'change' if change else 'add'}", obj=obj, changes=changes)

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action="admin.delete", obj=obj)
        super().delete_model(request, obj)

    def has_module_permission(self, request):
        return _admins_only(request)

    def has_view_permission(self, request, obj=None):
        return _admins_only(request)

    def has_change_permission(self, request, obj=None):
        return _admins_only(request)

    def has_add_permission(self, request):
        return _admins_only(request)

    def has_delete_permission(self, request, obj=None):
        return _admins_only(request)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ("place", "partner_unit")


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + (("民情", {"fields": ("display_name",)}),)
    list_display = ("username", "display_name", "is_active", "last_login")
    inlines = [RoleAssignmentInline]


@admin.register(PartnerUnit)
class PartnerUnitAdmin(AuditedAdmin):
    list_display = ("name", "kind", "service_area", "is_active")
    search_fields = ("name",)
    autocomplete_fields = ("service_area",)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ("user", "role", "place", "partner_unit", "is_active")
    list_filter = ("role", "is_active")
    autocomplete_fields = ("user", "place", "partner_unit")
