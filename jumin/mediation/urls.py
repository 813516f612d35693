from django.urls import path

from . import views

app_name = "mediation"

urlpatterns = [
    path("me/disputes/new/", views.dispute_new, name="dispute-new"),
    path("office/disputes/", views.dispute_list, name="dispute-list"),
    path("office/disputes/new/", views.dispute_register, name="dispute-register"),
    path("office/disputes/counts.xlsx", views.dispute_counts_export, name="dispute-counts"),
    path("office/disputes/<uuid:case_uuid>/assign/", views.assign_mediator, name="assign"),
    path("office/disputes/<uuid:case_uuid>/sessions/", views.session_add, name="session-add"),
    path("office/disputes/<uuid:case_uuid>/agreement/", views.agreement_record, name="agreement"),
    path("office/disputes/<uuid:case_uuid>/agreement/scan/", views.agreement_scan, name="agreement-scan"),
    path("office/disputes/<uuid:case_uuid>/agreement/print/", views.agreement_print, name="agreement-print"),
    path("office/disputes/<uuid:case_uuid>/follow-up/", views.follow_up, name="follow-up"),
    path("office/disputes/<uuid:case_uuid>/fail/", views.dispute_fail, name="fail"),
    path("office/disputes/<uuid:case_uuid>/close/", views.dispute_close, name="close"),
    path("office/disputes/<uuid:case_uuid>/escalate/", views.dispute_escalate, name="escalate"),
    path("office/disputes/<uuid:case_uuid>/parties/<int:named_id>/link/", views.party_link, name="party-link"),
    # Parties download their signed agreement too, so this one lives outside /office/.
    path("disputes/<uuid:case_uuid>/agreement-scan/", views.agreement_scan_download, name="scan-download"),
]
