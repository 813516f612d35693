from django.urls import path

from . import views

app_name = "news"

urlpatterns = [
    path("me/notices/", views.my_notices, name="my-notices"),
    path("me/notices/<uuid:notice_uuid>/", views.my_notice, name="my-notice"),
    path("broadcasts/", views.broadcasts, name="broadcasts"),
    path("broadcasts/<uuid:broadcast_uuid>/", views.broadcast, name="broadcast"),
    path("board/<uuid:community_uuid>/", views.board, name="board"),
    path("office/notices/", views.notice_list, name="notice-list"),
    path("office/notices/export.xlsx", views.notice_export, name="notice-export"),
    path("office/notices/new/", views.notice_new, name="notice-new"),
    path("office/notices/<uuid:notice_uuid>/", views.notice_detail, name="notice-detail"),
    path("office/notices/<uuid:notice_uuid>/unread.xlsx", views.notice_unread_export, name="notice-unread-export"),
    path("office/broadcasts/new/", views.broadcast_new, name="broadcast-new"),
]
