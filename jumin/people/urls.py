from django.urls import path

from . import views
from .urls_roster import urlpatterns as roster_urlpatterns

app_name = "people"

urlpatterns = [
    path("office/households/", views.household_list, name="household-list"),
    path("office/households/new/", views.household_create, name="household-create"),
    path("office/households/export.xlsx", views.household_export, name="household-export"),
    path("office/households/<uuid:household_uuid>/", views.household_detail, name="household-detail"),
    path("office/households/<uuid:household_uuid>/residents/new/", views.resident_create, name="resident-create"),
    path("office/residents/", views.resident_list, name="resident-list"),
    path("office/residents/export.xlsx", views.resident_export, name="resident-export"),
    path("office/residents/<uuid:resident_uuid>/edit/", views.resident_edit, name="resident-edit"),
    path("office/residents/<uuid:resident_uuid>/move-out/", views.resident_move_out, name="resident-move-out"),
    path("office/residents/<uuid:resident_uuid>/reveal-id/", views.resident_reveal_id, name="resident-reveal-id"),
    path("office/activations/", views.activation_list, name="activation-list"),
    path("office/activations/<int:pk>/decide/", views.activation_decide, name="activation-decide"),
    path("me/household/", views.my_household, name="my-household"),
    path("accounts/activate/", views.activate, name="activate"),
]
# The roster import pages live in their own module and share the people namespace.
urlpatterns += roster_urlpatterns
