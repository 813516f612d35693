"""Raw data entry only. Votes are deliberately absent: the admin would show who chose what."""

from django.contrib import admin

from .models import Charter, CharterVersion, DeliberationSettings, Proposal


@admin.register(DeliberationSettings)
class DeliberationSettingsAdmin(admin.ModelAdmin):
    """Read-only here: the secretary changes them on 议事设置 (/office/deliberation/settings/), which audits it."""

    list_display = ["community", "support_threshold", "publicity_days", "max_proxies"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "stage", "support_count", "created_at"]
    list_filter = ["stage", "category"]
    search_fields = ["title"]
    # Stages move only through the services (history, audit, notices).
    readonly_fields = ["stage", "support_count", "merged_into", "spent_total", "stage_changed_at"]
    exclude = ["photos"]


class CharterVersionInline(admin.TabularInline):
    model = CharterVersion
    extra = 0
    readonly_fields = ["number", "status", "adopted_at"]
    fields = ["number", "status", "change_note", "adopted_at"]


@admin.register(Charter)
class CharterAdmin(admin.ModelAdmin):
    list_display = ["title", "compound", "community"]
    inlines = [CharterVersionInline]
