from django.urls import path

from . import views

app_name = "staff"

urlpatterns = [
    path("office/staff/", views.staff_list, name="list"),
    path("office/staff/export.xlsx", views.staff_export, name="export"),
    path("office/staff/new/", views.staff_create, name="create"),
    path("office/staff/communities/", views.community_list, name="communities"),
    path("office/staff/<uuid:uuid>/", views.staff_edit, name="edit"),
    path("office/staff/<uuid:uuid>/toggle/", views.staff_toggle, name="toggle"),
    path("office/staff/<uuid:uuid>/reset-password/", views.staff_reset, name="reset"),
    path("account/setup/<str:token>/", views.setup_password, name="setup"),
]
