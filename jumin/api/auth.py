from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from jumin.core.models import ApiToken


class BearerToken(HttpBearer):
    """Authorization: Bearer <token> from POST /api/v1/auth/token."""

    def authenticate(self, request, token):
        api_token = ApiToken.objects.for_raw(token)
        if api_token is None:
            return None
        # Touch at most once a minute to keep reads cheap.
        now = timezone.now()
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        request.api_token = api_token  # POST /auth/logout revokes the token the call came with
        return api_token.user


# Session auth (with CSRF on writes) lets the docs page and the HTMX pages call the API too.
AUTH = [BearerToken(), SessionAuth()]
