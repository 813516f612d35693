from django.contrib import admin

from .models import Opinion


@admin.register(Opinion)
class OpinionAdmin(admin.ModelAdmin):
    """Read-only: opinions are raised and worked through the case pages, which check scope and keep the history."""

    list_display = ["case", "category", "channel", "allow_public", "recorded_by", "created_at"]
    list_filter = ["community", "category", "channel", "allow_public"]
    list_select_related = ["case", "recorded_by"]
    search_fields = ["case__number", "case__title"]
    raw_id_fields = ["case", "recorded_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
