from django.contrib import admin

from .models import Activity, PointsAccount, PointsEntry, PointsRule, PointsTransfer, Shift, Signup, Volunteer


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records change only through the services (places, hours and points have rules the admin cannot keep)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Volunteer)
class VolunteerAdmin(ReadOnlyAdmin):
    list_display = ["resident", "community", "status", "is_party_member", "is_dual_report", "created_at"]
    list_filter = ["status", "community"]
    list_select_related = ["resident", "community"]


class ShiftInline(admin.TabularInline):
    model = Shift
    extra = 0
    fields = ["starts_at", "ends_at", "place", "slots", "taken"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["title", "community", "place", "starts_at", "status"]
    list_filter = ["status", "community"]
    inlines = [ShiftInline]


@admin.register(Signup)
class SignupAdmin(ReadOnlyAdmin):
    list_display = ["volunteer", "shift", "status", "checked_in_at", "checked_out_at", "minutes"]
    list_filter = ["status"]
    list_select_related = ["volunteer__resident", "shift__activity"]


@admin.register(PointsAccount)
class PointsAccountAdmin(ReadOnlyAdmin):
    list_display = ["community", "kind", "volunteer", "balance"]
    list_filter = ["kind", "community"]


@admin.register(PointsTransfer)
class PointsTransferAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "community", "origin", "amount", "memo", "actor"]
    list_filter = ["origin"]


@admin.register(PointsEntry)
class PointsEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "account", "amount", "balance_after"]


@admin.register(PointsRule)
class PointsRuleAdmin(ReadOnlyAdmin):
    list_display = ["community", "points_per_hour", "updated_by"]
