from django.contrib import admin

from minqing.accounts.admin import AuditedAdmin

from .models import Place


@admin.register(Place)
class PlaceAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "is_active")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    readonly_fields = ("depth",)

    def save_model(self, request, obj, form, change):
        from .models import KIND_SHAPE

        obj.depth = KIND_SHAPE[obj.kind][0]
        super().save_model(request, obj, form, change)
