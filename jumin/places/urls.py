from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("office/places/", views.place_overview, name="overview"),
    path("office/places/export.xlsx", views.place_export, name="export"),
    path("office/places/compounds/<int:pk>/", views.compound_detail, name="compound-detail"),
]
