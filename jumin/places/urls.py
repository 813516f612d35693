from django.urls import path

from . import views, views_import

app_name = "places"

urlpatterns = [
    path("office/places/", views.place_overview, name="overview"),
    path("office/places/export.xlsx", views.place_export, name="export"),
    path("office/places/import/", views_import.places_import_page, name="import"),
    path("office/places/import/template.xlsx", views_import.places_template_download, name="import-template"),
    path("office/places/compounds/<int:pk>/", views.compound_detail, name="compound-detail"),
    path("office/places/grids/<int:pk>/", views.grid_detail, name="grid-detail"),
    path("office/places/<slug:kind>/<int:pk>/rename/", views.place_rename, name="rename"),
]
