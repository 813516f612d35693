"""Settings for the test suite: the product's, plus a test-only app that proves the plug-in contract."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.plugin_app"]
