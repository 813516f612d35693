from django.urls import path

from jumin.deliberation import converters  # noqa: F401 (registers <rowid:…>)

from . import views

app_name = "councils"

urlpatterns = [
    path("me/councils/", views.resident_list, name="list"),
    path("me/councils/<uuid:council_uuid>/", views.resident_detail, name="detail"),
    path("office/councils/", views.office_list, name="office-list"),
    path("office/councils/members.xlsx", views.members_export, name="members-export"),
    path("office/councils/<uuid:council_uuid>/", views.office_detail, name="office-detail"),
    path("office/councils/<uuid:council_uuid>/members/", views.member_add, name="member-add"),
    path("office/councils/<uuid:council_uuid>/members/<rowid:member_id>/end/", views.member_end, name="member-end"),
    path("office/councils/<uuid:council_uuid>/meetings/", views.meeting_add, name="meeting-add"),
    path("office/councils/<uuid:council_uuid>/activities/", views.activity_add, name="activity-add"),
]
