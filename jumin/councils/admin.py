from django.contrib import admin

from .models import Council, CouncilMember


class MemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    raw_id_fields = ["resident"]
    fields = ["resident", "role", "term_start", "term_end", "ended_on"]


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "community", "position"]
    list_filter = ["kind"]
    inlines = [MemberInline]
