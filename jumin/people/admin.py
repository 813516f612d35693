from django.contrib import admin

from .models import Activation, Household, Resident, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["dwelling", "head_name", "member_count", "grid"]
    list_filter = ["community", "grid"]
    list_select_related = ["dwelling", "grid"]
    search_fields = ["head_name", "dwelling__address"]
    raw_id_fields = ["dwelling"]
    readonly_fields = ["version"]


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    """Read-mostly: register changes go through the office pages, which validate and audit them."""

    list_display = ["name", "id_masked", "gender", "birth_date", "relationship", "status"]
    list_filter = ["community", "status"]
    search_fields = ["name", "name_pinyin", "id_tail"]
    exclude = ["id_number"]
    readonly_fields = ["id_masked", "name_pinyin"]
    raw_id_fields = ["household"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Activation)
class ActivationAdmin(admin.ModelAdmin):
    list_display = ["resident", "user", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["resident", "user", "decided_by"]
