from django.core.exceptions import PermissionDenied as DjangoPermissionDenied


class DomainError(Exception):
    """A business rule refused the action; the message is shown to the user as is (Chinese)."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(DjangoPermissionDenied):
    """The user may not do this. Not a DomainError on purpose: views that turn a refused rule into a message
    let this one through, so every page answers it the same way (the 403 page with the reason) and the API with
    a JSON 403 — never a flash message on one page and a 403 on another."""

    status_code = 403

    def __init__(self, message: str = "您没有权限执行此操作", *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    """Someone else changed the row first (version check, compare-and-set)."""

    status_code = 409
