from django.urls import path

from . import views

app_name = "volunteers"

urlpatterns = [
    path("me/volunteer/", views.me, name="me"),
    path("me/volunteer/activities/", views.activities, name="activities"),
    path("me/volunteer/points/", views.points, name="points"),
    path("me/volunteer/records/", views.records, name="records"),
    path("me/volunteer/certificate.pdf", views.certificate, name="certificate"),
    path("me/volunteer/shifts/<uuid:shift_uuid>/sign-up/", views.shift_sign_up, name="shift-sign-up"),
    path("me/volunteer/scan/<uuid:shift_uuid>/", views.scan, name="scan"),
    path("volunteers/signups/<uuid:signup_uuid>/withdraw/", views.signup_withdraw, name="signup-withdraw"),
    path("office/volunteers/", views.volunteer_list, name="volunteer-list"),
    path("office/volunteers/export.xlsx", views.volunteer_export, name="volunteer-export"),
    path("office/volunteers/hours.xlsx", views.hours_export, name="hours-export"),
    path("office/volunteers/rule/", views.rule_set, name="rule-set"),
    path("office/volunteers/<uuid:volunteer_uuid>/", views.volunteer_detail, name="volunteer-detail"),
    path("office/volunteers/<uuid:volunteer_uuid>/decide/", views.volunteer_decide, name="volunteer-decide"),
    path("office/volunteers/<uuid:volunteer_uuid>/spend/", views.volunteer_spend, name="volunteer-spend"),
    path(
        "office/volunteers/<uuid:volunteer_uuid>/certificate.pdf",
        views.volunteer_certificate,
        name="volunteer-certificate",
    ),
    path("office/volunteers/activities/", views.activity_list, name="activity-list"),
    path("office/volunteers/activities/export.xlsx", views.activity_export, name="activity-export"),
    path("office/volunteers/activities/new/", views.activity_new, name="activity-new"),
    path("office/volunteers/activities/<uuid:activity_uuid>/", views.activity_detail, name="activity-detail"),
    path("office/volunteers/activities/<uuid:activity_uuid>/cancel/", views.activity_cancel, name="activity-cancel"),
    path("office/volunteers/shifts/<uuid:shift_uuid>/signups/", views.shift_sign_up_for, name="shift-sign-up-for"),
    path("office/volunteers/shifts/<uuid:shift_uuid>/qr/", views.shift_qr, name="shift-qr"),
    path("office/volunteers/signups/<uuid:signup_uuid>/<slug:action>/", views.signup_action, name="signup-action"),
]
