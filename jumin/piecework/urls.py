from django.urls import path

from . import views

app_name = "piecework"

urlpatterns = [
    path("me/piecework/", views.resident_orders, name="resident-orders"),
    path("me/piecework/orders/<uuid:order_uuid>/", views.resident_order, name="resident-order"),
    path("me/piecework/claims/", views.resident_claims, name="resident-claims"),
    path("me/piecework/claims/<uuid:claim_uuid>/", views.resident_claim, name="resident-claim"),
    path("me/piecework/income/", views.resident_income, name="resident-income"),
    path("factory/", views.factory_home, name="factory-home"),
    path("factory/orders/<uuid:order_uuid>/", views.factory_order, name="factory-order"),
    path("factory/statement.<slug:fmt>", views.factory_own_statement, name="factory-own-statement"),
    path("office/piecework/", views.order_list, name="orders"),
    path("office/piecework/export.xlsx", views.order_export, name="orders-export"),
    path("office/piecework/orders/new/", views.order_new, name="order-new"),
    path("office/piecework/orders/<uuid:order_uuid>/", views.order_detail, name="order-detail"),
    path(
        "office/piecework/orders/<uuid:order_uuid>/claims.xlsx", views.order_claims_export, name="order-claims-export"
    ),
    path("office/piecework/orders/<uuid:order_uuid>/claim/", views.order_claim_for_resident, name="order-claim"),
    path("office/piecework/orders/<uuid:order_uuid>/close/", views.order_close, name="order-close"),
    path("office/piecework/claims/<uuid:claim_uuid>/<slug:action>/", views.claim_action, name="claim-action"),
    path("office/piecework/handins/<uuid:handin_uuid>/inspect/", views.handin_inspect, name="handin-inspect"),
    path("office/piecework/factories/", views.factory_list, name="factories"),
    path(
        "office/piecework/factories/<uuid:factory_uuid>/statement.<slug:fmt>", views.factory_statement, name="statement"
    ),
]
