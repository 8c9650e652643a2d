"""Admin: the care-tag list is edited here (audited). Households and residents are read-only here —
their changes go through the ledger's pages and services, never a second write path."""
from django.contrib import admin

from minqing.accounts.admin import AuditedAdmin

from .models import CareTag, Household, LedgerImport, Resident


@admin.register(CareTag)
class CareTagAdmin(AuditedAdmin):
    list_display = ("name", "code", "visit_cycle_days", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")
    search_fields = ("name", "code")

    def has_delete_permission(self, request, obj=None):
        return False  # tags in use are history; deactivate instead


class ReadOnlyAdmin(AuditedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "place_code", "head", "liaison", "is_active")
    list_filter = ("is_active",)
    search_fields = ("place_code", "room")
    list_select_related = ("building", "head", "liaison")
    fields = ("building", "place_code", "room", "head", "liaison", "notes", "is_active")


@admin.register(Resident)
class ResidentAdmin(ReadOnlyAdmin):
    # Only masked personal data: the ciphertext and hashes are never shown, not even to admins.
    list_display = ("name", "id_number_masked", "phone_masked", "place_code", "status", "is_floating")
    list_filter = ("status", "is_floating")
    search_fields = ("name", "name_initials", "place_code")
    fields = ("name", "relation", "sex", "birth_date", "id_number_masked", "phone_masked", "household",
              "place_code", "status", "is_floating", "registered_place", "occupation", "anonymised_at")


@admin.register(LedgerImport)
class LedgerImportAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "filename", "actor", "row_count", "households_created", "residents_created")
