class DomainError(Exception):
    """A business rule refused the action; the message is shown to the user as is (Chinese)."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    """Someone else changed the row first (version check, compare-and-set)."""

    status_code = 409
