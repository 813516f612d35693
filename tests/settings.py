"""Settings for the test suite: the product's, plus a test-only app that proves the plug-in contract."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.plugin_app"]

# A test database is thrown away: commits need not wait for the disk. PostgreSQL keeps its guarantees of
# isolation and constraints (what the race tests prove) with synchronous_commit off; only durability after a crash
# is given up.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
