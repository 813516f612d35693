from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class PhoneBackend(ModelBackend):
    """Phone + password; in production the published demo password never authenticates."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.ALLOW_DEMO_PASSWORD and password == settings.DEMO_PASSWORD:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
