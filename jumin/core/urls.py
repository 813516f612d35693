from django.contrib.auth import views as auth_views
from django.urls import path

from . import case_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", views.me, name="me"),
    path("elder-mode/", views.elder_mode_toggle, name="elder-mode"),
    path("office/", views.office, name="office"),
    path("office/switch-community/", views.community_switch, name="community-switch"),
    path("office/audit/", views.audit_list, name="audit-list"),
    path("office/cases/", case_views.case_queue, name="case-queue"),
    path("office/cases/export.xlsx", case_views.case_queue_export, name="case-export"),
    path("office/cases/figures/", case_views.case_figures_page, name="case-figures"),
    path("office/cases/<uuid:case_uuid>/", case_views.case_detail, name="case-detail"),
    path("cases/<uuid:case_uuid>/take/", case_views.case_take, name="case-take"),
    path("cases/<uuid:case_uuid>/move/", case_views.case_move, name="case-move"),
    path("cases/<uuid:case_uuid>/message/", case_views.case_message, name="case-message"),
    path("cases/<uuid:case_uuid>/assign/", case_views.case_assign, name="case-assign"),
    path("cases/<uuid:case_uuid>/escalate/", case_views.case_escalate, name="case-escalate"),
    path("cases/<uuid:case_uuid>/follow-up/", case_views.case_follow_up, name="case-follow-up"),
    path("cases/<uuid:case_uuid>/attach/", case_views.case_attach, name="case-attach"),
    path("cases/<uuid:case_uuid>/remind/", case_views.case_remind, name="case-remind"),
    path("cases/<uuid:case_uuid>/rate/", case_views.case_rate, name="case-rate"),
    path("cases/<uuid:case_uuid>/reopen/", case_views.case_reopen, name="case-reopen"),
    path("cases/attachments/<uuid:attachment_uuid>/", case_views.attachment_download, name="case-attachment"),
    path("me/cases/", case_views.my_cases, name="my-cases"),
    path("me/cases/<uuid:case_uuid>/", case_views.my_case, name="my-case"),
    path("notifications/", case_views.notifications, name="notifications"),
]
