"""The project's URLs plus /bench/bare/<size>: a view that does nothing but return `size` bytes.

Each endpoint is measured against this view answering with as many bytes, through the same middleware and
server, so the ratio shows what the endpoint itself costs.
"""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def bare(request, size: int):
    return HttpResponse(b"x" * size, content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/bare/<int:size>", bare), *project_urlpatterns]
