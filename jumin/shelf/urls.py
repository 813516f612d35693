from django.urls import path

from .views import office, resident

app_name = "shelf"

urlpatterns = [
    path("me/shelf/", resident.browse, name="browse"),
    path("me/shelf/cart/", resident.cart, name="cart"),
    path("me/shelf/products/<uuid:product_uuid>/add/", resident.cart_add, name="cart-add"),
    path("me/shelf/orders/", resident.my_orders, name="my-orders"),
    path("me/shelf/orders/<uuid:order_uuid>/", resident.my_order, name="my-order"),
    path("me/shelf/deliveries/", resident.deliveries, name="deliveries"),
    path("shelf/products/<uuid:product_uuid>/photo/", resident.product_photo, name="product-photo"),
    path("office/shelf/orders/", office.order_list, name="orders"),
    path("office/shelf/orders/export.xlsx", office.order_export, name="order-export"),
    path("office/shelf/orders/<uuid:order_uuid>/", office.order_detail, name="order-detail"),
    path("office/shelf/picklist/", office.pick_list, name="pick-list"),
    path("office/shelf/phone/", office.phone_order, name="phone-order"),
    path("office/shelf/phone/<uuid:resident_uuid>/", office.phone_order_for, name="phone-order-for"),
    path("office/shelf/products/", office.product_list, name="products"),
    path("office/shelf/products/export.xlsx", office.product_export, name="product-export"),
    path("office/shelf/products/new/", office.product_new, name="product-new"),
    path("office/shelf/products/<uuid:product_uuid>/", office.product_detail, name="product-detail"),
    path("office/shelf/movements/", office.movement_list, name="movements"),
    path("office/shelf/movements/export.xlsx", office.movement_export, name="movement-export"),
    path("office/shelf/settings/", office.shelf_settings, name="settings"),
    path("office/shelf/report/", office.report, name="report"),
    path("office/shelf/report/export.xlsx", office.report_export, name="report-export"),
    path("office/shelf/suppliers/<uuid:supplier_uuid>/statement/", office.statement, name="statement"),
    path(
        "office/shelf/suppliers/<uuid:supplier_uuid>/statement/export.xlsx",
        office.statement_export,
        name="statement-export",
    ),
]
