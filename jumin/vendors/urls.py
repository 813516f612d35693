from django.urls import path

from . import views

app_name = "vendors"

urlpatterns = [
    path("me/services/", views.browse, name="browse"),
    path("me/services/vendors/<uuid:vendor_uuid>/", views.vendor_detail, name="vendor-detail"),
    path("me/services/vendors/<uuid:vendor_uuid>/order/", views.order_new, name="order-new"),
    path("me/services/orders/<uuid:case_uuid>/rate/", views.order_rate, name="order-rate"),
    path("me/services/orders/<uuid:case_uuid>/cancel/", views.order_cancel, name="order-cancel"),
    path("me/services/orders/<uuid:case_uuid>/complain/", views.order_complain, name="order-complain"),
    path("me/services/<slug:category>/", views.category, name="category"),
    path("vendor/", views.vendor_home, name="vendor-home"),
    path("vendor/apply/", views.vendor_apply, name="vendor-apply"),
    path("vendor/orders/<uuid:case_uuid>/", views.vendor_order, name="vendor-order"),
    path("vendor/orders/<uuid:case_uuid>/<slug:action>/", views.vendor_order_action, name="vendor-order-action"),
    path("office/vendors/", views.vendor_list, name="list"),
    path("office/vendors/export.xlsx", views.vendor_export, name="export"),
    path("office/vendors/orders/", views.order_list, name="orders"),
    path("office/vendors/orders/export.xlsx", views.order_export, name="orders-export"),
    path("office/vendors/orders/new/", views.office_order_new, name="office-order-new"),
    path("office/vendors/<uuid:vendor_uuid>/", views.vendor_office_detail, name="office-detail"),
    path("office/vendors/<uuid:vendor_uuid>/licence/", views.vendor_licence, name="licence"),
    path("office/vendors/<uuid:vendor_uuid>/<slug:action>/", views.vendor_vet, name="vet"),
]
