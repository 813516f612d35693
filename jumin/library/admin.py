from django.contrib import admin

from .models import Book, Hold, Loan


@admin.register(Book)
class BookAdmin(admin.ModelAdmin):
    """Bibliographic fields may be corrected here; copies move only through the desk (services)."""

    list_display = ["title", "author", "isbn", "community", "copies", "available", "reserved", "loan_count"]
    search_fields = ["title", "author", "isbn"]
    list_filter = ["community"]
    readonly_fields = ["copies", "available", "reserved", "loan_count"]

    def has_add_permission(self, request):
        return False


@admin.register(Loan)
class LoanAdmin(admin.ModelAdmin):
    list_display = ["book", "resident", "lent_at", "due_on", "returned_at"]
    list_select_related = ["book", "resident"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Hold)
class HoldAdmin(admin.ModelAdmin):
    list_display = ["book", "resident", "status", "created_at"]
    list_select_related = ["book", "resident"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
