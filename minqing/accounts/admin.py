from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minqing.core.audit import audit_record
from minqing.core.errors import ApplicationError

from .models import PartnerUnit, RoleAssignment, User
from .policy import has_perm_anywhere
from .services import role_assign, role_change, role_revoke

MASKED = "******"  # a password, clear or hashed, never enters the audit trail


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
        changes = {name: MASKED if "password" in name else str(form.cleaned_data.get(name))
                   for name in form.changed_data}
        audit_record(actor=request.user, action=f"admin.{'change' if change else 'add'}", obj=obj, changes=changes)

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action="admin.delete", obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        """The "delete selected" action: one audit row per row, as for a single delete."""
        for obj in queryset:
            audit_record(actor=request.user, action="admin.delete", obj=obj)
        super().delete_queryset(request, queryset)

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


def assignment_save(request, assignment: RoleAssignment, changed: list[str], *, adding: bool) -> RoleAssignment:
    """The admin's role edits go through the audited services: add → role_assign, another role, place or
    unit → role_change, "active" unticked → role_revoke (the row is kept), ticked again → role_assign."""
    actor = request.user
    if adding:
        saved = role_assign(actor=actor, user=assignment.user, role=assignment.role, place=assignment.place,
                            partner_unit=assignment.partner_unit)
        return role_revoke(actor=actor, assignment=saved) if not assignment.is_active else saved
    if {"role", "place", "partner_unit"} & set(changed):
        role_change(actor=actor, assignment=assignment, role=assignment.role, place=assignment.place,
                    partner_unit=assignment.partner_unit)
    if "is_active" in changed:
        stored = RoleAssignment.objects.select_related("place", "user").get(pk=assignment.pk)
        if assignment.is_active:
            return role_assign(actor=actor, user=stored.user, role=stored.role, place=stored.place,
                               partner_unit=stored.partner_unit)
        return role_revoke(actor=actor, assignment=stored)
    return assignment


class RoleAssignmentInline(admin.TabularInline):
    """A user's roles on their page. Nothing is deleted here: untick "active" to revoke (UserAdmin.save_formset
    sends every row through the services)."""

    model = RoleAssignment
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = ("role", "place", "partner_unit", "is_active")
    autocomplete_fields = ("place", "partner_unit")

    def has_view_permission(self, request, obj=None):
        return _admins_only(request)

    def has_change_permission(self, request, obj=None):
        return _admins_only(request)

    def has_add_permission(self, request, obj=None):
        return _admins_only(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + (("民情", {"fields": ("display_name",)}),)
    list_display = ("username", "display_name", "is_active", "last_login")
    inlines = [RoleAssignmentInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # applies the forms to their instances; the services save them
        for assignment in formset.new_objects:
            assignment_save(request, assignment, [], adding=True)
        for assignment, changed in formset.changed_objects:
            assignment_save(request, assignment, changed, adding=False)

    def log_change(self, request, obj, message):
        """The password page saves the form itself (not save_model): record that it changed, masked."""
        if request.path.rstrip("/").endswith("/password"):
            audit_record(actor=request.user, action="user.change_password", obj=obj, changes={"password": MASKED})
        return super().log_change(request, obj, message)

    def get_deleted_objects(self, objs, request):
        """A deleted user's role grants go with them (the deletion is audited); the revoke-only rule of
        RoleAssignmentAdmin must not block deleting the user."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(str(RoleAssignment._meta.verbose_name))
        return deleted, counts, perms_needed, protected


@admin.register(PartnerUnit)
class PartnerUnitAdmin(AuditedAdmin):
    list_display = ("name", "kind", "service_area", "is_active")
    search_fields = ("name",)
    autocomplete_fields = ("service_area",)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    """Grants are history: added, changed and revoked through the audited services, never deleted."""

    list_display = ("user", "role", "place", "partner_unit", "is_active")
    list_filter = ("role", "is_active")
    autocomplete_fields = ("user", "place", "partner_unit")
    actions = ["revoke_selected"]

    def save_model(self, request, obj, form, change):
        saved = assignment_save(request, obj, form.changed_data, adding=not change)
        obj.pk = saved.pk  # the add view redirects to the saved row

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ("user",) if obj is not None else ()  # another user is another grant: add one

    @admin.action(description=gettext_lazy("撤销所选角色授权"))
    def revoke_selected(self, request, queryset):
        revoked = 0
        for assignment in queryset.select_related("place", "user").filter(is_active=True):
            try:
                role_revoke(actor=request.user, assignment=assignment)
                revoked += 1
            except ApplicationError as exc:
                self.message_user(request, f"{assignment}: {exc.message}", messages.ERROR)
        self.message_user(request, _("已撤销 %(n)d 项角色授权。") % {"n": revoked})
