from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("me/library/", views.catalogue, name="catalogue"),
    path("me/library/loans/", views.my_loans, name="my-loans"),
    path("me/library/books/<uuid:book_uuid>/hold/", views.hold_place, name="hold-place"),
    path("library/holds/<uuid:hold_uuid>/cancel/", views.hold_cancel, name="hold-cancel"),
    path("library/loans/<uuid:loan_uuid>/renew/", views.loan_renew, name="loan-renew"),
    path("office/library/desk/", views.desk, name="desk"),
    path("office/library/books/", views.book_list, name="book-list"),
    path("office/library/books/export.xlsx", views.book_export, name="book-export"),
    path("office/library/books/new/", views.book_new, name="book-new"),
    path("office/library/loans/", views.loan_list, name="loan-list"),
    path("office/library/loans/export.xlsx", views.loan_export, name="loan-export"),
    path("office/library/loans/remind/", views.remind_overdue, name="remind-overdue"),
    path("office/library/loans/<uuid:loan_uuid>/return/", views.loan_return, name="loan-return"),
]
