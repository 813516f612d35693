"""Read-only: disputes are confidential and change only through the audited services on the case page. The lists
show numbers and categories, never names or text."""

from django.contrib import admin

from .models import Agreement, Dispute, MediationSession, NamedParty


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    list_display = ["case", "category", "community", "created_at"]
    list_filter = ["community", "category"]
    list_select_related = ["case", "community"]


@admin.register(NamedParty)
class NamedPartyAdmin(ReadOnlyAdmin):
    list_display = ["dispute", "resident", "created_at"]
    list_filter = ["community"]


@admin.register(MediationSession)
class MediationSessionAdmin(ReadOnlyAdmin):
    list_display = ["dispute", "held_at", "created_by"]
    list_filter = ["community"]
    exclude = ["notes"]


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ["dispute", "signed_at", "recorded_by"]
    list_filter = ["community"]
    exclude = ["text", "signed_scan"]
