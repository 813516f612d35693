from django.contrib import admin

from .models import Factory, HandIn, PiecePayment, WorkClaim, WorkOrder


@admin.register(Factory)
class FactoryAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "contact_name", "active"]
    list_filter = ["community", "active"]


@admin.register(WorkOrder)
class WorkOrderAdmin(admin.ModelAdmin):
    list_display = ["item", "factory", "quantity", "remaining", "status", "deadline"]
    list_filter = ["status"]
    readonly_fields = ["remaining"]


@admin.register(WorkClaim)
class WorkClaimAdmin(admin.ModelAdmin):
    list_display = ["order", "resident", "quantity", "handed_in", "accepted", "status"]
    readonly_fields = ["quantity", "returned", "handed_in", "accepted", "rejected", "paid_fen"]
    raw_id_fields = ["resident", "order"]


admin.site.register(HandIn)
admin.site.register(PiecePayment)
