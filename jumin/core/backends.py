from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

UserModel = get_user_model()


class PhoneBackend(ModelBackend):
    """Phone + password; in production the published demo password never authenticates."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.ALLOW_DEMO_PASSWORD and password == settings.DEMO_PASSWORD:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        # The office header names the user's community on every page: fetch it with the user, in one query.
        try:
            user = UserModel._default_manager.select_related("community").get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
