from django.urls import path

from . import views

app_name = "hall"

urlpatterns = [
    # Catalogue (office)
    path("office/hall/items/", views.item_list, name="item-list"),
    path("office/hall/items/export.xlsx", views.item_export, name="item-export"),
    path("office/hall/items/new/", views.item_new, name="item-new"),
    path("office/hall/items/<int:item_id>/edit/", views.item_edit, name="item-edit"),
    path("office/hall/windows/", views.window_list, name="window-list"),
    path("office/hall/windows/<int:window_id>/edit/", views.window_edit, name="window-edit"),
    # The running hall (office)
    path("office/hall/counter/", views.counter_index, name="counter-index"),
    path("office/hall/counter/<int:window_id>/", views.counter, name="counter"),
    path("office/hall/counter/<int:window_id>/act/", views.counter_act, name="counter-act"),
    path("office/hall/slots/", views.slots_week, name="slots"),
    path("office/hall/bookings/", views.booking_list, name="booking-list"),
    path("office/hall/bookings/export.xlsx", views.booking_export, name="booking-export"),
    path("office/hall/records/", views.record_list, name="record-list"),
    path("office/hall/records/export.xlsx", views.record_export, name="record-export"),
    path("office/hall/figures/", views.figure_list, name="figures"),
    path("office/hall/figures/export.xlsx", views.figure_export, name="figure-export"),
    # Kiosk and the hall TV
    path("hall/kiosk/", views.kiosk, name="kiosk"),
    path("hall/kiosk/items/<int:item_id>/", views.kiosk_take, name="kiosk-take"),
    path("hall/kiosk/tickets/<uuid:ticket_uuid>/", views.kiosk_ticket, name="kiosk-ticket"),
    path("hall/kiosk/done/", views.kiosk_done, name="kiosk-done"),
    path("hall/kiosk/check-in/", views.kiosk_check_in, name="kiosk-check-in"),
    path("hall/kiosk/rate/", views.kiosk_rate_list, name="kiosk-rate-list"),
    path("hall/kiosk/rate/<uuid:ticket_uuid>/", views.kiosk_rate, name="kiosk-rate"),
    path("hall/display/", views.display, name="display"),
    path("hall/display/board/", views.display_board, name="display-board"),
    path("hall/tickets/<uuid:ticket_uuid>/qr.svg", views.ticket_qr, name="ticket-qr"),
    # Resident
    path("me/hall/", views.guide, name="guide"),
    path("me/hall/take/", views.take, name="take"),
    path("hall/t/<uuid:ticket_uuid>/", views.my_ticket, name="my-ticket"),
    path("me/hall/tickets/<uuid:ticket_uuid>/cancel/", views.ticket_cancel, name="ticket-cancel"),
    path("me/hall/tickets/<uuid:ticket_uuid>/rate/", views.ticket_rate, name="ticket-rate"),
    path("me/hall/book/", views.book, name="book"),
    path("me/hall/book/<int:item_id>/", views.book_item, name="book-item"),
    path("me/hall/bookings/<uuid:booking_uuid>/", views.my_booking, name="my-booking"),
    path("me/hall/bookings/<uuid:booking_uuid>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("me/hall/bookings/<uuid:booking_uuid>/qr.svg", views.booking_qr, name="booking-qr"),
]
