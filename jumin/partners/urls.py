from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("office/partners/", views.unit_list, name="unit-list"),
    path("office/partners/export.xlsx", views.unit_export, name="unit-export"),
    path("office/partners/new/", views.unit_new, name="unit-new"),
    path("office/partners/<uuid:unit_uuid>/", views.unit_detail, name="unit-detail"),
    path("office/partners/meetings/", views.meeting_list, name="meeting-list"),
    path("office/partners/meetings/export.xlsx", views.meeting_export, name="meeting-export"),
    path("office/partners/meetings/new/", views.meeting_new, name="meeting-new"),
    path("office/partners/meetings/<uuid:meeting_uuid>/", views.meeting_detail, name="meeting-detail"),
    path("office/partners/resources/<uuid:resource_uuid>/", views.resource_calendar, name="resource-calendar"),
    path("partner/", views.my_unit, name="my-unit"),
    path("partner/bookings/", views.booking_list, name="bookings"),
    path("partner/bookings/export.xlsx", views.booking_export, name="booking-export"),
]
