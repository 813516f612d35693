from django.urls import path

from . import views

app_name = "hall"

urlpatterns = [
    path("office/hall/items/", views.item_list, name="item-list"),
    path("office/hall/items/export.xlsx", views.item_export, name="item-export"),
    path("me/hall/", views.guide, name="guide"),
]
