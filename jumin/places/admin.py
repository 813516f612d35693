from django.contrib import admin

from .models import Building, Community, Compound, Dwelling, Grid, ServiceStation, Street, Unit


@admin.register(Street)
class StreetAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "city"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "street", "area_km2"]
    list_filter = ["street"]


@admin.register(ServiceStation)
class ServiceStationAdmin(admin.ModelAdmin):
    list_display = ["name", "community"]
    list_filter = ["community"]


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    list_display = ["name", "number", "station", "community"]
    list_filter = ["community"]


@admin.register(Compound)
class CompoundAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "address"]
    list_filter = ["community"]


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["name", "compound", "grid"]
    list_filter = ["community", "compound"]
    list_select_related = ["compound", "grid"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "building"]
    list_select_related = ["building__compound"]
    raw_id_fields = ["building"]


@admin.register(Dwelling)
class DwellingAdmin(admin.ModelAdmin):
    list_display = ["address", "community"]
    search_fields = ["address"]
    raw_id_fields = ["unit"]
