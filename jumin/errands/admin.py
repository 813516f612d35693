from django.contrib import admin

from jumin.core.access import scope_for

from .models import Errand


@admin.register(Errand)
class ErrandAdmin(admin.ModelAdmin):
    """Read-only: errands move only through the case workflow, which checks, records and notifies."""

    list_display = ["case", "service_item", "masked_phone", "picked_up_at", "created_at"]
    list_filter = ["community"]
    list_select_related = ["case", "service_item"]
    search_fields = ["case__number"]
    exclude = ["contact_phone", "pickup_code"]
    readonly_fields = ["masked_phone"]

    @admin.display(description="联系电话")
    def masked_phone(self, obj):
        return obj.masked_phone

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        return rows.filter(community_id__in=scope_for(request.user).community_ids)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
