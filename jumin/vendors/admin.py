from django.contrib import admin

from .models import Complaint, ServiceOrder, Vendor, VendorRating


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "category", "status", "flagged_at"]
    list_filter = ["status", "category", "community"]
    search_fields = ["name", "contact_name"]
    readonly_fields = ["status", "vetted_by", "vetted_at", "flagged_at"]


@admin.register(ServiceOrder)
class ServiceOrderAdmin(admin.ModelAdmin):
    list_display = ["case", "vendor", "window_date", "window_slot", "charged"]
    list_select_related = ["case", "vendor"]
    raw_id_fields = ["case"]


admin.site.register(VendorRating)
admin.site.register(Complaint)
