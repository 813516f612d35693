from django.urls import path

from . import views

app_name = "errands"

urlpatterns = [
    path("me/errands/new/", views.errand_new, name="new"),
    path("me/errands/<uuid:case_uuid>/qr.svg", views.pickup_qr, name="qr"),
    path("office/errands/", views.errand_list, name="list"),
    path("office/errands/new/", views.errand_office_new, name="office-new"),
    path("office/errands/export.xlsx", views.errand_export, name="export"),
    path("office/errands/<uuid:case_uuid>/documents/", views.receive_documents, name="receive-documents"),
    path("office/errands/<uuid:case_uuid>/result/", views.record_result, name="record-result"),
    path("office/errands/<uuid:case_uuid>/pickup/", views.pickup, name="pickup"),
    path("office/errands/<uuid:case_uuid>/receipt/", views.errand_receipt, name="receipt"),
]
