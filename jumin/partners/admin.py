from django.contrib import admin

from .models import PartnerMember, PartnerResource, PartnerUnit


class MemberInline(admin.TabularInline):
    model = PartnerMember
    raw_id_fields = ["user"]
    extra = 0


class ResourceInline(admin.TabularInline):
    model = PartnerResource
    extra = 0


@admin.register(PartnerUnit)
class PartnerUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "street", "community", "contact_name", "active"]
    list_filter = ["kind", "active", "community"]
    search_fields = ["name"]
    inlines = [MemberInline, ResourceInline]
