from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("office/cases/", views.case_queue, name="case-queue"),
    path("office/cases/export.xlsx", views.case_queue_export, name="case-export"),
    path("office/cases/figures/", views.case_figures_page, name="case-figures"),
    path("office/cases/<uuid:case_uuid>/", views.case_detail, name="case-detail"),
    path("cases/<uuid:case_uuid>/take/", views.case_take, name="case-take"),
    path("cases/<uuid:case_uuid>/move/", views.case_move, name="case-move"),
    path("cases/<uuid:case_uuid>/message/", views.case_message, name="case-message"),
    path("cases/<uuid:case_uuid>/assign/", views.case_assign, name="case-assign"),
    path("cases/<uuid:case_uuid>/escalate/", views.case_escalate, name="case-escalate"),
    path("cases/<uuid:case_uuid>/follow-up/", views.case_follow_up, name="case-follow-up"),
    path("cases/<uuid:case_uuid>/attach/", views.case_attach, name="case-attach"),
    path("cases/<uuid:case_uuid>/remind/", views.case_remind, name="case-remind"),
    path("cases/<uuid:case_uuid>/rate/", views.case_rate, name="case-rate"),
    path("cases/<uuid:case_uuid>/reopen/", views.case_reopen, name="case-reopen"),
    path("cases/attachments/<uuid:attachment_uuid>/", views.attachment_download, name="case-attachment"),
    path("me/cases/", views.my_cases, name="my-cases"),
    path("me/cases/<uuid:case_uuid>/", views.my_case, name="my-case"),
    path("notifications/", views.notifications, name="notifications"),
]
