"""Settings for the test suite: the product's, plus a test-only app that proves the plug-in contract."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.plugin_app"]

# The production hasher is deliberately slow; tests create many users (and module-scoped fixtures are built before
# any function-scoped settings fixture could change it).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A test database is thrown away: commits need not wait for the disk. PostgreSQL keeps its guarantees of
# isolation and constraints (what the race tests prove) with synchronous_commit off; only durability after a crash
# is given up.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405

# Every test client builds the middleware chain anew, and WhiteNoise with finders walks every static file each time
# (379 walks cost 28 s of a 300 s profiled run). Tests read pages, not assets; the e2e live server serves static
# files through Django's own StaticFilesHandler.
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
STATIC_ROOT = BASE_DIR / ".no-static-in-tests"  # noqa: F405 — never created, so WhiteNoise has nothing to walk
