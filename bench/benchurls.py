"""The project's URLs plus two floors to measure endpoints against, each answering with `size` bytes:

- /bench/bare/<size>: does nothing but answer;
- /bench/auth/<size>: first loads the logged-in user, as every page and API call must: from the session cookie,
  or from a bearer token through the API's own token check when the request carries one.

Each endpoint is measured against both, with as many bytes, through the same middleware and server, so the ratios
show what the endpoint itself costs above the framework and above knowing who asks.
"""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from jumin.api.auth import BearerToken

bearer = BearerToken()


def bare(request, size: int):
    return HttpResponse(b"x" * size, content_type="text/html; charset=utf-8")


def auth(request, size: int):
    user = bearer(request) if "HTTP_AUTHORIZATION" in request.META else request.user
    if not user or not user.is_authenticated:
        return HttpResponse(status=401)
    return HttpResponse(b"x" * size, content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/bare/<int:size>", bare), path("bench/auth/<int:size>", auth), *project_urlpatterns]
