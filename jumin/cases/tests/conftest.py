# Register the test-only case kinds for this package's tests.
from . import case_kind  # noqa: F401
